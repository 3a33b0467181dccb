#include "picture_files.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "media_store.h"

const int picture_sides[PICTURE__SIZE_MAX] = {
	[PICTURE_THUMB] = PICTURE_THUMB_SIDE,
	[PICTURE_PREVIEW] = PICTURE_PREVIEW_SIDE,
};

const char *const picture_encoding_ext[PICTURE__ENC_MAX] = {
	[PICTURE_ENC_WEBP] = "webp",
	[PICTURE_ENC_JPEG] = "jpg",
};

const char *
picture_file_key(struct arena *a, const char *key, enum picture_size size,
    enum picture_encoding enc)
{
	return arena_printf(a, "%s-%d.%s", key, picture_sides[size],
	    picture_encoding_ext[enc]);
}

int
picture_file_owner(const char *name, char *key, size_t n)
{
	const char *dash = strrchr(name, '-');
	size_t len;

	if (dash == NULL || (len = (size_t)(dash - name)) == 0 || len >= n)
		return 0;
	for (int s = 0; s < PICTURE__SIZE_MAX; s++)
		for (int e = 0; e < PICTURE__ENC_MAX; e++) {
			char tail[32];

			snprintf(tail, sizeof(tail), "-%d.%s", picture_sides[s],
			    picture_encoding_ext[e]);
			if (strcmp(dash, tail) == 0) {
				memcpy(key, name, len);
				key[len] = '\0';
				return 1;
			}
		}
	return 0;
}

void
picture_files_remove(struct arena *a, const struct media_store *ms,
    const char *key, int original)
{
	for (int s = 0; s < PICTURE__SIZE_MAX; s++)
		for (int e = 0; e < PICTURE__ENC_MAX; e++)
			media_remove(ms, MEDIA_PUBLIC, picture_file_key(a, key,
			    (enum picture_size)s, (enum picture_encoding)e));
	if (original)
		media_remove(ms, MEDIA_ORIGINALS, key);
}
