/*
 * fuzz-address-record.c: the NDJSON fast path of `letterkit address
 * --ndjson` (address/record.c, a JSON scanner of our own) against jansson.
 *
 * The input, up to its first NUL or newline, is one record line. Whenever
 * the fast path takes a line, jansson must read it as an object too, with
 * the same "address" string and "international" flag, and the fast path's
 * output (the line's bytes with the verdict spliced in) must be the same
 * JSON object as the full path's (jansson, then address_cli_add_fields).
 * So the two paths can never disagree on what a record says.
 */
#include <string.h>

#include "address.h"
#include "cli.h"
#include "fuzz.h"
#include "record.h"

static void same_as_jansson(const char *line, size_t len, const struct address_record *rec)
{
	json_t *obj = json_loadb(line, len, 0, NULL);
	FUZZ_ASSERT(json_is_object(obj));
	json_t *addr = json_object_get(obj, "address");
	json_t *intl = json_object_get(obj, "international");
	if (!rec->has_address) {
		FUZZ_ASSERT(addr == NULL);
		json_decref(obj);
		return;
	}
	FUZZ_ASSERT(json_is_string(addr));
	FUZZ_ASSERT(json_string_length(addr) == rec->address.len);
	FUZZ_ASSERT(memcmp(json_string_value(addr), rec->address.data, rec->address.len) == 0);
	FUZZ_ASSERT(rec->international == (intl ? json_is_true(intl) : -1));
	FUZZ_ASSERT(!intl || json_is_boolean(intl));

	struct address_result r = {0};
	if (address_check(rec->address.data, rec->address.len, rec->international > 0, &r) == 0) {
		struct lk_buf out = {0};
		FUZZ_ASSERT(address_record_write(line, rec, &r, &out) == 0);
		FUZZ_ASSERT(out.len > 0 && out.data[out.len - 1] == '\n' && !memchr(out.data, '\n', out.len - 1));
		json_t *fast = json_loadb(out.data, out.len, 0, NULL);
		FUZZ_ASSERT(address_cli_add_fields(obj, &r) == 0);
		FUZZ_ASSERT(fast && json_equal(fast, obj));
		json_decref(fast);
		lk_buf_free(&out);
	}
	address_result_clear(&r);
	json_decref(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_strndup(data, size);
	size_t len = strcspn(line, "\n");
	line[len] = '\0';
	struct address_record rec = {0};
	int fast = address_record_scan(line, len, &rec);
	FUZZ_ASSERT(fast >= 0);
	if (fast > 0)
		same_as_jansson(line, len, &rec);
	lk_buf_free(&rec.address);
	free(line);
	return 0;
}
