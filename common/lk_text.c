/* lk_text.c: text from letters and file names, made safe for where it goes. */
#include "lk_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lk_base64.h"
#include "lk_buf.h"
#include "lk_utf8.h"

/*
 * Calls emit(ctx, bytes, n) with the escaped form of s, piece by piece, so
 * that a stream, a buffer and a fixed array share one definition.
 */
typedef void emit_fn(void *ctx, const char *bytes, size_t n);

static void escape(const char *s, int keep_newlines, emit_fn *emit, void *ctx)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	char esc[8];
	while (i < n) {
		uint32_t cp;
		size_t k = lk_utf8_next(p + i, n - i, &cp);
		if (k == 0) {   /* not UTF-8: the byte itself, readably */
			snprintf(esc, sizeof esc, "\\x%02x", p[i]);
			emit(ctx, esc, 4);
			i++;
			continue;
		}
		if (cp == '\n' && keep_newlines)
			emit(ctx, "\n", 1);
		else if (cp == '\n')
			emit(ctx, "\\n", 2);
		else if (cp == '\t')
			emit(ctx, "\\t", 2);
		else if (cp == '\r')
			emit(ctx, "\\r", 2);
		else if (cp < 0x20 || cp == 0x7F) {
			snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
			emit(ctx, esc, 4);
		} else if (cp >= 0x80 && cp <= 0x9F) {
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
			emit(ctx, esc, 6);
		} else {
			emit(ctx, (const char *)p + i, k);
		}
		i += k;
	}
}

static void emit_file(void *ctx, const char *bytes, size_t n)
{
	fwrite(bytes, 1, n, ctx);
}

void lk_put_safe(FILE *out, const char *s, int keep_newlines)
{
	escape(s, keep_newlines, emit_file, out);
}

static void emit_buf(void *ctx, const char *bytes, size_t n)
{
	lk_buf_append(ctx, bytes, n);
}

void lk_buf_put_safe(struct lk_buf *b, const char *s, int keep_newlines)
{
	escape(s, keep_newlines, emit_buf, b);
}

struct fixed {
	char *buf;
	size_t size, len;
	int cut;
};

static void emit_fixed(void *ctx, const char *bytes, size_t n)
{
	struct fixed *f = ctx;
	if (f->cut)
		return;
	if (f->len + n + 1 > f->size) {   /* whole pieces only: no half character */
		f->cut = 1;
		return;
	}
	memcpy(f->buf + f->len, bytes, n);
	f->len += n;
}

const char *lk_safe(const char *s, char *buf, size_t size)
{
	if (size == 0)
		return "";
	struct fixed f = {buf, size > 4 ? size - 3 : size, 0, 0};
	escape(s, 0, emit_fixed, &f);
	buf[f.len] = '\0';
	if (f.cut && size > 4)
		memcpy(buf + f.len, "...", 4);
	return buf;
}

char *lk_utf8_readable(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	char *out = malloc(3 * n + 1);   /* each bad byte grows to U+FFFD's 3 bytes */
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = lk_utf8_next(p + i, n - i, &cp);
		if (k == 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, p + i, k);
			o += k;
			i += k;
		}
	}
	out[o] = '\0';
	return out;
}

int lk_json_set_path(json_t *obj, const char *key, const char *path)
{
	size_t n = strlen(path);
	char bkey[256];
	snprintf(bkey, sizeof bkey, "%s_base64", key);
	if (lk_utf8_valid(path, n)) {
		json_object_del(obj, bkey);   /* an earlier stage's exact bytes are no longer this path's */
		return json_object_set_new(obj, key, json_string(path));
	}
	char *readable = lk_utf8_readable(path);
	struct lk_buf b64 = {0};
	lk_buf_put_base64(&b64, path, n);
	int rc = -1;
	if (readable && !b64.oom &&
	    json_object_set_new(obj, key, json_string(readable)) == 0 &&
	    json_object_set_new(obj, bkey, json_string(b64.data ? b64.data : "")) == 0)
		rc = 0;
	free(readable);
	lk_buf_free(&b64);
	return rc;
}

/* The exact bytes of a KEY_base64 into a new NUL-terminated string; NULL when malformed or holding a NUL. */
static char *b64_decode(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n / 4 * 3 + 3);
	if (!out)
		return NULL;
	long got = lk_base64_decode(s, n, 0, (unsigned char *)out, n / 4 * 3 + 2);
	if (got < 0 || memchr(out, '\0', (size_t)got)) {   /* a path never holds a NUL byte */
		free(out);
		return NULL;
	}
	out[got] = '\0';
	return out;
}

const char *lk_json_get_path(const json_t *obj, const char *key, char **owned)
{
	*owned = NULL;
	const char *s = json_string_value(json_object_get(obj, key));
	if (!s)
		return NULL;
	char bkey[256];
	snprintf(bkey, sizeof bkey, "%s_base64", key);
	const char *b = json_string_value(json_object_get(obj, bkey));
	if (b && (*owned = b64_decode(b)) != NULL)
		return *owned;
	return s;
}
