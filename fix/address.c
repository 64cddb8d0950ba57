/*
 * address.c: the words Notify reads as page 1's address, found as check
 * finds them (pdfcheck/words.c): PyMuPDF's words of the whole page's
 * structured text, each the union of its characters' boxes, kept when
 * the box meets the address window grown by 3 mm. scale-to-fit on page 1
 * keeps their glyphs where they are; the fixed page's words are compared
 * with the original's, text and boxes.
 */
#include <string.h>

#include "internal.h"
#include "pymupdf_words.h"
#include "spec.h"

fz_rect address_read_box(fz_context *ctx, fz_page *page)
{
	fz_rect b = fz_bound_page(ctx, page);
	struct spec_rect w = spec_address_window;
	double m = SPEC_ADDRESS_READ_MARGIN_MM;
	return fz_make_rect((float)((w.x0 - m) * SPEC_PT_PER_MM + b.x0), (float)((w.y0 - m) * SPEC_PT_PER_MM + b.y0),
			    (float)((w.x1 + m) * SPEC_PT_PER_MM + b.x0), (float)((w.y1 + m) * SPEC_PT_PER_MM + b.y0));
}

/* The whole page's structured text, with check's options (PyMuPDF's words). */
static fz_stext_page *page_text(fz_context *ctx, fz_page *page)
{
	fz_stext_options so = {FZ_STEXT_PRESERVE_LIGATURES | FZ_STEXT_PRESERVE_WHITESPACE | FZ_STEXT_MEDIABOX_CLIP, 1};
	return fz_new_stext_page_from_page(ctx, page, &so);
}

/*
 * Calls `each` for every word of the page (delimiters between words too,
 * as words of their own with is_delim set), with its characters.
 */
struct word_walk {
	void (*word)(fz_context *ctx, void *arg, fz_stext_line *line, fz_stext_char *first, fz_stext_char *end,
		     fz_rect box);
	void *arg;
};

static void walk_words(fz_context *ctx, fz_stext_page *text, const struct word_walk *w)
{
	fz_rect page = text->mediabox;
	for (fz_stext_block *b = text->first_block; b; b = b->next) {
		if (b->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		for (fz_stext_line *l = b->u.t.first_line; l; l = l->next) {
			fz_stext_char *start = NULL;
			fz_rect box = fz_empty_rect;
			for (fz_stext_char *ch = l->first_char;; ch = ch->next) {
				int end = !ch;
				fz_rect cbox = end ? fz_empty_rect : pymupdf_char_box(ctx, l, ch);
				if (!end && !pymupdf_overlap(page, cbox))
					continue;   /* off the page: PyMuPDF skips it */
				if (end || pymupdf_is_delimiter(ch->c)) {
					if (start)
						w->word(ctx, w->arg, l, start, ch, box);
					start = NULL;
					box = fz_empty_rect;
					if (end)
						break;
				} else {
					if (!start)
						start = ch;
					box = fz_union_rect(box, cbox);
				}
			}
		}
	}
}

struct collect {
	fz_rect read_box;
	fz_point *origins;   /* page space: the address's characters */
	int n, cap;
	fz_buffer *words;    /* "word x0 y0 x1 y1\n" of each address word */
};

static void add_origin(fz_context *ctx, struct collect *c, fz_point p)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->origins = fz_realloc_array(ctx, c->origins, c->cap, fz_point);
	}
	c->origins[c->n++] = p;
}

static void collect_word(fz_context *ctx, void *arg, fz_stext_line *line, fz_stext_char *first,
			 fz_stext_char *end, fz_rect box)
{
	struct collect *c = arg;
	if (fz_is_empty_rect(box) || !pymupdf_intersects(box, c->read_box))
		return;
	for (fz_stext_char *ch = first; ch != end; ch = ch->next) {
		if (c->origins)
			add_origin(ctx, c, ch->origin);
		if (c->words)
			fz_append_rune(ctx, c->words, ch->c);
	}
	if (c->words)
		fz_append_printf(ctx, c->words, " %.2f %.2f %.2f %.2f\n", box.x0, box.y0, box.x1, box.y1);
	(void)line;
}

/* Delimiters (spaces) meeting the read area belong with the address too. */
static void collect_spaces(fz_context *ctx, fz_stext_page *text, struct collect *c)
{
	for (fz_stext_block *b = text->first_block; b; b = b->next) {
		if (b->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		for (fz_stext_line *l = b->u.t.first_line; l; l = l->next)
			for (fz_stext_char *ch = l->first_char; ch; ch = ch->next)
				if (pymupdf_is_delimiter(ch->c) && pymupdf_overlap(fz_rect_from_quad(ch->quad), c->read_box))
					add_origin(ctx, c, ch->origin);
	}
}

/*
 * Page 1's address read into c: its words, and when c gathers origins the
 * delimiters with them. What c holds is the caller's to free on an exception.
 */
static void collect_address(fz_context *ctx, fz_page *page, struct collect *c)
{
	fz_stext_page *text = page_text(ctx, page);
	fz_try(ctx) {
		struct word_walk w = {collect_word, c};
		walk_words(ctx, text, &w);
		if (c->origins)
			collect_spaces(ctx, text, c);
	}
	fz_always(ctx)
		fz_drop_stext_page(ctx, text);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int address_origins(fz_context *ctx, fz_page *page, fz_point **origins)
{
	struct collect c = {address_read_box(ctx, page), NULL, 0, 0, NULL};
	c.origins = fz_malloc_array(ctx, 1, fz_point);
	c.cap = 1;
	fz_try(ctx)
		collect_address(ctx, page, &c);
	fz_catch(ctx) {
		fz_free(ctx, c.origins);
		fz_rethrow(ctx);
	}
	*origins = c.origins;
	return c.n;
}

fz_buffer *address_words(fz_context *ctx, fz_page *page)
{
	struct collect c = {address_read_box(ctx, page), NULL, 0, 0, NULL};
	c.words = fz_new_buffer(ctx, 256);
	fz_try(ctx)
		collect_address(ctx, page, &c);
	fz_catch(ctx) {
		fz_drop_buffer(ctx, c.words);
		fz_rethrow(ctx);
	}
	return c.words;
}

struct near {
	fz_rect read_box;
	fz_rect *boxes;
	int n, cap;
};

static void collect_other(fz_context *ctx, void *arg, fz_stext_line *line, fz_stext_char *first,
			  fz_stext_char *end, fz_rect box)
{
	struct near *c = arg;
	(void)line;
	(void)first;
	(void)end;
	if (fz_is_empty_rect(box) || pymupdf_intersects(box, c->read_box))
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->boxes = fz_realloc_array(ctx, c->boxes, c->cap, fz_rect);
	}
	c->boxes[c->n++] = box;
}

int other_word_boxes(fz_context *ctx, fz_page *page, fz_rect **boxes)
{
	struct near c = {address_read_box(ctx, page), NULL, 0, 0};
	fz_stext_page *text = page_text(ctx, page);
	fz_try(ctx) {
		struct word_walk w = {collect_other, &c};
		walk_words(ctx, text, &w);
	}
	fz_always(ctx)
		fz_drop_stext_page(ctx, text);
	fz_catch(ctx) {
		fz_free(ctx, c.boxes);
		fz_rethrow(ctx);
	}
	*boxes = c.boxes;
	return c.n;
}
