/* buf.c: a growing byte buffer, always NUL-terminated. */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

void address_buf_free(struct address_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

int address_buf_reserve(struct address_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap) {
		b->s[b->len] = '\0';
		return 0;
	}
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s)
		return -1;
	b->s = s;
	b->cap = cap;
	b->s[b->len] = '\0';
	return 0;
}

int address_buf_add(struct address_buf *b, const char *s, size_t n)
{
	if (address_buf_reserve(b, n) < 0)
		return -1;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}
