#include "roles.h"

#include <string.h>

const char *const role_names[ROLE__MAX] = {
	[ROLE_ATTENDEE] = "attendee",
	[ROLE_ORGANIZER] = "organizer",
	[ROLE_ADMIN] = "admin",
};

enum role
role_from_name(const char *name)
{
	for (int i = 0; name != NULL && i < ROLE__MAX; i++)
		if (strcmp(name, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_ATTENDEE;
}

const char *
role_name(enum role role)
{
	return (unsigned)role < ROLE__MAX ? role_names[role] : "attendee";
}

int
role_includes(enum role has, enum role need)
{
	return has >= need;
}
