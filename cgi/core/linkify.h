/*
 * Web addresses in plain text, so that a page can make them clickable
 * while escaping everything else: an organizer writes "Tickets at the
 * door; parking: https://example.org/parking." and the page links exactly
 * "https://example.org/parking".
 *
 * An address starts with "http://" or "https://" (the scheme in any case)
 * not glued to a letter or digit before it, has a host that starts with a
 * letter, a digit or a non-ASCII character, and runs to the first white
 * space, control character or one of < > " ` { } | \ ^. Punctuation that
 * ends a sentence (. , ; : ! ? ' *) is not part of it, nor is a closing
 * ) or ] that has no opening one in the address, so "(see
 * https://example.org/a_(b))." links "https://example.org/a_(b)". Nothing
 * else is an address: no "www." without a scheme, no javascript:, data:
 * or mailto:.
 */
#ifndef TESSERA_LINKIFY_H
#define TESSERA_LINKIFY_H

#include <stddef.h>

/* The first address in s: returns its offset in s and sets *len to its
 * length in bytes; without one, returns strlen(s) and sets *len to 0. */
size_t linkify_find(const char *s, size_t *len);

#endif
