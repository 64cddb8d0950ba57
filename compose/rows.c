/* rows.c: rows of letter data from CSV or NDJSON. */
#include "rows.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "address.h"
#include "csv.h"
#include "lk_ndjson.h"

#define MAX_RECORD (1024u * 1024)
/*
 * Columns in the header, or fields in an NDJSON row. Each row's columns are
 * matched against every placeholder, so thousands of them would cost time
 * and memory on every letter; no letter needs that many.
 */
#define MAX_COLUMNS 1000

struct rows {
	enum rows_format format;
	const char *name;
	struct address_csv *csv;
	struct lk_ndjson_reader *nd;
	char **header;
	size_t nheader;
	/* the current NDJSON row */
	json_t *rec;
	const char **names, **values;
	char **owned;           /* values made from numbers */
	size_t n, cap;
};

static void clear_current(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->owned[i]);
	r->n = 0;
	json_decref(r->rec);
	r->rec = NULL;
}

void compose_rows_free(struct rows *r)
{
	if (!r)
		return;
	clear_current(r);
	for (size_t i = 0; i < r->nheader; i++)
		free(r->header[i]);
	free(r->header);
	free(r->names);
	free(r->values);
	free(r->owned);
	address_csv_free(r->csv);
	lk_ndjson_reader_free(r->nd);
	free(r);
}

static int read_header(struct rows *r, char *err, size_t errlen)
{
	char **fields;
	size_t n;
	char why[256];
	int rc = address_csv_next(r->csv, &fields, &n, why, sizeof why);
	if (rc <= 0) {
		snprintf(err, errlen, "%s:%zu: %s", r->name, address_csv_line(r->csv),
			 rc == 0 ? "empty: a header row is needed" : why);
		return -1;
	}
	if (n > MAX_COLUMNS) {
		snprintf(err, errlen, "%s:%zu: the header has %zu columns, more than compose's limit of %d",
			 r->name, address_csv_line(r->csv), n, MAX_COLUMNS);
		return -1;
	}
	struct address_columns cols;
	if (address_columns_find((const char *const *)fields, n, &cols) < 0) {
		snprintf(err, errlen, "%s:%zu: missing columns: the header needs at least 3 of Notify's address columns"
			 " (address_line_1 ... address_line_7, postcode), or one address column", r->name, address_csv_line(r->csv));
		return -1;
	}
	if (!(r->header = calloc(n, sizeof *r->header)))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!(r->header[r->nheader++] = strdup(fields[i])))
			return -1;
	return 0;
}

struct rows *compose_rows_new(FILE *f, const char *name, enum rows_format format, char *err, size_t errlen)
{
	struct rows *r = calloc(1, sizeof *r);
	if (!r)
		goto oom;
	r->format = format;
	r->name = name;
	if (format == ROWS_CSV) {
		if (!(r->csv = address_csv_new(f, MAX_RECORD)))
			goto oom;
		err[0] = '\0';
		if (read_header(r, err, errlen) < 0) {
			if (!err[0])
				goto oom;
			compose_rows_free(r);
			return NULL;
		}
	} else if (!(r->nd = lk_ndjson_reader_new(f, name, MAX_RECORD, NULL, 0))) {
		goto oom;
	}
	return r;
oom:
	snprintf(err, errlen, "%s: out of memory", name);
	compose_rows_free(r);
	return NULL;
}

static int csv_next(struct rows *r, struct compose_row *row, char *err, size_t errlen)
{
	char **fields;
	size_t n;
	char why[256];
	int rc;
	/* A blank row makes no letter, as in Notify and `address --csv`. */
	while ((rc = address_csv_next(r->csv, &fields, &n, why, sizeof why)) > 0 && address_csv_blank(fields, n))
		;
	if (rc == 0)
		return 0;
	row->number = address_csv_row(r->csv);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", r->name, why);
		return -1;
	}
	if (n != r->nheader) {
		snprintf(err, errlen, "%s: row %zu (line %zu) has %zu fields, the header has %zu", r->name,
			 row->number, address_csv_line(r->csv), n, r->nheader);
		return -1;
	}
	row->n = n;
	row->names = (const char *const *)r->header;
	row->values = (const char *const *)fields;
	return 1;
}

static int grow(struct rows *r, size_t n)
{
	if (n <= r->cap)
		return 0;
	size_t cap = r->cap ? r->cap * 2 : 32;
	while (cap < n)
		cap *= 2;
	const char **names = realloc(r->names, cap * sizeof *names);
	if (names)
		r->names = names;
	const char **values = realloc(r->values, cap * sizeof *values);
	if (values)
		r->values = values;
	char **owned = realloc(r->owned, cap * sizeof *owned);
	if (owned)
		r->owned = owned;
	if (!names || !values || !owned)
		return -1;
	r->cap = cap;
	return 0;
}

static int ndjson_next(struct rows *r, struct compose_row *row, char *err, size_t errlen)
{
	json_t *rec;
	clear_current(r);
	int rc = lk_ndjson_next(r->nd, &rec, err, errlen);
	if (rc == 0)
		return 0;
	row->number = lk_ndjson_line(r->nd);   /* an NDJSON row is a line */
	if (rc < 0)
		return -1;
	r->rec = rec;
	if (json_object_size(rec) > MAX_COLUMNS) {
		snprintf(err, errlen, "%s: line %zu: row %zu has %zu fields, more than compose's limit of %d", r->name,
			 lk_ndjson_line(r->nd), row->number, json_object_size(rec), MAX_COLUMNS);
		return -1;
	}
	if (grow(r, json_object_size(rec)) < 0) {
		snprintf(err, errlen, "%s: line %zu: out of memory", r->name, lk_ndjson_line(r->nd));
		return -1;
	}
	const char *key;
	json_t *v;
	json_object_foreach(rec, key, v) {
		r->names[r->n] = key;
		r->owned[r->n] = NULL;
		if (json_is_string(v)) {
			r->values[r->n] = json_string_value(v);
		} else if (json_is_number(v) || json_is_null(v) || json_is_boolean(v)) {
			r->owned[r->n] = json_is_null(v) ? strdup("") : json_dumps(v, JSON_ENCODE_ANY);
			if (!r->owned[r->n]) {
				snprintf(err, errlen, "%s: line %zu: out of memory", r->name, lk_ndjson_line(r->nd));
				return -1;
			}
			r->values[r->n] = r->owned[r->n];
		} else {
			snprintf(err, errlen, "%s: line %zu: row %zu: field \"%s\" must be a string or a number",
				 r->name, lk_ndjson_line(r->nd), row->number, key);
			return -1;
		}
		r->n++;
	}
	row->n = r->n;
	row->names = r->names;
	row->values = r->values;
	return 1;
}

int compose_rows_next(struct rows *r, struct compose_row *row, char *err, size_t errlen)
{
	return r->format == ROWS_CSV ? csv_next(r, row, err, errlen) : ndjson_next(r, row, err, errlen);
}

size_t compose_rows_header(const struct rows *r, const char *const **names)
{
	*names = (const char *const *)r->header;
	return r->nheader;
}
