/*
 * Unit tests for picture_image.c and image_extent.c: what an upload is
 * comes from decoding it (a PNG named .jpg is a PNG, an SVG is nothing we
 * take); a file with something after the image (a ZIP or HTML appended to
 * a JPEG), a file cut short and a header announcing too many pixels are
 * refused; the camera's broken files end cleanly; and every derived file
 * of a photo with GPS coordinates, read back from disk, has no metadata
 * at all and is turned upright by its EXIF orientation.
 *
 * The photos are /work/shared/exif-samples (EXIF_SAMPLES overrides).
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vips/vips.h>
#include <zlib.h>

#include "image_extent.h"
#include "picture_image.h"
#include "tap.h"

static char dir[] = "/tmp/test_picture_image.XXXXXX";
static const char *samples;

static char *
sample(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", samples, rel);
	return path;
}

/* The whole file at path, malloc'd, into *len. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

/* Writes a file in the scratch folder: head (hlen bytes) then tail. */
static const char *
spit(const char *name, const void *head, size_t hlen, const void *tail,
    size_t tlen)
{
	static char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	fwrite(head, 1, hlen, f);
	if (tlen)
		fwrite(tail, 1, tlen, f);
	fclose(f);
	return path;
}

/* Appends a PNG chunk of type and data to out at *pos, with its CRC. */
static void
png_chunk(unsigned char *out, size_t *pos, const char *type,
    const unsigned char *data, size_t n)
{
	uLong crc;

	out[*pos] = (unsigned char)(n >> 24);
	out[*pos + 1] = (unsigned char)(n >> 16);
	out[*pos + 2] = (unsigned char)(n >> 8);
	out[*pos + 3] = (unsigned char)n;
	memcpy(out + *pos + 4, type, 4);
	if (n)
		memcpy(out + *pos + 8, data, n);
	crc = crc32(0L, out + *pos + 4, (uInt)(n + 4));
	*pos += 8 + n;
	out[*pos] = (unsigned char)(crc >> 24);
	out[*pos + 1] = (unsigned char)(crc >> 16);
	out[*pos + 2] = (unsigned char)(crc >> 8);
	out[*pos + 3] = (unsigned char)crc;
	*pos += 4;
}

/* A valid little PNG of side x side grey pixels, all zero. Returns its
 * length in out (at least 128 bytes). */
static size_t
png_bomb(unsigned char *out, unsigned side)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1A, '\n' };
	unsigned char ihdr[13] = { 0 }, rows[64] = { 0 }, idat[64];
	uLongf zlen = sizeof(idat);
	size_t pos = 8;

	memcpy(out, sig, 8);
	ihdr[0] = (unsigned char)(side >> 24);
	ihdr[1] = (unsigned char)(side >> 16);
	ihdr[2] = (unsigned char)(side >> 8);
	ihdr[3] = (unsigned char)side;
	memcpy(ihdr + 4, ihdr, 4);
	ihdr[8] = 8;                 /* bit depth; colour type 0: grey */
	png_chunk(out, &pos, "IHDR", ihdr, sizeof(ihdr));
	compress(idat, &zlen, rows, sizeof(rows));
	png_chunk(out, &pos, "IDAT", idat, zlen);
	png_chunk(out, &pos, "IEND", NULL, 0);
	return pos;
}

static enum picture_probe
probe(const char *path, struct picture_info *info)
{
	struct picture_info dummy;

	return picture_image_probe(path, info ? info : &dummy);
}

static void
test_types(void)
{
	struct picture_info info;
	VipsImage *img;
	char png[4096];

	is_int(probe(sample("jpg/gps/DSCN0010.jpg"), &info), PICTURE_OK,
	    "a camera JPEG is a picture");
	is_int(info.format, PICTURE_JPEG, "... a JPEG");
	ok(info.width == 640 && info.height == 480, "... of 640 x 480");

	/* A PNG named .jpg: its bytes say PNG. */
	snprintf(png, sizeof(png), "%s/really-a-png.jpg", dir);
	img = vips_image_new_from_file(sample("jpg/gps/DSCN0010.jpg"), NULL);
	vips_pngsave(img, png, NULL);
	g_object_unref(img);
	is_int(probe(png, &info), PICTURE_OK, "a PNG named .jpg is taken");
	is_int(info.format, PICTURE_PNG, "... as the PNG it is");

	if (vips_type_find("VipsOperation", "heifload") != 0) {
		is_int(probe(sample("heic/samplefilehub.heif"), &info),
		    PICTURE_OK, "a HEIF photo is a picture");
		is_int(info.format, PICTURE_HEIF, "... a HEIF");
	}

	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"10\" height=\"10\"><script>alert(1)</script></svg>";
	is_int(probe(spit("x.svg", svg, sizeof(svg) - 1, NULL, 0), NULL),
	    PICTURE_NOT_IMAGE, "an SVG is not a picture we take");
	static const char html[] = "<!doctype html><p>hello";
	is_int(probe(spit("x.jpg", html, sizeof(html) - 1, NULL, 0), NULL),
	    PICTURE_NOT_IMAGE, "an HTML page named .jpg is not a picture");
	is_int(probe(spit("empty.jpg", "", 0, NULL, 0), NULL),
	    PICTURE_NOT_IMAGE, "an empty file is not a picture");
}

static void
test_hostile(void)
{
	unsigned char *jpg;
	size_t len;

	jpg = slurp(sample("jpg/gps/DSCN0010.jpg"), &len);
	ok(jpg != NULL, "the GPS sample reads");
	if (jpg == NULL)
		return;
	static const char zip[] = "PK\003\004\024\000\000\000\010\000evil.html";
	static const char html[] = "<html><script>alert(1)</script></html>";
	is_int(probe(spit("zip.jpg", jpg, len, zip, sizeof(zip) - 1), NULL),
	    PICTURE_TRAILING, "a JPEG with a ZIP appended is refused");
	is_int(probe(spit("html.jpg", jpg, len, html, sizeof(html) - 1), NULL),
	    PICTURE_TRAILING, "a JPEG with HTML appended is refused");
	is_int(probe(spit("html2.jpg", jpg, len, "\xff\xd9", 2), NULL),
	    PICTURE_TRAILING, "... also when it ends in another EOI");
	ok(probe(spit("cut.jpg", jpg, len / 2, NULL, 0), NULL) != PICTURE_OK,
	    "a JPEG cut in half is refused");
	is_int(probe(spit("padded.jpg", jpg, len, "\0\0\0\0", 4), NULL),
	    PICTURE_OK, "zero padding after the EOI is allowed");
	is_int(image_extent_exact(IMAGE_JPEG, jpg, len), 0,
	    "the extent of the JPEG is the whole file");
	free(jpg);

	/* A PNG whose header says 30000 x 30000 (its one IDAT a few zero
	 * bytes, which would inflate to 2.7 GB of rows): refused from the
	 * header, before any pixel. */
	unsigned char bomb[128];
	size_t blen = png_bomb(bomb, 30000);

	is_int(probe(spit("bomb.png", bomb, blen, NULL, 0), NULL),
	    PICTURE_TOO_LARGE, "a PNG announcing 900 megapixels is refused");
	is_int(image_extent_exact(IMAGE_PNG, bomb, blen), 0,
	    "the PNG's chunks end at its IEND");
	is_int(image_extent_exact(IMAGE_PNG, bomb, blen - 1), -1,
	    "a PNG cut in its IEND is broken");

	static const unsigned char webp[] = { 'R', 'I', 'F', 'F', 4, 0, 0, 0,
	    'W', 'E', 'B', 'P', 'x' };
	is_int(image_extent_exact(IMAGE_WEBP, webp, 12), 0,
	    "a RIFF as long as it says is whole");
	is_int(image_extent_exact(IMAGE_WEBP, webp, 13), -1,
	    "a byte after the RIFF is refused");
}

static void
test_broken_samples(void)
{
	DIR *d = opendir(sample("jpg/invalid"));
	struct dirent *e;
	int n = 0, clean = 1;

	while (d != NULL && (e = readdir(d)) != NULL) {
		struct picture_info info;
		char path[4400], out[2][4096], err[256];
		const char *const dst[PICTURE__ENC_MAX] = { out[0], out[1] };
		int w, h;

		if (strstr(e->d_name, ".jpg") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", sample("jpg/invalid"),
		    e->d_name);
		snprintf(out[0], sizeof(out[0]), "%s/broken.webp", dir);
		snprintf(out[1], sizeof(out[1]), "%s/broken.jpg", dir);
		n++;
		/* Either refused, or readable all the way through. */
		if (probe(path, &info) == PICTURE_OK &&
		    picture_image_derive(path, 400, dst, &w, &h, err,
		    sizeof(err)) != 0) {
			printf("# %s passed the probe, then failed: %s\n", e->d_name,
			    err);
			clean = 0;
		}
	}
	if (d != NULL)
		closedir(d);
	ok(n > 0 && clean, "the %d broken samples are refused or decoded whole",
	    n);
}

/* Whether the derived file at path carries any metadata: libvips' view
 * of it, and the bytes themselves. */
static int
has_metadata(const char *path)
{
	static const char *const fields[] = { "exif-data", "xmp-data",
	    "iptc-data", "icc-profile-data", "orientation" };
	static const char *const marks[] = { "Exif", "GPS", "http://ns.adobe",
	    "Photoshop 3.0", "ICC_PROFILE", "NIKON", "DSCN" };
	VipsImage *img = vips_image_new_from_file(path, NULL);
	unsigned char *buf;
	size_t len;
	int found = img == NULL;

	for (size_t i = 0; img != NULL && i < sizeof(fields) / sizeof(*fields);
	    i++)
		if (vips_image_get_typeof(img, fields[i]) != 0) {
			printf("# %s: has %s\n", path, fields[i]);
			found = 1;
		}
	if (img != NULL)
		g_object_unref(img);
	buf = slurp(path, &len);
	for (size_t i = 0; buf != NULL && i < sizeof(marks) / sizeof(*marks);
	    i++)
		if (memmem(buf, len, marks[i], strlen(marks[i])) != NULL) {
			printf("# %s: has the bytes \"%s\"\n", path, marks[i]);
			found = 1;
		}
	free(buf);
	return found;
}

static void
test_derive(void)
{
	static const int sides[] = { 400, 1600 };
	char out[2][4096], err[256];
	const char *const dst[PICTURE__ENC_MAX] = { out[0], out[1] };
	int w, h;

	for (size_t s = 0; s < 2; s++) {
		for (int e = 0; e < PICTURE__ENC_MAX; e++)
			snprintf(out[e], sizeof(out[e]), "%s/gps-%d.%s", dir,
			    sides[s], picture_encoding_ext[e]);
		is_int(picture_image_derive(sample("jpg/gps/DSCN0010.jpg"),
		    sides[s], dst, &w, &h, err, sizeof(err)), 0,
		    "the GPS photo at %d, as WebP and JPEG", sides[s]);
		ok(w == (sides[s] == 400 ? 400 : 640) &&
		    h == (sides[s] == 400 ? 300 : 480),
		    "... %d x %d: fitted, never enlarged", w, h);
		for (int e = 0; e < PICTURE__ENC_MAX; e++)
			ok(!has_metadata(out[e]), "... read back, the %s has no "
			    "EXIF, GPS, XMP, IPTC or ICC", picture_encoding_ext[e]);
	}

	/* Stored 600 x 450 with orientation 6 (turn 90 degrees): upright it
	 * is 450 x 600. */
	for (int e = 0; e < PICTURE__ENC_MAX; e++)
		snprintf(out[e], sizeof(out[e]), "%s/upright.%s", dir,
		    picture_encoding_ext[e]);
	is_int(picture_image_derive(sample("jpg/orientation/portrait_6.jpg"),
	    400, dst, &w, &h, err, sizeof(err)), 0,
	    "a photo with orientation 6");
	ok(w == 300 && h == 400, "... comes out upright: %d x %d", w, h);
}

int
main(void)
{
	samples = getenv("EXIF_SAMPLES");
	if (samples == NULL)
		samples = "/work/shared/exif-samples";
	if (mkdtemp(dir) == NULL || picture_image_init() != 0) {
		printf("Bail out! no scratch folder or no libvips\n");
		return 1;
	}
	test_types();
	test_hostile();
	test_broken_samples();
	test_derive();

	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return done_testing();
}
