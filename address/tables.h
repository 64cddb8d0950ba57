/*
 * tables.h: the data tables gen-tables.py generates at build time (private).
 *
 * The country table and postcode zones come from address/data/ (Notify's
 * own lists); the character tables come from Python's unicodedata, because
 * Notify's validator is Python and we must agree with its idea of a space,
 * a letter, a digit and a lower-case letter. Every table is sorted for
 * bsearch(); the country keys by their UTF-8 bytes.
 */
#ifndef ADDRESS_TABLES_H
#define ADDRESS_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "address.h"

struct address_country {
	const char *key;        /* normalised key, see country.c */
	const char *name;       /* canonical name */
	enum address_zone zone;
};

struct address_range {
	uint32_t first, last;   /* inclusive */
};

struct address_map {
	uint32_t cp;
	const char *to;         /* UTF-8 */
};

struct address_decomp {
	uint32_t cp;
	uint16_t offset;        /* into address_nfkd_pool */
	uint8_t len;
};

struct address_ccc {
	uint32_t cp;
	uint8_t ccc;            /* canonical combining class, never 0 here */
};

extern const char address_unicode_version[];
extern const struct address_country address_countries[];
extern const size_t address_countries_len;
extern const size_t address_countries_max_key;               /* bytes */
extern const char *const address_postcode_zones[];
extern const size_t address_postcode_zones_len;
extern const struct address_range address_space_ranges[];    /* str.isspace */
extern const size_t address_space_ranges_len;
extern const struct address_range address_decimal_ranges[];  /* regex \d beyond ASCII; runs from 0 */
extern const size_t address_decimal_ranges_len;
extern const struct address_range address_digit_ranges[];    /* str.isdigit, beyond ASCII */
extern const size_t address_digit_ranges_len;
extern const struct address_map address_lower_map[];         /* str.lower, beyond ASCII */
extern const size_t address_lower_map_len;
extern const struct address_map address_upper_ascii_map[];   /* str.upper that gives ASCII */
extern const size_t address_upper_ascii_map_len;
extern const struct address_map address_ascii_map[];         /* Notify's ASCII downgrade */
extern const size_t address_ascii_map_len;
extern const struct address_decomp address_nfkd_map[];       /* full NFKD, not Hangul */
extern const size_t address_nfkd_map_len;
extern const uint32_t address_nfkd_pool[];
extern const struct address_ccc address_ccc_map[];
extern const size_t address_ccc_map_len;

#endif
