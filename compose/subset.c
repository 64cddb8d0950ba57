/* subset.c: cuts a TrueType font down to the glyphs of one letter. */
#include "subset.h"

#include <stdlib.h>
#include <string.h>

struct subset {
	const struct font *f;
	struct ttf t;
	size_t glyf, loca, hmtx;    /* table offsets in the original */
	uint8_t *seen;              /* per BMP code point: added since the reset */
	uint32_t *cps;              /* the code points added */
	size_t ncps;
	uint16_t *newid;            /* per original glyph: new id + 1, 0 = not kept */
	uint16_t *old;              /* per new glyph: the original id */
	unsigned nkept;
};

/* Growable output. */
struct out {
	unsigned char *d;
	size_t n, cap;
	int failed;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->failed)
		return;
	if (o->n + n > o->cap) {
		size_t cap = o->cap ? o->cap : 16384;
		while (cap < o->n + n)
			cap *= 2;
		unsigned char *d = realloc(o->d, cap);
		if (!d) {
			o->failed = 1;
			return;
		}
		o->d = d;
		o->cap = cap;
	}
	memcpy(o->d + o->n, p, n);
	o->n += n;
}

static void put16(struct out *o, unsigned v)
{
	unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
	put(o, b, 2);
}

static void put32(struct out *o, uint32_t v)
{
	put16(o, v >> 16);
	put16(o, v & 0xFFFF);
}

static void set16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void pad4(struct out *o)
{
	static const unsigned char zero[4] = {0, 0, 0, 0};
	put(o, zero, (4 - o->n % 4) % 4);
}

struct subset *compose_subset_new(const struct font *f)
{
	struct subset *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->f = f;
	s->t = (struct ttf){f->data, f->len};
	size_t len;
	s->seen = calloc(65536, 1);
	s->cps = malloc(65536 * sizeof *s->cps);
	s->newid = calloc(f->nglyphs, sizeof *s->newid);
	s->old = malloc((size_t)f->nglyphs * sizeof *s->old);
	if (!s->seen || !s->cps || !s->newid || !s->old ||
	    compose_ttf_find_table(&s->t, "glyf", &s->glyf, &len) < 0 || compose_ttf_find_table(&s->t, "loca", &s->loca, &len) < 0 ||
	    compose_ttf_find_table(&s->t, "hmtx", &s->hmtx, &len) < 0) {
		compose_subset_free(s);
		return NULL;
	}
	return s;
}

void compose_subset_free(struct subset *s)
{
	if (!s)
		return;
	free(s->seen);
	free(s->cps);
	free(s->newid);
	free(s->old);
	free(s);
}

void compose_subset_reset(struct subset *s)
{
	for (size_t i = 0; i < s->ncps; i++)
		s->seen[s->cps[i]] = 0;
	for (unsigned g = 0; g < s->nkept; g++)
		s->newid[s->old[g]] = 0;
	s->ncps = 0;
	s->nkept = 0;
}

size_t compose_subset_chars(const struct subset *s, const uint32_t **cps)
{
	*cps = s->cps;
	return s->ncps;
}

int compose_subset_empty(const struct subset *s)
{
	return s->ncps == 0;
}

int compose_subset_add_text(struct subset *s, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = lk_utf8_next(p + i, len - i, &cp);
		if (k == 0)
			return -1;
		if (cp < 0xFFFF && !s->seen[cp]) {
			s->seen[cp] = 1;
			s->cps[s->ncps++] = cp;
		}
		i += k;
	}
	return 0;
}

/* Where glyph g's data is in the original, and how long. */
static int glyph_range(const struct subset *s, unsigned g, size_t *off, size_t *len)
{
	uint32_t a, b;
	if (s->f->long_loca) {
		a = compose_ttf_u32(&s->t, s->loca + 4 * (size_t)g);
		b = compose_ttf_u32(&s->t, s->loca + 4 * (size_t)g + 4);
	} else {
		a = 2 * compose_ttf_u16(&s->t, s->loca + 2 * (size_t)g);
		b = 2 * compose_ttf_u16(&s->t, s->loca + 2 * (size_t)g + 2);
	}
	if (b < a || s->glyf + b > s->t.n)
		return -1;
	*off = s->glyf + a;
	*len = b - a;
	return 0;
}

static void keep(struct subset *s, unsigned g)
{
	if (g < s->f->nglyphs && !s->newid[g]) {
		s->old[s->nkept] = (uint16_t)g;
		s->newid[g] = (uint16_t)++s->nkept;
	}
}

/* Composite glyph flags (the 'glyf' table's component records). */
#define ARG_WORDS 0x0001
#define HAVE_SCALE 0x0008
#define MORE_COMPONENTS 0x0020
#define XY_SCALE 0x0040
#define TWO_BY_TWO 0x0080
#define HAVE_INSTRUCTIONS 0x0100

/*
 * Walks the components of composite glyph data `d` (n bytes): calls keep()
 * on each when `rewrite` is 0, or rewrites each index to its new id. *end is
 * set to the offset after the last component record, *last to its offset.
 */
static int components(struct subset *s, unsigned char *d, size_t n, int rewrite, size_t *end,
		      size_t *last)
{
	size_t i = 10;
	for (;;) {
		if (i + 4 > n)
			return -1;
		unsigned flags = (unsigned)(d[i] << 8 | d[i + 1]);
		unsigned g = (unsigned)(d[i + 2] << 8 | d[i + 3]);
		if (g >= s->f->nglyphs)
			return -1;
		if (rewrite)
			set16(d + i + 2, s->newid[g] - 1u);
		else
			keep(s, g);
		*last = i;
		i += 4 + (flags & ARG_WORDS ? 4 : 2);
		i += flags & TWO_BY_TWO ? 8 : flags & XY_SCALE ? 4 : flags & HAVE_SCALE ? 2 : 0;
		if (i > n)
			return -1;
		if (!(flags & MORE_COMPONENTS)) {
			*end = i;
			return 0;
		}
	}
}

static int cmp_cp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Code points this close together share a cmap segment (unused ones map to 0). */
#define SEGMENT_GAP 32

/*
 * A format-4 cmap with few segments, each with its own glyph id array:
 * libharu looks each of the 65,536 BMP code points up by a linear scan of
 * the segments, so their number, not the array's size, is what costs.
 */
static int write_cmap(struct subset *s, struct out *o)
{
	uint32_t *start = malloc((s->ncps + 1) * sizeof *start);
	uint32_t *end = malloc((s->ncps + 1) * sizeof *end);
	size_t segs = 0, array = 0;
	int rc = -1;
	if (!start || !end)
		goto out;
	for (size_t i = 0; i < s->ncps; i++) {
		uint32_t cp = s->cps[i];
		if (segs && cp - end[segs - 1] <= SEGMENT_GAP) {
			end[segs - 1] = cp;
			continue;
		}
		start[segs] = end[segs] = cp;
		segs++;
	}
	for (size_t i = 0; i < segs; i++)
		array += end[i] - start[i] + 1;
	start[segs] = end[segs] = 0xFFFF;
	segs++;
	size_t sub_len = 16 + 8 * segs + 2 * array;
	if (sub_len > 0xFFFF)  /* the subtable's length must fit 16 bits */
		goto out;
	put16(o, 0);          /* version */
	put16(o, 1);          /* one subtable: Windows, Unicode BMP */
	put16(o, 3);
	put16(o, 1);
	put32(o, 12);
	put16(o, 4);
	put16(o, (unsigned)sub_len);
	put16(o, 0);
	unsigned pow2 = 1, log2 = 0;
	while (pow2 * 2 <= segs)
		pow2 *= 2, log2++;
	put16(o, (unsigned)(2 * segs));
	put16(o, 2 * pow2);
	put16(o, log2);
	put16(o, (unsigned)(2 * segs - 2 * pow2));
	for (size_t i = 0; i < segs; i++)
		put16(o, end[i]);
	put16(o, 0);
	for (size_t i = 0; i < segs; i++)
		put16(o, start[i]);
	for (size_t i = 0; i < segs; i++)
		put16(o, i + 1 < segs ? 0 : 1);  /* the last segment maps 0xFFFF to 0 */
	/* idRangeOffset: from its own slot to the segment's part of the array. */
	size_t at = 0;
	for (size_t i = 0; i < segs; i++) {
		if (i + 1 == segs) {
			put16(o, 0);
			break;
		}
		put16(o, (unsigned)(2 * (segs - i) + 2 * at));
		at += end[i] - start[i] + 1;
	}
	for (size_t i = 0; i + 1 < segs; i++)
		for (uint32_t cp = start[i]; cp <= end[i]; cp++)
			put16(o, s->seen[cp] ? s->newid[s->f->gid[cp]] - 1u : 0);
	rc = 0;
out:
	free(start);
	free(end);
	return rc;
}

struct table {
	char tag[5];
	size_t off, len;   /* in the output */
};

static uint32_t checksum(const unsigned char *d, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t v = 0;
		for (size_t k = 0; k < 4; k++)
			v = v << 8 | (i + k < n ? d[i + k] : 0);
		sum += v;
	}
	return sum;
}

/* Copies table `tag` of the original. */
static int copy_table(struct subset *s, struct out *o, const char *tag)
{
	size_t off, len;
	if (compose_ttf_find_table(&s->t, tag, &off, &len) < 0)
		return -1;
	put(o, s->t.d + off, len);
	return 0;
}

/* The new glyf and loca (long offsets). */
/*
 * Drops the hinting instructions of the glyph at d (len bytes, a copy):
 * the letter is printed, not shown on a screen at small sizes, and without
 * them the font needs no fpgm, prep or cvt tables. Returns the new length,
 * or 0 when the glyph data is damaged.
 */
static size_t strip_instructions(struct subset *s, unsigned char *d, size_t len)
{
	if (len < 10)
		return len;
	int contours = (int16_t)(d[0] << 8 | d[1]);
	if (contours < 0) {
		size_t end, last;
		if (components(s, d, len, 1, &end, &last) < 0)
			return 0;
		set16(d + last, (unsigned)(d[last] << 8 | d[last + 1]) & ~HAVE_INSTRUCTIONS);
		return end;
	}
	size_t at = 10 + 2 * (size_t)contours;
	if (at + 2 > len)
		return 0;
	size_t n = (size_t)(d[at] << 8 | d[at + 1]);
	if (at + 2 + n > len)
		return 0;
	memmove(d + at + 2, d + at + 2 + n, len - at - 2 - n);
	set16(d + at, 0);
	return len - n;
}

/* The new glyf and loca (long offsets). */
static int write_glyphs(struct subset *s, struct out *glyf, struct out *loca)
{
	for (unsigned g = 0; g < s->nkept; g++) {
		size_t off, len;
		if (glyph_range(s, s->old[g], &off, &len) < 0)
			return -1;
		put32(loca, (uint32_t)glyf->n);
		size_t at = glyf->n;
		put(glyf, s->t.d + off, len);
		if (glyf->failed)
			return -1;
		if (len) {
			size_t kept = strip_instructions(s, glyf->d + at, len);
			if (kept == 0)
				return -1;
			glyf->n = at + kept;
		}
		pad4(glyf);
	}
	put32(loca, (uint32_t)glyf->n);
	return 0;
}

/*
 * A name table with what libharu reads (the PostScript name and subfamily)
 * and what it rewrites (family and full name): the Windows English records
 * of names 1, 2, 4 and 6. Without them the whole table is copied.
 */
static int write_name(struct subset *s, struct out *o)
{
	size_t off, len;
	if (compose_ttf_find_table(&s->t, "name", &off, &len) < 0 || len < 6)
		return -1;
	unsigned count = compose_ttf_u16(&s->t, off + 2), strings = compose_ttf_u16(&s->t, off + 4);
	size_t keep_rec[4];
	unsigned nkeep = 0;
	for (unsigned i = 0; i < count && nkeep < 4; i++) {
		size_t r = off + 6 + 12 * (size_t)i;
		unsigned id = compose_ttf_u16(&s->t, r + 6);
		if (compose_ttf_u16(&s->t, r) == 3 && compose_ttf_u16(&s->t, r + 2) == 1 &&
		    compose_ttf_u16(&s->t, r + 4) == 0x409 && (id == 1 || id == 2 || id == 4 || id == 6) &&
		    off + strings + compose_ttf_u16(&s->t, r + 10) + compose_ttf_u16(&s->t, r + 8) <= off + len)
			keep_rec[nkeep++] = r;
	}
	if (nkeep < 4) {
		put(o, s->t.d + off, len);
		return 0;
	}
	put16(o, 0);
	put16(o, nkeep);
	put16(o, 6 + 12 * nkeep);
	unsigned at = 0;
	for (unsigned i = 0; i < nkeep; i++) {
		put(o, s->t.d + keep_rec[i], 10);  /* platform, encoding, language, name id, length */
		put16(o, at);
		at += compose_ttf_u16(&s->t, keep_rec[i] + 8);
	}
	for (unsigned i = 0; i < nkeep; i++)
		put(o, s->t.d + off + strings + compose_ttf_u16(&s->t, keep_rec[i] + 10),
		    compose_ttf_u16(&s->t, keep_rec[i] + 8));
	return 0;
}

static void write_hmtx(struct subset *s, struct out *o)
{
	for (unsigned g = 0; g < s->nkept; g++) {
		unsigned old = s->old[g];
		unsigned m = old < s->f->nmetrics ? old : s->f->nmetrics - 1;
		put16(o, compose_ttf_u16(&s->t, s->hmtx + 4 * (size_t)m));
		/* the left side bearing: in the long metrics, or in the array after them */
		put16(o, old < s->f->nmetrics ? compose_ttf_u16(&s->t, s->hmtx + 4 * (size_t)old + 2)
					       : compose_ttf_u16(&s->t, s->hmtx + 4 * (size_t)s->f->nmetrics +
							      2 * (size_t)(old - s->f->nmetrics)));
	}
}

int compose_subset_build(struct subset *s, unsigned char **out, size_t *len)
{
	static const char *const tags[] = {
		"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp",
		"name", "post", "prep",
	};
	enum { NTABLES = sizeof tags / sizeof tags[0] };
	struct out body = {0}, glyf = {0}, loca = {0}, file = {0};
	struct table tab[NTABLES];
	int rc = -1;
	for (unsigned g = 0; g < s->nkept; g++)
		s->newid[s->old[g]] = 0;
	s->nkept = 0;
	keep(s, 0);
	qsort(s->cps, s->ncps, sizeof *s->cps, cmp_cp);
	for (size_t i = 0; i < s->ncps; i++)
		keep(s, s->f->gid[s->cps[i]]);
	/* Components of composites (which may be composites themselves). */
	for (unsigned g = 0; g < s->nkept; g++) {
		size_t off, glen;
		if (glyph_range(s, s->old[g], &off, &glen) < 0)
			goto out;
		size_t end, last;
		if (glen >= 10 && compose_ttf_s16(&s->t, off) < 0 &&
		    components(s, (unsigned char *)s->t.d + off, glen, 0, &end, &last) < 0)
			goto out;
	}
	if (write_glyphs(s, &glyf, &loca) < 0)
		goto out;
	for (int i = 0; i < NTABLES; i++) {
		memcpy(tab[i].tag, tags[i], 5);
		tab[i].off = body.n;
		const char *t = tags[i];
		if (!strcmp(t, "cmap")) {
			if (write_cmap(s, &body) < 0)
				goto out;
		} else if (!strcmp(t, "glyf")) {
			put(&body, glyf.d, glyf.n);
		} else if (!strcmp(t, "loca")) {
			put(&body, loca.d, loca.n);
		} else if (!strcmp(t, "hmtx")) {
			write_hmtx(s, &body);
		} else if (!strcmp(t, "name")) {
			if (write_name(s, &body) < 0)
				goto out;
		} else if (!strcmp(t, "cvt ") || !strcmp(t, "fpgm") || !strcmp(t, "prep")) {
			/*
			 * The glyphs no longer use them, but libharu refuses empty
			 * tables: one zero control value, and programs of two
			 * SVTCA[y] instructions, which do nothing that lasts.
			 */
			put16(&body, 0);
		} else if (!strcmp(t, "post")) {
			/* Format 3: no glyph names. */
			size_t off, plen;
			if (compose_ttf_find_table(&s->t, "post", &off, &plen) < 0 || plen < 32)
				goto out;
			put32(&body, 0x00030000);
			put(&body, s->t.d + off + 4, 28);
		} else if (copy_table(s, &body, t) < 0) {
			goto out;
		}
		if (body.failed)
			goto out;
		tab[i].len = body.n - tab[i].off;
		if (!strcmp(t, "head") && tab[i].len >= 54) {
			set16(body.d + tab[i].off + 8, 0);       /* checkSumAdjustment, set below */
			set16(body.d + tab[i].off + 10, 0);
			set16(body.d + tab[i].off + 50, 1);      /* long loca */
		} else if (!strcmp(t, "hhea") && tab[i].len >= 36) {
			set16(body.d + tab[i].off + 34, s->nkept);
		} else if (!strcmp(t, "maxp") && tab[i].len >= 6) {
			set16(body.d + tab[i].off + 4, s->nkept);
		}
		pad4(&body);
	}
	if (body.failed)
		goto out;
	size_t dir = 12 + 16 * NTABLES;
	put32(&file, 0x00010000);
	put16(&file, NTABLES);
	put16(&file, 128);    /* searchRange for 13 tables: 8 * 16 */
	put16(&file, 3);
	put16(&file, NTABLES * 16 - 128);
	for (int i = 0; i < NTABLES; i++) {
		put(&file, tab[i].tag, 4);
		put32(&file, checksum(body.d + tab[i].off, tab[i].len));
		put32(&file, (uint32_t)(dir + tab[i].off));
		put32(&file, (uint32_t)tab[i].len);
	}
	put(&file, body.d, body.n);
	if (file.failed)
		goto out;
	for (int i = 0; i < NTABLES; i++)
		if (!strcmp(tab[i].tag, "head")) {
			uint32_t adj = 0xB1B0AFBAu - checksum(file.d, file.n);
			unsigned char *h = file.d + dir + tab[i].off + 8;
			set16(h, adj >> 16);
			set16(h + 2, adj & 0xFFFF);
		}
	*out = file.d;
	*len = file.n;
	file.d = NULL;
	rc = 0;
out:
	free(body.d);
	free(glyf.d);
	free(loca.d);
	free(file.d);
	return rc;
}
