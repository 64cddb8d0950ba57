/* lk_ndjson.c: NDJSON records in and out. */
#include "lk_ndjson.h"

#include <stdlib.h>
#include <string.h>

struct lk_ndjson_reader {
	FILE *f;
	char *name;
	size_t max_line;
	size_t line_no;
	int truncated;   /* the line last read ended the stream without a newline */
	char *buf;
	size_t cap;
	const unsigned char *prefix;   /* bytes to read before f */
	size_t prefix_len, prefix_pos;
	unsigned char *prefix_copy;
};

struct lk_ndjson_reader *lk_ndjson_reader_new(FILE *f, const char *name, size_t max_line,
					      const void *prefix, size_t prefix_len)
{
	struct lk_ndjson_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->f = f;
	r->name = strdup(name);
	r->max_line = max_line;
	r->cap = 4096;
	r->buf = malloc(r->cap);
	if (prefix_len) {
		r->prefix_copy = malloc(prefix_len);
		if (r->prefix_copy)
			memcpy(r->prefix_copy, prefix, prefix_len);
		r->prefix = r->prefix_copy;
		r->prefix_len = prefix_len;
	}
	if (!r->name || !r->buf || (prefix_len && !r->prefix_copy)) {
		lk_ndjson_reader_free(r);
		return NULL;
	}
	return r;
}

void lk_ndjson_reader_free(struct lk_ndjson_reader *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->buf);
	free(r->prefix_copy);
	free(r);
}

int lk_ndjson_read_ahead(const struct lk_ndjson_reader *r)
{
	return r->prefix_pos < r->prefix_len;
}

size_t lk_ndjson_line(const struct lk_ndjson_reader *r)
{
	return r->line_no;
}

static int next_byte(struct lk_ndjson_reader *r)
{
	if (r->prefix_pos < r->prefix_len)
		return r->prefix[r->prefix_pos++];
	return getc_unlocked(r->f);   /* a reader owns its stream: no locking per byte */
}

/*
 * Reads one line into r->buf without its newline. Returns its length, -1 at
 * the end of the stream, or -2 when it was longer than max_line (the rest of
 * the line is consumed and dropped). *truncated is set when the stream ended
 * without a final newline.
 */
static long read_line(struct lk_ndjson_reader *r, int *truncated)
{
	size_t n = 0;
	int c, too_long = 0;
	*truncated = 0;
	while ((c = next_byte(r)) != EOF && c != '\n') {
		if (too_long)
			continue;
		/* Checked at every byte: a check only when the buffer doubles let lines
		 * of up to twice max_line through. */
		if (n >= r->max_line) {
			too_long = 1;
			continue;
		}
		if (n + 1 >= r->cap) {
			size_t cap = r->cap * 2 > r->max_line + 1 ? r->max_line + 1 : r->cap * 2;
			char *bigger = realloc(r->buf, cap);
			if (!bigger) {
				too_long = 1;
				continue;
			}
			r->buf = bigger;
			r->cap = cap;
		}
		r->buf[n++] = (char)c;
	}
	if (c == EOF && n == 0 && !too_long)
		return -1;
	if (c == EOF)
		*truncated = 1;
	r->buf[n] = '\0';
	return too_long ? -2 : (long)n;
}

int lk_ndjson_next_line(struct lk_ndjson_reader *r, const char **line, size_t *len, char *err,
			size_t errlen)
{
	for (;;) {
		int truncated;
		long n = read_line(r, &truncated);
		if (n == -1)
			return 0;
		r->line_no++;
		r->truncated = truncated;
		if (n == -2) {
			snprintf(err, errlen, "%s: line %zu: longer than %zu bytes", r->name, r->line_no,
				 r->max_line);
			return -1;
		}
		size_t l = (size_t)n;
		while (l && (r->buf[l - 1] == '\r' || r->buf[l - 1] == ' ' || r->buf[l - 1] == '\t'))
			l--;
		if (l == 0)
			continue;
		r->buf[l] = '\0';
		*line = r->buf;
		*len = l;
		return 1;
	}
}

int lk_ndjson_parse(const struct lk_ndjson_reader *r, const char *line, size_t len, json_t **rec,
		    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *v = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		snprintf(err, errlen, "%s: line %zu: %s%s", r->name, r->line_no,
			 r->truncated ? "truncated record: " : "not JSON: ", jerr.text);
		return -1;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		snprintf(err, errlen, "%s: line %zu: a record must be a JSON object", r->name, r->line_no);
		return -1;
	}
	*rec = v;
	return 1;
}

int lk_ndjson_next(struct lk_ndjson_reader *r, json_t **rec, char *err, size_t errlen)
{
	const char *line;
	size_t len;
	int got = lk_ndjson_next_line(r, &line, &len, err, errlen);
	if (got <= 0)
		return got;
	return lk_ndjson_parse(r, line, len, rec, err, errlen);
}

int lk_ndjson_write(FILE *out, const json_t *rec)
{
	if (json_dumpf(rec, out, LK_NDJSON_DUMP_FLAGS) != 0)
		return -1;
	if (putc('\n', out) == EOF || fflush(out) != 0)
		return -1;
	return 0;
}
