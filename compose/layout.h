/*
 * layout.h: one letter's text, merged from the template and a row, and
 * laid out into positioned text on pages.
 *
 * All positions are in points from the page's top-left corner (y down);
 * render.c turns them into PDF user space. Every line is kept inside its
 * zone using the font's bounding box (head yMin/yMax), not its typical
 * ascent, so no glyph can reach outside what `letterkit check` allows.
 */
#ifndef COMPOSE_LAYOUT_H
#define COMPOSE_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "compose-imp.h"

/* A fragment of text: a word or part of one, in one font. */
struct frag {
	size_t off, len;       /* in the letter's text buffer */
	unsigned bold : 1;
	unsigned space_before : 1;
	unsigned brk : 1;      /* a forced line break before it */
	double w;              /* width in 1/1000 em */
};

/* Text drawn at one place: a slice of the buffer in one font. */
struct draw {
	int page;              /* 0-based */
	double x, y;           /* baseline start, points from the top left */
	double size;
	unsigned bold : 1;
	unsigned dot : 1;      /* a bullet: a filled circle, not text */
	size_t off, len;
};

/* A block of the body with its fragments. */
struct lblock {
	enum block_kind kind;
	int number;
	size_t first, nfrags;
};

struct letter {
	char *buf;             /* merged text of the whole letter */
	size_t len, cap;
	struct frag *frags;
	size_t nfrags, fcap;
	struct draw *draws;
	size_t ndraws, dcap;
	struct lblock *blocks;
	size_t nblocks, bcap;
	int pages;
	/* compose_letter_append's state inside the current block */
	int open, pending_space, pending_brk;
	char *address;         /* normalised, '\n' between lines */
};

void compose_letter_clear(struct letter *l);

/*
 * Appends UTF-8 text to the buffer, folding tabs and line breaks to
 * spaces and runs of spaces to one. Fails (error and message set in res)
 * on invalid UTF-8, a control character, or a character the font lacks.
 */
int compose_letter_append(struct letter *l, const struct compose_ctx *ctx, const char *s, size_t n,
		  int bold, const struct compose_row *row, struct compose_result *res);

/*
 * Fails the row (1, with error and message in res) for a control character
 * or a character `font` lacks; `s` holds its k bytes, for the message.
 */
int compose_letter_check_char(const struct font *font, uint32_t cp, const char *s, size_t k,
		      const struct compose_row *row, struct compose_result *res);

/* Appends bytes as they are; *off is where they start. -1 when out of memory. */
int compose_letter_put(struct letter *l, const char *s, size_t n, size_t *off);

/*
 * Adds a text buffer slice to draw (or with len 0 and bold -1, a bullet dot
 * whose baseline and size are given); -1 when out of memory.
 */
int compose_letter_draw(struct letter *l, int page, double x, double y, double size, int bold,
		size_t off, size_t len);

/* Puts the row into the template and lays the letter out (merge.c, layout.c). */
int compose_letter_merge(struct letter *l, const struct compose_ctx *ctx, const struct compose_row *row,
		 struct compose_result *res);
int compose_letter_layout_address(struct letter *l, const struct compose_ctx *ctx,
			  const struct compose_row *row, struct compose_result *res);
int compose_letter_layout_body(struct letter *l, const struct compose_ctx *ctx,
		       const struct compose_row *row, struct compose_result *res);

/*
 * More lines than this cannot fit on COMPOSE_MAX_PAGES pages at the body's
 * font size, so merge and wrap stop there instead of working through the
 * rest of a huge template or value: the letter is too long either way.
 */
size_t compose_letter_max_lines(const struct compose_ctx *ctx);

/* Fails the row as longer than Notify's page limit; returns 1. */
int compose_letter_too_long(const struct compose_row *row, struct compose_result *res);

/* render.c: the PDF of a laid-out letter, into res->pdf. */
int compose_letter_render(const struct letter *l, struct compose_ctx *ctx, struct compose_result *res);
/* The libharu document kept across letters, freed (compose_ctx_free). */
void compose_render_free(struct compose_ctx *ctx);

#define MM(x) ((x) * 72.0 / 25.4)

#endif
