/*
 * words.c: the text in a box, read the way Notify reads it.
 *
 * Notify (PyMuPDF's get_text_words) splits each structured-text line into
 * words at spaces, keeps the words whose box intersects the box, in
 * (block, line, word) order, and starts a new line of output whenever a
 * word's bottom edge differs from the previous word's. We do the same on
 * MuPDF's structured text, so that odd content streams (paragraphs out of
 * order, gaps, words placed one by one) give the lines Notify gets.
 */
#include <string.h>

#include "internal.h"

struct word {
	fz_rect box;
	char *text;
	size_t len, cap;
};

static void word_add_char(fz_context *ctx, struct word *w, int c, fz_rect box)
{
	char utf8[FZ_UTFMAX];
	int n = fz_runetochar(utf8, c);
	if (w->len + (size_t)n + 1 > w->cap) {
		w->cap = w->cap ? w->cap * 2 : 32;
		w->text = fz_realloc(ctx, w->text, w->cap);
	}
	memcpy(w->text + w->len, utf8, (size_t)n);
	w->len += (size_t)n;
	w->box = w->len == (size_t)n ? box : fz_union_rect(w->box, box);
}

/* PyMuPDF's Rect.intersects: a common area, not just a shared edge. */
static int intersects(fz_rect a, fz_rect b)
{
	return !fz_is_empty_rect(a) && !fz_is_empty_rect(b) &&
	       a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static void emit_word(fz_context *ctx, fz_buffer *out, struct word *w, fz_rect box,
		      int *have_prev, float *prev_y1)
{
	if (w->len == 0 || !intersects(w->box, box)) {
		w->len = 0;
		return;
	}
	if (*have_prev)
		fz_append_byte(ctx, out, w->box.y1 == *prev_y1 ? ' ' : '\n');
	fz_append_data(ctx, out, w->text, w->len);
	*have_prev = 1;
	*prev_y1 = w->box.y1;
	w->len = 0;
}

char *words_in_box(fz_context *ctx, fz_stext_page *text, fz_rect box)
{
	fz_buffer *out = fz_new_buffer(ctx, 256);
	struct word w = {0};
	char *result = NULL;
	int have_prev = 0;
	float prev_y1 = 0;
	fz_var(result);
	fz_try(ctx) {
		for (fz_stext_block *b = text->first_block; b; b = b->next) {
			if (b->type != FZ_STEXT_BLOCK_TEXT)
				continue;
			for (fz_stext_line *l = b->u.t.first_line; l; l = l->next) {
				for (fz_stext_char *ch = l->first_char; ch; ch = ch->next) {
					if (ch->c == ' ')
						emit_word(ctx, out, &w, box, &have_prev, &prev_y1);
					else if (ch->c == 0)
						continue;   /* a glyph mapped to U+0000: no text */
					else
						word_add_char(ctx, &w, ch->c, fz_rect_from_quad(ch->quad));
				}
				emit_word(ctx, out, &w, box, &have_prev, &prev_y1);
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
