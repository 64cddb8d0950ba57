/*
 * printable.c: LETTER-SPEC section 3, the printable area.
 *
 * The rule is a raster rule: render the page at 200 dpi, and fail it if any
 * pixel outside the allowed regions (grown by 1 mm) is not pure white. We
 * get the same verdict without rendering most pages:
 *   1. each mark's rectangle (marks.c), in pixels, grown by one pixel for
 *      anti-aliasing, minus the allowed regions, leaves the pixels the mark
 *      could darken outside them; usually nothing is left;
 *   2. what is left is merged into a few areas, and only those are
 *      rendered, at 200 dpi, and their pixels outside the regions tested.
 * Step 2 is the raster rule itself, so white paint over a mark, clipping
 * and transparency all come out as they would in a full render.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "poppler_raster.h"

#define MAX_AREAS 32
#define MAX_PIECES 64
#define MERGE_GAP_PX 8
#define MAX_FINDINGS_PER_PAGE 8
/* Areas up to this many pixels are rendered by poppler (rule 4): a mark
 * near a region's edge leaves a thin strip outside it, and whether its
 * pixels are inked is poppler's answer, not MuPDF's. Bigger areas (a
 * full-page image's margins) are MuPDF's: clearly inked, and faster. */
#define BORDERLINE_MAX_PX 65536

static int overlaps(const struct px_rect *a, const struct px_rect *b, int gap)
{
	return a->x0 < b->x1 + gap && b->x0 < a->x1 + gap &&
	       a->y0 < b->y1 + gap && b->y0 < a->y1 + gap;
}

static int is_empty(const struct px_rect *r)
{
	return r->x0 >= r->x1 || r->y0 >= r->y1;
}

static struct px_rect unite(struct px_rect a, struct px_rect b)
{
	return (struct px_rect){a.x0 < b.x0 ? a.x0 : b.x0, a.y0 < b.y0 ? a.y0 : b.y0,
				a.x1 > b.x1 ? a.x1 : b.x1, a.y1 > b.y1 ? a.y1 : b.y1};
}

static struct px_rect intersect(struct px_rect a, struct px_rect b)
{
	return (struct px_rect){a.x0 > b.x0 ? a.x0 : b.x0, a.y0 > b.y0 ? a.y0 : b.y0,
				a.x1 < b.x1 ? a.x1 : b.x1, a.y1 < b.y1 ? a.y1 : b.y1};
}

/* a minus b: up to four rectangles into out; returns how many. */
static int subtract(struct px_rect a, struct px_rect b, struct px_rect *out)
{
	if (!overlaps(&a, &b, 0)) {
		out[0] = a;
		return 1;
	}
	int n = 0;
	int my0 = a.y0 > b.y0 ? a.y0 : b.y0, my1 = a.y1 < b.y1 ? a.y1 : b.y1;
	if (b.y0 > a.y0)
		out[n++] = (struct px_rect){a.x0, a.y0, a.x1, b.y0};
	if (b.y1 < a.y1)
		out[n++] = (struct px_rect){a.x0, b.y1, a.x1, a.y1};
	if (b.x0 > a.x0)
		out[n++] = (struct px_rect){a.x0, my0, b.x0, my1};
	if (b.x1 < a.x1)
		out[n++] = (struct px_rect){b.x1, my0, a.x1, my1};
	return n;
}

/* Merges only areas whose union is little bigger than both: the strips a
 * full-page image leaves around the regions stay strips, each rendered on
 * its own, instead of one rectangle the size of the page. */
static int worth_merging(const struct px_rect *a, const struct px_rect *b)
{
	struct px_rect u = unite(*a, *b);
	double ua = (double)(u.x1 - u.x0) * (u.y1 - u.y0);
	double sum = (double)(a->x1 - a->x0) * (a->y1 - a->y0) + (double)(b->x1 - b->x0) * (b->y1 - b->y0);
	return ua <= 1.5 * sum + 4096;
}

/* Adds r to the areas to render, merging areas that touch or nearly do. */
static void add_area(struct px_rect *areas, int *n, struct px_rect r)
{
	for (int i = 0; i < *n; i++) {
		if (overlaps(&areas[i], &r, MERGE_GAP_PX) && worth_merging(&areas[i], &r)) {
			r = unite(r, areas[i]);
			areas[i] = areas[--*n];
			i = -1;   /* the bigger rectangle may now reach others */
		}
	}
	if (*n == MAX_AREAS) {
		areas[0] = unite(areas[0], r);
		return;
	}
	areas[(*n)++] = r;
}

static int clamp_px(double v, int lo, int hi)
{
	if (!(v > lo))   /* also catches NaN */
		return lo;
	return v < hi ? (int)v : hi;
}

/* Collects the pixel areas outside the regions that some mark may darken. */
static int suspicious_areas(const struct mark_list *marks, const struct page_regions *reg,
			    fz_matrix to_px, struct px_rect *areas)
{
	const struct px_rect *page = &reg->page;
	int n_areas = 0;
	for (size_t m = 0; m < marks->n; m++) {
		fz_rect r = fz_transform_rect(marks->rects[m], to_px);
		struct px_rect px = {
			clamp_px(floor(r.x0) - 1, page->x0, page->x1),
			clamp_px(floor(r.y0) - 1, page->y0, page->y1),
			clamp_px(ceil(r.x1) + 1, page->x0, page->x1),
			clamp_px(ceil(r.y1) + 1, page->y0, page->y1),
		};
		if (is_empty(&px))
			continue;
		struct px_rect pieces[MAX_PIECES], next[MAX_PIECES];
		int n = 1;
		pieces[0] = px;
		for (int a = 0; a < reg->n_allowed && n > 0; a++) {
			int k = 0;
			for (int p = 0; p < n; p++) {
				if (k + 4 > MAX_PIECES) {   /* cannot happen with 4 regions; stay safe */
					next[k++] = px;
					break;
				}
				k += subtract(pieces[p], reg->allowed[a], next + k);
			}
			memcpy(pieces, next, (size_t)k * sizeof *next);
			n = k;
		}
		for (int p = 0; p < n; p++)
			add_area(areas, &n_areas, pieces[p]);
	}
	return n_areas;
}

static int past_time_limit(void *limits)
{
	return ((struct limits *)limits)->timed_out;
}

/* Renders `area` of the page at 200 dpi, on pdftoppm's pixel grid, into
 * pc->pixels (RGB, no alpha), by MuPDF; counts its pixels in the report. */
static void render_area(struct pdfcheck_ctx *pc, fz_page *page, fz_matrix to_px, struct px_rect area,
			struct pdfcheck_report *rep)
{
	fz_context *ctx = pc->fz;
	size_t need = (size_t)(area.x1 - area.x0) * (size_t)(area.y1 - area.y0) * 3;
	if (need > pc->pixels_cap) {
		unsigned char *bigger = realloc(pc->pixels, need);
		if (!bigger)
			fz_throw(ctx, FZ_ERROR_MEMORY, "cannot allocate %zu bytes to render a page", need);
		pc->pixels = bigger;
		pc->pixels_cap = need;
	}
	memset(pc->pixels, 255, need);
	rep->pixels_rendered += need / 3;
	fz_irect ir = {area.x0, area.y0, area.x1, area.y1};
	fz_pixmap *pix = NULL;
	fz_device *dev = NULL;
	fz_var(pix);
	fz_var(dev);
	fz_try(ctx) {
		pix = fz_new_pixmap_with_bbox_and_data(ctx, fz_device_rgb(ctx), ir, NULL, 0, pc->pixels);
		dev = fz_new_draw_device(ctx, fz_identity, pix);
		fz_run_page(ctx, page, dev, to_px, &pc->limits.cookie);
		fz_close_device(ctx, dev);
		limits_check(ctx, &pc->limits);
	}
	fz_always(ctx) {
		fz_drop_device(ctx, dev);
		fz_drop_pixmap(ctx, pix);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

static struct px_rect unite_boxes(struct px_rect a, struct px_rect b)
{
	if (is_empty(&a))
		return b;
	return is_empty(&b) ? a : unite(a, b);
}

/* The box of the inked pixels of a big area (MuPDF's to render), found from
 * its edges: a strip EDGE_STRIP_PX deep along each side is rendered, and
 * when every strip holds ink the union of what they hold is the box of the
 * whole area, exactly (no pixel further in can lie further out), without
 * painting the inside. A full-page image's margins are decided so; an area
 * with a side that is not inked is rendered whole. */
#define EDGE_STRIP_PX 8
static struct px_rect inked_box_by_edges(struct pdfcheck_ctx *pc, fz_page *page, fz_matrix to_px,
					 const struct page_regions *reg, struct px_rect area,
					 struct pdfcheck_report *rep)
{
	const int k = EDGE_STRIP_PX;
	if (area.x1 - area.x0 > 4 * k && area.y1 - area.y0 > 4 * k) {
		struct px_rect strips[4] = {
			{area.x0, area.y0, area.x1, area.y0 + k},            /* top */
			{area.x0, area.y1 - k, area.x1, area.y1},            /* bottom */
			{area.x0, area.y0 + k, area.x0 + k, area.y1 - k},    /* left */
			{area.x1 - k, area.y0 + k, area.x1, area.y1 - k},    /* right */
		};
		struct px_rect box = {0, 0, 0, 0};
		int s = 0;
		for (; s < 4; s++) {
			render_area(pc, page, to_px, strips[s], rep);
			struct px_rect inked = offending_pixels(pc->pixels, reg, strips[s]);
			if (is_empty(&inked))
				break;
			box = unite_boxes(box, inked);
		}
		if (s == 4)
			return box;
	}
	render_area(pc, page, to_px, area, rep);
	return offending_pixels(pc->pixels, reg, area);
}

/* The box of the pixels outside the regions that the raster rule finds
 * inked in `area` (empty when none are). MuPDF renders first, always: it
 * holds the file to the memory and time limits (a decompression bomb stops
 * there), which poppler knows nothing of. A borderline area is poppler's,
 * unless MuPDF's pixels settle it whatever poppler does with the edges
 * (ink.c). */
static struct px_rect inked_pixels(struct pdfcheck_ctx *pc, fz_page *page, int page_no, fz_matrix to_px,
				   const struct page_regions *reg, struct px_rect area, int borderline,
				   int full_raster, struct pdfcheck_report *rep)
{
	if (!borderline)
		return inked_box_by_edges(pc, page, to_px, reg, area, rep);
	render_area(pc, page, to_px, area, rep);
	struct px_rect box;
	if (borderline && !full_raster && certainly_inked(pc->pixels, reg, area, &box))
		return box;
	int w = area.x1 - area.x0, h = area.y1 - area.y0;
	if (borderline && pc->pdf &&
	    poppler_render_area(pc->pdf, pc->pdf_len, page_no, area.x0, area.y0, w, h, pc->pixels,
				past_time_limit, &pc->limits) != 0) {
		limits_check(pc->fz, &pc->limits);   /* stopped for the time limit: say so */
		/* else poppler cannot read what MuPDF read: MuPDF's pixels stand */
	}
	return offending_pixels(pc->pixels, reg, area);
}

static int by_size(const void *a, const void *b)
{
	const struct px_rect *p = a, *q = b;
	double sp = (double)(p->x1 - p->x0) * (p->y1 - p->y0), sq = (double)(q->x1 - q->x0) * (q->y1 - q->y0);
	return (sp > sq) - (sp < sq);
}

/* Names the forbidden zone a box lies in, for a person reading the report. */
static const char *zone_name(const double mm[4], int first_page_rules)
{
	double cx = (mm[0] + mm[2]) / 2, cy = (mm[1] + mm[3]) / 2;
	if (cx < 15.0)
		return "left margin (x < 15 mm)";
	if (cx > 195.0)
		return "right margin (x > 195 mm)";
	if (cy < 5.0)
		return "top margin (y < 5 mm)";
	if (cy > 292.0)
		return "bottom margin (y > 292 mm)";
	if (first_page_rules)
		return "blank space around the address window (x 15-125 mm, y 30-95 mm)";
	return "space outside the printable regions";
}

int check_printable(struct pdfcheck_ctx *pc, fz_page *page, const struct page_frame *frame,
		    const struct mark_list *marks, int first_page_rules, int full_raster,
		    int page_no, struct pdfcheck_report *rep)
{
	struct page_regions reg;
	page_regions_make(frame, first_page_rules, &reg);
	fz_matrix to_px = page_frame_page_to_px(frame, SPEC_PX_PER_PT);
	struct px_rect areas[MAX_AREAS];
	int n_areas = 1;
	if (full_raster)
		areas[0] = reg.page;   /* the raster rule itself: every pixel of the page */
	else
		n_areas = suspicious_areas(marks, &reg, to_px, areas);
	/* Smallest first: a page that fails mostly fails on a small area. */
	qsort(areas, (size_t)n_areas, sizeof *areas, by_size);
	cache_page_images(pc->fz, page, to_px, areas, n_areas, &pc->limits.cookie);
	limits_check(pc->fz, &pc->limits);
	int failed = 0;
	for (int i = 0; i < n_areas; i++) {
		struct px_rect area = intersect(areas[i], reg.page);
		if (is_empty(&area))
			continue;
		/* The full raster is Notify's own: poppler's, every pixel. */
		int borderline = full_raster ||
			(double)(area.x1 - area.x0) * (area.y1 - area.y0) <= BORDERLINE_MAX_PX;
		struct px_rect bad = inked_pixels(pc, page, page_no, to_px, &reg, area, borderline,
						  full_raster, rep);
		if (is_empty(&bad))
			continue;
		if (failed++ >= MAX_FINDINGS_PER_PAGE)
			continue;
		double mm[4];
		page_frame_px_to_mm(frame, &bad, mm);
		const char *zone = zone_name(mm, first_page_rules);
		for (int k = 0; k < 4; k++)   /* to 0.1 mm, as printed: no "-0.0" a hair above the page */
			mm[k] = round(mm[k] * 10) / 10 + 0.0;
		if (report_add(rep, PDFCHECK_OUTSIDE, PDFCHECK_SEVERITY_ERROR, page_no, mm,
			       "page %d: content at x %.1f-%.1f mm, y %.1f-%.1f mm, in the %s",
			       page_no, mm[0], mm[2], mm[1], mm[3], zone) != 0)
			fz_throw(pc->fz, FZ_ERROR_MEMORY, "out of memory");
	}
	return failed > 0;
}
