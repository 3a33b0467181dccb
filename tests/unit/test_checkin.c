/*
 * Unit tests for checkin.c without a database: what a door says of a
 * ticket (another event's, an unpaid order's, one checked in before),
 * and ticket codes as people type them (lower case, spaces, dashes) or
 * as they should never get through (too short, too long, other bytes).
 */
#include <string.h>

#include "arena.h"
#include "checkin.h"
#include "tap.h"

static struct arena arena;
#define A (&arena)

static void
test_verdict(void)
{
	struct checkin_ticket t;

	memset(&t, 0, sizeof(t));
	t.event_id = 7;
	t.order_status = ORDER_PAID;
	is_int(checkin_verdict(&t, 7), CHECKIN_OK, "a paid ticket of this event enters");
	is_int(checkin_verdict(&t, 8), CHECKIN_OTHER_EVENT, "another event's is refused");
	t.has_checked_in_at = 1;
	is_int(checkin_verdict(&t, 7), CHECKIN_ALREADY, "a second scan: already in");
	is_int(checkin_verdict(&t, 8), CHECKIN_OTHER_EVENT,
	    "the event is told before the time of another event's check-in");
	t.has_checked_in_at = 0;
	for (int s = 0; s < ORDER__STATUS_MAX; s++) {
		t.order_status = (enum order_status)s;
		if (s != ORDER_PAID)
			is_int(checkin_verdict(&t, 7), CHECKIN_NOT_PAID,
			    "an order %s does not enter", order_status_names[s]);
	}
	t.order_status = ORDER_REFUNDED;
	t.has_checked_in_at = 1;
	is_int(checkin_verdict(&t, 7), CHECKIN_NOT_PAID,
	    "a refunded ticket checked in before is refused as refunded");
}

static void
test_normalize(void)
{
	const char *code = "ABCDEFGHJKLMNPQRSTUVWXYZ";

	is_str(checkin_normalize_code(A, code), code, "a code as printed");
	is_str(checkin_normalize_code(A, "abcdefghjklmnpqrstuvwxyz"), code,
	    "lower case is upper-cased");
	is_str(checkin_normalize_code(A, " ABCD-EFGH JKLM-NPQR STUV-WXYZ "), code,
	    "spaces and dashes between groups are dropped");
	ok(checkin_normalize_code(A, "ABCDEFGHJKLMNPQRSTUVWXY") == NULL, "23 characters");
	ok(checkin_normalize_code(A, "ABCDEFGHJKLMNPQRSTUVWXYZ2") == NULL, "25 characters");
	ok(checkin_normalize_code(A, "") == NULL, "nothing typed");
	ok(checkin_normalize_code(A, "ABCDEFGHJKLMNPQRSTUVWXY%") == NULL, "a symbol");
	ok(checkin_normalize_code(A, "ABCDEFGHJKLMNPQRSTUVWX\xc3\x84") == NULL,
	    "a letter outside ASCII");
	ok(checkin_normalize_code(A, "ABCDEFGHJKLMNPQRSTUVWXYZ' OR 1=1") == NULL,
	    "SQL after a code");
}

int
main(void)
{
	arena_init(&arena, 0);
	test_verdict();
	test_normalize();
	arena_free(&arena);
	return done_testing();
}
