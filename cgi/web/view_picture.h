/*
 * What the pages show of a picture: its title, author, event, likes,
 * price and licence, and its images as <picture> sources (WebP, with JPEG
 * for browsers without it), with srcset, sizes and the width and height
 * of the derived files so nothing moves while they load. The derived
 * files are served by nginx under MEDIA_URL_PREFIX, named as
 * picture_derive.h makes them.
 */
#ifndef TESSERA_VIEW_PICTURE_H
#define TESSERA_VIEW_PICTURE_H

#include "picture_files.h"

struct arena;
struct picture;
struct tmpl_value;

#define MEDIA_URL_PREFIX "/media/"

/*
 * An object: id, url (/pictures/ID), title, description, author,
 * author_url, event_title, event_url (when it has an event), likes,
 * likes_text ("3 likes"), price ("Free" or "€4.00"), free, licence,
 * processing, failed, ready, created, created_iso; when ready also thumb
 * { webp, jpeg, srcset_webp, srcset_jpeg, width, height } for cards and
 * preview { the same } for its own page. Arena-owned.
 */
struct tmpl_value *view_picture(struct arena *a, const struct picture *p);

/* The sources of one shown size of the picture stored as key: the file
 * of that size as src (webp, jpeg), both sizes in srcset (of their
 * widths), so a wide screen or a dense one takes the larger, and width
 * and height. Arena-owned. */
struct tmpl_value *view_picture_sources(struct arena *a, const char *key,
    enum picture_size size, long long thumb_width, long long preview_width,
    long long width, long long height);

#endif
