/*
 * words.c: the text in a box, read the way Notify reads it.
 *
 * Notify takes PyMuPDF's page.get_text("words") of the whole page: each
 * structured-text line is split into words at delimiters (a code point up
 * to U+0020, or U+00A0), each word with the union of its characters' boxes
 * and its (block, line, word) numbers; it keeps the words whose box
 * intersects the box, sorts them by those numbers (the order MuPDF made
 * them in) and joins consecutive words with the same bottom edge by a
 * space, putting a newline wherever the bottom edge changes. So the lines
 * of the answer are MuPDF's lines, and MuPDF's lines depend on all the text
 * of the page: the structured text must be of the whole page (check.c).
 *
 * The character boxes are PyMuPDF's (JM_char_bbox), not MuPDF's raw quads:
 * for a font whose ascender minus descender is under 1 em, PyMuPDF
 * rebuilds the quad from the font size.
 */
#include <float.h>
#include <string.h>

#include "internal.h"
#include "pymupdf_words.h"

struct word {
	fz_rect box;
	char *text;
	size_t len, cap;
};

/* JM_char_quad: the quad, made at least font-size tall when the font's
 * ascender and descender say less than that. */
static fz_quad char_quad(fz_context *ctx, const fz_stext_line *line, const fz_stext_char *ch)
{
	if (line->wmode || !ch->font)
		return ch->quad;
	float asc = fz_font_ascender(ctx, ch->font);
	float dsc = fz_font_descender(ctx, ch->font);
	float asc_dsc = asc - dsc + FLT_EPSILON;
	if (asc_dsc >= 1)
		return ch->quad;
	if (asc < 1e-3f) {   /* a glyphless font (OCR layers) */
		dsc = -0.1f;
		asc = 0.9f;
		asc_dsc = 1.0f;
	}
	dsc /= asc_dsc;
	asc /= asc_dsc;
	asc_dsc = asc - dsc;
	asc = asc * ch->size / asc_dsc;
	dsc = dsc * ch->size / asc_dsc;

	/* In the line's own frame: origin at the character's, baseline along x. */
	float c = line->dir.x, s = line->dir.y;
	fz_matrix derotate = fz_make_matrix(c, -s, s, c, 0, 0);
	fz_matrix rotate = fz_make_matrix(c, s, -s, c, 0, 0);
	if (c == -1) {   /* a left-right flip */
		derotate.d = 1;
		rotate.d = 1;
	}
	fz_quad q = fz_transform_quad(ch->quad, fz_translate(-ch->origin.x, -ch->origin.y));
	q = fz_transform_quad(q, derotate);
	if (c == 1 && q.ul.y > 0) {   /* an up-down flip */
		q.ul.y = q.ur.y = asc;
		q.ll.y = q.lr.y = dsc;
	} else {
		q.ul.y = q.ur.y = -asc;
		q.ll.y = q.lr.y = -dsc;
	}
	if (q.ll.x < 0)
		q.ll.x = q.ul.x = 0;
	if (q.lr.x - q.ll.x < FLT_EPSILON) {   /* no width: the glyph's advance */
		int glyph = fz_encode_character(ctx, ch->font, ch->c);
		if (glyph) {
			q.lr.x = q.ll.x + fz_advance_glyph(ctx, ch->font, glyph, 0) * ch->size;
			q.ur.x = q.lr.x;
		}
	}
	q = fz_transform_quad(q, rotate);
	return fz_transform_quad(q, fz_translate(ch->origin.x, ch->origin.y));
}

fz_rect pymupdf_char_box(fz_context *ctx, const fz_stext_line *line, const fz_stext_char *ch)
{
	fz_rect r = fz_rect_from_quad(char_quad(ctx, line, ch));
	if (line->wmode && r.y1 < r.y0 + ch->size)
		r.y0 = r.y1 - ch->size;
	return r;
}

static void word_add_char(fz_context *ctx, struct word *w, int c, fz_rect box)
{
	char utf8[FZ_UTFMAX];
	if (c >= 0xd800 && c <= 0xdfff)   /* a lone surrogate: PyMuPDF writes U+FFFD */
		c = 0xfffd;
	int n = fz_runetochar(utf8, c);
	if (w->len + (size_t)n + 1 > w->cap) {
		w->cap = w->cap ? w->cap * 2 : 32;
		w->text = fz_realloc(ctx, w->text, w->cap);
	}
	memcpy(w->text + w->len, utf8, (size_t)n);
	w->len += (size_t)n;
	w->box = fz_union_rect(w->box, box);   /* an empty box adds nothing */
}

/* The word is done: kept when PyMuPDF lists it (a box with an area) and it
 * meets `box`; a new output line when its bottom edge is not the last's. */
static void end_word(fz_context *ctx, fz_buffer *out, struct word *w, fz_rect box,
		     int *have_prev, float *prev_y1)
{
	if (w->len && !fz_is_empty_rect(w->box) && pymupdf_intersects(w->box, box)) {
		if (*have_prev)
			fz_append_byte(ctx, out, w->box.y1 == *prev_y1 ? ' ' : '\n');
		fz_append_data(ctx, out, w->text, w->len);
		*have_prev = 1;
		*prev_y1 = w->box.y1;
	}
	w->len = 0;
	w->box = fz_empty_rect;
}

/* False when no word of the line can meet `box`, so its characters need no
 * boxes (most of a page is far from the address window). A character's box
 * is its quad, which the line's bbox holds, or one char_quad rebuilt at
 * most a font size tall about the character's origin (inside its quad) and
 * an advance wide: four sizes around the bbox hold them all. */
static int could_meet(const fz_stext_line *line, fz_rect box)
{
	float size = 0;
	for (const fz_stext_char *ch = line->first_char; ch; ch = ch->next)
		if (ch->size > size)
			size = ch->size;
	return pymupdf_overlap(fz_expand_rect(line->bbox, 4 * size), box);
}

char *words_in_box(fz_context *ctx, fz_stext_page *text, fz_rect box)
{
	fz_buffer *out = fz_new_buffer(ctx, 256);
	struct word w = {fz_empty_rect, NULL, 0, 0};
	char *result = NULL;
	int have_prev = 0;
	float prev_y1 = 0;
	fz_rect page = text->mediabox;
	fz_var(result);
	fz_try(ctx) {
		for (fz_stext_block *b = text->first_block; b; b = b->next) {
			if (b->type != FZ_STEXT_BLOCK_TEXT)
				continue;
			for (fz_stext_line *l = b->u.t.first_line; l; l = l->next) {
				if (!could_meet(l, box))
					continue;
				for (fz_stext_char *ch = l->first_char; ch; ch = ch->next) {
					fz_rect cbox = pymupdf_char_box(ctx, l, ch);
					if (!pymupdf_overlap(page, cbox))
						continue;   /* off the page: PyMuPDF skips it */
					if (pymupdf_is_delimiter(ch->c))
						end_word(ctx, out, &w, box, &have_prev, &prev_y1);
					else
						word_add_char(ctx, &w, ch->c, cbox);
				}
				end_word(ctx, out, &w, box, &have_prev, &prev_y1);
			}
		}
		fz_terminate_buffer(ctx, out);
		unsigned char *data;
		size_t len = fz_buffer_storage(ctx, out, &data);
		result = fz_malloc(ctx, len + 1);
		memcpy(result, data, len);
		result[len] = '\0';
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, out);
		fz_free(ctx, w.text);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return result;
}
