/*
 * render.c: a laid-out letter into PDF bytes, with libharu.
 *
 * Each letter is its own HPDF_Doc (libharu keeps per-document font state),
 * with the TTF embedded through libharu's UTF-8 path (with Encoding and
 * ToUnicode CMaps of the letter's characters, cmaps.h). libharu's errors are
 * recorded by the handler (never a longjmp) and every status is checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <zlib.h>

#include "layout.h"
#include "cmaps.h"
#include "zones.h"

#define A4_W_PT MM(LK_LETTER_WIDTH_MM)
#define A4_H_PT MM(LK_LETTER_HEIGHT_MM)

struct haru_error {
	HPDF_STATUS code, detail;
};

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	struct haru_error *e = user;
	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

/*
 * The letter's subset of a font, handed to libharu from memory. libharu 2.3
 * loads TTFs only from files through its public API, and reading one back
 * costs a seek (a system call) per table and per glyph; its own memory
 * stream and font loader (hpdf_streams.h, hpdf_fontdef.h, hpdf_doc.h, all
 * installed) do what HPDF_LoadTTFontFromFile does without the file. `tag`
 * is the six capital letters of the subset's name prefix ("HPDFAA").
 */
static HPDF_Font load_subset(HPDF_Doc pdf, struct subset *sub, const char *tag)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char tagbuf[8];
	if (compose_subset_build(sub, &data, &len) < 0)
		return NULL;
	HPDF_Stream st = HPDF_MemStream_New(pdf->mmgr, (HPDF_UINT)len);
	if (!st || HPDF_Stream_Write(st, data, (HPDF_UINT)len) != HPDF_OK) {
		if (st)
			HPDF_Stream_Free(st);
		free(data);
		return NULL;
	}
	free(data);
	/* The loader owns the stream from here, and frees it on failure. */
	HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, st, HPDF_TRUE);
	if (!def)
		return NULL;
	snprintf(tagbuf, sizeof tagbuf, "%s", tag);
	HPDF_TTFontDef_SetTagName(def, tagbuf);
	/* On failure this frees the font definition. */
	if (HPDF_Doc_RegisterFontDef(pdf, def) != HPDF_OK)
		return NULL;
	return HPDF_GetFont(pdf, def->base_font, "UTF-8");
}

/* Collects each font's characters from the draws. */
static int collect(const struct letter *l, struct compose_ctx *ctx)
{
	compose_subset_reset(ctx->sub_regular);
	compose_subset_reset(ctx->sub_bold);
	for (size_t i = 0; i < l->ndraws; i++) {
		const struct draw *d = &l->draws[i];
		struct subset *sub = d->bold && !ctx->bold_is_regular ? ctx->sub_bold : ctx->sub_regular;
		if (compose_subset_add_text(sub, l->buf + d->off, d->len) < 0)
			return -1;
	}
	return 0;
}

/*
 * A PNG logo's samples, deflated once: libharu decodes the PNG into an
 * image stream (and a soft mask for its alpha) that it deflates anew when
 * each letter is saved, a fifth of compose's time for a 360 x 90 logo.
 * The first letter's stream is deflated here and kept; every letter's
 * stream then holds those bytes, marked FlateDecode, and libharu writes them
 * as they are. A stream that is not libharu's deflated memory stream, or
 * that has its own writer, is left alone.
 */
/* The /Filter of a stream whose bytes are already deflated: libharu drops a
 * Filter entry from a stream it does not filter itself, so it is written
 * with the dictionary's last entries instead. */
static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream out)
{
	(void)obj;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

static int pack_stream(struct compose_ctx *ctx, HPDF_Dict obj, int slot)
{
	if (!obj || !obj->stream || obj->stream->type != HPDF_STREAM_MEMORY ||
	    obj->filter != HPDF_STREAM_FILTER_FLATE_DECODE || obj->write_fn)
		return 0;
	if (!ctx->logo_packed[slot]) {
		HPDF_UINT raw_len = HPDF_Stream_Size(obj->stream), at = 0;
		unsigned char *raw = malloc(raw_len ? raw_len : 1);
		uLongf z_len = compressBound(raw_len);
		unsigned char *z = malloc(z_len);
		for (HPDF_UINT i = 0; raw && i < HPDF_MemStream_GetBufCount(obj->stream); i++) {
			HPDF_UINT n = 0;
			HPDF_BYTE *buf = HPDF_MemStream_GetBufPtr(obj->stream, i, &n);
			if (!buf || at + n > raw_len)
				break;
			memcpy(raw + at, buf, n);
			at += n;
		}
		int ok = raw && z && at == raw_len && compress2(z, &z_len, raw, raw_len, Z_DEFAULT_COMPRESSION) == Z_OK;
		free(raw);
		if (!ok) {
			free(z);
			return -1;
		}
		ctx->logo_packed[slot] = z;
		ctx->logo_packed_len[slot] = z_len;
	}
	HPDF_MemStream_FreeData(obj->stream);
	if (HPDF_Stream_Write(obj->stream, ctx->logo_packed[slot], (HPDF_UINT)ctx->logo_packed_len[slot]) != HPDF_OK)
		return -1;
	obj->filter = HPDF_STREAM_FILTER_NONE;
	obj->write_fn = write_flate_filter;
	return 0;
}

static int draw_logo(HPDF_Doc pdf, HPDF_Page page, struct compose_ctx *ctx)
{
	HPDF_Image img = ctx->logo_kind == LOGO_PNG
		? HPDF_LoadPngImageFromMem(pdf, ctx->logo, (HPDF_UINT)ctx->logo_len)
		: HPDF_LoadJpegImageFromMem(pdf, ctx->logo, (HPDF_UINT)ctx->logo_len);
	if (img && ctx->logo_kind == LOGO_PNG &&
	    (pack_stream(ctx, img, 0) < 0 || pack_stream(ctx, HPDF_Dict_GetItem(img, "SMask", HPDF_OCLASS_DICT), 1) < 0))
		return -1;
	if (!img)
		return -1;
	const struct lk_letter_rect zone = compose_zone_logo();
	double top = A4_H_PT - MM(zone.y0);
	return HPDF_Page_DrawImage(page, img, (HPDF_REAL)MM(zone.x0), (HPDF_REAL)(top - MM(ctx->logo_h_mm)),
				   (HPDF_REAL)MM(ctx->logo_w_mm), (HPDF_REAL)MM(ctx->logo_h_mm)) == HPDF_OK ? 0 : -1;
}

/* The draws of one page, in one text object. */
static int draw_page(HPDF_Page page, const struct letter *l, int p, HPDF_Font regular, HPDF_Font bold,
		     char *tmp)
{
	HPDF_Font cur = NULL;
	double cur_size = 0;
	if (HPDF_Page_BeginText(page) != HPDF_OK)
		return -1;
	for (size_t i = 0; i < l->ndraws; i++) {
		const struct draw *d = &l->draws[i];
		if (d->page != p || d->dot)
			continue;
		HPDF_Font f = d->bold ? bold : regular;
		if ((f != cur || d->size != cur_size) &&
		    HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)d->size) != HPDF_OK)
			return -1;
		cur = f;
		cur_size = d->size;
		memcpy(tmp, l->buf + d->off, d->len);
		tmp[d->len] = '\0';
		if (HPDF_Page_TextOut(page, (HPDF_REAL)d->x, (HPDF_REAL)(A4_H_PT - d->y), tmp) != HPDF_OK)
			return -1;
	}
	if (HPDF_Page_EndText(page) != HPDF_OK)
		return -1;
	for (size_t i = 0; i < l->ndraws; i++) {
		const struct draw *d = &l->draws[i];
		/* A bullet's size and place, as Liberation Sans's U+2022 has them. */
		if (d->page == p && d->dot &&
		    (HPDF_Page_Circle(page, (HPDF_REAL)(d->x + 0.18 * d->size),
				      (HPDF_REAL)(A4_H_PT - d->y + 0.33 * d->size), (HPDF_REAL)(0.16 * d->size)) != HPDF_OK ||
		     HPDF_Page_Fill(page) != HPDF_OK))
			return -1;
	}
	return 0;
}

/* Gives code point cp the CID cp in the encoder's tables. */
static void map_char(HPDF_CMapEncoderAttr a, uint32_t cp)
{
	a->cid_map[cp >> 8][cp & 0xFF] = (HPDF_UINT16)cp;
	a->unicode_map[cp >> 8][cp & 0xFF] = (HPDF_UNICODE)cp;
}

/* Maps the code points of `sub`; returns the highest (0 for none). */
static uint32_t map_chars(HPDF_CMapEncoderAttr a, const struct subset *sub)
{
	const uint32_t *cps;
	uint32_t top = 0;
	size_t n = compose_subset_chars(sub, &cps);
	for (size_t i = 0; i < n; i++) {
		map_char(a, cps[i]);
		if (cps[i] > top)
			top = cps[i];
	}
	return top;
}

/*
 * libharu 2.3.0 makes a font's /W array and CIDToGIDMap, for the UTF-8
 * encoder, over all 65,536 BMP code points: 128 KB of map to deflate per
 * font per letter, most of the time a letter took. For any other CMap
 * encoder it walks the encoder's cid_map instead (hpdf_encoder.h makes the
 * struct public). So while the fonts are made, the document's UTF-8 encoder
 * holds just the letter's code points (CID = code point, as the UTF-8 path
 * writes them) and the generic CMap lookup; `saved` gets its own function
 * back, which then encodes the text from its UTF-8 bytes as before. The
 * tables are the document's own, made fresh for each letter; the UTF-8 parser
 * keeps its state in cid_map[0][0..4], control characters we never print.
 */
static HPDF_Encoder narrow_encoder(HPDF_Doc pdf, const struct compose_ctx *ctx,
				   HPDF_Encoder_ToUnicode_Func *saved)
{
	HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");
	if (!enc || enc->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE || !enc->attr)
		return NULL;
	uint32_t top = map_chars(enc->attr, ctx->sub_regular);
	uint32_t top_bold = map_chars(enc->attr, ctx->sub_bold);
	/*
	 * libharu writes /W and CIDToGIDMap for CIDs below the highest one
	 * only (i < max), so one unused code point above the letter's own is
	 * mapped too. Every code point we print is below U+FFFF (compose_font_has).
	 */
	map_char(enc->attr, (top > top_bold ? top : top_bold) + 1);
	*saved = enc->to_unicode_fn;
	enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	return enc;
}

/*
 * One libharu document serves every letter of a process: HPDF_New clears
 * the UTF-8 encoder's 384 KB of tables one byte at a time, a quarter of a
 * millisecond a letter. HPDF_NewDoc starts the next letter's document and
 * keeps the encoders, so the entries narrow_encoder set for one letter are
 * put back as they were before the next (`fresh`: the tables as libharu
 * made them), and the document is made anew after any libharu error.
 */
#define HARU_ROWS 256
struct haru_state {
	struct haru_error err;
	HPDF_UINT16 fresh_cid[HARU_ROWS][256];
	HPDF_UNICODE fresh_unicode[HARU_ROWS][256];
};

static void unmap_chars(HPDF_CMapEncoderAttr a, const struct haru_state *st, const struct subset *sub)
{
	const uint32_t *cps;
	size_t n = compose_subset_chars(sub, &cps);
	for (size_t i = 0; i <= n; i++) {
		/* and the code point above the highest (narrow_encoder), and row 0
		 * (the UTF-8 parser's state) */
		uint32_t cp = i < n ? cps[i] : 0;
		for (uint32_t c = cp; c <= cp + 1 && c < HARU_ROWS * 256; c++) {
			a->cid_map[c >> 8][c & 0xFF] = st->fresh_cid[c >> 8][c & 0xFF];
			a->unicode_map[c >> 8][c & 0xFF] = st->fresh_unicode[c >> 8][c & 0xFF];
		}
	}
	memcpy(a->cid_map[0], st->fresh_cid[0], sizeof st->fresh_cid[0]);
	memcpy(a->unicode_map[0], st->fresh_unicode[0], sizeof st->fresh_unicode[0]);
}

/* Drops the last letter's font definitions: HPDF_NewDoc keeps them (only
 * HPDF_FreeDocAll frees them), and the next letter's subsets, registered
 * under the same names, would be refused as duplicates. */
static void drop_font_defs(HPDF_Doc pdf)
{
	HPDF_List defs = pdf->fontdef_list;
	if (!defs)
		return;
	for (HPDF_UINT i = 0; i < defs->count; i++)
		HPDF_FontDef_Free((HPDF_FontDef)HPDF_List_ItemAt(defs, i));
	HPDF_List_Clear(defs);
}

/* The document for the next letter: the kept one, begun anew, or a new one. */
static HPDF_Doc next_doc(struct compose_ctx *ctx)
{
	if (ctx->haru) {
		ctx->haru_state->err = (struct haru_error){0, 0};
		drop_font_defs(ctx->haru);
		if (HPDF_NewDoc(ctx->haru) == HPDF_OK)
			return ctx->haru;
		compose_render_free(ctx);
	}
	struct haru_state *st = calloc(1, sizeof *st);
	HPDF_Doc pdf = st ? HPDF_New(on_error, &st->err) : NULL;
	HPDF_Encoder enc = NULL;
	if (pdf && HPDF_UseUTFEncodings(pdf) == HPDF_OK)
		enc = HPDF_GetEncoder(pdf, "UTF-8");
	if (!enc || enc->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE || !enc->attr) {
		HPDF_Free(pdf);
		free(st);
		return NULL;
	}
	HPDF_CMapEncoderAttr a = enc->attr;
	memcpy(st->fresh_cid, a->cid_map, sizeof st->fresh_cid);
	memcpy(st->fresh_unicode, a->unicode_map, sizeof st->fresh_unicode);
	ctx->haru = pdf;
	ctx->haru_state = st;
	return pdf;
}

/* The kept document ready for the next letter, or dropped after an error. */
static void end_doc(struct compose_ctx *ctx, int ok)
{
	HPDF_Encoder enc = ok ? HPDF_GetEncoder(ctx->haru, "UTF-8") : NULL;
	if (!enc || !enc->attr) {
		compose_render_free(ctx);
		return;
	}
	unmap_chars(enc->attr, ctx->haru_state, ctx->sub_regular);
	unmap_chars(enc->attr, ctx->haru_state, ctx->sub_bold);
}

void compose_render_free(struct compose_ctx *ctx)
{
	HPDF_Free(ctx->haru);
	free(ctx->haru_state);
	ctx->haru = NULL;
	ctx->haru_state = NULL;
}

static int build(HPDF_Doc pdf, const struct letter *l, struct compose_ctx *ctx, char *tmp)
{
	if (HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL) != HPDF_OK || collect(l, ctx) < 0)
		return -1;
	HPDF_Encoder_ToUnicode_Func utf8_fn;
	HPDF_Encoder enc = narrow_encoder(pdf, ctx, &utf8_fn);
	if (!enc)
		return -1;
	HPDF_Font regular = load_subset(pdf, ctx->sub_regular, "HPDFAA");
	HPDF_Font bold = compose_subset_empty(ctx->sub_bold) ? regular : load_subset(pdf, ctx->sub_bold, "HPDFAB");
	enc->to_unicode_fn = utf8_fn;
	if (!regular || !bold ||
	    compose_cmaps_write(regular, ctx->sub_regular, bold == regular ? NULL : bold, ctx->sub_bold) < 0)
		return -1;
	for (int p = 0; p < l->pages; p++) {
		HPDF_Page page = HPDF_AddPage(pdf);
		if (!page || HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT) != HPDF_OK)
			return -1;
		if (p == 0 && ctx->logo && draw_logo(pdf, page, ctx) < 0)
			return -1;
		if (draw_page(page, l, p, regular, bold, tmp) < 0)
			return -1;
	}
	return HPDF_SaveToStream(pdf) == HPDF_OK ? 0 : -1;
}

int compose_letter_render(const struct letter *l, struct compose_ctx *ctx, struct compose_result *res)
{
	char *tmp = malloc(l->len + 1);
	HPDF_Doc pdf = tmp ? next_doc(ctx) : NULL;
	int rc = -1;
	if (!pdf) {
		snprintf(res->message, sizeof res->message, "out of memory");
		goto out;
	}
	if (build(pdf, l, ctx, tmp) < 0)
		goto fail;
	HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
	res->pdf = malloc(size ? size : 1);
	if (!res->pdf) {
		snprintf(res->message, sizeof res->message, "out of memory");
		goto out;
	}
	HPDF_UINT32 got = size;
	if (HPDF_ReadFromStream(pdf, res->pdf, &got) != HPDF_OK && got != size)
		goto fail;
	res->pdf_len = got;
	rc = 0;
	goto out;
fail:
	snprintf(res->message, sizeof res->message, "libharu failed: error 0x%04X, detail %u",
		 (unsigned)ctx->haru_state->err.code, (unsigned)ctx->haru_state->err.detail);
	free(res->pdf);
	res->pdf = NULL;
out:
	if (pdf)
		end_doc(ctx, rc == 0);
	free(tmp);
	return rc;
}
