/* font.c: reads the cmap, widths and bounding box of a TrueType font. */
#include "font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk_file.h"

/* Fonts are a few MB at most; refuse to read anything far larger. */
#define MAX_FONT_BYTES (64u * 1024 * 1024)

unsigned compose_ttf_u16(const struct ttf *t, size_t off)
{
	return off + 2 <= t->n ? (unsigned)(t->d[off] << 8 | t->d[off + 1]) : 0;
}

int compose_ttf_s16(const struct ttf *t, size_t off)
{
	unsigned v = compose_ttf_u16(t, off);
	return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

uint32_t compose_ttf_u32(const struct ttf *t, size_t off)
{
	return off + 4 <= t->n ? (uint32_t)compose_ttf_u16(t, off) << 16 | compose_ttf_u16(t, off + 2) : 0;
}

/* The offset and length of table `tag`, checked to lie inside the file. */
int compose_ttf_find_table(const struct ttf *t, const char *tag, size_t *off, size_t *len)
{
	unsigned count = compose_ttf_u16(t, 4);
	for (unsigned i = 0; i < count; i++) {
		size_t rec = 12 + 16 * (size_t)i;
		if (rec + 16 > t->n)
			return -1;
		if (memcmp(t->d + rec, tag, 4) == 0) {
			*off = compose_ttf_u32(t, rec + 8);
			*len = compose_ttf_u32(t, rec + 12);
			if (*off > t->n || *len > t->n - *off)
				return -1;
			return 0;
		}
	}
	return -1;
}

/* Fills f->gid from a format-4 subtable at `sub` (bounds checked per read). */
static int read_format4(const struct ttf *t, size_t sub, struct font *f)
{
	if (compose_ttf_u16(t, sub) != 4)
		return -1;
	unsigned segs = compose_ttf_u16(t, sub + 6) / 2;
	size_t ends = sub + 14, starts = ends + 2 * segs + 2;
	size_t deltas = starts + 2 * segs, ranges = deltas + 2 * segs;
	if (ranges + 2 * segs > t->n)
		return -1;
	for (unsigned i = 0; i < segs; i++) {
		unsigned end = compose_ttf_u16(t, ends + 2 * i), start = compose_ttf_u16(t, starts + 2 * i);
		unsigned delta = compose_ttf_u16(t, deltas + 2 * i), range = compose_ttf_u16(t, ranges + 2 * i);
		if (start > end)
			continue;
		for (unsigned c = start; c <= end && c < 0xFFFF; c++) {
			unsigned g;
			if (range == 0) {
				g = (c + delta) & 0xFFFF;
			} else {
				size_t at = ranges + 2 * i + range + 2 * (size_t)(c - start);
				g = compose_ttf_u16(t, at);
				if (g)
					g = (g + delta) & 0xFFFF;
			}
			f->gid[c] = g < f->nglyphs ? (uint16_t)g : 0;
		}
	}
	return 0;
}

static int read_cmap(const struct ttf *t, struct font *f)
{
	size_t off, len;
	if (compose_ttf_find_table(t, "cmap", &off, &len) < 0)
		return -1;
	unsigned count = compose_ttf_u16(t, off + 2);
	for (unsigned i = 0; i < count; i++) {
		size_t rec = off + 4 + 8 * (size_t)i;
		/* libharu reads only the Windows Unicode BMP subtable: use the same. */
		if (compose_ttf_u16(t, rec) == 3 && compose_ttf_u16(t, rec + 2) == 1)
			return read_format4(t, off + compose_ttf_u32(t, rec + 4), f);
	}
	return -1;
}

static int read_metrics(const struct ttf *t, struct font *f)
{
	size_t head, hhea, hmtx, maxp, len;
	if (compose_ttf_find_table(t, "head", &head, &len) < 0 || len < 54 ||
	    compose_ttf_find_table(t, "hhea", &hhea, &len) < 0 || len < 36 ||
	    compose_ttf_find_table(t, "maxp", &maxp, &len) < 0 || len < 6 ||
	    compose_ttf_find_table(t, "hmtx", &hmtx, &len) < 0)
		return -1;
	unsigned upem = compose_ttf_u16(t, head + 18);
	unsigned nmetrics = compose_ttf_u16(t, hhea + 34);
	f->nglyphs = compose_ttf_u16(t, maxp + 4);
	if (upem == 0 || nmetrics == 0 || nmetrics > f->nglyphs || len < 4 * (size_t)nmetrics)
		return -1;
	f->long_loca = compose_ttf_s16(t, head + 50) == 1;
	f->nmetrics = nmetrics;
	f->ascent = compose_ttf_s16(t, head + 42) * 1000 / (int)upem;
	f->descent = compose_ttf_s16(t, head + 38) * 1000 / (int)upem;
	f->width = calloc(f->nglyphs, sizeof *f->width);
	if (!f->width)
		return -1;
	for (unsigned g = 0; g < f->nglyphs; g++) {
		unsigned adv = compose_ttf_u16(t, hmtx + 4 * (size_t)(g < nmetrics ? g : nmetrics - 1));
		/* As libharu's HPDF_TTFontDef_GetGidWidth, so our lines match its /W. */
		f->width[g] = (uint16_t)(adv * 1000u / upem);
	}
	return 0;
}

struct font *compose_font_load(const char *path, char *err, size_t errlen)
{
	unsigned char *data = NULL;
	size_t n = 0;
	struct font *f = NULL;
	if (lk_read_file(path, MAX_FONT_BYTES, &data, &n, err, errlen) < 0)
		return NULL;
	struct ttf t = {data, n};
	uint32_t version = compose_ttf_u32(&t, 0);
	if (version != 0x00010000 && version != 0x74727565) {
		snprintf(err, errlen, "%s: not a TrueType font (TTF)", path);
		goto out;
	}
	f = calloc(1, sizeof *f);
	if (!f || !(f->gid = calloc(65536, sizeof *f->gid)) || !(f->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	if (read_metrics(&t, f) < 0) {
		snprintf(err, errlen, "%s: damaged or unsupported TrueType tables (head, hhea, maxp, hmtx)",
			 path);
		goto fail;
	}
	if (read_cmap(&t, f) < 0) {
		snprintf(err, errlen, "%s: no Windows Unicode (3,1) format 4 cmap, which libharu needs",
			 path);
		goto fail;
	}
	/* subset.c copies tables and glyphs from the file for each letter. */
	f->data = data;
	f->len = n;
	return f;
fail:
	compose_font_free(f);
	f = NULL;
out:
	free(data);
	return f;
}

void compose_font_free(struct font *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->gid);
	free(f->width);
	free(f->data);
	free(f);
}

int compose_font_has(const struct font *f, uint32_t cp)
{
	return cp < 0xFFFF && f->gid[cp] != 0;
}

unsigned compose_font_advance(const struct font *f, uint32_t cp)
{
	return compose_font_has(f, cp) ? f->width[f->gid[cp]] : 0;
}

unsigned long compose_font_text_width(const struct font *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long w = 0;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t k = lk_utf8_next(p + i, len - i, &cp);
		if (k == 0)
			k = 1;
		else
			w += compose_font_advance(f, cp);
		i += k;
	}
	return w;
}
