/*
 * fuzz-api-reply.c: what the API client makes of Notify's answers
 * (upload/reply.c): errors, retry and "unknown outcome" decisions, the id of
 * a created letter, and a letter found by reference in a listing.
 *
 * Input: two bytes of HTTP status (taken modulo 600), one byte of flags
 * (bit 0: the answer is to a POST), then the answer's body. Invariants: only
 * a POST can be of unknown outcome; an error answer always carries a
 * message; a 2xx object answer is neither retried nor unknown; an id given
 * back is a UUID; a reference lookup finds only the reference asked for.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"

#define REFERENCE "letter-0001"

/* 1 when the list holds an entry with this id and this reference. */
static int has_entry(const json_t *list, const char *id, const char *reference)
{
	size_t i;
	json_t *n;
	json_array_foreach(list, i, n) {
		const char *nid = json_string_value(json_object_get(n, "id"));
		const char *nref = json_string_value(json_object_get(n, "reference"));
		if (nid && nref && !strcmp(nid, id) && !strcmp(nref, reference))
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	long http = ((long)data[0] << 8 | data[1]) % 600;
	int is_post = data[2] & 1;
	struct upload_reply r;
	upload_reply_parse(&r, http, (const char *)data + 3, size - 3, is_post);
	FUZZ_ASSERT(!r.unknown || is_post);
	FUZZ_ASSERT(memchr(r.error, '\0', sizeof r.error) && memchr(r.message, '\0', sizeof r.message));
	if (http >= 200 && http < 300) {
		if (json_is_object(r.json))
			FUZZ_ASSERT(!r.retryable && !r.unknown && !r.message[0]);
	} else {
		FUZZ_ASSERT(r.message[0] != '\0');
		FUZZ_ASSERT(r.retryable == ((http == 429 && strcmp(r.error, "TooManyRequestsError")) || http >= 500));
	}

	const char *id = upload_created_id(r.json);
	if (id)
		FUZZ_ASSERT(lk_uuid_valid(id));
	const char *found, *status;
	int rc = upload_find_by_reference(r.json, REFERENCE, &found, &status);
	FUZZ_ASSERT(rc >= -1 && rc <= 1);
	if (rc == 1) {
		FUZZ_ASSERT(found != NULL);
		FUZZ_ASSERT(has_entry(json_object_get(r.json, "notifications"), found, REFERENCE));
	} else {
		FUZZ_ASSERT(found == NULL);
	}
	upload_reply_clear(&r);
	return 0;
}
