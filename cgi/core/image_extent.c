#include "image_extent.h"

#include <stdint.h>
#include <string.h>

/* JPEG nesting: a Multi-Picture file holds a handful of images. */
#define JPEG_MAX_CHAIN 8

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The offset just past the EOI of the JPEG stream at p, or 0 when the
 * stream is broken or has none. */
static size_t
jpeg_end(const unsigned char *p, size_t len)
{
	size_t pos = 2;

	if (len < 4 || p[0] != 0xFF || p[1] != 0xD8)
		return 0;
	while (pos < len) {
		unsigned m;

		if (p[pos] != 0xFF)
			return 0;
		while (pos < len && p[pos] == 0xFF)   /* fill bytes */
			pos++;
		if (pos == len)
			return 0;
		m = p[pos++];
		if (m == 0xD9)
			return pos;
		if (m == 0x00 || m == 0xD8)
			return 0;
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue;
		if (len - pos < 2)
			return 0;
		size_t seg = (size_t)p[pos] << 8 | p[pos + 1];

		if (seg < 2 || seg > len - pos)
			return 0;
		pos += seg;
		if (m != 0xDA)
			continue;
		/* Entropy-coded data runs to the next marker: 0xFF followed by
		 * anything but a stuffed zero or a restart marker. */
		while (pos + 1 < len && !(p[pos] == 0xFF && p[pos + 1] != 0x00 &&
		    !(p[pos + 1] >= 0xD0 && p[pos + 1] <= 0xD7)))
			pos++;
		if (pos + 1 >= len)
			return 0;
	}
	return 0;
}

static int
jpeg_exact(const unsigned char *p, size_t len)
{
	size_t pos = 0;

	for (int n = 0; n < JPEG_MAX_CHAIN; n++) {
		size_t end = jpeg_end(p + pos, len - pos);

		if (end == 0)
			return -1;
		pos += end;
		if (pos == len)
			return 0;
		if (len - pos >= 2 && p[pos] == 0xFF && p[pos + 1] == 0xD8)
			continue;
		while (pos < len && p[pos] == 0)
			pos++;
		return pos == len ? 0 : -1;
	}
	return -1;
}

static int
png_exact(const unsigned char *p, size_t len)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1A, '\n' };
	size_t pos = 8;

	if (len < 8 || memcmp(p, sig, 8) != 0)
		return -1;
	while (len - pos >= 12) {
		uint32_t n = be32(p + pos);

		if (n > len - pos - 12)
			return -1;
		if (memcmp(p + pos + 4, "IEND", 4) == 0)
			return pos + 12 + n == len ? 0 : -1;
		pos += 12 + (size_t)n;
	}
	return -1;
}

static int
webp_exact(const unsigned char *p, size_t len)
{
	uint32_t n;

	if (len < 12 || memcmp(p, "RIFF", 4) != 0 ||
	    memcmp(p + 8, "WEBP", 4) != 0)
		return -1;
	n = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
	    (uint32_t)p[7] << 24;
	return (size_t)n + 8 == len ? 0 : -1;
}

static int
bmff_exact(const unsigned char *p, size_t len)
{
	size_t pos = 0;

	if (len < 8 || memcmp(p + 4, "ftyp", 4) != 0)
		return -1;
	while (pos < len) {
		uint64_t n;
		size_t head = 8;

		if (len - pos < 8)
			return -1;
		n = be32(p + pos);
		if (n == 0)          /* the last box, to the end of the file */
			return 0;
		if (n == 1) {
			if (len - pos < 16)
				return -1;
			n = (uint64_t)be32(p + pos + 8) << 32 | be32(p + pos + 12);
			head = 16;
		}
		if (n < head || n > len - pos)
			return -1;
		pos += (size_t)n;
	}
	return 0;
}

int
image_extent_exact(enum image_container c, const unsigned char *p, size_t len)
{
	switch (c) {
	case IMAGE_JPEG:
		return jpeg_exact(p, len);
	case IMAGE_PNG:
		return png_exact(p, len);
	case IMAGE_WEBP:
		return webp_exact(p, len);
	case IMAGE_BMFF:
		return bmff_exact(p, len);
	}
	return -1;
}
