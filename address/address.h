/*
 * address.h: postal addresses checked as GOV.UK Notify checks them.
 *
 * address_check() takes the raw text of an address (what a letter's address
 * window holds, or a mail-merge row), normalises its lines, and gives the
 * verdict of Notify's validator: valid or Notify's error code (first failing
 * rule wins, in Notify's order; LETTER-SPEC section 5), the normalised lines,
 * the formatted UK postcode, the BFPO number, the country and the postage
 * zone. It is pure computation on static tables: no state, no I/O, safe to
 * call from any number of threads.
 */
#ifndef LETTERKIT_ADDRESS_ADDRESS_H
#define LETTERKIT_ADDRESS_ADDRESS_H

#include <stddef.h>

#if defined(__GNUC__)
#define ADDRESS_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define ADDRESS_WARN_UNUSED
#endif

/** Postage zones: the UK, or the two international rates. */
enum address_zone {
	ADDRESS_ZONE_UNITED_KINGDOM,
	ADDRESS_ZONE_EUROPE,
	ADDRESS_ZONE_REST_OF_WORLD,
};

/* Notify's error codes, in the order its rules are checked. */
#define ADDRESS_ERR_EMPTY "address-is-empty"
#define ADDRESS_ERR_NOT_ENOUGH_LINES "not-enough-address-lines"
#define ADDRESS_ERR_TOO_MANY_LINES "too-many-address-lines"
#define ADDRESS_ERR_LINE_1_OR_2 "invalid-address-line-1-or-2"
#define ADDRESS_ERR_BFPO_COUNTRY "has-country-for-bfpo-address"
#define ADDRESS_ERR_POSTCODE "not-a-real-uk-postcode"
#define ADDRESS_ERR_INTERNATIONAL "cant-send-international-letters"
#define ADDRESS_ERR_POSTCODE_OR_COUNTRY "not-a-real-uk-postcode-or-country"
#define ADDRESS_ERR_INVALID_CHAR "invalid-char-in-address"
#define ADDRESS_ERR_NO_FIXED_ABODE "no-fixed-abode-address"
/* Ours, not Notify's: address_check() could not read the text at all. */
#define ADDRESS_ERR_NOT_UTF8 "not-valid-utf-8"
#define ADDRESS_ERR_NUL_BYTE "nul-byte-in-address"
#define ADDRESS_ERR_NO_MEMORY "out-of-memory"

/* Notify's limits on the number of normalised lines. */
#define ADDRESS_MIN_LINES 3
#define ADDRESS_MAX_LINES 7

/** The verdict on one address. Zero it before first use. */
struct address_result {
	int valid;
	const char *error;   /* static string: Notify's error code, NULL when valid */
	char *normalised;    /* malloc'd: normalised lines joined by '\n' */
	char *postcode;      /* malloc'd: formatted UK postcode ("SW1A 1AA") or NULL */
	char *bfpo;          /* malloc'd: BFPO number ("105") or NULL */
	char *country;       /* malloc'd: canonical country name ("United Kingdom" for UK addresses) */
	enum address_zone zone;
	int line_count;      /* number of normalised lines */
};

/**
 * Checks raw address text: lines separated by '\n' (and, as Python's
 * str.splitlines does, by "\r\n", '\r', '\v', '\f', U+001C-U+001E, U+0085,
 * U+2028, U+2029); any UTF-8. `len` bytes are read. A NUL byte is refused
 * (the result strings could not hold it). `allow_international` is Notify's
 * allow_international_letters.
 *
 * Fills *res, which must be zeroed or hold an earlier result (it is cleared
 * first); release it with address_result_clear(). Returns 0 with the verdict
 * in *res, or -1 when out of memory or the text is not valid UTF-8; then
 * res->valid is 0, res->error is ADDRESS_ERR_NO_MEMORY, ADDRESS_ERR_NOT_UTF8 or
 * ADDRESS_ERR_NUL_BYTE and the other fields are NULL.
 */
ADDRESS_WARN_UNUSED
int address_check(const char *raw, size_t len, int allow_international, struct address_result *res);

/** Frees the strings of *res and zeroes it. NULL-safe. */
void address_result_clear(struct address_result *res);

/** "united-kingdom", "europe" or "rest-of-world"; never NULL. */
const char *address_zone_name(enum address_zone zone);

/**
 * The zone of a result as written out: address_zone_name(res->zone), or
 * NULL when the text was never read (address_check() returned -1, or a
 * record had no address: res->normalised is NULL), for there is no zone.
 */
const char *address_result_zone(const struct address_result *res);

/**
 * Unicode NFKD (compatibility decomposition, canonical order) of UTF-8 text
 * into a new NUL-terminated string in *out, which the caller frees. The PDF
 * path applies it to text read from the address window, as Notify does (the
 * ligature "ﬀ" becomes "ff"). Returns 0, or -1 when out of memory or when
 * `in` is not valid UTF-8 (then *out is NULL).
 */
ADDRESS_WARN_UNUSED
int address_nfkd(const char *in, size_t len, char **out);

/**
 * A sentence for a person on what an error code means and how to fix the
 * address, e.g. for "not-enough-address-lines". Static; NULL for an unknown code.
 */
const char *address_error_message(const char *error);

/** The Unicode version of the character tables built in, e.g. "14.0.0". */
const char *address_unicode_version_string(void);

/*
 * Mail-merge columns to an address, as Notify's PostalAddress.from_personalisation
 * does it (notifications-utils): lines 1-6 from the columns address_line_1 ...
 * address_line_6, then line 7 from address_line_7 when the row has that column
 * (even empty), and from postcode only when it has not; a missing column is
 * an empty line, and empty lines are dropped by address_check(). Column names
 * match as Notify's InsensitiveDict matches them: any case, with spaces, '_'
 * and '-' ignored ("Address Line 1", "ADDRESS-LINE-1"). Of two columns that
 * match the same name the last one is read, as in Notify's dictionary.
 * As Notify's RecipientCSV, at least 3 of those columns are needed (of lines
 * 1-6 and postcode, or of lines 1-7). letterkit's own addition: without them
 * a row may hold the whole address, lines separated by line breaks, in one
 * column named address.
 */
#define ADDRESS_COLUMN_KEY_SIZE 64

/** The name as Notify matches columns: lower case, without ' ', '_' and '-' (cut to size - 1 bytes). */
void address_column_key(const char *name, char *key, size_t size);

/** Which columns hold the address: indexes into the row's fields, -1 for none. */
struct address_columns {
	long line[ADDRESS_MAX_LINES];   /* address_line_1 ... 6, then address_line_7 or postcode */
	long whole;                     /* the single `address` column, when none of the above */
};

/** Finds the address columns among n names. Returns 0, or -1 when there are too few (see above). */
int address_columns_find(const char *const *names, size_t n, struct address_columns *cols);

/**
 * The raw address of a row whose n values are in the order of the names
 * given to address_columns_find(): lines joined by '\n', for address_check().
 * A new string (free it), or NULL when out of memory.
 */
char *address_columns_join(const struct address_columns *cols, const char *const *values, size_t n);

/**
 * `letterkit address`: the command's main (cli.c). Returns the exit status:
 * 0 every address valid, 1 some invalid, 2 usage or input error.
 */
int address_main(int argc, char **argv);

#endif
