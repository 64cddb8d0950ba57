/*
 * lk_base64.h: base64 (RFC 4648), the one encoder and decoder: the standard
 * alphabet with padding for letters and exact bytes in JSON (Notify's
 * "content", KEY_base64), the URL alphabet without padding for JWTs.
 */
#ifndef LK_BASE64_H
#define LK_BASE64_H

#include <stddef.h>

/** The characters lk_base64_encode() writes for len bytes, padded (the NUL not counted). */
static inline size_t lk_base64_size(size_t len)
{
	return (len + 2) / 3 * 4;
}

/**
 * Encodes len bytes into out (room for lk_base64_size(len) + 1), with the
 * URL alphabet (- _) when url is set, else the standard one (+ /), with '='
 * padding when pad is set. Writes a NUL; returns the length written.
 */
size_t lk_base64_encode(const void *in, size_t len, int url, int pad, char *out);

/**
 * Decodes len characters (padding optional) into out. Returns the number of
 * bytes, or -1 for a character outside the alphabet, an impossible length
 * or an outsize smaller than 3 * ceil(len / 4).
 */
long lk_base64_decode(const char *in, size_t len, int url, unsigned char *out, size_t outsize);

#endif
