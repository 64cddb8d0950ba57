/*
 * text_space.c: the coordinates Notify reads text in.
 *
 * Notify reads the address and the NOTIFY tag with PyMuPDF's
 * page.get_text("words"), which sets the page's /Rotate to 0 while it
 * extracts (PyMuPDF 1.17 on): the words are in the page's UNROTATED space,
 * points, y down, origin at the top-left corner of the CropBox (clipped to
 * the MediaBox), which is MuPDF's page space of the page with /Rotate 0.
 * Notify's boxes are plain mm x 72 / 25.4 in that space. This is not the
 * printable-area rule's frame (frame.c): that one is the overlay's, a
 * reportlab A4 canvas anchored at user-space (0, 0); the two agree only on a
 * page whose CropBox is [0 0 595.28 841.89] and which is not rotated.
 *
 * A page is run once, in MuPDF's (rotated) page space, through the mark
 * device; the text device below moves the text it passes on into this space
 * before a structured-text device sees it.
 */
#include <math.h>

#include "internal.h"

void text_space_load(fz_context *ctx, pdf_page *page, struct text_space *ts)
{
	fz_rect bounds;
	fz_matrix ctm;
	pdf_page_transform(ctx, page, &bounds, &ctm);
	/* The visible box in user space, back from MuPDF's rotated page space. */
	fz_rect user = fz_transform_rect(fz_bound_page(ctx, &page->super), fz_invert_matrix(ctm));
	float unit = sqrtf(fabsf(ctm.a * ctm.d - ctm.b * ctm.c));   /* /UserUnit */
	fz_matrix unrotated = fz_make_matrix(unit, 0, 0, -unit, -unit * user.x0, unit * user.y1);
	/* Unrotated, MuPDF's page space is this space already: then exactly
	 * the identity, so that no rounding moves a glyph. */
	ts->rotated = !(ctm.b == 0 && ctm.c == 0 && ctm.a > 0 && ctm.d < 0);
	ts->from_page = ts->rotated ? fz_concat(fz_invert_matrix(ctm), unrotated) : fz_identity;
	ts->bounds = fz_make_rect(0, 0, unit * (user.x1 - user.x0), unit * (user.y1 - user.y0));
}

fz_rect text_space_box(const struct spec_rect *mm)
{
	return fz_make_rect(mm->x0 * SPEC_PT_PER_MM, mm->y0 * SPEC_PT_PER_MM,
			    mm->x1 * SPEC_PT_PER_MM, mm->y1 * SPEC_PT_PER_MM);
}

fz_rect text_space_to_page(const struct text_space *ts, fz_rect r)
{
	return fz_transform_rect(r, fz_invert_matrix(ts->from_page));
}

struct move_device {
	fz_device super;
	fz_device *target;
	fz_matrix m;
};

/* The mark device passes all text as ignore_text (a structured-text device
 * reads text alike whatever its render mode). */
static void move_ignore_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm)
{
	struct move_device *md = (struct move_device *)dev;
	fz_ignore_text(ctx, md->target, text, fz_concat(ctm, md->m));
}

fz_device *text_space_device(fz_context *ctx, const struct text_space *ts, fz_device *target)
{
	struct move_device *md = fz_new_derived_device(ctx, struct move_device);
	md->super.ignore_text = move_ignore_text;
	md->target = target;
	md->m = ts->from_page;
	return &md->super;
}
