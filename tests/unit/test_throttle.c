#include <string.h>

#include "arena.h"
#include "tap.h"
#include "throttle.h"

/* The client network a throttle counts: an IPv4 address itself, an IPv6
 * address's /64 (one subscriber picks any address in it). */
int
main(void)
{
	static const struct {
		const char *addr, *network, *name;
	} cases[] = {
		{ "192.0.2.7", "192.0.2.7", "IPv4: the address" },
		{ "127.0.0.1", "127.0.0.1", "IPv4 loopback" },
		{ "2001:db8:1:2::1", "2001:db8:1:2::/64", "IPv6: its /64" },
		{ "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64",
		    "another address of the same /64" },
		{ "2001:DB8:1:2:0:0:0:9", "2001:db8:1:2::/64",
		    "upper case and zeros written out: one canonical form" },
		{ "2001:db8:1:3::1", "2001:db8:1:3::/64", "the next /64" },
		{ "::1", "::/64", "IPv6 loopback" },
		{ "::ffff:192.0.2.7", "192.0.2.7",
		    "an IPv4-mapped address counts as its IPv4 address" },
		{ "", "", "empty (a unix socket): as given" },
		{ "not an address", "not an address", "anything else: as given" },
	};
	struct arena a;

	arena_init(&a, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_str(throttle_network(&a, cases[i].addr), cases[i].network,
		    "%s", cases[i].name);
	is_str(throttle_network(&a, NULL), "", "no address at all");
	arena_free(&a);
	done_testing();
}
