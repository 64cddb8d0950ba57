/*
 * font.h: what compose needs to know about a TrueType font, read by us.
 *
 * libharu prints an empty box for a character the font lacks and measures
 * text with quirks around multibyte characters, so compose reads the TTF
 * itself: the (3,1) format-4 cmap libharu also uses (so both agree on which
 * characters exist), advance widths rounded exactly as libharu rounds them
 * for the PDF's /W array, and the font's bounding box for safe line extents.
 */
#ifndef COMPOSE_FONT_H
#define COMPOSE_FONT_H

#include <stddef.h>
#include <stdint.h>

struct font {
	char *path;            /* as given, for libharu and messages */
	uint16_t *gid;         /* 65536 entries: BMP code point -> glyph, 0 = none */
	uint16_t *width;       /* per glyph: advance in 1/1000 em (libharu's rounding) */
	unsigned nglyphs;
	int ascent, descent;   /* head yMax and yMin in 1/1000 em (descent <= 0) */
	/* The file and where its tables are, for subset.c. */
	unsigned char *data;
	size_t len;
	int long_loca;         /* head indexToLocFormat */
	unsigned nmetrics;     /* hhea numberOfHMetrics */
};

/* Bounds-checked big-endian reads of a font file (0 past the end). */
struct ttf {
	const unsigned char *d;
	size_t n;
};
unsigned compose_ttf_u16(const struct ttf *t, size_t off);
int compose_ttf_s16(const struct ttf *t, size_t off);
uint32_t compose_ttf_u32(const struct ttf *t, size_t off);
/* The offset and length of table `tag`, checked to lie inside the file. */
int compose_ttf_find_table(const struct ttf *t, const char *tag, size_t *off, size_t *len);

/**
 * Reads the TTF at `path`. Returns a new font, or NULL with a message naming
 * the file in err (not a TrueType font, no Unicode cmap, ...).
 */
struct font *compose_font_load(const char *path, char *err, size_t errlen);
void compose_font_free(struct font *f);

/** 1 when the font has a glyph for code point `cp`. */
int compose_font_has(const struct font *f, uint32_t cp);

/** Advance of `cp` in 1/1000 em (0 for a character the font lacks). */
unsigned compose_font_advance(const struct font *f, uint32_t cp);

/* UTF-8 is decoded with lk_utf8_next() (lk_utf8.h). */
#include "lk_utf8.h"

/** Width of `len` bytes of valid UTF-8 text in 1/1000 em. */
unsigned long compose_font_text_width(const struct font *f, const char *s, size_t len);

#endif
