/*
 * letter_body.c: the body of POST /v2/notifications/letter read as Notify
 * reads it: JSON, its schema, then the base64 content, which must decode to
 * something that looks like a PDF. Pure functions of the bytes (no server
 * state), so fuzz/fuzz-sandbox-body.c can run them on anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The value of a standard base64 character plus one, or 0 for anything else. */
static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 1;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 27;
	if (c >= '0' && c <= '9')
		return c - '0' + 53;
	return c == '+' ? 63 : c == '/' ? 64 : 0;
}

/* Python's base64.b64decode as Notify calls it: characters outside the
 * alphabet are skipped, the padding must be right. Returns the length or -1. */
static long decode_base64(const char *in, size_t len, unsigned char *out)
{
	unsigned acc = 0;
	size_t o = 0, chars = 0, pad = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '=') {
			pad++;
			continue;
		}
		int v = b64_value(c);
		if (!v)
			continue;
		if (pad)
			return -1;	/* data after padding */
		acc = acc << 6 | (unsigned)(v - 1);
		if (++chars % 4 == 0) {
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			acc = 0;
		}
	}
	size_t rest = chars % 4;
	if (rest == 1 || (rest && rest + pad != 4) || (!rest && pad))
		return -1;
	if (rest == 2)
		out[o++] = (unsigned char)(acc >> 4);
	if (rest == 3) {
		out[o++] = (unsigned char)(acc >> 10);
		out[o++] = (unsigned char)(acc >> 2);
	}
	return (long)o;
}

/* PDF readers accept the header anywhere in the first 1024 bytes. */
static int looks_like_pdf(const unsigned char *p, size_t len)
{
	size_t span = len < 1024 ? len : 1024;
	for (size_t i = 0; i + 5 <= span; i++)
		if (memcmp(p + i, "%PDF-", 5) == 0)
			return 1;
	return 0;
}

/* Notify's JSON schema for a precompiled letter; 0, or -1 with every error in r. */
static int validate_letter(const json_t *body, struct reply *r)
{
	const char *key;
	json_t *value;
	char msg[512];
	int bad = 0;

#define ADD(...) do { \
		snprintf(msg, sizeof msg, __VA_ARGS__); \
		if (!bad++) reply_error(r, 400, "ValidationError", msg); \
		else reply_add_error(r, "ValidationError", msg); \
	} while (0)
	json_object_foreach((json_t *)body, key, value) {
		if (strcmp(key, "reference") && strcmp(key, "content") && strcmp(key, "postage"))
			ADD("Additional properties are not allowed (%.200s was unexpected)", key);
	}
	static const char *const required[] = {"reference", "content"};
	for (size_t i = 0; i < 2; i++) {
		value = json_object_get(body, required[i]);
		if (!value)
			ADD("%s is a required property", required[i]);
		else if (!json_is_string(value))
			ADD("%s is not of type string", required[i]);
	}
	value = json_object_get(body, "postage");
	if (value) {
		const char *p = json_string_value(value);
		if (!p || (strcmp(p, "first") && strcmp(p, "second") && strcmp(p, "economy")))
			ADD("postage invalid. It must be either first, second or economy.");
	}
#undef ADD
	return bad ? -1 : 0;
}

json_t *letter_body_parse(const char *bytes, size_t len, struct reply *r)
{
	json_t *body = json_loadb(bytes ? bytes : "", bytes ? len : 0, 0, NULL);
	if (!json_is_object(body)) {
		reply_error(r, 400, "BadRequestError", "Invalid JSON supplied in POST data");
		json_decref(body);
		return NULL;
	}
	if (validate_letter(body, r) < 0) {
		json_decref(body);
		return NULL;
	}
	return body;
}

unsigned char *letter_body_pdf(const json_t *body, size_t *len, struct reply *r)
{
	const char *content = json_string_value(json_object_get(body, "content"));
	size_t clen = json_string_length(json_object_get(body, "content"));
	unsigned char *pdf = malloc(clen / 4 * 3 + 3);
	long n = pdf ? decode_base64(content, clen, pdf) : -1;
	if (n < 0) {
		reply_error(r, 400, "BadRequestError", "Cannot decode letter content (invalid base64 encoding)");
		free(pdf);
		return NULL;
	}
	if (!looks_like_pdf(pdf, (size_t)n)) {
		reply_error(r, 400, "BadRequestError", "Letter content is not a valid PDF");
		free(pdf);
		return NULL;
	}
	*len = (size_t)n;
	return pdf;
}
