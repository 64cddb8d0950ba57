/* compose-imp.h: the inside of struct compose_ctx, shared by compose's files. */
#ifndef COMPOSE_IMP_H
#define COMPOSE_IMP_H

#include <stddef.h>
#include <stdint.h>

#include "compose.h"
#include "font.h"
#include "markup.h"
#include "subset.h"

#define COMPOSE_MAX_SENDER_LINES 16

enum logo_kind { LOGO_NONE, LOGO_PNG, LOGO_JPEG };

struct compose_ctx {
	struct markup *body;
	struct font *regular, *bold;
	double font_size;                 /* body size in points */
	int page_numbers;
	enum compose_language lang;
	char *sender[COMPOSE_MAX_SENDER_LINES];
	size_t nsender;
	char date_text[64];               /* "23 November 2026" */
	unsigned char *logo;              /* the image file's bytes */
	size_t logo_len;
	enum logo_kind logo_kind;
	double logo_w_mm, logo_h_mm;      /* placed size, fitted to the logo zone */
	/* The logo's image and soft-mask streams as libharu makes them from a
	 * PNG, deflated once for every letter (render.c); NULL until then. */
	unsigned char *logo_packed[2];
	size_t logo_packed_len[2];
	int international;
	/* Per letter: the fonts cut down to its characters (subset.h). */
	struct subset *sub_regular, *sub_bold;
	int bold_is_regular;              /* no separate bold face */
	/* libharu's document, kept from letter to letter (render.c): making
	 * one costs a quarter of a millisecond of byte-by-byte memset. */
	void *haru;                       /* HPDF_Doc */
	struct haru_state *haru_state;
};

/* settings.c: reads the template file into ctx (body, fonts, logo, sender). */
int compose_settings_load(struct compose_ctx *ctx, const char *path, const char *font_dir, char *err,
		  size_t errlen);

/* logo.c: checks the image and fits it into the logo zone. */
int compose_logo_load(struct compose_ctx *ctx, const char *path, char *err, size_t errlen);

#endif
