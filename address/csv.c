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

static int put(struct address_csv *c, char ch)
{
	if (c->len + 1 >= c->cap) {
		if (c->cap >= c->max_record)
			return -1;
		size_t cap = c->cap ? c->cap * 2 : 256;
		char *b = realloc(c->buf, cap);
		if (!b)
			return -1;
		c->buf = b;
		c->cap = cap;
	}
	c->buf[c->len++] = ch;
	return 0;
}

static int start_field(struct address_csv *c)
{
	if (c->nfields == c->fcap) {
		size_t cap = c->fcap ? c->fcap * 2 : 16;
		size_t *s = realloc(c->starts, cap * sizeof *s);
		if (!s)
			return -1;
		c->starts = s;
		char **f = realloc(c->fields, cap * sizeof *f);
		if (!f)
			return -1;
		c->fields = f;
		c->fcap = cap;
	}
	c->starts[c->nfields++] = c->len;
	return 0;
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
	c->record_line = c->line;
	ch = getc_unlocked(c->f);
	if (ch == EOF)
		return 0;
	if (start_field(c) < 0)
		goto too_big;
	int quoted = 0, after_quote = 0;
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
					if (put(c, '"') < 0)
						goto too_big;
					continue;
				}
				if (next != EOF)
					ungetc(next, c->f);
				quoted = 0;
				after_quote = 1;
				continue;
			}
			if (put(c, (char)ch) < 0)
				goto too_big;
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
			if (put(c, '\0') < 0 || start_field(c) < 0)
				goto too_big;
			after_quote = 0;
			continue;
		}
		/* A quote opens a quoted field only at its start, as spreadsheets write them. */
		if (ch == '"' && c->len == c->starts[c->nfields - 1] && !after_quote) {
			quoted = 1;
			continue;
		}
		if (put(c, (char)ch) < 0)
			goto too_big;
	}
	if (put(c, '\0') < 0)
		goto too_big;
	for (size_t i = 0; i < c->nfields; i++)
		c->fields[i] = c->buf + c->starts[i];
	*fields = c->fields;
	*nfields = c->nfields;
	return 1;
too_big:
	snprintf(err, errlen, "line %zu: record longer than %zu bytes", c->record_line, c->max_record);
	/* Skip to the end of the line so that the next record can be read. */
	while (ch != EOF && ch != '\n') {
		ch = getc_unlocked(c->f);
		if (ch == '\n')
			c->line++;
	}
	return -1;
}
