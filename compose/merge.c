/*
 * merge.c: the row's values put into the template's blocks, as fragments.
 *
 * Values go in as plain text; whitespace is folded as HTML would (Notify
 * renders letters from HTML), and every character is checked against the
 * font here, so a missing glyph fails the row instead of printing a box.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "address.h"
#include "layout.h"

#define MAX_KEY 160

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

void compose_letter_clear(struct letter *l)
{
	free(l->buf);
	free(l->frags);
	free(l->draws);
	free(l->blocks);
	free(l->address);
	memset(l, 0, sizeof *l);
}

int compose_letter_draw(struct letter *l, int page, double x, double y, double size, int bold,
		size_t off, size_t len)
{
	if (grow((void **)&l->draws, &l->dcap, l->ndraws + 1, sizeof *l->draws) < 0)
		return -1;
	l->draws[l->ndraws++] = (struct draw){.page = page, .x = x, .y = y, .size = size,
		.bold = bold > 0, .dot = bold < 0, .off = off, .len = len};
	return 0;
}

static int no_memory(struct compose_result *res)
{
	snprintf(res->message, sizeof res->message, "out of memory");
	return -1;
}

static int put_byte(struct letter *l, char c)
{
	if (grow((void **)&l->buf, &l->cap, l->len + 2, 1) < 0)
		return -1;
	l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
	return 0;
}

static int row_failed(struct compose_result *res, const char *code)
{
	res->error = code;
	return 1;
}

int compose_letter_check_char(const struct font *font, uint32_t cp, const char *s, size_t k,
		      const struct compose_row *row, struct compose_result *res)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
		snprintf(res->message, sizeof res->message,
			 "row %zu: control character U+%04X in the text", row->number, (unsigned)cp);
		return row_failed(res, COMPOSE_ERR_TEXT);
	}
	if (!compose_font_has(font, cp)) {
		snprintf(res->message, sizeof res->message,
			 "row %zu: the font %s has no glyph for '%.*s' (U+%04X)", row->number,
			 font->path, (int)k, s, (unsigned)cp);
		return row_failed(res, COMPOSE_ERR_GLYPH);
	}
	return 0;
}

int compose_letter_put(struct letter *l, const char *s, size_t n, size_t *off)
{
	*off = l->len;
	for (size_t i = 0; i < n; i++)
		if (put_byte(l, s[i]) < 0)
			return -1;
	return 0;
}

/* Starts a fragment at the end of the buffer, after its space if any. */
static int open_frag(struct letter *l, int bold)
{
	if (l->pending_space && !l->pending_brk && put_byte(l, ' ') < 0)
		return -1;
	if (grow((void **)&l->frags, &l->fcap, l->nfrags + 1, sizeof *l->frags) < 0)
		return -1;
	struct frag *f = &l->frags[l->nfrags++];
	memset(f, 0, sizeof *f);
	f->off = l->len;
	f->bold = bold ? 1 : 0;
	f->space_before = l->pending_space && !l->pending_brk;
	f->brk = l->pending_brk ? 1 : 0;
	l->pending_space = l->pending_brk = 0;
	l->open = 1;
	return 0;
}

int compose_letter_append(struct letter *l, const struct compose_ctx *ctx, const char *s, size_t n,
		  int bold, const struct compose_row *row, struct compose_result *res)
{
	const struct font *font = bold ? ctx->bold : ctx->regular;
	const unsigned char *p = (const unsigned char *)s;
	if (l->open && l->nfrags && l->frags[l->nfrags - 1].bold != (bold ? 1u : 0u))
		l->open = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = lk_utf8_next(p + i, n - i, &cp);
		if (k == 0) {
			snprintf(res->message, sizeof res->message, "row %zu: text is not valid UTF-8",
				 row->number);
			return row_failed(res, COMPOSE_ERR_TEXT);
		}
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0) {
			/* Folded like HTML whitespace; none at the start of a block. */
			if (l->blocks[l->nblocks - 1].nfrags)
				l->pending_space = 1;
			l->open = 0;
			i += k;
			continue;
		}
		if (compose_letter_check_char(font, cp, s + i, k, row, res))
			return 1;
		if (!l->open) {
			if (open_frag(l, bold) < 0)
				return no_memory(res);
			l->blocks[l->nblocks - 1].nfrags++;
		}
		for (size_t j = 0; j < k; j++)
			if (put_byte(l, s[i + j]) < 0)
				return no_memory(res);
		struct frag *f = &l->frags[l->nfrags - 1];
		f->len += k;
		f->w += compose_font_advance(font, cp);
		i += k;
	}
	return 0;
}

static int open_block(struct letter *l, const struct block *b)
{
	if (grow((void **)&l->blocks, &l->bcap, l->nblocks + 1, sizeof *l->blocks) < 0)
		return -1;
	l->blocks[l->nblocks++] = (struct lblock){.kind = b->kind, .number = b->number,
		.first = l->nfrags};
	l->open = l->pending_space = l->pending_brk = 0;
	return 0;
}

/* The value of column `key` in the row, or NULL. */
static const char *lookup(const struct compose_row *row, char (*keys)[MAX_KEY], const char *key)
{
	for (size_t i = 0; i < row->n; i++)
		if (!strcmp(keys[i], key))
			return row->values[i];
	return NULL;
}

static int truthy(const char *v)
{
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	while (n && v[n - 1] == ' ')
		n--;
	return (n == 3 && !strncasecmp(v, "yes", 3)) || (n == 4 && !strncasecmp(v, "true", 4));
}

/* 1 when a placeholder before span s of block b has the same name. */
static int named_before(const struct markup *m, size_t b, size_t s)
{
	const char *name = m->blocks[b].spans[s].name;
	for (size_t i = 0; i <= b; i++)
		for (size_t k = 0; k < (i == b ? s : m->blocks[i].nspans); k++)
			if (m->blocks[i].spans[k].name && !strcmp(m->blocks[i].spans[k].name, name))
				return 1;
	return 0;
}

/*
 * Appends " ((name))" for every placeholder no key matches, comma-separated,
 * to out (from `used`); returns how many. Once out is full the loops end: no
 * need to look at thousands more.
 */
static size_t list_missing(const struct compose_ctx *ctx, const struct compose_row *row,
			   char (*keys)[MAX_KEY], char *out, size_t outlen, size_t used)
{
	size_t missing = 0;
	for (size_t b = 0; b < ctx->body->nblocks && used < outlen; b++) {
		const struct block *blk = &ctx->body->blocks[b];
		for (size_t s = 0; s < blk->nspans && used < outlen; s++) {
			const struct span *sp = &blk->spans[s];
			if ((sp->kind != SPAN_FIELD && sp->kind != SPAN_COND) || lookup(row, keys, sp->key) ||
			    named_before(ctx->body, b, s))
				continue;
			missing++;
			used += (size_t)snprintf(out + used, outlen - used, "%s ((%s))", missing > 1 ? "," : "",
						 sp->name);
		}
	}
	return missing;
}

static char (*make_keys(const struct compose_row *row))[MAX_KEY]
{
	char (*keys)[MAX_KEY] = calloc(row->n ? row->n : 1, sizeof *keys);
	for (size_t i = 0; keys && i < row->n; i++)
		address_column_key(row->names[i], keys[i], MAX_KEY);
	return keys;
}

/* Every placeholder must name a column; all missing ones are named at once. */
static int check_placeholders(const struct compose_ctx *ctx, const struct compose_row *row,
			      char (*keys)[MAX_KEY], struct compose_result *res)
{
	size_t used = (size_t)snprintf(res->message, sizeof res->message,
				       "row %zu: no column for placeholder", row->number);
	return list_missing(ctx, row, keys, res->message, sizeof res->message, used)
		? row_failed(res, COMPOSE_ERR_PLACEHOLDER) : 0;
}

size_t compose_missing_columns(const struct compose_ctx *ctx, const char *const *names, size_t n,
			       char *out, size_t outlen)
{
	struct compose_row row = {.n = n, .names = names, .values = names};
	char (*keys)[MAX_KEY] = make_keys(&row);
	if (outlen)
		out[0] = '\0';
	if (!keys)
		return (size_t)-1;
	size_t missing = list_missing(ctx, &row, keys, out, outlen, 0);
	free(keys);
	return missing;
}

static int merge_block(struct letter *l, const struct compose_ctx *ctx, const struct block *blk,
		       const struct compose_row *row, char (*keys)[MAX_KEY],
		       struct compose_result *res)
{
	int bold = blk->kind == BLOCK_HEADING;
	for (size_t s = 0; s < blk->nspans; s++) {
		const struct span *sp = &blk->spans[s];
		const char *text = NULL;
		switch (sp->kind) {
		case SPAN_BOLD:
			if (blk->kind != BLOCK_HEADING)
				bold = !bold;
			continue;
		case SPAN_BREAK:
			if (l->blocks[l->nblocks - 1].nfrags)
				l->pending_brk = 1;
			l->open = 0;
			continue;
		case SPAN_TEXT:
			text = sp->text;
			break;
		case SPAN_FIELD:
			text = lookup(row, keys, sp->key);
			break;
		case SPAN_COND:
			text = truthy(lookup(row, keys, sp->key)) ? sp->text : "";
			break;
		}
		int rc = compose_letter_append(l, ctx, text, strlen(text), bold, row, res);
		if (rc)
			return rc;
	}
	return 0;
}

int compose_letter_merge(struct letter *l, const struct compose_ctx *ctx, const struct compose_row *row,
		 struct compose_result *res)
{
	char (*keys)[MAX_KEY] = make_keys(row);
	if (!keys)
		return no_memory(res);
	int rc = check_placeholders(ctx, row, keys, res);
	size_t max_lines = compose_letter_max_lines(ctx), filled = 0;
	for (size_t b = 0; rc == 0 && b < ctx->body->nblocks; b++) {
		if (open_block(l, &ctx->body->blocks[b]) < 0) {
			rc = no_memory(res);
			break;
		}
		rc = merge_block(l, ctx, &ctx->body->blocks[b], row, keys, res);
		/* Each block with text starts a line: past max_lines, stop merging. */
		if (rc == 0 && l->blocks[l->nblocks - 1].nfrags && ++filled > max_lines)
			rc = compose_letter_too_long(row, res);
	}
	free(keys);
	return rc;
}
