/*
 * haru_mem.c: libharu's HPDF_MemSet and HPDF_MemCpy, replaced for compose
 * by the C library's.
 *
 * libharu 2.3 fills and copies memory a byte at a time, and for every letter
 * it clears two 128 KB code maps (one per CID font) and copies every stream
 * it writes: a tenth of compose's time went to those two loops. libharu calls
 * them through its PLT, so these definitions, which the compose executable
 * exports (compose/meson.build: --export-dynamic-symbol), are the ones it
 * runs. The contract is libharu's own, read from its code: each returns the
 * end of what it wrote (out + n), and a copy runs forwards, byte by byte,
 * even where the two areas overlap.
 */
#include <string.h>

#include <hpdf.h>
#include <hpdf_utils.h>

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
	memset(s, c, n);
	return (HPDF_BYTE *)s + n;
}

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	if (out > in && out < in + n) {   /* a forward copy onto itself repeats bytes: as libharu */
		for (HPDF_UINT i = 0; i < n; i++)
			out[i] = in[i];
	} else {
		memmove(out, in, n);
	}
	return out + n;
}
