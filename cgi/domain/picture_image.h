/*
 * Pictures' images, through libvips: what an upload is (decided by
 * decoding it, never by its name or the type the browser sent) and the
 * derived sizes the pages show.
 *
 * Only the loaders of the formats below are ever used: libvips is told to
 * refuse its untrusted loaders (SVG, PDF, MATLAB, ...), and a file the
 * loader sniffing gives to any other loader is not a picture. A file's
 * pixel count is read from its header and checked before anything is
 * decoded, so a small file that would expand to gigabytes (a
 * decompression bomb) is refused at the cost of its header.
 *
 * Derived files are sRGB, turned upright by their EXIF orientation and
 * carry no metadata at all (EXIF, GPS, XMP, IPTC, ICC): the savers strip
 * everything.
 */
#ifndef TESSERA_PICTURE_IMAGE_H
#define TESSERA_PICTURE_IMAGE_H

#include <stddef.h>

#include "picture_files.h"
#include "pictures.h"

/* Most pixels (width times height) an upload may have: 40 MP, more than
 * any camera most people own. */
#define PICTURE_MAX_PIXELS (40LL * 1000 * 1000)
/* Longest side of either dimension, so a 1 x 40M strip is refused too. */
#define PICTURE_MAX_SIDE 16384

enum picture_probe {
	PICTURE_OK,
	PICTURE_NOT_IMAGE,      /* no allowed loader takes it */
	PICTURE_TOO_LARGE,      /* over the pixel or side limit */
	PICTURE_BROKEN,         /* the header read, the pixels did not */
	PICTURE_TRAILING,       /* something follows the image (a polyglot) */
};

struct picture_info {
	enum picture_format format;
	int width, height;      /* as stored, before any EXIF orientation */
};

/* Starts libvips for this process. Returns 0, or -1 (logged). */
int picture_image_init(void);
void picture_image_shutdown(void);

/* Decides what the file at path is, as above, decoding every pixel once
 * the header passed, in a child process of its own: the decoder's memory
 * leaves with it, and a decoder that dies on the file refuses it
 * (PICTURE_BROKEN). Fills *out when PICTURE_OK. */
enum picture_probe picture_image_probe(const char *path,
    struct picture_info *out);
/* A sentence for people about a refusal. */
const char *picture_probe_message(enum picture_probe p);

/*
 * Writes the image at src, shrunk to fit a box of side x side (never
 * enlarged), upright, sRGB, without metadata, once in each encoding: into
 * the files dst[PICTURE_ENC_WEBP] and dst[PICTURE_ENC_JPEG] (overwritten),
 * from one decoding. *width and *height get its size. Returns 0, or -1
 * with the reason in err.
 */
int picture_image_derive(const char *src, int side,
    const char *const dst[PICTURE__ENC_MAX], int *width, int *height,
    char *err, size_t errlen);

#endif
