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

#endif
