/*
 * image_stubs.c: a page's images stood in for while its marks are collected.
 *
 * The mark device needs only where an image is drawn (its matrix), not its
 * pixels; but MuPDF's interpreter loads every image it meets for a device
 * that draws images, reading the whole stream through its filters (an
 * ASCII85 photo from reportlab: a quarter of the page's time). pdf_load_image
 * looks in the store first, so for that one run each image XObject of the
 * page (and of the forms it draws) not yet loaded is stored as a stub of
 * the same size and kind, whose pixels cannot be asked for (a render that
 * did so would fail loudly, not draw a wrong page). The stubs are removed
 * before anything is rendered, which then loads the real images.
 */
#include "internal.h"

#define STUB_FORM_DEPTH 8   /* forms within forms searched this deep; deeper images load as usual */

static fz_pixmap *stub_pixmap(fz_context *ctx, fz_image *im, fz_irect *subarea, int w, int h, int *l2factor)
{
	(void)im, (void)subarea, (void)w, (void)h, (void)l2factor;
	fz_throw(ctx, FZ_ERROR_GENERIC, "an image stub was drawn (pdfcheck/image_stubs.c)");
}

static size_t stub_size(fz_context *ctx, fz_image *im)
{
	(void)ctx, (void)im;
	return sizeof(fz_image);
}

static void stub_drop(fz_context *ctx, fz_image *im)
{
	(void)ctx, (void)im;
}

static void stub_image(fz_context *ctx, pdf_obj *dict, struct image_stubs *st)
{
	fz_image *known = pdf_find_item(ctx, fz_drop_image_imp, dict);
	if (known) {   /* loaded already (or stubbed): nothing to save */
		fz_drop_image(ctx, known);
		return;
	}
	int w = pdf_dict_get_int(ctx, dict, PDF_NAME(Width)), h = pdf_dict_get_int(ctx, dict, PDF_NAME(Height));
	int mask = pdf_dict_get_bool(ctx, dict, PDF_NAME(ImageMask));
	if (w <= 0 || h <= 0)
		return;   /* MuPDF decides what such an image is */
	if (st->n == st->cap) {
		int cap = st->cap ? st->cap * 2 : 8;
		st->dicts = fz_realloc_array(ctx, st->dicts, cap, pdf_obj *);
		st->cap = cap;
	}
	fz_image *stub = fz_new_image_of_size(ctx, w, h, mask ? 1 : 8, mask ? NULL : fz_device_gray(ctx), 96, 96, 0,
					      mask, NULL, NULL, NULL, sizeof(fz_image), stub_pixmap, stub_size,
					      stub_drop);
	pdf_store_item(ctx, dict, stub, sizeof(fz_image));
	fz_drop_image(ctx, stub);
	st->dicts[st->n++] = pdf_keep_obj(ctx, dict);
}

static void stub_resources(fz_context *ctx, pdf_obj *res, int depth, struct image_stubs *st)
{
	pdf_obj *xobjects = pdf_dict_get(ctx, res, PDF_NAME(XObject));
	int n = pdf_dict_len(ctx, xobjects);
	for (int i = 0; i < n; i++) {
		pdf_obj *x = pdf_dict_get_val(ctx, xobjects, i);
		pdf_obj *subtype = pdf_dict_get(ctx, x, PDF_NAME(Subtype));
		if (pdf_name_eq(ctx, subtype, PDF_NAME(Image)))
			stub_image(ctx, x, st);
		else if (pdf_name_eq(ctx, subtype, PDF_NAME(Form)) && depth < STUB_FORM_DEPTH &&
			 !pdf_mark_obj(ctx, x)) {
			fz_try(ctx)
				stub_resources(ctx, pdf_dict_get(ctx, x, PDF_NAME(Resources)), depth + 1, st);
			fz_always(ctx)
				pdf_unmark_obj(ctx, x);
			fz_catch(ctx)
				fz_rethrow(ctx);
		}
	}
}

void image_stubs_add(fz_context *ctx, pdf_page *page, struct image_stubs *st)
{
	stub_resources(ctx, pdf_page_resources(ctx, page), 0, st);
}

void image_stubs_remove(fz_context *ctx, struct image_stubs *st)
{
	for (int i = 0; i < st->n; i++) {
		pdf_remove_item(ctx, fz_drop_image_imp, st->dicts[i]);
		pdf_drop_obj(ctx, st->dicts[i]);
	}
	fz_free(ctx, st->dicts);
	*st = (struct image_stubs){0};
}
