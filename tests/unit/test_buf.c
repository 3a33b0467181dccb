#include <string.h>

#include "buf.h"
#include "tap.h"

int
main(void)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "abc");
	buf_putc(&b, 'd');
	buf_printf(&b, "-%d", 5);
	is_str(b.data, "abcd-5", "appends and formats");
	is_int(b.len, 6, "length tracks content");
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, 'x');
	is_int(b.len, 10006, "grows past its first allocation");
	ok(b.data[b.len] == '\0', "stays NUL-terminated");
	buf_reset(&b);
	is_int(b.len, 0, "reset empties");
	is_str(b.data, "", "reset leaves an empty string");
	buf_append(&b, "a\0b", 3);
	is_int(b.len, 3, "binary data keeps its length");
	buf_free(&b);
	ok(b.data == NULL && b.cap == 0, "free releases");
	return done_testing();
}
