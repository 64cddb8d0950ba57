/*
 * nfkd.c: Unicode NFKD, for text read from a PDF's address window.
 *
 * Notify normalises the extracted address with NFKD before its rules run,
 * so ligatures ("ﬀ"), full-width letters and the like become plain letters.
 * Full decompositions come from the generated table (Python's unicodedata);
 * Hangul syllables decompose by arithmetic (Unicode 3.12); then combining
 * marks are put in canonical order (stable sort by combining class).
 */
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "tables.h"
#include "unicode.h"

#define HANGUL_S 0xAC00
#define HANGUL_L 0x1100
#define HANGUL_V 0x1161
#define HANGUL_T 0x11A7
#define HANGUL_V_COUNT 21
#define HANGUL_T_COUNT 28
#define HANGUL_N (HANGUL_V_COUNT * HANGUL_T_COUNT)
#define HANGUL_COUNT (19 * HANGUL_N)

static int cmp_decomp(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key;
	const struct address_decomp *d = elem;
	return cp < d->cp ? -1 : cp > d->cp;
}

static int cmp_ccc(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key;
	const struct address_ccc *c = elem;
	return cp < c->cp ? -1 : cp > c->cp;
}

static unsigned ccc_of(uint32_t cp)
{
	if (cp < 0x300)
		return 0;
	const struct address_ccc *c = bsearch(&cp, address_ccc_map, address_ccc_map_len,
					      sizeof address_ccc_map[0], cmp_ccc);
	return c ? c->ccc : 0;
}

/* Writes the full decomposition of cp to out (when out is not NULL); returns its length. */
static size_t decompose(uint32_t cp, uint32_t *out)
{
	if (cp >= HANGUL_S && cp < HANGUL_S + HANGUL_COUNT) {
		uint32_t s = cp - HANGUL_S, t = s % HANGUL_T_COUNT;
		if (out) {
			out[0] = HANGUL_L + s / HANGUL_N;
			out[1] = HANGUL_V + (s % HANGUL_N) / HANGUL_T_COUNT;
			if (t)
				out[2] = HANGUL_T + t;
		}
		return t ? 3 : 2;
	}
	const struct address_decomp *d = NULL;
	if (cp >= 0xA0)
		d = bsearch(&cp, address_nfkd_map, address_nfkd_map_len, sizeof address_nfkd_map[0],
			    cmp_decomp);
	if (!d) {
		if (out)
			out[0] = cp;
		return 1;
	}
	if (out)
		memcpy(out, address_nfkd_pool + d->offset, d->len * sizeof *out);
	return d->len;
}

/* Canonical ordering: each run of combining marks sorted by class, stably. */
static void reorder(uint32_t *cp, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		unsigned c = ccc_of(cp[i]);
		if (!c)
			continue;
		uint32_t v = cp[i];
		size_t j = i;
		while (j > 0) {
			unsigned prev = ccc_of(cp[j - 1]);
			if (prev <= c)
				break;
			cp[j] = cp[j - 1];
			j--;
		}
		cp[j] = v;
	}
}

int address_nfkd(const char *in, size_t len, char **out)
{
	uint32_t *src = NULL, *dst = NULL;
	char *s = NULL;
	int rc = -1;

	*out = NULL;
	if (len >= ((size_t)-1) / sizeof *src - 1)
		return -1;
	src = malloc((len + 1) * sizeof *src);
	if (!src)
		goto out;
	long n = lk_utf8_decode(in, len, src);
	if (n < 0)
		goto out;
	size_t total = 0;
	for (long i = 0; i < n; i++)
		total += decompose(src[i], NULL);
	dst = malloc((total + 1) * sizeof *dst);
	if (!dst)
		goto out;
	size_t k = 0;
	for (long i = 0; i < n; i++)
		k += decompose(src[i], dst + k);
	reorder(dst, k);
	s = malloc(address_utf8_size(dst, k) + 1);
	if (!s)
		goto out;
	size_t bytes = 0;
	for (size_t i = 0; i < k; i++)
		bytes += lk_utf8_put(dst[i], s + bytes);
	s[bytes] = '\0';
	*out = s;
	s = NULL;
	rc = 0;
out:
	free(src);
	free(dst);
	free(s);
	return rc;
}
