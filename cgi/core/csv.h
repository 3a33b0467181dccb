/*
 * CSV for spreadsheets (RFC 4180): fields separated by commas, rows ended
 * by CRLF, a field holding a comma, a double quote, CR or LF written in
 * double quotes with its quotes doubled. Files start with CSV_BOM, the
 * UTF-8 byte order mark, without which some spreadsheets read UTF-8 as
 * Latin-1.
 *
 * Every field is also neutralised against formula injection, as OWASP
 * recommends: text that begins with =, +, -, @, TAB or CR is taken for a
 * formula by spreadsheets (=HYPERLINK(...) in an attendee's name would be
 * a link in the organizer's sheet), so such a field gets a single quote
 * (') in front, which spreadsheets show as text. Nothing else is changed:
 * what a person typed comes back as typed, behind that quote at most.
 */
#ifndef TESSERA_CSV_H
#define TESSERA_CSV_H

#include <stddef.h>

struct buf;

#define CSV_BOM "\xef\xbb\xbf"

/* Appends text (NUL-terminated) as one field, neutralised and quoted as
 * needed. Never fails. */
void csv_field(struct buf *out, const char *text);
/* Appends the n fields of one row, separated by commas, and its CRLF. */
void csv_row(struct buf *out, const char *const *fields, size_t n);

#endif
