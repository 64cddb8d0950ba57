/*
 * csv.c: a streaming CSV reader (RFC 4180) for mail-merge address files.
 * A reader owns its stream, so bytes are read without stdio's locking.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

struct address_csv {
	FILE *f;
	size_t max_record;
	char *buf;               /* the fields of the record, NUL-separated */
	size_t len, cap;
	size_t *starts;          /* offset of each field in buf */
	char **fields;
	size_t nfields, fcap;
	size_t line, record_line;
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
	free(c->buf);
	free(c->starts);
	free(c->fields);
	free(c);
}

size_t address_csv_line(const struct address_csv *c)
{
	return c->record_line;
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
				snprintf(err, errlen, "line 1: starts with a broken byte-order mark");
				return -1;
			}
		} else if (ch != EOF) {
			ungetc(ch, c->f);
		}
	}
	c->len = 0;
	c->nfields = 0;
	c->overflow = 0;
	c->record_line = c->line;
	ch = getc_unlocked(c->f);
	if (ch == EOF)
		return 0;
	start_field(c);
	int quoted = 0, after_quote = 0, field_empty = 1;
	for (;; ch = getc_unlocked(c->f)) {
		if (ch == EOF) {
			if (quoted) {
				snprintf(err, errlen, "line %zu: a quoted field is never closed", c->record_line);
				return -1;
			}
			break;
		}
		if (ch == '\n')
			c->line++;
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
		snprintf(err, errlen, "line %zu: record longer than %zu bytes", c->record_line, c->max_record);
		return -1;
	}
	for (size_t i = 0; i < c->nfields; i++)
		c->fields[i] = c->buf + c->starts[i];
	*fields = c->fields;
	*nfields = c->nfields;
	return 1;
}
