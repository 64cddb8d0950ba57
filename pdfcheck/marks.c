/*
 * marks.c: a MuPDF device that records, for every drawing operation of a
 * page, the rectangle it may paint (page space, points).
 *
 * This is the fast path of the printable-area rule: when every mark lies
 * inside the allowed regions, no pixel outside them can be non-white, so
 * the page passes without being rendered. The rectangles are deliberately
 * generous (clip stacks are tracked only as bounding boxes, tiles and masks
 * count as their whole area): a rectangle that is too big costs a small
 * render later, never a wrong verdict.
 *
 * Marks that cannot make a non-white pixel are not recorded: fully
 * transparent ones, and pure white ones painted with the Normal blend mode
 * (white over anything is white or leaves it as it was).
 *
 * Text is recorded as what its glyphs can ink, a rectangle per line: one
 * text object of a letter often holds the whole page (its address in the
 * window, its body below), and its single bounding box would cross every
 * region's edge. Each glyph is bounded as fz_bound_text bounds it (the
 * glyph's own box from fz_bound_glyph: the outline's control box for
 * FreeType fonts, the box of what a Type3 glyph draws, the font's box when
 * the glyph's is unknown; the stroke's reach added for stroked text; one
 * point more each side for the glyph cache's positioning), and glyphs are
 * grouped while they share a baseline and nearly touch.
 *
 * Text is also passed on to a structured-text device (the address window
 * and the NOTIFY tag are read from it), when it touches `text_area`.
 */
#include <string.h>

#include "internal.h"

#define MAX_DEPTH 256

struct mark_device {
	fz_device super;
	struct mark_list *marks;
	struct text_list *texts;
	fz_rect text_area;
	fz_rect clip[MAX_DEPTH];     /* clip stack, as bounding boxes */
	int clip_depth;
	int clip_overflow;           /* clips nested past MAX_DEPTH: counted, not narrowed */
	int blend[MAX_DEPTH];        /* blend modes of the open groups */
	int group_depth;
	int group_overflow;          /* groups nested past MAX_DEPTH: treated as unusual */
	int unusual_blend;           /* open groups with a blend mode other than Normal */
	int mask_depth;              /* inside a soft mask's definition: nothing is painted */
	int tile_depth;              /* inside a tile: its whole area was recorded already */
};

static void add_mark(fz_context *ctx, struct mark_device *md, fz_rect r)
{
	if (md->mask_depth || md->tile_depth)
		return;
	if (md->clip_depth > 0)
		r = fz_intersect_rect(r, md->clip[md->clip_depth - 1]);
	if (fz_is_empty_rect(r))
		return;
	struct mark_list *m = md->marks;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		m->rects = fz_realloc_array(ctx, m->rects, cap, fz_rect);
		m->cap = cap;
	}
	m->rects[m->n++] = r;
}

/* True when this colour cannot darken any pixel. */
static int is_invisible(fz_context *ctx, struct mark_device *md, fz_colorspace *cs,
			const float *color, float alpha, fz_color_params cp)
{
	if (alpha <= 0)
		return 1;
	if (md->unusual_blend || !cs)
		return 0;
	float rgb[3];
	fz_convert_color(ctx, cs, color, fz_device_rgb(ctx), rgb, NULL, cp);
	return rgb[0] >= 1.0f && rgb[1] >= 1.0f && rgb[2] >= 1.0f;
}

static void push_clip(fz_context *ctx, struct mark_device *md, fz_rect r)
{
	if (md->clip_depth > 0)
		r = fz_intersect_rect(r, md->clip[md->clip_depth - 1]);
	if (md->clip_depth == MAX_DEPTH) {
		/* Deeper clips only narrow what is drawn: ignoring them is safe. */
		md->clip_overflow++;
		return;
	}
	md->clip[md->clip_depth++] = r;
}

/* True when some glyph of the text has no glyph id: a box for it is not
 * ours to bound, so the text is not known to be inside the page. */
static int has_unmapped_glyph(const fz_text *text)
{
	for (const fz_text_span *span = text->head; span; span = span->next)
		for (int i = 0; i < span->len; i++)
			if (span->items[i].gid < 0)
				return 1;
	return 0;
}

/* Keeps text whose rectangle `r` touches the text area for the
 * structured-text device. That device extracts text the same way whatever
 * its render mode, so all text goes to it as `ignore_text`. */
static void pass_text(fz_context *ctx, struct mark_device *md, const fz_text *text, fz_matrix ctm,
		      fz_rect r)
{
	struct text_list *tl = md->texts;
	if (!tl || fz_is_empty_rect(fz_intersect_rect(r, md->text_area)))
		return;
	if (!fz_contains_rect(tl->inside, r) || has_unmapped_glyph(text))
		tl->all_inside = 0;
	if (tl->n == tl->cap) {
		size_t cap = tl->cap ? tl->cap * 2 : 32;
		tl->items = fz_realloc_array(ctx, tl->items, cap, struct kept_text);
		tl->cap = cap;
	}
	tl->items[tl->n].text = fz_keep_text(ctx, text);
	tl->items[tl->n++].ctm = ctm;
}

void text_list_replay(fz_context *ctx, struct text_list *texts, fz_device *dev, struct font_metrics *fonts)
{
	for (size_t i = 0; i < texts->n; i++) {
		const fz_text *text = texts->items[i].text;
		/* Before: the advances known from earlier letters; after: those the
		 * structured-text device has just worked out. */
		for (const fz_text_span *span = text->head; span; span = span->next)
			font_metrics_share(ctx, fonts, span->font);
		fz_ignore_text(ctx, dev, text, texts->items[i].ctm);
		for (const fz_text_span *span = text->head; span; span = span->next)
			font_metrics_share(ctx, fonts, span->font);
	}
}

void text_list_clear(fz_context *ctx, struct text_list *texts)
{
	for (size_t i = 0; i < texts->n; i++)
		fz_drop_text(ctx, texts->items[i].text);
	fz_free(ctx, texts->items);
	texts->items = NULL;
	texts->n = texts->cap = 0;
}

static void m_fill_path(fz_context *ctx, fz_device *dev, const fz_path *path, int even_odd,
			fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha,
			fz_color_params cp)
{
	struct mark_device *md = (struct mark_device *)dev;
	if (!is_invisible(ctx, md, cs, color, alpha, cp))
		add_mark(ctx, md, fz_bound_path(ctx, path, NULL, ctm));
}

static void m_stroke_path(fz_context *ctx, fz_device *dev, const fz_path *path,
			  const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *cs,
			  const float *color, float alpha, fz_color_params cp)
{
	struct mark_device *md = (struct mark_device *)dev;
	if (!is_invisible(ctx, md, cs, color, alpha, cp))
		add_mark(ctx, md, fz_bound_path(ctx, path, stroke, ctm));
}

static void m_clip_path(fz_context *ctx, fz_device *dev, const fz_path *path, int even_odd,
			fz_matrix ctm, fz_rect scissor)
{
	push_clip(ctx, (struct mark_device *)dev, fz_bound_path(ctx, path, NULL, ctm));
}

static void m_clip_stroke_path(fz_context *ctx, fz_device *dev, const fz_path *path,
			       const fz_stroke_state *stroke, fz_matrix ctm, fz_rect scissor)
{
	push_clip(ctx, (struct mark_device *)dev, fz_bound_path(ctx, path, stroke, ctm));
}

/* A line's glyph boxes, grown as fz_bound_text grows its box, as a mark. */
static void add_text_line(fz_context *ctx, struct mark_device *md, fz_rect r,
			  const fz_stroke_state *stroke, fz_matrix ctm)
{
	if (fz_is_empty_rect(r))
		return;
	if (stroke)
		r = fz_adjust_rect_for_stroke(ctx, r, stroke, ctm);
	add_mark(ctx, md, fz_expand_rect(r, 1));
}

/*
 * Records what `text` can ink, a mark per line (see the top of the file);
 * `record` 0 only bounds it. Returns the bounding box of the whole text, as
 * fz_bound_text would.
 */
/* A span's glyph boxes, placed at the origin: a letter's text repeats few
 * glyphs, and each is bounded and transformed once a span, not once a use. */
#define GLYPH_CACHE 512
struct glyph_boxes {
	fz_matrix shape;                       /* the span's matrix without its translation */
	unsigned char known[GLYPH_CACHE / 8];
	fz_rect box[GLYPH_CACHE];
};

static fz_rect glyph_box(fz_context *ctx, struct glyph_boxes *gb, fz_font *font, int gid)
{
	if (gid >= GLYPH_CACHE)
		return fz_bound_glyph(ctx, font, gid, gb->shape);
	if (!(gb->known[gid >> 3] & (1 << (gid & 7)))) {
		gb->box[gid] = fz_bound_glyph(ctx, font, gid, gb->shape);
		gb->known[gid >> 3] |= (unsigned char)(1 << (gid & 7));
	}
	return gb->box[gid];
}

/* fz_union_rect, inlined: it runs once or twice for every glyph. */
static inline fz_rect union_rect(fz_rect a, fz_rect b)
{
	if (fz_is_empty_rect(b))
		return a;
	if (fz_is_empty_rect(a))
		return b;
	return (fz_rect){a.x0 < b.x0 ? a.x0 : b.x0, a.y0 < b.y0 ? a.y0 : b.y0,
			 a.x1 > b.x1 ? a.x1 : b.x1, a.y1 > b.y1 ? a.y1 : b.y1};
}

static fz_rect text_marks(fz_context *ctx, struct mark_device *md, const fz_text *text,
			  const fz_stroke_state *stroke, fz_matrix ctm, int record)
{
	fz_rect all = fz_empty_rect;
	struct glyph_boxes gb;
	for (const fz_text_span *span = text->head; span; span = span->next) {
		fz_rect line = fz_empty_rect;
		/* A glyph at (x, y) is bounded by concat(trm at (x, y), ctm): the
		 * box at the origin, moved to where ctm takes (x, y). */
		fz_matrix shape = span->trm;
		shape.e = shape.f = 0;
		gb.shape = fz_concat(shape, ctm);
		gb.shape.e = gb.shape.f = 0;
		memset(gb.known, 0, sizeof gb.known);
		float baseline = 0;
		for (int i = 0; i < span->len; i++) {
			const fz_text_item *it = &span->items[i];
			if (it->gid < 0)
				continue;
			float ax = it->x * ctm.a + it->y * ctm.c + ctm.e, ay = it->x * ctm.b + it->y * ctm.d + ctm.f;
			fz_rect g = glyph_box(ctx, &gb, span->font, it->gid);
			if (!fz_is_empty_rect(g))
				g.x0 += ax, g.x1 += ax, g.y0 += ay, g.y1 += ay;
			all = union_rect(all, g);
			if (!record)
				continue;
			float h = line.y1 - line.y0;
			/* Same baseline, and no gap wider than the line is high. */
			if (!fz_is_empty_rect(line) && it->y == baseline && g.x0 <= line.x1 + h && g.x1 >= line.x0 - h &&
			    g.y0 <= line.y1 + h && g.y1 >= line.y0 - h) {
				line = union_rect(line, g);
				continue;
			}
			add_text_line(ctx, md, line, stroke, ctm);
			line = g;
			baseline = it->y;
		}
		if (record)
			add_text_line(ctx, md, line, stroke, ctm);
	}
	if (fz_is_empty_rect(all))
		return all;
	if (stroke)
		all = fz_adjust_rect_for_stroke(ctx, all, stroke, ctm);
	return fz_expand_rect(all, 1);
}

static void m_fill_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
			fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	struct mark_device *md = (struct mark_device *)dev;
	int visible = !is_invisible(ctx, md, cs, color, alpha, cp);
	pass_text(ctx, md, text, ctm, text_marks(ctx, md, text, NULL, ctm, visible));
}

static void m_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
			  const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *cs,
			  const float *color, float alpha, fz_color_params cp)
{
	struct mark_device *md = (struct mark_device *)dev;
	int visible = !is_invisible(ctx, md, cs, color, alpha, cp);
	pass_text(ctx, md, text, ctm, text_marks(ctx, md, text, stroke, ctm, visible));
}

static void m_clip_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
			fz_rect scissor)
{
	struct mark_device *md = (struct mark_device *)dev;
	fz_rect r = fz_bound_text(ctx, text, NULL, ctm);
	pass_text(ctx, md, text, ctm, r);
	push_clip(ctx, md, r);
}

static void m_clip_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
			       const fz_stroke_state *stroke, fz_matrix ctm, fz_rect scissor)
{
	struct mark_device *md = (struct mark_device *)dev;
	fz_rect r = fz_bound_text(ctx, text, stroke, ctm);
	pass_text(ctx, md, text, ctm, r);
	push_clip(ctx, md, r);
}

static void m_ignore_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm)
{
	struct mark_device *md = (struct mark_device *)dev;
	if (md->texts)
		pass_text(ctx, md, text, ctm, fz_bound_text(ctx, text, NULL, ctm));
}

static void m_fill_shade(fz_context *ctx, fz_device *dev, fz_shade *shade, fz_matrix ctm,
			 float alpha, fz_color_params cp)
{
	if (alpha > 0)
		add_mark(ctx, (struct mark_device *)dev, fz_bound_shade(ctx, shade, ctm));
}

static void m_fill_image(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm,
			 float alpha, fz_color_params cp)
{
	if (alpha > 0)
		add_mark(ctx, (struct mark_device *)dev, fz_transform_rect(fz_unit_rect, ctm));
}

static void m_fill_image_mask(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm,
			      fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	struct mark_device *md = (struct mark_device *)dev;
	if (!is_invisible(ctx, md, cs, color, alpha, cp))
		add_mark(ctx, md, fz_transform_rect(fz_unit_rect, ctm));
}

static void m_clip_image_mask(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm,
			      fz_rect scissor)
{
	push_clip(ctx, (struct mark_device *)dev, fz_transform_rect(fz_unit_rect, ctm));
}

static void m_pop_clip(fz_context *ctx, fz_device *dev)
{
	struct mark_device *md = (struct mark_device *)dev;
	if (md->clip_overflow > 0)
		md->clip_overflow--;
	else if (md->clip_depth > 0)
		md->clip_depth--;
}

/* A soft mask: what is drawn until end_mask shapes the mask and paints
 * nothing; afterwards the mask clips like a clip path, until pop_clip. */
static void m_begin_mask(fz_context *ctx, fz_device *dev, fz_rect area, int luminosity,
			 fz_colorspace *cs, const float *bc, fz_color_params cp)
{
	struct mark_device *md = (struct mark_device *)dev;
	push_clip(ctx, md, fz_infinite_rect);
	md->mask_depth++;
}

static void m_end_mask(fz_context *ctx, fz_device *dev)
{
	struct mark_device *md = (struct mark_device *)dev;
	if (md->mask_depth > 0)
		md->mask_depth--;
}

static void m_begin_group(fz_context *ctx, fz_device *dev, fz_rect area, fz_colorspace *cs,
			  int isolated, int knockout, int blendmode, float alpha)
{
	struct mark_device *md = (struct mark_device *)dev;
	if (md->group_depth == MAX_DEPTH) {
		/* Too deep to track: assume a blend mode that may darken white. */
		md->group_overflow++;
		md->unusual_blend++;
		return;
	}
	md->blend[md->group_depth++] = blendmode;
	if (blendmode != FZ_BLEND_NORMAL)
		md->unusual_blend++;
}

static void m_end_group(fz_context *ctx, fz_device *dev)
{
	struct mark_device *md = (struct mark_device *)dev;
	if (md->group_overflow > 0) {
		md->group_overflow--;
		md->unusual_blend--;
		return;
	}
	if (md->group_depth == 0)
		return;
	if (md->blend[--md->group_depth] != FZ_BLEND_NORMAL)
		md->unusual_blend--;
}

/* A tiling pattern paints (at most) its whole area: record that once and
 * skip the cell's own marks, which are in pattern space. */
static int m_begin_tile(fz_context *ctx, fz_device *dev, fz_rect area, fz_rect view,
			float xstep, float ystep, fz_matrix ctm, int id)
{
	struct mark_device *md = (struct mark_device *)dev;
	add_mark(ctx, md, area);
	md->tile_depth++;
	return 0;
}

static void m_end_tile(fz_context *ctx, fz_device *dev)
{
	struct mark_device *md = (struct mark_device *)dev;
	if (md->tile_depth > 0)
		md->tile_depth--;
}

fz_device *new_mark_device(fz_context *ctx, struct mark_list *marks, struct text_list *texts,
			   fz_rect text_area)
{
	struct mark_device *md = fz_new_derived_device(ctx, struct mark_device);
	md->super.fill_path = m_fill_path;
	md->super.stroke_path = m_stroke_path;
	md->super.clip_path = m_clip_path;
	md->super.clip_stroke_path = m_clip_stroke_path;
	md->super.fill_text = m_fill_text;
	md->super.stroke_text = m_stroke_text;
	md->super.clip_text = m_clip_text;
	md->super.clip_stroke_text = m_clip_stroke_text;
	md->super.ignore_text = m_ignore_text;
	md->super.fill_shade = m_fill_shade;
	md->super.fill_image = m_fill_image;
	md->super.fill_image_mask = m_fill_image_mask;
	md->super.clip_image_mask = m_clip_image_mask;
	md->super.pop_clip = m_pop_clip;
	md->super.begin_mask = m_begin_mask;
	md->super.end_mask = m_end_mask;
	md->super.begin_group = m_begin_group;
	md->super.end_group = m_end_group;
	md->super.begin_tile = m_begin_tile;
	md->super.end_tile = m_end_tile;
	md->marks = marks;
	md->texts = texts;
	md->text_area = text_area;
	return &md->super;
}

void mark_list_clear(fz_context *ctx, struct mark_list *marks)
{
	fz_free(ctx, marks->rects);
	memset(marks, 0, sizeof *marks);
}
