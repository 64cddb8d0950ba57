/* lk_buf.h: a growable byte buffer for building output (reports, XML, HTML). */
#ifndef LK_BUF_H
#define LK_BUF_H

#include <stddef.h>

/*
 * Appends never fail visibly: after an allocation failure the buffer keeps
 * what it had, sets `oom`, and ignores further appends, so a writer checks
 * once at the end. With a `limit` (bytes, 0 for none), an append that would
 * take the buffer past it is refused whole and sets `over` instead: the one
 * way to hold input of bounded size (an HTTP answer, a child's stderr).
 * Zero-initialise (set limit before the first append); free with lk_buf_free().
 */
struct lk_buf {
	char *data;   /* NUL-terminated once anything was appended */
	size_t len, cap;
	size_t limit;
	int oom, over;
};

/** 1 when an append was refused (out of memory or over the limit): the buffer is not the whole text. */
static inline int lk_buf_failed(const struct lk_buf *b)
{
	return b->oom || b->over;
}

void lk_buf_append(struct lk_buf *b, const void *data, size_t len);
void lk_buf_puts(struct lk_buf *b, const char *s);
void lk_buf_printf(struct lk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Appends s with &, <, >, " and ' as XML/HTML character references. */
void lk_buf_put_xml(struct lk_buf *b, const char *s);
/** Appends standard base64 (RFC 4648, with padding) of len bytes. */
void lk_buf_put_base64(struct lk_buf *b, const void *data, size_t len);
/**
 * Writes the buffer to `path` atomically (lk_write_atomic). Returns 0, or -1
 * with a message in err, also when an append had run out of memory, so a
 * file is never written with part of its text missing.
 */
int lk_buf_write_atomic(const struct lk_buf *b, const char *path, char *err, size_t errlen);
void lk_buf_free(struct lk_buf *b);

#endif
