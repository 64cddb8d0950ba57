/*
 * address-imp.h: what the files of the address module share (private).
 *
 * An address is worked on as an array of code points, because Notify's
 * rules are Python string operations; lines are spans of that array.
 */
#ifndef ADDRESS_ADDRESS_IMP_H
#define ADDRESS_ADDRESS_IMP_H

#include <stddef.h>
#include <stdint.h>

#include "tables.h"

struct address_line {
	const uint32_t *cp;
	size_t len;
};

/*
 * normalise.c: splits cps[0..n) into lines as Python's str.splitlines() does
 * and normalises each in place as Notify does (LETTER-SPEC 5): zero-width
 * characters go, other whitespace runs become one space, ends are trimmed,
 * trailing spaces and commas go, and spaces before ',' and '.' go. Empty lines
 * are dropped. `lines` needs room for address_line_slots(cps, n) entries.
 * Returns the number of lines kept.
 */
size_t address_line_slots(const uint32_t *cps, size_t n);
size_t address_normalise_lines(uint32_t *cps, size_t n, struct address_line *lines);

/*
 * country.c: the country a line names, as Notify's Country(line) finds it,
 * or NULL. A line with a digit is never a country.
 */
const struct address_country *address_country_lookup(const uint32_t *cp, size_t len);

/* Whether a country entry is the United Kingdom. */
int address_country_is_uk(const struct address_country *c);

/*
 * postcode.c: when the line is a real UK postcode, writes it formatted for
 * printing ("SW1A 1AA", NUL-terminated) to out and returns 1; else 0.
 */
#define ADDRESS_POSTCODE_MAX 10
int address_postcode_format(const uint32_t *cp, size_t len, char out[ADDRESS_POSTCODE_MAX]);

/*
 * postcode.c: whether the line is a BFPO line ("BFPO 105", "bfpo c/o 61",
 * or "BFPO" alone). Returns 0 if not, 1 if a BFPO line without a number,
 * 2 with one, whose digits (any Unicode decimal digits) are *digits, *ndigits.
 */
int address_bfpo_match(const uint32_t *cp, size_t len, const uint32_t **digits, size_t *ndigits);

#endif
