/*
 * csv.c: a streaming CSV reader (RFC 4180) for mail-merge address files.
 * A reader owns its stream, so bytes are read without stdio's locking.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "lk_text.h"

struct address_csv {
	FILE *f;
	size_t max_record;
	char *buf;               /* the fields of the record, NUL-separated */
	size_t len, cap;
	size_t *starts;          /* offset of each field in buf */
	char **fields;
	size_t nfields, fcap;
	size_t line, record_line;
	size_t row;              /* records read so far: the row last read, 1 for the header */
	char **header;           /* the first record's fields, to name columns in messages */
	size_t nheader;
	size_t nul_field;        /* 1 + the first field holding a NUL byte, 0 for none */
	int overflow;            /* the record went past max_record: its bytes are dropped */
	int started;             /* the byte-order mark has been looked for */
};

struct address_csv *address_csv_new(FILE *f, size_t max_record)
{
	struct address_csv *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->f = f;
	c->max_record = max_record;
	c->line = 1;
	return c;
}

void address_csv_free(struct address_csv *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nheader; i++)
		free(c->header[i]);
	free(c->header);
	free(c->buf);
	free(c->starts);
	free(c->fields);
	free(c);
}

size_t address_csv_line(const struct address_csv *c)
{
	return c->record_line;
}

size_t address_csv_row(const struct address_csv *c)
{
	return c->row;
}

/* "row 3 (line 4)": where the record last read is, in a spreadsheet and in an editor. */
static int where(const struct address_csv *c, char *err, size_t errlen)
{
	return snprintf(err, errlen, "row %zu (line %zu)", c->row, c->record_line);
}

/*
 * A NUL byte would end the field's text where it is (C strings), so the
 * letter would go to "Flat 9" instead of "Flat 9\0 Evil Tower": the
 * record is refused instead, naming the column.
 */
static void nul_error(const struct address_csv *c, char *err, size_t errlen)
{
	size_t col = c->nul_field;
	int n = where(c, err, errlen);
	if (n < 0 || (size_t)n >= errlen)
		return;
	if (col <= c->nheader && c->row > 1) {
		char name[200];
		snprintf(err + n, errlen - (size_t)n, ", column %zu (%s): ", col, lk_safe(c->header[col - 1], name, sizeof name));
	} else {
		snprintf(err + n, errlen - (size_t)n, ", column %zu: ", col);
	}
	size_t used = strlen(err);
	snprintf(err + used, errlen - used, "the field holds a NUL byte, which would cut its text short; "
		 "remove it from the file");
}

/* Keeps the first record's fields as the column names. -1 when out of memory. */
static int keep_header(struct address_csv *c)
{
	if (!(c->header = calloc(c->nfields ? c->nfields : 1, sizeof *c->header)))
		return -1;
	for (; c->nheader < c->nfields; c->nheader++)
		if (!(c->header[c->nheader] = strdup(c->fields[c->nheader])))
			return -1;
	return 0;
}

/*
 * Past max_record (or out of memory) a record is still read to its end, so
 * that a quoted field with line breaks in it is skipped whole, but its bytes
 * are dropped: c->overflow marks it, and it is reported once it ends.
 */
static void put(struct address_csv *c, char ch)
{
	if (c->overflow)
		return;

	if (c->len >= c->max_record) {
		c->overflow = 1;
		return;
	}
	if (c->len + 1 >= c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		char *b = realloc(c->buf, cap);
		if (!b) {
			c->overflow = 1;
			return;
		}
		c->buf = b;
		c->cap = cap;
	}
	c->buf[c->len++] = ch;
}

static void start_field(struct address_csv *c)
{
	if (c->overflow)
		return;
	if (c->nfields == c->fcap) {
		size_t cap = c->fcap ? c->fcap * 2 : 16;
		size_t *s = realloc(c->starts, cap * sizeof *s);
		if (s)
			c->starts = s;
		char **f = s ? realloc(c->fields, cap * sizeof *f) : NULL;
		if (!f) {
			c->overflow = 1;
			return;
		}
		c->fields = f;
		c->fcap = cap;
	}
	c->starts[c->nfields++] = c->len;
}

int address_csv_next(struct address_csv *c, char ***fields, size_t *nfields, char *err,
		     size_t errlen)
{
	int ch;
	if (!c->started) {
		c->started = 1;
		ch = getc_unlocked(c->f);
		if (ch == 0xEF) {
			int b2 = getc_unlocked(c->f), b3 = getc_unlocked(c->f);
			if (b2 != 0xBB || b3 != 0xBF) {
				snprintf(err, errlen, "row 1 (line 1): starts with a broken byte-order mark");
				return -1;
			}
		} else if (ch != EOF) {
			ungetc(ch, c->f);
		}
	}
	c->len = 0;
	c->nfields = 0;
	c->overflow = 0;
	c->nul_field = 0;
	c->record_line = c->line;
	ch = getc_unlocked(c->f);
	if (ch == EOF)
		return 0;
	c->row++;
	start_field(c);
	int quoted = 0, after_quote = 0, field_empty = 1;
	for (;; ch = getc_unlocked(c->f)) {
		if (ch == EOF) {
			if (quoted) {
				int n = where(c, err, errlen);
				snprintf(err + n, errlen - (size_t)n, ": a quoted field is never closed");
				return -1;
			}
			break;
		}
		if (ch == '\n')
			c->line++;
		if (ch == '\0' && !c->nul_field)
			c->nul_field = c->nfields;   /* 1-based: the field being read */
		if (quoted) {
			if (ch == '"') {
				int next = getc_unlocked(c->f);
				if (next == '"') {
					put(c, '"');
					continue;
				}
				if (next != EOF)
					ungetc(next, c->f);
				quoted = 0;
				after_quote = 1;
				continue;
			}
			put(c, (char)ch);
			continue;
		}
		if (ch == '\n')
			break;
		if (ch == '\r') {
			int next = getc_unlocked(c->f);
			if (next == '\n') {
				c->line++;
				break;
			}
			if (next != EOF)
				ungetc(next, c->f);
		}
		if (ch == ',') {
			put(c, '\0');
			start_field(c);
			after_quote = 0;
			field_empty = 1;
			continue;
		}
		/* A quote opens a quoted field only at its start, as spreadsheets write them. */
		if (ch == '"' && field_empty && !after_quote) {
			quoted = 1;
			continue;
		}
		put(c, (char)ch);
		field_empty = 0;
	}
	put(c, '\0');
	if (c->overflow) {
		int n = where(c, err, errlen);
		snprintf(err + n, errlen - (size_t)n, ": record longer than %zu bytes", c->max_record);
		return -1;
	}
	for (size_t i = 0; i < c->nfields; i++)
		c->fields[i] = c->buf + c->starts[i];
	if (c->nul_field) {
		nul_error(c, err, errlen);
		return -1;
	}
	if (c->row == 1 && keep_header(c) < 0) {
		snprintf(err, errlen, "row 1 (line 1): out of memory");
		return -1;
	}
	*fields = c->fields;
	*nfields = c->nfields;
	return 1;
}

int address_csv_blank(char *const *fields, size_t nfields)
{
	for (size_t i = 0; i < nfields; i++)
		if (fields[i][0])
			return 0;
	return 1;
}
