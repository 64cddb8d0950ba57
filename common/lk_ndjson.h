/*
 * lk_ndjson.h: NDJSON records in and out, the pipes between stages.
 *
 * Every stage reads one JSON object per line and writes each record back
 * with its own object added. A bad line (too long, truncated, not JSON,
 * not an object, invalid UTF-8) is reported on its own and the stream goes
 * on with the next line.
 */
#ifndef LK_NDJSON_H
#define LK_NDJSON_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#define LK_NDJSON_MAX_LINE (16u * 1024 * 1024)

struct lk_ndjson_reader;

/**
 * A reader of `f` (not closed by the reader), named `name` in messages.
 * Lines longer than max_line bytes are rejected. `prefix` (may be NULL) holds
 * bytes already read from f that come first. Returns NULL when out of memory.
 * Free with lk_ndjson_reader_free().
 */
struct lk_ndjson_reader *lk_ndjson_reader_new(FILE *f, const char *name, size_t max_line,
					      const void *prefix, size_t prefix_len);
void lk_ndjson_reader_free(struct lk_ndjson_reader *r);

/**
 * Reads the next record. Returns 1 with a new reference in *rec (the caller
 * must json_decref it), 0 at the end of the stream, or -1 for a bad line,
 * with a message naming the stream and line in err; call again to go on.
 * Blank lines are skipped.
 */
int lk_ndjson_next(struct lk_ndjson_reader *r, json_t **rec, char *err, size_t errlen);

/**
 * As lk_ndjson_next, in two steps, for a stage that looks at the bytes of a
 * record before (or instead of) parsing it. lk_ndjson_next_line() returns 1
 * with the next non-blank line in *line (NUL-terminated, trailing blanks
 * trimmed; valid until the next call), 0 at the end, or -1 for a line that is
 * too long (message in err). lk_ndjson_parse() parses such a line as
 * lk_ndjson_next would, with the same messages.
 */
int lk_ndjson_next_line(struct lk_ndjson_reader *r, const char **line, size_t *len, char *err,
			size_t errlen);
int lk_ndjson_parse(const struct lk_ndjson_reader *r, const char *line, size_t len, json_t **rec,
		    char *err, size_t errlen);

/** 1 when bytes read ahead (the prefix) are still to be given: the next read starts without waiting. */
int lk_ndjson_read_ahead(const struct lk_ndjson_reader *r);

/** The 1-based number of the line last read. */
size_t lk_ndjson_line(const struct lk_ndjson_reader *r);

/*
 * How records are printed: compact, and reals as jansson prints them by
 * default, which reads back as the same double (12.34 stays "12.34").
 * JSON_REAL_PRECISION(10), as before, rounded other stages' values:
 * 1732345678.901 came out as 1732345679.0 (found by fuzz/fuzz-ndjson.c).
 */
#define LK_NDJSON_DUMP_FLAGS JSON_COMPACT

/**
 * Writes `rec` as one compact line and flushes, so the next stage of a pipe
 * sees each record at once. Returns 0, or -1 when the write failed.
 */
int lk_ndjson_write(FILE *out, const json_t *rec);

#endif
