#include "qr_svg.h"

#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"

#define QR_SVG_DEFAULT_LABEL "QR code"

/* libqrencode sets bit 0 of a module's byte when it is dark. */
#define QR_DARK(code, x, y) ((code)->data[(y) * (code)->width + (x)] & 1)

/*
 * Appends one rectangle per run of dark modules in each row, in module
 * coordinates shifted by the quiet zone. Only integers and the letters
 * M, h, v, z are written.
 */
static void
qr_svg_path(struct buf *out, const QRcode *code)
{
	for (int y = 0; y < code->width; y++) {
		int x = 0;

		while (x < code->width) {
			int start;

			if (!QR_DARK(code, x, y)) {
				x++;
				continue;
			}
			start = x;
			while (x < code->width && QR_DARK(code, x, y))
				x++;
			buf_printf(out, "M%d %dh%dv1h-%dz",
			    start + QR_SVG_QUIET, y + QR_SVG_QUIET, x - start,
			    x - start);
		}
	}
}

char *
qr_svg(struct arena *a, const char *text, const char *label)
{
	QRcode *code;
	struct buf out;
	char *svg;
	int size;

	if (text == NULL || *text == '\0') {
		errno = EINVAL;
		return NULL;
	}
	if (label == NULL)
		label = QR_SVG_DEFAULT_LABEL;
	/* QR_MODE_8: text that is not digits or upper-case alphanumerics is
	 * encoded as its bytes, so UTF-8 goes in unchanged. */
	code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (code == NULL)
		return NULL;
	size = code->width + 2 * QR_SVG_QUIET;

	/* From here to the end: fixed strings, integers and the escaped
	 * label only. This is what lets templates insert it unescaped. */
	buf_init(&out);
	buf_printf(&out,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"",
	    size, size, size * QR_SVG_MODULE_PX, size * QR_SVG_MODULE_PX);
	tmpl_escape(&out, label, strlen(label));
	buf_puts(&out, "\"><title>");
	tmpl_escape(&out, label, strlen(label));
	buf_printf(&out,
	    "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"",
	    size, size);
	qr_svg_path(&out, code);
	buf_puts(&out, "\"/></svg>");
	QRcode_free(code);

	svg = arena_strndup(a, out.data, out.len);
	buf_free(&out);
	return svg;
}
