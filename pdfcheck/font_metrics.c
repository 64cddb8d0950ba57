/*
 * font_metrics.c: the advance widths of MuPDF's built-in fonts, worked out
 * once a process instead of once a letter.
 *
 * A letter that uses Helvetica or Times without embedding them is drawn
 * with MuPDF's built-in copies (Nimbus, CFF). Reading page 1's text for
 * the address, MuPDF's structured-text device asks each character's
 * advance, and fz_advance_glyph fills the font's advance cache 256 glyphs
 * at a time, each by parsing the glyph's charstring: some 500 glyph loads
 * for every letter, since every document loads its own instance of the
 * font. That was a quarter of check's time on such letters.
 *
 * An advance taken from the font program (no /Widths stretch) depends only
 * on the font data and the glyph, and the built-in fonts' data is one
 * static array for the whole process. So each block of 256 advances a
 * letter's instance has filled is kept here, keyed by that array, and
 * given to the next letter's instance of the same font before its text is
 * read. The numbers are the ones MuPDF would compute itself.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const base14[FONT_METRICS_FONTS] = {
	"Courier", "Courier-Oblique", "Courier-Bold", "Courier-BoldOblique",
	"Helvetica", "Helvetica-Oblique", "Helvetica-Bold", "Helvetica-BoldOblique",
	"Times-Roman", "Times-Italic", "Times-Bold", "Times-BoldItalic",
	"Symbol", "ZapfDingbats",
};

void font_metrics_init(fz_context *ctx, struct font_metrics *fm)
{
	memset(fm, 0, sizeof *fm);
	for (int i = 0; i < FONT_METRICS_FONTS; i++) {
		int len = 0;
		fm->font[i].data = fz_lookup_base14_font(ctx, base14[i], &len);
	}
}

void font_metrics_free(struct font_metrics *fm)
{
	for (int i = 0; i < FONT_METRICS_FONTS; i++) {
		for (int b = 0; b < fm->font[i].n_blocks; b++)
			free(fm->font[i].advance[b]);
		free(fm->font[i].advance);
	}
	memset(fm, 0, sizeof *fm);
}

/* The entry for a font made from built-in data, or NULL. */
static struct shared_font *shared_entry(struct font_metrics *fm, fz_font *font)
{
	if (!font->ft_face || !font->buffer || (font->flags.ft_stretch && font->width_table))
		return NULL;   /* advances from /Widths, not from the font program */
	const unsigned char *data = font->buffer->data;
	for (int i = 0; i < FONT_METRICS_FONTS; i++) {
		struct shared_font *s = &fm->font[i];
		if (data != s->data || !data)
			continue;
		if (!s->advance) {
			int n = (font->glyph_count + 255) / 256;
			s->advance = calloc((size_t)n, sizeof *s->advance);
			if (!s->advance)
				return NULL;
			s->n_blocks = n;
			s->glyph_count = font->glyph_count;
		}
		return s->glyph_count == font->glyph_count ? s : NULL;
	}
	return NULL;
}

void font_metrics_share(fz_context *ctx, struct font_metrics *fm, fz_font *font)
{
	struct shared_font *s = shared_entry(fm, font);
	if (!s)
		return;
	size_t block_bytes = 256 * sizeof(float);
	if (!font->advance_cache) {
		/* As fz_advance_glyph makes it, so fz_drop_font frees it. */
		font->advance_cache = fz_malloc_array(ctx, s->n_blocks, float *);
		memset(font->advance_cache, 0, (size_t)s->n_blocks * sizeof(float *));
	}
	for (int b = 0; b < s->n_blocks; b++) {
		if (s->advance[b] && !font->advance_cache[b]) {
			font->advance_cache[b] = fz_malloc_array(ctx, 256, float);
			memcpy(font->advance_cache[b], s->advance[b], block_bytes);
		} else if (!s->advance[b] && font->advance_cache[b]) {
			float *kept = malloc(block_bytes);
			if (kept)
				memcpy(kept, font->advance_cache[b], block_bytes);
			s->advance[b] = kept;
		}
	}
}
