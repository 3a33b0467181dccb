/*
 * Minimal TAP producer for the unit tests, read by automake's tap-driver.
 * Each test program calls ok()/is_int()/is_str() and ends with done_testing().
 */
#ifndef TESSERA_TAP_H
#define TESSERA_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                              \
	do {                                                                \
		long long tap_g = (long long)(got), tap_w = (long long)(want); \
		if (!ok(tap_g == tap_w, __VA_ARGS__))                       \
			printf("#   got %lld, want %lld\n", tap_g, tap_w);      \
	} while (0)

#define is_str(got, want, ...)                                              \
	do {                                                                \
		const char *tap_g = (got), *tap_w = (want);                 \
		int tap_same = (tap_g == NULL && tap_w == NULL) ||          \
		    (tap_g != NULL && tap_w != NULL && strcmp(tap_g, tap_w) == 0); \
		if (!ok(tap_same, __VA_ARGS__))                             \
			printf("#   got \"%s\"\n#  want \"%s\"\n",            \
			    tap_g ? tap_g : "(null)", tap_w ? tap_w : "(null)"); \
	} while (0)

static inline int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
