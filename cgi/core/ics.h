/*
 * Writing iCalendar (RFC 5545) content lines: TEXT values escaped (3.3.11)
 * and lines folded at 75 octets without splitting a UTF-8 sequence (3.1),
 * each ended by CRLF.
 */
#ifndef TESSERA_ICS_H
#define TESSERA_ICS_H

#include "buf.h"

/* Writes "NAME:value" with value written as-is (for DATE-TIME, URI and
 * other values that are already in their iCalendar form). */
void ics_line(struct buf *out, const char *name, const char *value);
/* Writes "NAME:value" with value escaped as TEXT: backslash, semicolon,
 * comma and newline are escaped; other control characters dropped. */
void ics_text(struct buf *out, const char *name, const char *value);

#endif
