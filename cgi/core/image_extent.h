/*
 * Where an image file's own structure ends, so that an upload carrying
 * anything after it (a ZIP or an HTML page appended to a valid JPEG: a
 * polyglot that other programs would read as the other format) is refused.
 * Decoders stop at the image's end and never see what follows; this walks
 * the container itself: JPEG markers and entropy-coded segments to the
 * EOI, PNG chunks to IEND, the RIFF size of WebP, the ISO BMFF boxes of
 * HEIF and AVIF.
 *
 * JPEG allows one thing after its EOI: another JPEG (cameras append the
 * second image of a Multi-Picture file there); and a run of zero bytes at
 * the very end, which some encoders pad with.
 */
#ifndef TESSERA_IMAGE_EXTENT_H
#define TESSERA_IMAGE_EXTENT_H

#include <stddef.h>

enum image_container {
	IMAGE_JPEG,
	IMAGE_PNG,
	IMAGE_WEBP,
	IMAGE_BMFF,      /* HEIF, AVIF */
};

/* 0 when the len bytes at p are exactly one image of that container (as
 * above), -1 when the structure is broken or something follows it. */
int image_extent_exact(enum image_container c, const unsigned char *p,
    size_t len);

#endif
