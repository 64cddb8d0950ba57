/* page.c: where a page's marks are, and moving, scaling and re-sizing its content. */
#include <math.h>

#include "internal.h"
#include "lk_letter.h"
#include "spec.h"

void page_size_mm(fz_context *ctx, pdf_page *page, double *w, double *h)
{
	fz_rect b = fz_bound_page(ctx, &page->super);
	*w = (b.x1 - b.x0) / SPEC_PT_PER_MM;
	*h = (b.y1 - b.y0) / SPEC_PT_PER_MM;
}

/*
 * Drawn as check draws it (SPEC_DPI, grey, annotations too), a mark is any
 * pixel that is not pure white: check may count fainter ones than its own
 * threshold would, never fewer, so a fit computed from this box is never
 * short. The box is grown by one pixel for the antialiased edge.
 */
int page_marks_mm(fz_context *ctx, pdf_page *page, struct mm_rect *box)
{
	fz_rect b = fz_bound_page(ctx, &page->super);
	double scale = SPEC_DPI / 72.0;
	fz_pixmap *pix = fz_new_pixmap_from_page(ctx, &page->super, fz_scale(scale, scale),
						 fz_device_gray(ctx), 0);
	int w = fz_pixmap_width(ctx, pix), h = fz_pixmap_height(ctx, pix);
	int minx = w, miny = h, maxx = -1, maxy = -1;
	const unsigned char *s = fz_pixmap_samples(ctx, pix);
	ptrdiff_t stride = fz_pixmap_stride(ctx, pix);
	for (int y = 0; y < h; y++) {
		const unsigned char *row = s + y * stride;
		for (int x = 0; x < w; x++) {
			if (row[x] == 255)
				continue;
			if (x < minx) minx = x;
			if (x > maxx) maxx = x;
			if (y < miny) miny = y;
			if (y > maxy) maxy = y;
		}
	}
	int ox = pix->x, oy = pix->y;
	fz_drop_pixmap(ctx, pix);
	if (maxx < 0)
		return 0;
	double px_mm = 25.4 / SPEC_DPI;
	box->x0 = (ox + minx - 1) * px_mm - b.x0 / SPEC_PT_PER_MM;
	box->y0 = (oy + miny - 1) * px_mm - b.y0 / SPEC_PT_PER_MM;
	box->x1 = (ox + maxx + 2) * px_mm - b.x0 / SPEC_PT_PER_MM;
	box->y1 = (oy + maxy + 2) * px_mm - b.y0 / SPEC_PT_PER_MM;
	return 1;
}

/* Every number pair of an annotation's QuadPoints (links have them) moved by m. */
static void transform_quads(fz_context *ctx, pdf_obj *annot, fz_matrix m)
{
	pdf_obj *q = pdf_dict_get(ctx, annot, PDF_NAME(QuadPoints));
	int n = pdf_array_len(ctx, q);
	for (int i = 0; i + 1 < n; i += 2) {
		fz_point p = fz_make_point(pdf_array_get_real(ctx, q, i), pdf_array_get_real(ctx, q, i + 1));
		p = fz_transform_point(p, m);
		pdf_array_put_drop(ctx, q, i, pdf_new_real(ctx, p.x));
		pdf_array_put_drop(ctx, q, i + 1, pdf_new_real(ctx, p.y));
	}
}

/* Annotations are drawn apart from the content: their rectangles (and so
 * their appearances, which PDF maps into /Rect) move with it, but for those
 * meeting `keep` (user space; an empty rectangle keeps none). */
void page_move_annots(fz_context *ctx, pdf_page *page, fz_matrix m, fz_rect keep)
{
	pdf_obj *annots = pdf_dict_get(ctx, page->obj, PDF_NAME(Annots));
	int n = pdf_array_len(ctx, annots);
	for (int i = 0; i < n; i++) {
		pdf_obj *a = pdf_array_get(ctx, annots, i);
		pdf_obj *r = pdf_dict_get(ctx, a, PDF_NAME(Rect));
		if (!fz_is_empty_rect(keep) && pdf_is_array(ctx, r) &&
		    !fz_is_empty_rect(fz_intersect_rect(pdf_to_rect(ctx, r), keep)))
			continue;
		if (pdf_is_array(ctx, r))
			pdf_dict_put_rect(ctx, a, PDF_NAME(Rect), fz_transform_rect(pdf_to_rect(ctx, r), m));
		transform_quads(ctx, a, m);
	}
}

/* `q M cm` before the page's content streams and `Q` after them: the old
 * streams are kept as they are (shared ones too), only the list grows. */
static void wrap_contents(fz_context *ctx, pdf_document *doc, pdf_page *page, fz_matrix m)
{
	pdf_obj *contents = pdf_dict_get(ctx, page->obj, PDF_NAME(Contents));
	fz_buffer *pre = fz_new_buffer(ctx, 128), *post = NULL;
	pdf_obj *list = NULL;
	fz_var(post);
	fz_var(list);
	fz_try(ctx) {
		fz_append_printf(ctx, pre, "q %g %g %g %g %g %g cm\n", m.a, m.b, m.c, m.d, m.e, m.f);
		post = fz_new_buffer_from_copied_data(ctx, (const unsigned char *)"\nQ\n", 3);
		list = pdf_new_array(ctx, doc, 3);
		pdf_array_push_drop(ctx, list, pdf_add_stream(ctx, doc, pre, NULL, 0));
		if (pdf_is_array(ctx, contents)) {
			int n = pdf_array_len(ctx, contents);
			for (int i = 0; i < n; i++)
				pdf_array_push(ctx, list, pdf_array_get(ctx, contents, i));
		} else if (contents) {
			pdf_array_push(ctx, list, contents);
		}
		pdf_array_push_drop(ctx, list, pdf_add_stream(ctx, doc, post, NULL, 0));
		pdf_dict_put(ctx, page->obj, PDF_NAME(Contents), list);
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, pre);
		fz_drop_buffer(ctx, post);
		pdf_drop_obj(ctx, list);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

fz_matrix page_user_to_printed(fz_context *ctx, pdf_page *page)
{
	fz_rect box;
	fz_matrix ctm;
	pdf_page_transform(ctx, page, &box, &ctm);
	fz_rect b = fz_bound_page(ctx, &page->super);
	return fz_concat(ctm, fz_translate(-b.x0, -b.y0));
}

void page_transform(fz_context *ctx, pdf_document *doc, pdf_page *page, fz_matrix d, int a4)
{
	fz_matrix from = page_user_to_printed(ctx, page);
	if (a4) {
		fz_rect a4box = fz_make_rect(0, 0, (float)(LK_LETTER_WIDTH_MM * SPEC_PT_PER_MM),
					     (float)(LK_LETTER_HEIGHT_MM * SPEC_PT_PER_MM));
		pdf_dict_put_rect(ctx, page->obj, PDF_NAME(MediaBox), a4box);
		pdf_dict_del(ctx, page->obj, PDF_NAME(CropBox));
		pdf_dict_del(ctx, page->obj, PDF_NAME(TrimBox));
		pdf_dict_del(ctx, page->obj, PDF_NAME(BleedBox));
		pdf_dict_del(ctx, page->obj, PDF_NAME(ArtBox));
		pdf_dict_put_int(ctx, page->obj, PDF_NAME(Rotate), 0);
	}
	fz_matrix to = page_user_to_printed(ctx, page);
	/* old user space -> printed -> moved -> new user space */
	fz_matrix m = fz_concat(fz_concat(from, d), fz_invert_matrix(to));
	wrap_contents(ctx, doc, page, m);
	page_move_annots(ctx, page, m, fz_empty_rect);
}
