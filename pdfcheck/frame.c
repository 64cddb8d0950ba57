/*
 * frame.c: where a page sits on paper, and the spec's regions on it.
 *
 * Sizes come from the raw MediaBox and /Rotate, as Notify reads them.
 * Positions are measured from the top-left corner of the MediaBox as
 * printed (after /Rotate); pixels are those of a 200 dpi render of the
 * visible page (the CropBox), which is what Notify rasterises.
 */
#include <math.h>

#include "internal.h"

void page_frame_load(fz_context *ctx, pdf_page *page, struct page_frame *frame)
{
	pdf_obj *mediabox = pdf_dict_get_inheritable(ctx, page->obj, PDF_NAME(MediaBox));
	fz_rect media = pdf_to_rect(ctx, mediabox);
	frame->has_mediabox = pdf_is_array(ctx, mediabox) && pdf_array_len(ctx, mediabox) == 4;
	frame->width_mm = fabsf(media.x1 - media.x0) / SPEC_PT_PER_MM;
	frame->height_mm = fabsf(media.y1 - media.y0) / SPEC_PT_PER_MM;
	frame->rotate = pdf_to_int(ctx, pdf_dict_get_inheritable(ctx, page->obj, PDF_NAME(Rotate)));

	fz_rect bounds;
	fz_matrix ctm;
	pdf_page_transform(ctx, page, &bounds, &ctm);
	fz_rect printed = fz_transform_rect(media, ctm);
	frame->origin = fz_make_point(printed.x0, printed.y0);
	frame->visible = fz_bound_page(ctx, &page->super);
}

/* Python's math.isclose(a, b, abs_tol=2), which Notify uses. */
static int close_to(double a, double b)
{
	double tol = fmax(1e-9 * fmax(fabs(a), fabs(b)), SPEC_SIZE_TOLERANCE_MM);
	return fabs(a - b) <= tol;
}

int page_frame_is_a4_portrait(const struct page_frame *frame)
{
	double w = frame->width_mm, h = frame->height_mm;
	int r = frame->rotate;
	/* Only these exact values pass: Notify compares /Rotate with a list,
	 * so -90 or 360, legal in PDF, fail as they do there. */
	if (close_to(h, SPEC_A4_HEIGHT_MM) && close_to(w, SPEC_A4_WIDTH_MM))
		return r == 0 || r == 180;
	if (close_to(w, SPEC_A4_HEIGHT_MM) && close_to(h, SPEC_A4_WIDTH_MM))
		return r == 90 || r == 270;
	return 0;
}

fz_rect page_frame_mm_to_pt(const struct page_frame *frame, const struct spec_rect *mm)
{
	return fz_make_rect(frame->origin.x + mm->x0 * SPEC_PT_PER_MM,
			    frame->origin.y + mm->y0 * SPEC_PT_PER_MM,
			    frame->origin.x + mm->x1 * SPEC_PT_PER_MM,
			    frame->origin.y + mm->y1 * SPEC_PT_PER_MM);
}

void page_frame_px_to_mm(const struct page_frame *frame, const struct px_rect *px, double mm[4])
{
	mm[0] = (px->x0 / SPEC_PX_PER_PT - frame->origin.x) / SPEC_PT_PER_MM;
	mm[1] = (px->y0 / SPEC_PX_PER_PT - frame->origin.y) / SPEC_PT_PER_MM;
	mm[2] = (px->x1 / SPEC_PX_PER_PT - frame->origin.x) / SPEC_PT_PER_MM;
	mm[3] = (px->y1 / SPEC_PX_PER_PT - frame->origin.y) / SPEC_PT_PER_MM;
}

/*
 * A pixel is outside when no part of it lies inside a grown region: a
 * pixel the region's edge passes through counts as inside. Notify paints
 * white boxes over a render, and their anti-aliased edges leave grey seams
 * on such pixels that fail good letters; testing the pixels directly keeps
 * the 1 mm slack whole on every side, to the same pixel on left and right.
 */
void page_regions_make_at(const struct page_frame *frame, int first_page_rules, double slack_mm,
			  double px_per_pt, struct page_regions *reg)
{
	const struct spec_rect *regions = first_page_rules ? spec_first_page_regions : spec_later_page_regions;
	size_t n = first_page_rules ? SPEC_N_FIRST_REGIONS : SPEC_N_LATER_REGIONS;

	reg->n_allowed = 0;
	for (size_t i = 0; i < n; i++) {
		struct spec_rect grown = {regions[i].x0 - slack_mm, regions[i].y0 - slack_mm,
					  regions[i].x1 + slack_mm, regions[i].y1 + slack_mm};
		fz_rect pt = page_frame_mm_to_pt(frame, &grown);
		struct px_rect *px = &reg->allowed[reg->n_allowed++];
		px->x0 = (int)floor(pt.x0 * px_per_pt);
		px->y0 = (int)floor(pt.y0 * px_per_pt);
		px->x1 = (int)ceil(pt.x1 * px_per_pt);
		px->y1 = (int)ceil(pt.y1 * px_per_pt);
	}
	fz_irect page = fz_round_rect(fz_transform_rect(frame->visible, fz_scale(px_per_pt, px_per_pt)));
	reg->page = (struct px_rect){page.x0, page.y0, page.x1, page.y1};
}

void page_regions_make(const struct page_frame *frame, int first_page_rules, struct page_regions *reg)
{
	page_regions_make_at(frame, first_page_rules, SPEC_REGION_SLACK_MM, SPEC_PX_PER_PT, reg);
}

int page_regions_allow(const struct page_regions *reg, int x, int y)
{
	for (int a = 0; a < reg->n_allowed; a++) {
		const struct px_rect *r = &reg->allowed[a];
		if (x >= r->x0 && x < r->x1 && y >= r->y0 && y < r->y1)
			return 1;
	}
	return 0;
}
