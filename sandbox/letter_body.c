/*
 * letter_body.c: the body of POST /v2/notifications/letter read as Notify
 * reads it: JSON, its schema, then the base64 content, which must decode to
 * something that looks like a PDF. Pure functions of the bytes (no server
 * state), so fuzz/fuzz-sandbox-body.c can run them on anything.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The value of each standard base64 character plus one; 0 for anything else. */
static const unsigned char b64_value[256] = {
	['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,  ['G'] = 7,  ['H'] = 8,
	['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
	['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
	['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
	['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
	['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
	['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
	['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};

/*
 * Python's base64.b64decode(content) as Notify calls it, which is
 * binascii.a2b_base64 without strict mode, step for step: a character
 * outside the alphabet is skipped, and so is "=" in the first two places of
 * a group; "=" that completes a group ends the decoding (what follows is
 * not read); a last group of one character, or of two or three without
 * their padding, is an error. A character outside ASCII is an error too
 * (Python refuses to encode the str as ASCII). Returns the length or -1.
 */
static long decode_base64(const char *in, size_t len, unsigned char *out)
{
	unsigned left = 0;   /* bits of the group not yet written */
	size_t o = 0;
	int pos = 0, pads = 0;   /* place in the group of four; "=" met since the last character */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)in[i] >= 0x80)
			return -1;
	for (size_t i = 0; i < len; i++) {
		/* Four characters of the alphabet starting a group: three bytes at once. */
		while (pos == 0 && i + 4 <= len) {
			unsigned a = b64_value[(unsigned char)in[i]], b = b64_value[(unsigned char)in[i + 1]],
				 c = b64_value[(unsigned char)in[i + 2]], d = b64_value[(unsigned char)in[i + 3]];
			if (!a || !b || !c || !d)
				break;
			unsigned v = (a - 1) << 18 | (b - 1) << 12 | (c - 1) << 6 | (d - 1);
			out[o++] = (unsigned char)(v >> 16);
			out[o++] = (unsigned char)(v >> 8);
			out[o++] = (unsigned char)v;
			pads = 0;
			i += 4;
		}
		if (i >= len)
			break;
		unsigned char ch = (unsigned char)in[i];
		if (ch == '=') {
			if (pos >= 2 && pos + ++pads >= 4)
				return (long)o;   /* padded: the rest is not read */
			continue;
		}
		int v = b64_value[ch];
		if (!v)
			continue;
		unsigned bits = (unsigned)(v - 1);
		pads = 0;
		switch (pos) {
		case 0:
			left = bits;
			break;
		case 1:
			out[o++] = (unsigned char)(left << 2 | bits >> 4);
			left = bits & 0x0f;
			break;
		case 2:
			out[o++] = (unsigned char)(left << 4 | bits >> 2);
			left = bits & 0x03;
			break;
		default:
			out[o++] = (unsigned char)(left << 6 | bits);
			break;
		}
		pos = (pos + 1) % 4;
	}
	return pos == 0 ? (long)o : -1;
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

static size_t skip_space(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/*
 * The end of the string token that opens at s[i] (the index of its closing
 * quote), or len when it does not close; *plain is cleared when it holds an
 * escape, a control character or a byte outside ASCII.
 */
static size_t string_end(const char *s, size_t len, size_t i, int *plain)
{
	for (i++; i < len && s[i] != '"'; i++) {
		/* Eight plain bytes at a time (no quote, backslash, control
		 * character or byte outside ASCII): base64 is all plain. */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
			uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
			uint64_t special = ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | (w - ones * 0x20) | w;
			if (special & highs)
				break;
			i += 8;
		}
		if (i >= len || s[i] == '"')
			break;
		unsigned char c = (unsigned char)s[i];
		if (c == '\\') {
			*plain = 0;
			i++;
		} else if (c < 0x20 || c >= 0x80) {
			*plain = 0;
		}
	}
	return i < len ? i : len;
}

/*
 * Where the value of the top-level "content" lies in a body, when it can be
 * read without jansson: the body is an object with one key "content", no key
 * of the top level is escaped, and its value is a string of plain ASCII, no
 * escapes. Then [*from, *to) is the value without its quotes and 1 is
 * returned; 0 otherwise (the caller parses it all).
 */
static int plain_content(const char *s, size_t len, size_t *from, size_t *to)
{
	int depth = 0, key_next = 0, found = 0;
	size_t i = skip_space(s, len, 0);
	if (i >= len || s[i] != '{')
		return 0;
	while (i < len) {
		char c = s[i];
		if (c == '"') {
			int plain = 1;
			size_t end = string_end(s, len, i, &plain);
			if (end >= len)
				return 0;
			if (depth == 1 && key_next) {
				key_next = 0;
				if (!plain)
					return 0;	/* "con\u0074ent" is "content" too */
				if (end - i - 1 == 7 && memcmp(s + i + 1, "content", 7) == 0) {
					size_t v = skip_space(s, len, end + 1);
					if (v >= len || s[v] != ':')
						return 0;
					v = skip_space(s, len, v + 1);
					if (v >= len || s[v] != '"')
						return 0;
					int value_plain = 1;
					size_t value_end = string_end(s, len, v, &value_plain);
					if (value_end >= len || !value_plain || found++)
						return 0;
					*from = v + 1;
					*to = value_end;
					end = value_end;
				}
			}
			i = end + 1;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
			key_next = depth == 1;
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == ',' && depth == 1) {
			key_next = 1;
		}
		i++;
	}
	return found;
}

/*
 * The body as JSON. A letter's body is mostly its content, tens of
 * kilobytes of base64, which jansson reads a byte at a time (three quarters
 * of the sandbox's time): when the content is plain (plain_content), the
 * rest is parsed with an empty string in its place, which is valid JSON
 * exactly when the whole is, and the content is put back as it was.
 */
json_t *letter_body_load(const char *bytes, size_t len)
{
	size_t from, to;
	if (!bytes)
		return json_loadb("", 0, 0, NULL);
	if (!plain_content(bytes, len, &from, &to))
		return json_loadb(bytes, len, 0, NULL);
	char *rest = malloc(len - (to - from));
	if (!rest)
		return NULL;
	memcpy(rest, bytes, from);
	memcpy(rest + from, bytes + to, len - to);
	json_t *body = json_loadb(rest, len - (to - from), 0, NULL);
	free(rest);
	if (json_is_object(body) &&
	    json_object_set_new_nocheck(body, "content", json_stringn_nocheck(bytes + from, to - from)) < 0) {
		json_decref(body);
		return NULL;
	}
	return body;
}

json_t *letter_body_parse(const char *bytes, size_t len, struct reply *r)
{
	json_t *body = letter_body_load(bytes, len);
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
