/*
 * letter.c: the compose context and compose_letter(), which runs one row
 * through merge, address, layout and render.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "zones.h"

/* The sender's block and date go in the right-hand column (zones.h). */
#define SENDER_MAX_SIZE 10.0

static const char *const months[2][12] = {
	{"January", "February", "March", "April", "May", "June", "July", "August", "September",
	 "October", "November", "December"},
	{"Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
	 "Hydref", "Tachwedd", "Rhagfyr"},
};

const char *compose_month_name(enum compose_language lang, int month)
{
	if (month < 1 || month > 12 || (lang != COMPOSE_ENGLISH && lang != COMPOSE_WELSH))
		return NULL;
	return months[lang][month - 1];
}

static double sender_size(const struct compose_ctx *ctx)
{
	return ctx->font_size < SENDER_MAX_SIZE ? ctx->font_size : SENDER_MAX_SIZE;
}

/* The sender lines, a blank line and the date: checked once, as every letter has them. */
static int check_sender(const struct compose_ctx *ctx, const char *path, char *err, size_t errlen)
{
	const struct lk_letter_rect zone = compose_zone_sender();
	double size = sender_size(ctx);
	size_t nlines = ctx->nsender + (ctx->nsender ? 2 : 1);
	double height = (double)(nlines - 1) * size * 1.2 +
		(ctx->regular->ascent - ctx->regular->descent) * size / 1000.0;
	if (height > MM(zone.y1 - zone.y0)) {
		snprintf(err, errlen, "%s: the sender block and date do not fit the right-hand column (%zu lines)",
			 path, nlines);
		return -1;
	}
	for (size_t i = 0; i <= ctx->nsender; i++) {
		const char *s = i < ctx->nsender ? ctx->sender[i] : ctx->date_text;
		size_t n = strlen(s);
		for (size_t k = 0; k < n;) {
			uint32_t cp;
			size_t step = lk_utf8_next((const unsigned char *)s + k, n - k, &cp);
			if (step == 0 || cp < 0x20 || !compose_font_has(ctx->regular, cp)) {
				snprintf(err, errlen, "%s: sender line '%s': %s at byte %zu", path, s,
					 step ? "a character the font lacks" : "invalid UTF-8", k + 1);
				return -1;
			}
			k += step;
		}
		if (compose_font_text_width(ctx->regular, s, n) * size / 1000.0 > MM(zone.x1 - zone.x0)) {
			snprintf(err, errlen, "%s: sender line '%s' is wider than the right-hand column (%.0f mm)",
				 path, s, zone.x1 - zone.x0);
			return -1;
		}
	}
	return 0;
}

struct compose_ctx *compose_ctx_new(const char *path, const char *font_dir,
				    const struct compose_date *date, char *err, size_t errlen)
{
	struct compose_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	ctx->font_size = 11;
	ctx->page_numbers = 1;
	if (compose_settings_load(ctx, path, font_dir, err, errlen) < 0)
		goto fail;
	const char *month = compose_month_name(ctx->lang, date->month);
	if (!month || date->day < 1 || date->day > 31) {
		snprintf(err, errlen, "invalid date %04d-%02d-%02d", date->year, date->month, date->day);
		goto fail;
	}
	snprintf(ctx->date_text, sizeof ctx->date_text, "%d %s %d", date->day, month, date->year);
	if (check_sender(ctx, path, err, errlen) < 0)
		goto fail;
	if (!(ctx->sub_regular = compose_subset_new(ctx->regular)) || !(ctx->sub_bold = compose_subset_new(ctx->bold))) {
		snprintf(err, errlen, "%s: out of memory, or a font's glyph tables are damaged", path);
		goto fail;
	}
	return ctx;
fail:
	compose_ctx_free(ctx);
	return NULL;
}

void compose_ctx_free(struct compose_ctx *ctx)
{
	if (!ctx)
		return;
	compose_markup_free(ctx->body);
	compose_font_free(ctx->regular);
	compose_font_free(ctx->bold);
	for (size_t i = 0; i < ctx->nsender; i++)
		free(ctx->sender[i]);
	free(ctx->logo);
	free(ctx->logo_packed[0]);
	free(ctx->logo_packed[1]);
	compose_subset_free(ctx->sub_regular);
	compose_subset_free(ctx->sub_bold);
	compose_render_free(ctx);
	free(ctx);
}

void compose_set_international(struct compose_ctx *ctx, int allow)
{
	ctx->international = allow != 0;
}

static int place_sender(struct letter *l, const struct compose_ctx *ctx)
{
	double size = sender_size(ctx);
	double y = MM(compose_zone_sender().y0) + ctx->regular->ascent * size / 1000.0;
	for (size_t i = 0; i <= ctx->nsender; i++) {
		const char *s = i < ctx->nsender ? ctx->sender[i] : ctx->date_text;
		size_t off;
		if (i == ctx->nsender && ctx->nsender)
			y += size * 1.2;  /* a blank line before the date */
		if (compose_letter_put(l, s, strlen(s), &off) < 0 ||
		    compose_letter_draw(l, 0, MM(compose_zone_sender().x0), y, size, 0, off, strlen(s)) < 0)
			return -1;
		y += size * 1.2;
	}
	return 0;
}

int compose_letter(struct compose_ctx *ctx, const struct compose_row *row,
		   struct compose_result *res)
{
	struct letter l;
	memset(&l, 0, sizeof l);
	compose_result_clear(res);
	int rc = compose_letter_merge(&l, ctx, row, res);
	if (rc == 0)
		rc = compose_letter_layout_address(&l, ctx, row, res);
	if (rc == 0)
		rc = compose_letter_layout_body(&l, ctx, row, res);
	if (rc == 0 && place_sender(&l, ctx) < 0) {
		snprintf(res->message, sizeof res->message, "out of memory");
		rc = -1;
	}
	if (rc == 0)
		rc = compose_letter_render(&l, ctx, res);
	if (rc == 0) {
		res->pages = l.pages;
		res->address = l.address;
		l.address = NULL;
	}
	compose_letter_clear(&l);
	return rc < 0 ? -1 : 0;
}

void compose_result_clear(struct compose_result *res)
{
	if (!res)
		return;
	free(res->pdf);
	free(res->address);
	memset(res, 0, sizeof *res);
}
