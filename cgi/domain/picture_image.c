#include "picture_image.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vips/vips.h>

#include "image_extent.h"
#include "log.h"
#include "util.h"

/* The file loaders allowed, by the name vips_foreign_find_load() gives,
 * and the container each one's files must fill exactly. */
static const struct {
	const char *loader;
	enum picture_format format;
	enum image_container container;
} loaders[] = {
	{ "VipsForeignLoadJpegFile", PICTURE_JPEG, IMAGE_JPEG },
	{ "VipsForeignLoadPngFile", PICTURE_PNG, IMAGE_PNG },
	{ "VipsForeignLoadWebpFile", PICTURE_WEBP, IMAGE_WEBP },
	{ "VipsForeignLoadHeifFile", PICTURE_HEIF, IMAGE_BMFF },
};

static const char *const probe_messages[] = {
	[PICTURE_OK] = "",
	[PICTURE_NOT_IMAGE] = "This file is not a picture we take: upload a "
	    "JPEG, PNG, WebP or HEIF/AVIF image.",
	[PICTURE_TOO_LARGE] = "This picture has too many pixels: at most 40 "
	    "megapixels, and no side over 16384.",
	[PICTURE_BROKEN] = "This picture could not be read: the file is "
	    "damaged or cut short.",
	[PICTURE_TRAILING] = "This file has something else after the picture "
	    "in it: upload the image alone.",
};

const char *
picture_probe_message(enum picture_probe p)
{
	return probe_messages[p];
}

int
picture_image_init(void)
{
	if (VIPS_INIT("tessera") != 0) {
		log_err("%s: %s", __func__, vips_error_buffer());
		vips_error_clear();
		return -1;
	}
	vips_block_untrusted_set(TRUE);
	/* One request or job at a time per process: no thread pool, and no
	 * cache of operations between them. */
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	return 0;
}

void
picture_image_shutdown(void)
{
	vips_shutdown();
}

/* Whether the file at path is exactly one image of container c. */
static int
file_extent_exact(const char *path, enum image_container c)
{
	struct stat st;
	void *map;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map != MAP_FAILED) {
			rc = image_extent_exact(c, map, (size_t)st.st_size);
			munmap(map, (size_t)st.st_size);
		}
	}
	close(fd);
	return rc;
}

/* Rows decoded at a time by decode_all. */
#define DECODE_STRIP_ROWS 64

/* Decodes every pixel of img, top to bottom, on the calling thread: a
 * region pulled strip by strip runs the loader here, where an operation
 * such as vips_avg would hand the work to libvips' thread pool, whose
 * threads a forked child does not have. Returns 0, or -1 when a pixel
 * could not be read. */
static int
decode_all(VipsImage *img)
{
	VipsRegion *reg = vips_region_new(img);
	VipsRect strip = { 0, 0, img->Xsize, 0 };
	int rc = 0;

	for (int y = 0; y < img->Ysize && rc == 0; y += DECODE_STRIP_ROWS) {
		strip.top = y;
		strip.height = img->Ysize - y < DECODE_STRIP_ROWS ?
		    img->Ysize - y : DECODE_STRIP_ROWS;
		rc = vips_region_prepare(reg, &strip);
	}
	g_object_unref(reg);
	return rc;
}

/* The probe itself, in the process that calls it. */
static enum picture_probe
probe_here(const char *path, struct picture_info *out)
{
	const char *name = vips_foreign_find_load(path);
	enum picture_probe rc = PICTURE_NOT_IMAGE;
	VipsImage *img = NULL;
	size_t i;

	vips_error_clear();
	if (name == NULL)
		return PICTURE_NOT_IMAGE;
	for (i = 0; i < ARRAY_LEN(loaders); i++)
		if (strcmp(name, loaders[i].loader) == 0)
			break;
	if (i == ARRAY_LEN(loaders))
		return PICTURE_NOT_IMAGE;
	if (file_extent_exact(path, loaders[i].container) != 0)
		return PICTURE_TRAILING;
	/* The header only: vips reads pixels when an operation asks. */
	img = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL,
	    "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	if (img == NULL) {
		rc = PICTURE_BROKEN;
		goto out;
	}
	if (img->Xsize > PICTURE_MAX_SIDE || img->Ysize > PICTURE_MAX_SIDE ||
	    (long long)img->Xsize * img->Ysize > PICTURE_MAX_PIXELS) {
		rc = PICTURE_TOO_LARGE;
		goto out;
	}
	/* Every pixel, so a file cut short or damaged is refused now, not
	 * found out by the worker. */
	if (decode_all(img) != 0) {
		rc = PICTURE_BROKEN;
		goto out;
	}
	out->format = loaders[i].format;
	out->width = img->Xsize;
	out->height = img->Ysize;
	rc = PICTURE_OK;
out:
	if (img != NULL)
		g_object_unref(img);
	vips_error_clear();
	return rc;
}

/* What the probe's process tells its parent, in one write to a pipe. */
struct probe_answer {
	enum picture_probe rc;
	struct picture_info info;
};

/* The longest a probe may take: a 40 MP picture decodes in a second or
 * two. A child that takes longer is stuck (a lock another thread of the
 * parent held as it forked) and is killed. */
#define PROBE_TIMEOUT_MS 30000

/* 1 once fd has something to read (the answer, or the end of a child
 * that died) within PROBE_TIMEOUT_MS. */
static int
probe_wait(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	while ((n = poll(&p, 1, PROBE_TIMEOUT_MS)) == -1 && errno == EINTR)
		continue;
	return n == 1;
}

/*
 * The probe runs in a child process forked for it. Decoding a picture is
 * the one thing a program's worker does that takes megabytes: libvips'
 * and the decoders' buffers, the pages of their code and data, and the
 * malloc arenas of any threads, which glibc keeps resident after they
 * end: a worker of tessera-app that decoded in place stayed at 19-22 MB
 * after uploads. The child takes all of that with it
 * when it exits, and a decoder that crashes on a hostile file kills the
 * child, not the worker. libvips is started once in the master
 * (picture_image_init), so the fork costs well under a millisecond
 * against the decoding's tens.
 */
enum picture_probe
picture_image_probe(const char *path, struct picture_info *out)
{
	struct probe_answer ans;
	sigset_t none;
	ssize_t got;
	pid_t pid;
	int fds[2], st = 0;

	if (pipe(fds) == -1) {
		log_err("%s: pipe: %s", __func__, strerror(errno));
		return PICTURE_BROKEN;
	}
	if ((pid = fork()) == -1) {
		log_err("%s: fork: %s", __func__, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return PICTURE_BROKEN;
	}
	if (pid == 0) {
		/* The worker blocks SIGTERM while it answers; the child is
		 * stopped as any process is. _exit: nothing of the worker's
		 * (its database connections, its FastCGI socket) is closed
		 * or flushed from here. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(fds[0]);
		memset(&ans, 0, sizeof(ans));
		ans.rc = probe_here(path, &ans.info);
		_exit(write(fds[1], &ans, sizeof(ans)) == (ssize_t)sizeof(ans) ?
		    0 : 1);
	}
	close(fds[1]);
	got = -1;
	if (probe_wait(fds[0]))
		do
			got = read(fds[0], &ans, sizeof(ans));
		while (got == -1 && errno == EINTR);
	else
		kill(pid, SIGKILL);
	close(fds[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		continue;
	if (got != (ssize_t)sizeof(ans) || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		/* A decoder that died on the file: it is not a picture we
		 * can read. */
		log_err("%s: the probe of %s %s %d", __func__, path,
		    WIFSIGNALED(st) ? "died of signal" : "exited with",
		    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		return PICTURE_BROKEN;
	}
	if (ans.rc == PICTURE_OK)
		*out = ans.info;
	return ans.rc;
}

/* Takes every piece of metadata off a copy of *img: the savers' "strip"
 * is not enough everywhere (webpsave of libvips 8.14.1 writes EXIF and
 * ICC anyway), and what is not there cannot be written. */
static int
drop_metadata(VipsImage **img)
{
	VipsImage *copy;
	gchar **names;

	if (vips_copy(*img, &copy, NULL) != 0)
		return -1;
	g_object_unref(*img);
	*img = copy;
	names = vips_image_get_fields(copy);
	/* Header fields (width, bands, ...) are not metadata: removing
	 * them does nothing. */
	for (gchar **n = names; *n != NULL; n++)
		vips_image_remove(copy, *n);
	g_strfreev(names);
	return 0;
}

/* VP8X flags of the chunks webp_strip drops. */
#define VP8X_ICC 0x20
#define VP8X_EXIF 0x08
#define VP8X_XMP 0x04

/*
 * Drops the ICCP, EXIF and XMP chunks of the WebP file in buf (len bytes)
 * in place, clears their flags and fixes the RIFF size: libvips 8.14.1
 * writes a small EXIF block (orientation, resolution) into every WebP,
 * strip or not. Returns the new length, or 0 when buf is not a WebP file
 * it understands.
 */
static size_t
webp_strip(unsigned char *buf, size_t len)
{
	size_t in = 12, out = 12;

	if (len < 12 || memcmp(buf, "RIFF", 4) != 0 ||
	    memcmp(buf + 8, "WEBP", 4) != 0)
		return 0;
	while (in + 8 <= len) {
		size_t n = (size_t)buf[in + 4] | (size_t)buf[in + 5] << 8 |
		    (size_t)buf[in + 6] << 16 | (size_t)buf[in + 7] << 24;
		size_t whole = 8 + n + (n & 1);

		if (whole > len - in)
			return 0;
		if (memcmp(buf + in, "ICCP", 4) != 0 &&
		    memcmp(buf + in, "EXIF", 4) != 0 &&
		    memcmp(buf + in, "XMP ", 4) != 0) {
			memmove(buf + out, buf + in, whole);
			if (memcmp(buf + out, "VP8X", 4) == 0 && n >= 1)
				buf[out + 8] &= ~(VP8X_ICC | VP8X_EXIF | VP8X_XMP);
			out += whole;
		}
		in += whole;
	}
	if (in != len)
		return 0;
	buf[4] = (unsigned char)(out - 8);
	buf[5] = (unsigned char)((out - 8) >> 8);
	buf[6] = (unsigned char)((out - 8) >> 16);
	buf[7] = (unsigned char)((out - 8) >> 24);
	return out;
}

/* Saves img as WebP into dst without any metadata chunk. */
static int
save_webp(VipsImage *img, const char *dst)
{
	void *buf = NULL;
	size_t len = 0, kept;
	FILE *f;
	int rc = -1;

	if (vips_webpsave_buffer(img, &buf, &len, "Q", 80, "strip", TRUE,
	    NULL) != 0)
		return -1;
	if ((kept = webp_strip(buf, len)) == 0) {
		vips_error("picture_image", "the WebP encoder wrote a file "
		    "that could not be stripped");
		goto out;
	}
	if ((f = fopen(dst, "wb")) == NULL) {
		vips_error("picture_image", "cannot write %s", dst);
		goto out;
	}
	if (fwrite(buf, 1, kept, f) == kept)
		rc = 0;
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		vips_error("picture_image", "cannot write %s", dst);
out:
	g_free(buf);
	return rc;
}

/* Replaces *img by next (taking its reference), or keeps *img and returns
 * -1 when the operation that made next failed. */
static int
step(VipsImage **img, int failed, VipsImage *next)
{
	if (failed)
		return -1;
	g_object_unref(*img);
	*img = next;
	return 0;
}

int
picture_image_derive(const char *src, int side,
    const char *const dst[PICTURE__ENC_MAX], int *width, int *height,
    char *err, size_t errlen)
{
	VipsImage *img = NULL, *next = NULL;
	int rc = -1;

	vips_error_clear();
	/* vips_thumbnail applies the EXIF orientation and shrinks while it
	 * decodes (JPEG's own downscaling), then turns the result into sRGB
	 * through the embedded profile if there is one. */
	if (vips_thumbnail(src, &img, side, "height", side, "size",
	    VIPS_SIZE_DOWN, "fail_on", VIPS_FAIL_ON_ERROR, NULL) != 0)
		goto out;
	if (img->Type != VIPS_INTERPRETATION_sRGB &&
	    img->Type != VIPS_INTERPRETATION_B_W &&
	    step(&img, vips_colourspace(img, &next, VIPS_INTERPRETATION_sRGB,
	    NULL) != 0, next) != 0)
		goto out;
	if (img->BandFmt != VIPS_FORMAT_UCHAR &&
	    step(&img, vips_cast_uchar(img, &next, NULL) != 0, next) != 0)
		goto out;
	if (drop_metadata(&img) != 0)
		goto out;
	/* Decoded once into memory: both encodings are made from it, not
	 * each from the file again. */
	next = vips_image_copy_memory(img);
	if (step(&img, next == NULL, next) != 0)
		goto out;
	if (save_webp(img, dst[PICTURE_ENC_WEBP]) != 0)
		goto out;
	if (vips_image_hasalpha(img)) {
		VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
		int failed = vips_flatten(img, &next, "background", white, NULL);

		vips_area_unref(VIPS_AREA(white));
		if (step(&img, failed != 0, next) != 0 ||
		    drop_metadata(&img) != 0)
			goto out;
	}
	if (vips_jpegsave(img, dst[PICTURE_ENC_JPEG], "Q", 82, "strip", TRUE,
	    "optimize_coding", TRUE, "interlace", TRUE, NULL) != 0)
		goto out;
	*width = img->Xsize;
	*height = img->Ysize;
	rc = 0;
out:
	if (rc != 0)
		snprintf(err, errlen, "%s", vips_error_buffer()[0] ?
		    vips_error_buffer() : "libvips failed");
	if (img != NULL)
		g_object_unref(img);
	vips_error_clear();
	return rc;
}
