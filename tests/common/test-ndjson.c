/*
 * test-ndjson.c: the NDJSON pipe every stage reads and writes (common/lk_ndjson).
 * Records pass through unchanged, numbers included; bad lines are reported one
 * by one and the stream goes on.
 */
#include <stdlib.h>

#include "lk_ndjson.h"
#include "test.h"

/* A record written by lk_ndjson_write, as text. */
static char *written(const json_t *rec)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	CHECK(lk_ndjson_write(mem, rec) == 0);
	fclose(mem);
	return text;
}

static void test_numbers_pass_through(void)
{
	/* Precision 10, as before, printed 1732345678.901 as 1732345679.0. */
	json_t *rec = json_loads("{\"t\":1732345678.901,\"mm\":12.34,\"x\":0.30000000000000004,\"n\":12345678901234}",
				 0, NULL);
	char *text = written(rec);
	CHECK_STR(text, "{\"t\":1732345678.901,\"mm\":12.34,\"x\":0.30000000000000004,\"n\":12345678901234}\n");
	json_t *back = json_loads(text, 0, NULL);
	CHECK(json_equal(back, rec));
	json_decref(back);
	json_decref(rec);
	free(text);
}

static void test_bad_lines_one_by_one(void)
{
	static const char input[] =
		"{\"a\":1}\n"
		"not json\n"
		"{\"b\":\"\xff\"}\n"
		"\n"
		"[1]\n"
		"{\"long\":\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\"}\n"
		"{\"c\":3}\n"
		"{\"truncated\":";
	FILE *f = fmemopen((void *)input, sizeof input - 1, "r");
	struct lk_ndjson_reader *r = lk_ndjson_reader_new(f, "in", 32, NULL, 0);
	json_t *rec;
	char err[256];
	int want[] = {1, -1, -1, -1, -1, 1, -1, 0};
	size_t want_line[] = {1, 2, 3, 5, 6, 7, 8, 8};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		err[0] = '\0';
		int rc = lk_ndjson_next(r, &rec, err, sizeof err);
		CHECK_INT(rc, want[i]);
		CHECK_INT(lk_ndjson_line(r), want_line[i]);
		if (rc < 0)
			CHECK(strncmp(err, "in", 2) == 0);
		if (rc > 0)
			json_decref(rec);
	}
	lk_ndjson_reader_free(r);
	fclose(f);
}

int main(void)
{
	test_numbers_pass_through();
	test_bad_lines_one_by_one();
	return test_exit("test-ndjson");
}
