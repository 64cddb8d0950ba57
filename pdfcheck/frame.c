/*
 * frame.c: where a page sits on paper, and the spec's regions on it, laid
 * as Notify lays them (LETTER-SPEC section 3, rules 2 and 3 in the README):
 *
 * - Sizes come from the raw MediaBox and /Rotate, as Notify reads them.
 * - Regions are drawn on an A4 reportlab canvas (595.28 x 841.89 pt) that
 *   is merged into the page's own user space: anchored at user-space
 *   (0, 0), a region y mm from the top sits at 841.89 - y * 72 / 25.4 in
 *   user space, whatever the MediaBox's origin or height.
 * - That canvas is not rotated: on a page with /Rotate the regions lie in
 *   the page's unrotated user space, and so does the address window.
 * - pdftoppm rasterises the MediaBox (not the CropBox) at 200 dpi, its
 *   pixel (0, 0) at the MediaBox's displayed top-left corner; a mark
 *   outside the CropBox but inside the MediaBox is printed ink for Notify.
 */
#include <math.h>

#include "internal.h"

/* Notify's canvas height: A4_HEIGHT * mm in reportlab units. */
#define NOTIFY_CANVAS_HEIGHT_PT (SPEC_A4_HEIGHT_MM * SPEC_PT_PER_MM)

void page_frame_load(fz_context *ctx, pdf_page *page, struct page_frame *frame)
{
	pdf_obj *mediabox = pdf_dict_get_inheritable(ctx, page->obj, PDF_NAME(MediaBox));
	fz_rect media = pdf_to_rect(ctx, mediabox);
	frame->has_mediabox = pdf_is_array(ctx, mediabox) && pdf_array_len(ctx, mediabox) == 4;
	frame->width_mm = fabsf(media.x1 - media.x0) / SPEC_PT_PER_MM;
	frame->height_mm = fabsf(media.y1 - media.y0) / SPEC_PT_PER_MM;
	frame->rotate = pdf_to_int(ctx, pdf_dict_get_inheritable(ctx, page->obj, PDF_NAME(Rotate)));

	fz_rect bounds;
	pdf_page_transform(ctx, page, &bounds, &frame->user_to_page);
	fz_rect shown = fz_bound_page(ctx, &page->super);
	fz_rect box = frame->has_mediabox ? fz_transform_rect(media, frame->user_to_page) : shown;
	if (!fz_is_valid_rect(box) || fz_is_empty_rect(box))
		box = shown;   /* no usable MediaBox: the size rule fails it anyway */
	frame->media = box;
	frame->origin = fz_make_point(box.x0, box.y0);
	frame->visible = shown;
}

fz_matrix page_frame_page_to_px(const struct page_frame *frame, double px_per_pt)
{
	return fz_concat(fz_translate(-frame->origin.x, -frame->origin.y),
			 fz_scale((float)px_per_pt, (float)px_per_pt));
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

/* Spec millimetres (from the canvas's top left) -> user space, in Notify's frame. */
static fz_rect mm_to_user(const struct spec_rect *mm)
{
	return fz_make_rect(mm->x0 * SPEC_PT_PER_MM, NOTIFY_CANVAS_HEIGHT_PT - mm->y1 * SPEC_PT_PER_MM,
			    mm->x1 * SPEC_PT_PER_MM, NOTIFY_CANVAS_HEIGHT_PT - mm->y0 * SPEC_PT_PER_MM);
}

/* The one mapping of spec millimetres to the page: where Notify's canvas puts
 * the rectangle, in MuPDF page space (so for text boxes and marks alike). */
fz_rect page_frame_mm_to_pt(const struct page_frame *frame, const struct spec_rect *mm)
{
	return fz_transform_rect(mm_to_user(mm), frame->user_to_page);
}

/* Pixels of the 200 dpi raster -> spec millimetres, the inverse of the above. */
void page_frame_px_to_mm(const struct page_frame *frame, const struct px_rect *px, double mm[4])
{
	fz_matrix to_user = fz_invert_matrix(fz_concat(frame->user_to_page,
						       page_frame_page_to_px(frame, SPEC_PX_PER_PT)));
	fz_rect u = fz_transform_rect(fz_make_rect(px->x0, px->y0, px->x1, px->y1), to_user);
	mm[0] = u.x0 / SPEC_PT_PER_MM;
	mm[1] = (NOTIFY_CANVAS_HEIGHT_PT - u.y1) / SPEC_PT_PER_MM;
	mm[2] = u.x1 / SPEC_PT_PER_MM;
	mm[3] = (NOTIFY_CANVAS_HEIGHT_PT - u.y0) / SPEC_PT_PER_MM;
}

/* poppler's rounding of an axis-aligned fill: Splash's stroke adjustment snaps
 * each edge to the nearest pixel boundary (floor(v + 0.5)), so a box from x0
 * to x1 whitens columns [round(x0), round(x1)); checked against pdftoppm. */
static int snap(double v)
{
	return (int)floor(v + 0.5);
}

/*
 * The pixels Notify's white boxes whiten: each region grown by the slack,
 * laid in Notify's frame, mapped to the raster and snapped as poppler fills
 * it. A pixel outside every box that is not pure white fails the page.
 */
void page_regions_make_at(const struct page_frame *frame, int first_page_rules, double slack_mm,
			  double px_per_pt, struct page_regions *reg)
{
	const struct spec_rect *regions = first_page_rules ? spec_first_page_regions : spec_later_page_regions;
	size_t n = first_page_rules ? SPEC_N_FIRST_REGIONS : SPEC_N_LATER_REGIONS;
	fz_matrix to_px = page_frame_page_to_px(frame, px_per_pt);

	reg->n_allowed = 0;
	for (size_t i = 0; i < n; i++) {
		struct spec_rect grown = {regions[i].x0 - slack_mm, regions[i].y0 - slack_mm,
					  regions[i].x1 + slack_mm, regions[i].y1 + slack_mm};
		fz_rect pt = fz_transform_rect(page_frame_mm_to_pt(frame, &grown), to_px);
		struct px_rect *px = &reg->allowed[reg->n_allowed++];
		*px = (struct px_rect){snap(pt.x0), snap(pt.y0), snap(pt.x1), snap(pt.y1)};
	}
	/* pdftoppm's raster: ceil of the MediaBox's size in pixels. */
	fz_rect page = fz_transform_rect(frame->media, to_px);
	reg->page = (struct px_rect){0, 0, (int)ceil(page.x1 - page.x0 - 1e-3), (int)ceil(page.y1 - page.y0 - 1e-3)};
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
