/* buf.h: a growing byte buffer, always NUL-terminated (private). */
#ifndef ADDRESS_BUF_H
#define ADDRESS_BUF_H

#include <stddef.h>

struct address_buf {
	char *s;          /* NULL until something is added */
	size_t len, cap;
};

/* Room for `more` bytes and a NUL after them; s[len] is NUL after. 0, or -1 when out of memory. */
int address_buf_reserve(struct address_buf *b, size_t more);
/* Appends n bytes and a NUL. 0, or -1 when out of memory. */
int address_buf_add(struct address_buf *b, const char *s, size_t n);
/* Frees the bytes and empties b. */
void address_buf_free(struct address_buf *b);

#endif
