/*
 * fuzz-ndjson.c: the NDJSON reader every stage reads its pipe with
 * (common/lk_ndjson), and compose's NDJSON rows on top of it.
 *
 * The first input byte sets the maximum line length (16 to 1036 bytes, so
 * that the too-long path is reached) and the second how many of the bytes
 * after them arrive as the already-read prefix. Invariants: each call
 * consumes at least one line, so a stream of n lines ends within n + 1
 * calls; every record is an object, and writing it and reading it back
 * gives an equal object (reals included, to the last bit); no line longer than the limit is let through;
 * line numbers never go back; every bad line has a message naming the
 * stream.
 */
#include <string.h>

#include "fuzz.h"
#include "lk_ndjson.h"
#include "fuzz-rows.h"

static size_t count_lines(const uint8_t *data, size_t size)
{
	size_t n = 1;
	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

/* The text of rec as lk_ndjson_write prints it (malloc'd), checked to be one line. */
static char *written(const json_t *rec)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	FUZZ_ASSERT(mem != NULL);
	FUZZ_ASSERT(lk_ndjson_write(mem, rec) == 0);
	fclose(mem);
	FUZZ_ASSERT(len > 0 && text[len - 1] == '\n' && memchr(text, '\n', len) == text + len - 1);
	return text;
}

/* Written and read back: the same object, every real the same double. */
static void round_trip(const json_t *rec)
{
	char *text = written(rec);
	json_t *back = json_loads(text, 0, NULL);
	FUZZ_ASSERT(back && json_equal(back, rec));
	json_decref(back);
	free(text);
}

static void reader(const uint8_t *data, size_t size, size_t max_line, size_t prefix_len)
{
	FILE *f = fmemopen((void *)(data + prefix_len), size - prefix_len, "r");
	if (!f)
		return;	/* glibc refuses an empty buffer */
	struct lk_ndjson_reader *r = lk_ndjson_reader_new(f, "fuzz", max_line, data, prefix_len);
	FUZZ_ASSERT(r != NULL);
	size_t calls = 0, lines = count_lines(data, size), last_line = 0;
	char err[512];
	json_t *rec;
	int rc;
	while ((rc = lk_ndjson_next(r, &rec, err, sizeof err)) != 0) {
		FUZZ_ASSERT(++calls <= lines + 1);
		FUZZ_ASSERT(lk_ndjson_line(r) >= last_line);
		last_line = lk_ndjson_line(r);
		if (rc < 0) {
			FUZZ_ASSERT(strncmp(err, "fuzz", 4) == 0);
			continue;
		}
		FUZZ_ASSERT(json_is_object(rec));
		round_trip(rec);
		json_decref(rec);
	}
	lk_ndjson_reader_free(r);
	fclose(f);
}

/* Line by line, as the stages that look at a record's bytes read it: no line past the limit. */
static void lines(const uint8_t *data, size_t size, size_t max_line)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return;
	struct lk_ndjson_reader *r = lk_ndjson_reader_new(f, "fuzz", max_line, NULL, 0);
	FUZZ_ASSERT(r != NULL);
	size_t calls = 0, count = count_lines(data, size), len;
	const char *line;
	char err[512];
	int rc;
	while ((rc = lk_ndjson_next_line(r, &line, &len, err, sizeof err)) != 0) {
		FUZZ_ASSERT(++calls <= count + 1);
		/* (A line may hold NUL bytes: they are the parser's to refuse, as not JSON.) */
		if (rc > 0)
			FUZZ_ASSERT(len <= max_line && line[len] == '\0');
	}
	lk_ndjson_reader_free(r);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t max_line = 16 + (size_t)data[0] * 4;
	size_t prefix_len = data[1] % 8;
	data += 2;
	size -= 2;
	if (prefix_len > size)
		prefix_len = size;
	reader(data, size, max_line, prefix_len);
	lines(data, size, max_line);
	fuzz_compose_rows(data, size, ROWS_NDJSON, count_lines(data, size) + 1);
	return 0;
}
