/*
 * test-vectors.c: address_check() against Notify's own verdicts.
 *
 * Usage: test-vectors FILE.jsonl. Each line holds "raw", "international"
 * and Notify's "valid", "error", "normalised", "postcode" and "zone" (made
 * by running Notify's code). Every disagreement is printed; the test passes
 * only when all lines agree. A missing file means the reference data is not
 * beside the repository: exit 77 (skipped).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "address.h"

static int same_str(const char *got, json_t *want)
{
	if (json_is_null(want))
		return got == NULL;
	return got && json_is_string(want) && strcmp(got, json_string_value(want)) == 0;
}

static void show(const char *field, const char *got, json_t *want, size_t line)
{
	char *w = json_dumps(want, JSON_ENCODE_ANY);
	printf("line %zu: %s: got %s%s%s, want %s\n", line, field, got ? "\"" : "", got ? got : "null",
	       got ? "\"" : "", w ? w : "?");
	free(w);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-vectors FILE.jsonl\n");
		return 99;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		printf("%s: not found, skipped\n", argv[1]);
		return 77;
	}
	size_t line = 0, lines = 0, bad = 0, per_mode[2] = {0, 0}, bad_mode[2] = {0, 0};
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&buf, &cap, f)) > 0) {
		line++;
		json_error_t jerr;
		json_t *v = json_loadb(buf, (size_t)n, 0, &jerr);
		json_t *raw = json_object_get(v, "raw"), *intl = json_object_get(v, "international");
		if (!json_is_string(raw) || !json_is_boolean(intl)) {
			printf("line %zu: not a vector: %s\n", line, v ? "fields missing" : jerr.text);
			json_decref(v);
			bad++;
			continue;
		}
		int international = json_is_true(intl);
		struct address_result r = {0};
		int wrong = 0;
		if (address_check(json_string_value(raw), json_string_length(raw), international, &r) < 0) {
			printf("line %zu: address_check failed: %s\n", line, r.error);
			wrong = 1;
		} else {
			json_t *w;
			if (r.valid != json_is_true(w = json_object_get(v, "valid")))
				show("valid", r.valid ? "true" : "false", w, line), wrong = 1;
			if (!same_str(r.error, w = json_object_get(v, "error")))
				show("error", r.error, w, line), wrong = 1;
			if (!same_str(r.normalised, w = json_object_get(v, "normalised")))
				show("normalised", r.normalised, w, line), wrong = 1;
			if (!same_str(r.postcode, w = json_object_get(v, "postcode")))
				show("postcode", r.postcode, w, line), wrong = 1;
			if (!same_str(address_zone_name(r.zone), w = json_object_get(v, "zone")))
				show("zone", address_zone_name(r.zone), w, line), wrong = 1;
		}
		lines++;
		per_mode[international]++;
		if (wrong) {
			bad++;
			bad_mode[international]++;
		}
		address_result_clear(&r);
		json_decref(v);
	}
	free(buf);
	fclose(f);
	printf("%s: %zu of %zu lines agree (international off: %zu of %zu; on: %zu of %zu)\n", argv[1],
	       lines - bad_mode[0] - bad_mode[1], lines, per_mode[0] - bad_mode[0], per_mode[0],
	       per_mode[1] - bad_mode[1], per_mode[1]);
	if (lines == 0) {
		printf("no vectors read\n");
		return 1;
	}
	return bad ? 1 : 0;
}
