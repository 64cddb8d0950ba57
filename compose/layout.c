/*
 * layout.c: where each line of a letter goes.
 *
 * Zones are LETTER-SPEC section 3's regions less named insets (zones.h),
 * and every line is measured with the font's bounding box, so the letter
 * passes `letterkit check` by construction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "layout.h"
#include "zones.h"

#define ADDR_MIN_SIZE 7.0
#define ADDR_MAX_SIZE 11.0

#define LEADING 1.25        /* line pitch over font size, body */
#define ADDR_LEADING 1.15
#define PARA_GAP 0.6        /* space between blocks over font size */
#define LIST_GAP 0.25       /* space between items of a list */
#define BULLET_INDENT 6.0   /* mm */
#define NUMBER_INDENT 8.0

/* Points above and below the baseline that any glyph of the face can reach. */
static double above(const struct compose_ctx *ctx, double size)
{
	int a = ctx->regular->ascent > ctx->bold->ascent ? ctx->regular->ascent : ctx->bold->ascent;
	return a * size / 1000.0;
}

static double below(const struct compose_ctx *ctx, double size)
{
	int d = ctx->regular->descent < ctx->bold->descent ? ctx->regular->descent : ctx->bold->descent;
	return -d * size / 1000.0;
}

static int no_memory(struct compose_result *res)
{
	snprintf(res->message, sizeof res->message, "out of memory");
	return -1;
}

/* The row's address, by Notify's rule for its columns (address.h), which `address --csv` follows too. */
static char *raw_address(const struct compose_row *row)
{
	struct address_columns cols;
	if (address_columns_find(row->names, row->n, &cols) < 0)
		return strdup("");   /* no address columns: address_check() says it is empty */
	return address_columns_join(&cols, row->values, row->n);
}

/* Fits the normalised lines into the window, shrinking the size as needed. */
static int place_address(struct letter *l, const struct compose_ctx *ctx,
			 const struct compose_row *row, struct compose_result *res)
{
	const char *lines[ADDRESS_MAX_LINES + 1];
	size_t lens[ADDRESS_MAX_LINES + 1], n = 0;
	for (const char *p = l->address; *p && n <= ADDRESS_MAX_LINES;) {
		const char *e = strchr(p, '\n');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		lines[n] = p;
		lens[n++] = k;
		p += k + (e ? 1 : 0);
	}
	const struct lk_letter_rect zone = compose_zone_address();
	double start = ctx->font_size < ADDR_MAX_SIZE ? ctx->font_size : ADDR_MAX_SIZE;
	unsigned long widest = 0;
	size_t widest_line = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < lens[i];) {
			uint32_t cp;
			size_t step = lk_utf8_next((const unsigned char *)lines[i] + k, lens[i] - k, &cp);
			if (step == 0)
				step = 1;
			else if (compose_letter_check_char(ctx->regular, cp, lines[i] + k, step, row, res))
				return 1;
			k += step;
		}
		unsigned long w = compose_font_text_width(ctx->regular, lines[i], lens[i]);
		if (w > widest)
			widest = w, widest_line = i + 1;
	}
	for (double size = start; size >= ADDR_MIN_SIZE; size -= 0.5) {
		double pitch = size * ADDR_LEADING;
		double height = (double)(n - 1) * pitch + above(ctx, size) + below(ctx, size);
		if (height > MM(zone.y1 - zone.y0) || widest * size / 1000.0 > MM(zone.x1 - zone.x0))
			continue;
		for (size_t i = 0; i < n; i++) {
			size_t off;
			if (compose_letter_put(l, lines[i], lens[i], &off) < 0 ||
			    compose_letter_draw(l, 0, MM(zone.x0), MM(zone.y0) + above(ctx, size) + (double)i * pitch,
					size, 0, off, lens[i]) < 0)
				return no_memory(res);
		}
		return 0;
	}
	res->error = COMPOSE_ERR_ADDRESS_FIT;
	snprintf(res->message, sizeof res->message,
		 "row %zu: the address does not fit the address window (%.1f mm wide) even at %.0f pt: "
		 "line %zu is too long", row->number, zone.x1 - zone.x0, ADDR_MIN_SIZE, widest_line);
	return 1;
}

int compose_letter_layout_address(struct letter *l, const struct compose_ctx *ctx,
			  const struct compose_row *row, struct compose_result *res)
{
	struct address_result ar = {0};
	char *raw = raw_address(row);
	if (!raw)
		return no_memory(res);
	int rc = 1;
	if (address_check(raw, strlen(raw), ctx->international, &ar) < 0 || !ar.valid) {
		const char *why = address_error_message(ar.error);
		res->error = ar.error ? ar.error : ADDRESS_ERR_EMPTY;
		snprintf(res->message, sizeof res->message, "row %zu: address: %s%s%s", row->number,
			 res->error, why ? ": " : "", why ? why : "");
		goto out;
	}
	res->zone = address_zone_name(ar.zone);
	l->address = ar.normalised;
	ar.normalised = NULL;
	rc = place_address(l, ctx, row, res);
out:
	address_result_clear(&ar);
	free(raw);
	return rc;
}

/* ---- the body ---- */

struct wline {
	size_t block, first, n;
};

struct pager {
	struct letter *l;
	const struct compose_ctx *ctx;
	struct compose_result *res;
	const struct compose_row *row;
	int page;
	double y;         /* top of the next line, points from the page top */
	double bottom;    /* lowest point a glyph may reach on this page */
	int at_top;       /* nothing placed on this page yet */
	int prev_kind;    /* the kind of the block placed last, -1 for none */
};

static double block_size(const struct compose_ctx *ctx, enum block_kind kind)
{
	return kind == BLOCK_HEADING ? ctx->font_size + 2 : ctx->font_size;
}

static double block_indent(enum block_kind kind)
{
	return MM(kind == BLOCK_BULLET ? BULLET_INDENT : kind == BLOCK_NUMBER ? NUMBER_INDENT : 0);
}

static const struct font *frag_font(const struct compose_ctx *ctx, const struct frag *f)
{
	return f->bold ? ctx->bold : ctx->regular;
}

/* Splits frag i so that its first part is as wide as fits in `avail` (1/1000 em). */
static int split_frag(struct letter *l, const struct compose_ctx *ctx, size_t b, size_t i,
		      double avail)
{
	struct frag *f = &l->frags[i];
	const struct font *font = frag_font(ctx, f);
	const unsigned char *s = (const unsigned char *)l->buf + f->off;
	double w = 0;
	size_t cut = 0;
	while (cut < f->len) {
		uint32_t cp;
		size_t k = lk_utf8_next(s + cut, f->len - cut, &cp);
		if (k == 0)
			k = 1;
		double cw = compose_font_advance(font, cp);
		if (cut > 0 && w + cw > avail)
			break;
		w += cw;
		cut += k;
	}
	if (cut == f->len)
		return 0;
	if (l->nfrags + 1 > l->fcap) {
		size_t cap = l->fcap * 2;
		struct frag *bigger = realloc(l->frags, cap * sizeof *bigger);
		if (!bigger)
			return -1;
		l->frags = bigger;
		l->fcap = cap;
		f = &l->frags[i];
	}
	memmove(&l->frags[i + 2], &l->frags[i + 1], (l->nfrags - i - 1) * sizeof *l->frags);
	l->nfrags++;
	struct frag rest = *f;
	rest.off += cut;
	rest.len -= cut;
	rest.w -= w;
	rest.space_before = rest.brk = 0;
	f->len = cut;
	f->w = w;
	l->frags[i + 1] = rest;
	l->blocks[b].nfrags++;
	for (size_t k = b + 1; k < l->nblocks; k++)
		l->blocks[k].first++;
	return 0;
}

static double space_w(const struct compose_ctx *ctx, const struct frag *f)
{
	return compose_font_advance(frag_font(ctx, f), ' ');
}

/* Breaks block b into lines no wider than `width` (1/1000 em at its size). */
/* Wraps block b into lines, stopping once there are more than max_lines. */
static int wrap_block(struct letter *l, const struct compose_ctx *ctx, size_t b, double width,
		      size_t max_lines, struct wline **lines, size_t *nlines, size_t *cap)
{
	size_t i = l->blocks[b].first;
	while (i < l->blocks[b].first + l->blocks[b].nfrags && *nlines <= max_lines) {
		size_t end = l->blocks[b].first + l->blocks[b].nfrags;
		size_t j = i;
		double x = 0;
		while (j < end) {
			if (j > i && l->frags[j].brk)
				break;
			/* A word: frags joined without a space between them. */
			size_t k = j + 1;
			double ww = l->frags[j].w;
			while (k < end && !l->frags[k].space_before && !l->frags[k].brk)
				ww += l->frags[k++].w;
			double gap = j > i && l->frags[j].space_before ? space_w(ctx, &l->frags[j - 1]) : 0;
			if (x + gap + ww <= width) {
				x += gap + ww;
				j = k;
				continue;
			}
			if (j == i) {
				/* A word wider than the line: break it where it must. */
				while (j < k && x + l->frags[j].w <= width)
					x += l->frags[j++].w;
				if (j == i) {
					if (split_frag(l, ctx, b, j, width) < 0)
						return -1;
					j++;
				}
			}
			break;
		}
		if (*nlines == *cap) {
			size_t c = *cap ? *cap * 2 : 64;
			struct wline *bigger = realloc(*lines, c * sizeof *bigger);
			if (!bigger)
				return -1;
			*lines = bigger;
			*cap = c;
		}
		(*lines)[(*nlines)++] = (struct wline){b, i, j - i};
		i = j;
	}
	return 0;
}

static double page_bottom(const struct compose_ctx *ctx)
{
	double bottom = MM(compose_zone_body_later_pages().y1);
	if (ctx->page_numbers)  /* room for the page number line */
		bottom -= (ctx->font_size - 1) * LEADING + ctx->font_size * PARA_GAP;
	return bottom;
}

size_t compose_letter_max_lines(const struct compose_ctx *ctx)
{
	/* Every line takes at least its leading; no block is smaller than the body size. */
	return (size_t)(COMPOSE_MAX_PAGES * MM(LK_LETTER_HEIGHT_MM) / (ctx->font_size * LEADING)) + 1;
}

int compose_letter_too_long(const struct compose_row *row, struct compose_result *res)
{
	res->error = COMPOSE_ERR_TOO_LONG;
	snprintf(res->message, sizeof res->message, "row %zu: the letter needs more than %d pages, Notify's limit",
		 row->number, COMPOSE_MAX_PAGES);
	return 1;
}

static int new_page(struct pager *pg)
{
	if (pg->page + 1 >= COMPOSE_MAX_PAGES)
		return compose_letter_too_long(pg->row, pg->res);
	pg->page++;
	pg->y = MM(compose_zone_body_later_pages().y0);
	pg->at_top = 1;
	return 0;
}

/* Draws one wrapped line at the pager's position. */
static int draw_line(struct pager *pg, const struct wline *wl, double size, double baseline)
{
	struct letter *l = pg->l;
	const struct lblock *blk = &l->blocks[wl->block];
	double left = MM(compose_zone_body_later_pages().x0);
	double x = left + block_indent(blk->kind);
	if (wl->first == blk->first && blk->kind == BLOCK_BULLET) {
		/*
		 * Bullets are drawn, not set as U+2022: a code point that high
		 * makes libharu's CIDToGIDMap 16 KB per font per letter.
		 */
		if (compose_letter_draw(l, pg->page, left, baseline, size, -1, 0, 0) < 0)
			return -1;
	} else if (wl->first == blk->first && blk->kind == BLOCK_NUMBER) {
		char mark[16];
		int n = snprintf(mark, sizeof mark, "%d.", blk->number);
		size_t off;
		if (compose_letter_put(l, mark, (size_t)n, &off) < 0 ||
		    compose_letter_draw(l, pg->page, left, baseline, size, 0, off, (size_t)n) < 0)
			return -1;
	}
	size_t i = wl->first, end = wl->first + wl->n;
	while (i < end) {
		size_t j = i + 1;
		double w = l->frags[i].w;
		while (j < end && l->frags[j].bold == l->frags[i].bold) {
			if (l->frags[j].space_before)
				w += space_w(pg->ctx, &l->frags[j - 1]);
			w += l->frags[j++].w;
		}
		size_t off = l->frags[i].off;
		if (compose_letter_draw(l, pg->page, x, baseline, size, l->frags[i].bold, off,
				l->frags[j - 1].off + l->frags[j - 1].len - off) < 0)
			return -1;
		x += w * size / 1000.0;
		if (j < end && l->frags[j].space_before)
			x += space_w(pg->ctx, &l->frags[j - 1]) * size / 1000.0;
		i = j;
	}
	return 0;
}

/* Height of `n` lines of a block at `size`, from the top of the first glyph box. */
static double lines_height(const struct compose_ctx *ctx, size_t n, double size)
{
	return n ? (double)(n - 1) * size * LEADING + above(ctx, size) + below(ctx, size) : 0;
}

/* Places the lines of one block, moving to new pages as needed. */
static int place_block(struct pager *pg, const struct wline *lines, size_t first, size_t n,
		       const struct wline *next, size_t next_n)
{
	const struct lblock *blk = &pg->l->blocks[lines[first].block];
	double size = block_size(pg->ctx, blk->kind);
	/* Items of one list sit closer together than paragraphs. */
	int in_list = (blk->kind == BLOCK_BULLET || blk->kind == BLOCK_NUMBER) && pg->prev_kind == (int)blk->kind;
	double gap = pg->at_top ? 0 : pg->ctx->font_size * (in_list ? LIST_GAP : PARA_GAP);
	pg->prev_kind = (int)blk->kind;
	/* Keep a heading with the first lines of what follows it. */
	double need = lines_height(pg->ctx, n, size);
	if (blk->kind == BLOCK_HEADING && next_n) {
		double nsize = block_size(pg->ctx, pg->l->blocks[next->block].kind);
		need += size * LEADING - above(pg->ctx, size) - below(pg->ctx, size) +
			lines_height(pg->ctx, next_n < 2 ? next_n : 2, nsize) + pg->ctx->font_size * PARA_GAP;
	}
	if (!pg->at_top && pg->y + gap + need > pg->bottom) {
		int rc = new_page(pg);
		if (rc)
			return rc;
		gap = 0;
	}
	pg->y += gap;
	for (size_t i = first; i < first + n; i++) {
		double baseline = pg->y + above(pg->ctx, size);
		if (baseline + below(pg->ctx, size) > pg->bottom) {
			int rc = new_page(pg);
			if (rc)
				return rc;
			baseline = pg->y + above(pg->ctx, size);
		}
		if (draw_line(pg, &lines[i], size, baseline) < 0)
			return -1;
		pg->y += size * LEADING;
		pg->at_top = 0;
	}
	pg->y += below(pg->ctx, size) - (size * LEADING - above(pg->ctx, size));
	return 0;
}

static int number_pages(struct letter *l, const struct compose_ctx *ctx, struct compose_result *res)
{
	double size = ctx->font_size - 1;
	const struct lk_letter_rect body = compose_zone_body_later_pages();
	double baseline = MM(body.y1) - below(ctx, size);
	for (int p = 0; p < l->pages; p++) {
		char text[64];
		int n = snprintf(text, sizeof text, ctx->lang == COMPOSE_WELSH ? "Tudalen %d o %d" : "Page %d of %d",
				 p + 1, l->pages);
		size_t off;
		double w = compose_font_text_width(ctx->regular, text, (size_t)n) * size / 1000.0;
		if (compose_letter_put(l, text, (size_t)n, &off) < 0 ||
		    compose_letter_draw(l, p, MM(body.x1) - w, baseline, size, 0, off, (size_t)n) < 0)
			return no_memory(res);
	}
	return 0;
}

int compose_letter_layout_body(struct letter *l, const struct compose_ctx *ctx,
		       const struct compose_row *row, struct compose_result *res)
{
	struct wline *lines = NULL;
	size_t nlines = 0, cap = 0, max_lines = compose_letter_max_lines(ctx);
	int rc = 0;
	size_t *block_line = calloc(l->nblocks + 1, sizeof *block_line);
	if (!block_line)
		return no_memory(res);
	for (size_t b = 0; b < l->nblocks; b++) {
		block_line[b] = nlines;
		double size = block_size(ctx, l->blocks[b].kind);
		const struct lk_letter_rect body = compose_zone_body_later_pages();
		double width = (MM(body.x1 - body.x0) - block_indent(l->blocks[b].kind)) * 1000.0 / size;
		if (wrap_block(l, ctx, b, width, max_lines, &lines, &nlines, &cap) < 0) {
			rc = no_memory(res);
			goto out;
		}
		if (nlines > max_lines) {
			rc = compose_letter_too_long(row, res);
			goto out;
		}
	}
	block_line[l->nblocks] = nlines;
	struct pager pg = {.l = l, .ctx = ctx, .res = res, .row = row, .page = 0,
		.y = MM(compose_zone_body_first_page().y0), .bottom = page_bottom(ctx), .at_top = 1, .prev_kind = -1};
	for (size_t b = 0; b < l->nblocks; b++) {
		if (l->blocks[b].kind == BLOCK_PAGE_BREAK) {
			if (!(pg.page == 0 && pg.at_top) && (rc = new_page(&pg)) != 0)
				goto out;
			continue;
		}
		size_t n = block_line[b + 1] - block_line[b];
		if (n == 0)
			continue;
		size_t nb = b + 1;
		while (nb < l->nblocks && block_line[nb + 1] == block_line[nb] &&
		       l->blocks[nb].kind != BLOCK_PAGE_BREAK)
			nb++;
		size_t next_n = nb < l->nblocks && l->blocks[nb].kind != BLOCK_PAGE_BREAK
			? block_line[nb + 1] - block_line[nb] : 0;
		rc = place_block(&pg, lines, block_line[b], n, next_n ? &lines[block_line[nb]] : NULL, next_n);
		if (rc)
			goto out;
	}
	l->pages = pg.page + 1;
	if (ctx->page_numbers)
		rc = number_pages(l, ctx, res);
out:
	if (rc < 0 && !res->message[0])
		no_memory(res);
	free(lines);
	free(block_line);
	return rc;
}
