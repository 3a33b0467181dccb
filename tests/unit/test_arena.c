#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "tap.h"

int
main(void)
{
	struct arena a;
	char *s, *big, *after;
	void *p[100];
	int aligned = 1, distinct = 1;

	arena_init(&a, 1024);
	for (int i = 0; i < 100; i++) {
		p[i] = arena_alloc(&a, (size_t)i * 7 + 1);
		memset(p[i], i, (size_t)i * 7 + 1);
		if ((uintptr_t)p[i] % 16 != 0)
			aligned = 0;
	}
	for (int i = 0; i < 100; i++)
		if (((unsigned char *)p[i])[0] != (unsigned char)i)
			distinct = 0;
	ok(aligned, "allocations are 16-byte aligned");
	ok(distinct, "allocations do not overlap across block boundaries");

	s = arena_strdup(&a, "hello");
	is_str(s, "hello", "strdup copies");
	is_str(arena_strndup(&a, "hello world", 5), "hello", "strndup cuts");
	is_str(arena_printf(&a, "%d-%s", 42, "x"), "42-x", "printf formats");

	big = arena_alloc(&a, 100000);
	memset(big, 'b', 100000);
	after = arena_strdup(&a, "small");
	ok(big[99999] == 'b' && strcmp(after, "small") == 0,
	    "a large allocation gets its own block and small ones go on");

	int *z = arena_calloc(&a, 10, sizeof(int));
	int zero = 1;
	for (int i = 0; i < 10; i++)
		if (z[i] != 0)
			zero = 0;
	ok(zero, "calloc zeroes");

	arena_reset(&a);
	s = arena_strdup(&a, "after reset");
	is_str(s, "after reset", "arena usable after reset");
	arena_free(&a);
	return done_testing();
}
