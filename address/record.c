/*
 * record.c: a small strict JSON scanner for NDJSON address records.
 *
 * It accepts only what jansson (with JSON_REJECT_DUPLICATES, as
 * lk_ndjson_parse uses it) surely accepts, and says "not for me" (0) for
 * anything else: the caller then uses jansson, so a line is never judged
 * differently by the two paths.
 */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"

#define MAX_DEPTH 32
#define MAX_KEYS 64          /* members of one object; more goes to jansson */
#define MAX_NUMBER 15        /* longer numbers may overflow jansson's types */

const char *const address_record_members[7] = {
	"valid", "error", "normalised", "postcode", "bfpo", "zone", "country",
};

struct scan {
	const char *s;
	size_t len, pos;
	int oom;
	struct address_record *rec;
};

static void skip_ws(struct scan *sc)
{
	while (sc->pos < sc->len && (sc->s[sc->pos] == ' ' || sc->s[sc->pos] == '\t' ||
				     sc->s[sc->pos] == '\n' || sc->s[sc->pos] == '\r'))
		sc->pos++;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
		if (d == 16)
			return -1;
		*v = *v * 16 + d;
	}
	return 0;
}

/*
 * A string at sc->pos (the opening quote). Its raw body is [*start, *end);
 * *escaped says whether it holds backslashes. When out is not NULL the
 * decoded text is appended there. Returns 0, or -1 when not for the fast path.
 */
static int string(struct scan *sc, size_t *start, size_t *end, int *escaped, struct lk_buf *out)
{
	const char *s = sc->s;
	size_t i = sc->pos + 1;
	*start = i;
	*escaped = 0;
	while (i < sc->len) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"') {
			*end = i;
			sc->pos = i + 1;
			if (out && out->oom)
				return sc->oom = 1, -1;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			*escaped = 1;
			if (i + 1 >= sc->len)
				return -1;
			char e = s[i + 1], one = 0;
			switch (e) {
			case '"': one = '"'; break;
			case '\\': one = '\\'; break;
			case '/': one = '/'; break;
			case 'b': one = '\b'; break;
			case 'f': one = '\f'; break;
			case 'n': one = '\n'; break;
			case 'r': one = '\r'; break;
			case 't': one = '\t'; break;
			case 'u': break;
			default: return -1;
			}
			if (one) {
				if (out)
					lk_buf_append(out, &one, 1);
				i += 2;
				continue;
			}
			unsigned v, lo;
			if (i + 6 > sc->len || hex4(s + i + 2, &v) < 0)
				return -1;
			i += 6;
			if (v >= 0xDC00 && v <= 0xDFFF)
				return -1;
			if (v >= 0xD800 && v <= 0xDBFF) {
				if (i + 6 > sc->len || s[i] != '\\' || s[i + 1] != 'u' || hex4(s + i + 2, &lo) < 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
			if (v == 0)
				return -1;   /* jansson refuses NUL in strings by default */
			char u[4];
			size_t n = lk_utf8_put(v, u);
			if (out)
				lk_buf_append(out, u, n);
			continue;
		}
		/* Plain ASCII runs are copied whole; other characters are checked strictly. */
		size_t j = i + 1;
		if (c < 0x80) {
			while (j < sc->len && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x80 &&
			       s[j] != '"' && s[j] != '\\')
				j++;
		} else {
			size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			uint32_t cp[4];
			if (i + n > sc->len || lk_utf8_decode(s + i, n, cp) != 1)
				return -1;
			j = i + n;
		}
		if (out)
			lk_buf_append(out, s + i, j - i);
		i = j;
	}
	return -1;
}

static int value(struct scan *sc, int depth);

static int number(struct scan *sc)
{
	const char *s = sc->s;
	size_t i = sc->pos, start = i;
	if (i < sc->len && s[i] == '-')
		i++;
	if (i < sc->len && s[i] == '0') {
		i++;
	} else if (i < sc->len && s[i] >= '1' && s[i] <= '9') {
		while (i < sc->len && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		return -1;
	}
	if (i < sc->len && s[i] == '.') {
		i++;
		if (i >= sc->len || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < sc->len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < sc->len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < sc->len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t digits = i;
		if (i >= sc->len || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < sc->len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i - digits > 2)
			return -1;   /* 1e999 overflows: jansson refuses it */
	}
	if (i - start > MAX_NUMBER)
		return -1;
	sc->pos = i;
	return 0;
}

static int literal(struct scan *sc, const char *word)
{
	size_t n = strlen(word);
	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
		return -1;
	sc->pos += n;
	return 0;
}

static int array(struct scan *sc, int depth)
{
	sc->pos++;
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == ']') {
		sc->pos++;
		return 0;
	}
	for (;;) {
		if (value(sc, depth + 1) < 0)
			return -1;
		skip_ws(sc);
		if (sc->pos >= sc->len)
			return -1;
		if (sc->s[sc->pos] == ']') {
			sc->pos++;
			return 0;
		}
		if (sc->s[sc->pos] != ',')
			return -1;
		sc->pos++;
		skip_ws(sc);
	}
}

static int is_member(const char *key, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(key, name, n) == 0;
}

/* A member of the top-level object: note the ones the record check needs. */
static int top_member(struct scan *sc, const char *key, size_t n)
{
	for (size_t i = 0; i < 7; i++)
		if (is_member(key, n, address_record_members[i]))
			return -1;   /* it would be overwritten: jansson's job */
	if (is_member(key, n, "address")) {
		if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
			return -1;
		size_t a, b;
		int esc;
		sc->rec->address.len = 0;
		lk_buf_append(&sc->rec->address, "", 0);   /* "" for an empty string */
		if (string(sc, &a, &b, &esc, &sc->rec->address) < 0)
			return -1;
		sc->rec->has_address = 1;
		return 1;
	}
	if (is_member(key, n, "international")) {
		if (literal(sc, "true") == 0)
			sc->rec->international = 1;
		else if (literal(sc, "false") == 0)
			sc->rec->international = 0;
		else
			return -1;   /* not a boolean: the full path reports it */
		return 1;
	}
	return 0;
}

static int object(struct scan *sc, int depth)
{
	size_t keys[MAX_KEYS][2];
	size_t nkeys = 0;
	sc->pos++;
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == '}') {
		if (depth == 0)
			sc->rec->close = sc->pos, sc->rec->empty = 1;
		sc->pos++;
		return 0;
	}
	for (;;) {
		size_t a, b;
		int esc;
		if (sc->pos >= sc->len || sc->s[sc->pos] != '"' || string(sc, &a, &b, &esc, NULL) < 0)
			return -1;
		if (esc || nkeys == MAX_KEYS)
			return -1;   /* escaped keys cannot be compared raw; jansson decides */
		for (size_t k = 0; k < nkeys; k++)
			if (keys[k][1] - keys[k][0] == b - a && memcmp(sc->s + keys[k][0], sc->s + a, b - a) == 0)
				return -1;   /* a duplicate: jansson rejects it */
		keys[nkeys][0] = a;
		keys[nkeys][1] = b;
		nkeys++;
		skip_ws(sc);
		if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
			return -1;
		sc->pos++;
		skip_ws(sc);
		int done = 0;
		if (depth == 0 && (done = top_member(sc, sc->s + a, b - a)) < 0)
			return -1;
		if (!done && value(sc, depth + 1) < 0)
			return -1;
		skip_ws(sc);
		if (sc->pos >= sc->len)
			return -1;
		if (sc->s[sc->pos] == '}') {
			if (depth == 0)
				sc->rec->close = sc->pos;
			sc->pos++;
			return 0;
		}
		if (sc->s[sc->pos] != ',')
			return -1;
		sc->pos++;
		skip_ws(sc);
	}
}

static int value(struct scan *sc, int depth)
{
	if (depth > MAX_DEPTH || sc->pos >= sc->len)
		return -1;
	size_t a, b;
	int esc;
	switch (sc->s[sc->pos]) {
	case '{':
		return object(sc, depth);
	case '[':
		return array(sc, depth);
	case '"':
		return string(sc, &a, &b, &esc, NULL);
	case 't':
		return literal(sc, "true");
	case 'f':
		return literal(sc, "false");
	case 'n':
		return literal(sc, "null");
	default:
		return number(sc);
	}
}

int address_record_scan(const char *line, size_t len, struct address_record *rec)
{
	struct scan sc = {.s = line, .len = len, .pos = 0, .rec = rec};
	rec->has_address = 0;
	rec->international = -1;
	rec->empty = 0;
	skip_ws(&sc);
	if (sc.pos >= len || line[sc.pos] != '{')
		return 0;
	if (object(&sc, 0) < 0)
		return sc.oom ? -1 : 0;
	skip_ws(&sc);
	return sc.pos == len ? 1 : 0;
}

void address_json_string(struct lk_buf *b, const char *s)
{
	if (!s) {
		lk_buf_append(b, "null", 4);
		return;
	}
	lk_buf_append(b, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		lk_buf_append(b, run, (size_t)(s - run));
		switch (c) {
		case '"': lk_buf_append(b, "\\\"", 2); break;
		case '\\': lk_buf_append(b, "\\\\", 2); break;
		case '\b': lk_buf_append(b, "\\b", 2); break;
		case '\f': lk_buf_append(b, "\\f", 2); break;
		case '\n': lk_buf_append(b, "\\n", 2); break;
		case '\r': lk_buf_append(b, "\\r", 2); break;
		case '\t': lk_buf_append(b, "\\t", 2); break;
		default: lk_buf_printf(b, "\\u%04x", (unsigned)c);
		}
		run = s + 1;
	}
	lk_buf_append(b, run, (size_t)(s - run));
	lk_buf_append(b, "\"", 1);
}

/* ,"name": (no comma before the first member of an empty object) */
static void add_member(struct lk_buf *b, int first, const char *name)
{
	if (first)
		lk_buf_append(b, "\"", 1);
	else
		lk_buf_append(b, ",\"", 2);
	lk_buf_puts(b, name);
	lk_buf_append(b, "\":", 2);
}

int address_record_write(const char *line, const struct address_record *rec,
			 const struct address_result *r, struct lk_buf *out)
{
	const char *const *m = address_record_members;
	lk_buf_append(out, line, rec->close);
	add_member(out, rec->empty, m[0]);
	lk_buf_puts(out, r->valid ? "true" : "false");
	add_member(out, 0, m[1]);
	address_json_string(out, r->error);
	add_member(out, 0, m[2]);
	address_json_string(out, r->normalised);
	add_member(out, 0, m[3]);
	address_json_string(out, r->postcode);
	add_member(out, 0, m[4]);
	address_json_string(out, r->bfpo);
	add_member(out, 0, m[5]);
	address_json_string(out, address_result_zone(r));
	add_member(out, 0, m[6]);
	address_json_string(out, r->country);
	lk_buf_append(out, "}\n", 2);
	return out->oom ? -1 : 0;
}
