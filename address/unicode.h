/*
 * unicode.h: UTF-8 and the character classes the address rules need (private).
 *
 * The rules work on code points, as Notify's Python does; these helpers
 * answer Python's questions (str.isspace, str.isdigit, str.lower, ...) from
 * the generated tables, with a fast path for ASCII.
 */
#ifndef ADDRESS_UNICODE_H
#define ADDRESS_UNICODE_H

#include <stddef.h>
#include <stdint.h>

/* UTF-8 itself is lk_utf8.h's (lk_utf8_decode, lk_utf8_put). */
#include "lk_utf8.h"

/* Bytes needed to encode cps[0..n) as UTF-8. */
size_t address_utf8_size(const uint32_t *cps, size_t n);

/* Python's str.isspace(). */
int address_uc_space(uint32_t cp);

/* Python's str.isdigit() (includes superscripts and other digit signs). */
int address_uc_digit(uint32_t cp);

/* The value of a decimal digit as Python's regex \d and int() see it, or -1. */
int address_uc_decimal(uint32_t cp);

/*
 * Python's str.lower() of one character, as UTF-8: NULL when the character is
 * its own lower case. ASCII is handled here too.
 */
const char *address_uc_lower(uint32_t cp, char ascii_buf[2]);

/*
 * Notify's ASCII downgrade of one character (printable ASCII as itself, "é"
 * as "e", "’" as "'"): NULL when there is none (Notify's "?").
 */
const char *address_uc_ascii(uint32_t cp, char ascii_buf[2]);

/* Python's str.upper() of a non-ASCII character when that is ASCII ("ß" -> "SS"), else NULL. */
const char *address_uc_upper_ascii(uint32_t cp);

/*
 * The ASCII letter that cp matches under Python's re.IGNORECASE ('a'..'z'),
 * or 0. Besides ASCII, four characters fold to ASCII letters: U+0130 and
 * U+0131 (i), U+017F (s) and U+212A KELVIN SIGN (k).
 */
int address_uc_fold_ascii(uint32_t cp);

#endif
