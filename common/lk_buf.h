/* lk_buf.h: a growable byte buffer for building output (reports, XML, HTML). */
#ifndef LK_BUF_H
#define LK_BUF_H

#include <stddef.h>

/*
 * Appends never fail visibly: after an allocation failure the buffer keeps
 * what it had, sets `oom`, and ignores further appends, so a writer checks
 * once at the end. Zero-initialise; free with lk_buf_free().
 */
struct lk_buf {
	char *data;   /* NUL-terminated once anything was appended */
	size_t len, cap;
	int oom;
};

void lk_buf_append(struct lk_buf *b, const void *data, size_t len);
void lk_buf_puts(struct lk_buf *b, const char *s);
void lk_buf_printf(struct lk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Appends s with &, <, >, " and ' as XML/HTML character references. */
void lk_buf_put_xml(struct lk_buf *b, const char *s);
/** Appends standard base64 (RFC 4648, with padding) of len bytes. */
void lk_buf_put_base64(struct lk_buf *b, const void *data, size_t len);
void lk_buf_free(struct lk_buf *b);

#endif
