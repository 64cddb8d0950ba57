/*
 * fuzz-sandbox-body.c: the sandbox reading the body of a POST
 * /v2/notifications/letter (sandbox/letter_body.c): JSON, Notify's schema,
 * the base64 content (Python's lenient decoder: characters outside the
 * alphabet skipped, padding checked) and the PDF header test.
 *
 * Invariants: a refusal is a 400 in Notify's shape ({"status_code": 400,
 * "errors": [{"error", "message"}, ...]}); an accepted body has string
 * "reference" and "content" and a postage Notify knows; the decoded length
 * is at most three quarters of the alphabet characters (rounded down),
 * exactly that when there is no "=" (which may end the decoding early), and
 * the PDF header is within its first 1024 bytes. letter_body_load, which
 * reads a plain content without jansson, gives what json_loadb gives.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"

static int in_alphabet(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
	       c == '/';
}

static void notify_error_shape(const struct reply *r)
{
	json_t *errors = json_object_get(r->json, "errors"), *e;
	size_t i;
	FUZZ_ASSERT(r->status == 400);
	FUZZ_ASSERT(json_integer_value(json_object_get(r->json, "status_code")) == 400);
	FUZZ_ASSERT(json_array_size(errors) >= 1);
	json_array_foreach(errors, i, e) {
		FUZZ_ASSERT(json_string_value(json_object_get(e, "error")));
		FUZZ_ASSERT(json_string_value(json_object_get(e, "message")));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply r = {0};
	json_t *fast = letter_body_load((const char *)data, size);
	json_t *slow = json_loadb((const char *)data, size, 0, NULL);
	FUZZ_ASSERT(!fast == !slow && (!fast || json_equal(fast, slow)));
	json_decref(fast);
	json_decref(slow);
	json_t *body = letter_body_parse((const char *)data, size, &r);
	if (!body) {
		notify_error_shape(&r);
		reply_clear(&r);
		return 0;
	}
	const char *postage = json_string_value(json_object_get(body, "postage"));
	const char *content = json_string_value(json_object_get(body, "content"));
	size_t clen = json_string_length(json_object_get(body, "content"));
	FUZZ_ASSERT(json_string_value(json_object_get(body, "reference")) && content);
	FUZZ_ASSERT(!json_object_get(body, "postage") ||
		    (postage && (!strcmp(postage, "first") || !strcmp(postage, "second") || !strcmp(postage, "economy"))));

	size_t n, chars = 0;
	unsigned char *pdf = letter_body_pdf(body, &n, &r);
	if (!pdf) {
		notify_error_shape(&r);
	} else {
		for (size_t i = 0; i < clen; i++)
			chars += in_alphabet((unsigned char)content[i]);
		FUZZ_ASSERT(n <= chars * 3 / 4);
		FUZZ_ASSERT(memchr(content, '=', clen) || n == chars * 3 / 4);
		size_t span = n < 1024 ? n : 1024;
		int header = 0;
		for (size_t i = 0; i + 5 <= span && !header; i++)
			header = memcmp(pdf + i, "%PDF-", 5) == 0;
		FUZZ_ASSERT(header);
		free(pdf);
	}
	reply_clear(&r);
	json_decref(body);
	return 0;
}
