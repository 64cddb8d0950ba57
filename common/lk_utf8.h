/*
 * lk_utf8.h: the one UTF-8 decoder. Strict, as Python's and jansson's are:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
#ifndef LK_UTF8_H
#define LK_UTF8_H

#include <stddef.h>
#include <stdint.h>

/**
 * Decodes the character at s (n bytes available) into *cp. Returns its
 * length in bytes (1-4), or 0 when n is 0 or the bytes there are not
 * UTF-8 (a stray continuation byte, a truncated or overlong sequence, a
 * surrogate, a code point above U+10FFFF).
 */
size_t lk_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/**
 * Decodes len bytes into out, which has room for len code points.
 * Returns the number of code points, or -1 when the text is not UTF-8.
 */
long lk_utf8_decode(const char *s, size_t len, uint32_t *out);

/** Writes cp (at most U+10FFFF) as UTF-8 into out (room for 4 bytes); returns the length. */
size_t lk_utf8_put(uint32_t cp, char *out);

/** 1 when the len bytes at s are UTF-8, else 0. */
int lk_utf8_valid(const char *s, size_t len);

#endif
