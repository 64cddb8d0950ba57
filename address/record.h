/*
 * record.h: NDJSON address records without a JSON library on the common path.
 *
 * `letterkit address --ndjson` must check a few hundred thousand records a
 * second, and parsing each into a jansson tree and printing it back costs
 * more than the check itself. A record is a line of JSON; most are small
 * flat objects. address_record_scan() validates such a line and finds its
 * "address" and "international" members; the record is then written back as
 * the same bytes with the verdict's members spliced in before the final '}'.
 * Anything unusual (a member the verdict would overwrite, escaped keys, a
 * number jansson might refuse, deep nesting, invalid JSON) is left to the
 * full parser, so the output and the errors are the same either way.
 */
#ifndef ADDRESS_RECORD_H
#define ADDRESS_RECORD_H

#include <stddef.h>

#include "address.h"
#include "lk_buf.h"

/* Appends s (NULL: null) as a JSON string, escaped as jansson escapes it. */
void address_json_string(struct lk_buf *b, const char *s);

struct address_record {
	struct lk_buf address;        /* the "address" string, decoded, NUL-terminated */
	int has_address;
	int international;            /* -1 absent, else 0 or 1 */
	size_t close;                 /* offset of the object's final '}' */
	int empty;                    /* the object has no members */
};

/*
 * Scans line[0..len). Returns 1 when the fast path applies (fields of *rec
 * set), 0 when the line must go to the full parser, -1 when out of memory.
 */
int address_record_scan(const char *line, size_t len, struct address_record *rec);

/*
 * Appends the record line[0..len) with the verdict's members added
 * ("valid", "error", "normalised", "postcode", "bfpo", "zone", "country")
 * and a newline to out. Returns 0, or -1 when out of memory.
 */
int address_record_write(const char *line, const struct address_record *rec,
			 const struct address_result *r, struct lk_buf *out);

/* The members the verdict adds, in the order they are written. */
extern const char *const address_record_members[7];

#endif
