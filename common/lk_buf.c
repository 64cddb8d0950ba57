/* lk_buf.c: a growable byte buffer. */
#include "lk_buf.h"
#include "lk_base64.h"
#include "lk_file.h"
#include "lk_utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(struct lk_buf *b, size_t more)
{
	if (b->oom || b->over)
		return -1;
	if (b->limit && (more > b->limit || b->len > b->limit - more)) {
		b->over = 1;
		return -1;
	}
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *bigger = realloc(b->data, cap);
	if (!bigger) {
		b->oom = 1;
		return -1;
	}
	b->data = bigger;
	b->cap = cap;
	return 0;
}

void lk_buf_append(struct lk_buf *b, const void *data, size_t len)
{
	if (reserve(b, len) != 0)
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void lk_buf_puts(struct lk_buf *b, const char *s)
{
	lk_buf_append(b, s, strlen(s));
}

void lk_buf_printf(struct lk_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void lk_buf_put_xml(struct lk_buf *b, const char *s)
{
	for (; *s; s++) {
		uint32_t cp;
		size_t k = lk_utf8_next((const unsigned char *)s, strnlen(s, 4), &cp);
		if (k == 0) {   /* not UTF-8 (a file name's bytes): U+FFFD, so the XML stays UTF-8 */
			lk_buf_puts(b, "\xEF\xBF\xBD");
			continue;
		}
		if (k > 1) {
			lk_buf_append(b, s, k);
			s += k - 1;
			continue;
		}
		switch (*s) {
		case '&': lk_buf_puts(b, "&amp;"); break;
		case '<': lk_buf_puts(b, "&lt;"); break;
		case '>': lk_buf_puts(b, "&gt;"); break;
		case '"': lk_buf_puts(b, "&quot;"); break;
		case '\'': lk_buf_puts(b, "&#39;"); break;
		default:
			/* Control characters other than tab and newline are not XML. */
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
				lk_buf_puts(b, "?");
			else
				lk_buf_append(b, s, 1);
		}
	}
}

void lk_buf_put_base64(struct lk_buf *b, const void *data, size_t len)
{
	if (reserve(b, lk_base64_size(len)) != 0)
		return;
	b->len += lk_base64_encode(data, len, 0, 1, b->data + b->len);
}

int lk_buf_write_atomic(const struct lk_buf *b, const char *path, char *err, size_t errlen)
{
	if (b->oom || b->over) {
		snprintf(err, errlen, b->oom ? "%s: out of memory" : "%s: larger than its limit", path);
		return -1;
	}
	return lk_write_atomic(path, b->data ? b->data : "", b->len, err, errlen);
}

void lk_buf_free(struct lk_buf *b)
{
	if (!b)
		return;
	size_t limit = b->limit;
	free(b->data);
	memset(b, 0, sizeof *b);
	b->limit = limit;   /* the buffer may be used again, under the same limit */
}
