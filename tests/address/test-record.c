/*
 * test-record.c: the NDJSON fast path (record.c) against jansson.
 *
 * The fast path may only take a line that jansson (as lk_ndjson_parse uses
 * it) would accept, must read the same "address" and "international", and
 * must write back a record equal to what the jansson path writes. Checked
 * on hand-written lines and on many random mutations of them.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "address.h"
#include "record.h"
#include "test.h"   /* tests/unit/test.h */

/* What the jansson path makes of a record: the verdict's members set. */
static json_t *expected(const char *line, const struct address_result *r)
{
	json_t *v = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
	if (!v)
		return NULL;
	json_object_set_new(v, "valid", json_boolean(r->valid));
	json_object_set_new(v, "error", r->error ? json_string(r->error) : json_null());
	json_object_set_new(v, "normalised", json_string(r->normalised));
	json_object_set_new(v, "postcode", r->postcode ? json_string(r->postcode) : json_null());
	json_object_set_new(v, "bfpo", r->bfpo ? json_string(r->bfpo) : json_null());
	json_object_set_new(v, "zone", json_string(address_zone_name(r->zone)));
	json_object_set_new(v, "country", json_string(r->country));
	return v;
}

/*
 * Runs the fast path on line. Returns 1 when it took the line (and then
 * checks it against jansson), 0 when it left it to jansson.
 */
static int fast_agrees(const char *line, int *checked)
{
	struct address_record rec = {.has_address = 0};
	int took = address_record_scan(line, strlen(line), &rec) == 1 && rec.has_address;
	if (took) {
		json_t *tree = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
		CHECK(tree != NULL);
		if (!tree) {
			printf("  fast path took a line jansson refuses: %s\n", line);
		} else {
			json_t *a = json_object_get(tree, "address"), *i = json_object_get(tree, "international");
			CHECK(json_is_string(a) && json_string_length(a) == rec.address.len &&
			       memcmp(json_string_value(a), rec.address.data, rec.address.len) == 0);
			CHECK(rec.international == (i ? json_is_true(i) : -1));
			struct address_result r = {0};
			struct lk_buf out = {0};
			CHECK(address_check(rec.address.data, rec.address.len, rec.international > 0, &r) == 0);
			CHECK(address_record_write(line, &rec, &r, &out) == 0);
			CHECK(out.len > 0 && out.data[out.len - 1] == '\n');
			json_t *got = json_loadb(out.data, out.len, JSON_REJECT_DUPLICATES, NULL);
			json_t *want = expected(line, &r);
			CHECK(got && want && json_equal(got, want));
			if (!(got && want && json_equal(got, want)))
				printf("  line: %s\n  out:  %s", line, out.data);
			json_decref(got);
			json_decref(want);
			lk_buf_free(&out);
			address_result_clear(&r);
			json_decref(tree);
			(*checked)++;
		}
	}
	lk_buf_free(&rec.address);
	return took;
}

static const char *const takes[] = {
	"{\"address\":\"A\\nB\\nSW1A 1AA\"}",
	"{\"file\": \"a.pdf\", \"address\": \"A\\nB\\nSW1A 1AA\", \"international\": false}",
	"  {\"address\":\"A\\nB\\nParis\\nFrance\",\"international\":true}  ",
	"{\"n\":-12.5e+3,\"z\":0,\"a\":[1,[],{},\"x\",null,true],\"o\":{\"k\":{\"k\":1}},\"address\":\"\"}",
	"{\"address\":\"Z\\u00f6e \\\"Q\\\" \\/ \\\\ \\t\\ud83d\\ude00\\nB\\nM1 1AE\"}",
	"{\"address\":\"Mx Zo\xc3\xab Bront\xc3\xab\\nT\xc5\xb7 Gwyn\\nCF10 1EP\"}",
	"{\"address\":\"A\\nB\\n\\u0001C\\nSW1A 1AA\"}",
	"{\"\":1,\"address\":\"A\\nB\\nC\"}",
};

static const char *const leaves[] = {
	"{\"address\":\"A\",\"address\":\"B\"}",                     /* duplicate member */
	"{\"addr\\u0065ss\":\"A\\nB\\nSW1A 1AA\"}",                   /* escaped key */
	"{\"address\":\"A\",\"valid\":true}",                          /* would be overwritten */
	"{\"address\":\"A\",\"x\":1e999}",                             /* jansson: overflow */
	"{\"address\":\"A\",\"x\":12345678901234567890}",              /* jansson: too big */
	"{\"address\":\"A\\u0000B\"}",                                 /* NUL in a string */
	"{\"address\":\"A\\ud800\"}",                                  /* lone surrogate */
	"{\"address\":\"A\xff\"}",                                     /* not UTF-8 */
	"{\"address\":\"A\xc0\xaf\"}",                                 /* overlong */
	"{\"address\":7}",
	"{\"address\":\"A\",\"international\":\"yes\"}",
	"{\"address\":\"A\",\"o\":{\"k\":1,\"k\":2}}",                 /* nested duplicate */
	"{\"address\":\"A\"",                                          /* truncated */
	"{\"address\":\"A\"} x",
	"[\"address\"]",
	"{\"address\":\"A\",}",
	"{\"address\":\"A\tB\"}",                                      /* raw tab */
	"{\"address\":\"A\",\"n\":01}",
	"{\"address\":\"A\",\"n\":1.}",
	"{\"address\":\"A\",\"n\":-}",
	"{\"address\":\"A\",\"t\":tru}",
	"{\"file\":\"x.pdf\"}",                                        /* no address */
};

static void hand_written(void)
{
	int checked = 0;
	for (size_t i = 0; i < sizeof takes / sizeof takes[0]; i++) {
		int took = fast_agrees(takes[i], &checked);
		CHECK(took);
		if (!took)
			printf("  left to jansson: %s\n", takes[i]);
	}
	for (size_t i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
		int took = fast_agrees(leaves[i], &checked);
		CHECK(!took);
		if (took)
			printf("  taken by the fast path: %s\n", leaves[i]);
	}
	CHECK(checked == (int)(sizeof takes / sizeof takes[0]));
}

static uint32_t rng = 12345;
static uint32_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Random byte edits of good lines: whatever the fast path takes, jansson must agree with. */
static void mutations(void)
{
	static const char alphabet[] = "{}[]\",:\\u0aeE+-.1 tfn\xc3\xa9\xff\x01";
	int checked = 0, taken = 0;
	for (int round = 0; round < 40000; round++) {
		const char *base = takes[next_random() % (sizeof takes / sizeof takes[0])];
		char line[512];
		size_t len = strlen(base);
		memcpy(line, base, len + 1);
		int edits = 1 + (int)(next_random() % 3);
		for (int e = 0; e < edits && len > 0; e++) {
			size_t at = next_random() % len;
			char c = alphabet[next_random() % (sizeof alphabet - 1)];
			switch (next_random() % 3) {
			case 0: /* replace */
				line[at] = c;
				break;
			case 1: /* delete */
				memmove(line + at, line + at + 1, len - at);
				len--;
				break;
			default: /* insert */
				if (len + 2 < sizeof line) {
					memmove(line + at + 1, line + at, len - at + 1);
					line[at] = c;
					len++;
				}
			}
		}
		line[len] = '\0';
		if (strlen(line) != len)
			continue;   /* an edit made a NUL byte: not a line the reader gives */
		taken += fast_agrees(line, &checked);
	}
	printf("  %d mutated lines taken by the fast path, all agreeing with jansson\n", taken);
	CHECK(taken > 1000);
}

int main(void)
{
	hand_written();
	mutations();
	return test_exit("test-address-record");
}
