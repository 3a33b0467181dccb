/*
 * QR codes as inline SVG, for tickets: libqrencode makes the symbol
 * (error correction level M, the smallest version that holds the text),
 * this module draws it.
 *
 * The result is meant to go into a page unescaped ({{{qr}}} in a
 * template), so it is built only from fixed strings, integers and the
 * label passed through tmpl_escape(): nothing of text reaches it but
 * the modules it encodes. Keep it that way.
 *
 * The drawing: a viewBox in modules with a quiet zone of QR_SVG_QUIET
 * modules on every side, a white square behind it all, and one <path> of
 * the dark modules, each run of dark modules in a row one rectangle
 * ("M5 4h3v1h-3z": only M, h, v, z and integers). shape-rendering is
 * crispEdges; role="img" and aria-label, plus a <title>, give it the
 * caller's label.
 */
#ifndef TESSERA_QR_SVG_H
#define TESSERA_QR_SVG_H

struct arena;

/* Light modules around the symbol, as ISO/IEC 18004 asks. */
#define QR_SVG_QUIET 4
/* Default size in CSS pixels of one module (width and height attributes;
 * a stylesheet may size it otherwise). */
#define QR_SVG_MODULE_PX 4

/*
 * The QR code of text (NUL-terminated; UTF-8 is encoded as bytes) as an
 * arena-owned SVG element, labelled label (plain text, escaped here; NULL
 * for "QR code"). Returns NULL, logging nothing, when text is empty or too
 * long for a QR code at level M (the largest, version 40, holds 2331
 * bytes of 8-bit text), or when libqrencode fails otherwise; errno then
 * says why (ERANGE: too long; EINVAL: empty; ENOMEM).
 */
char *qr_svg(struct arena *a, const char *text, const char *label);

#endif
