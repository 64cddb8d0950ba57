/*
 * overlay.c: a picture of a page for a person fixing a letter, as Notify's
 * own preview draws it: the page as printed, the areas where nothing may be
 * printed shaded red (the published regions, without Notify's 1 mm slack),
 * the offending marks of the report outlined in blue, and on page 1 the
 * address window outlined in green with the address as read beneath it.
 */
#include <string.h>

#include "fz_copy.h"
#include "internal.h"

#define SHADE_ALPHA 0.28f
#define MAX_PICTURE_PX 2400.0f

static void shade_forbidden(fz_pixmap *pix, const struct page_regions *reg)
{
	int w = fz_pixmap_width(NULL, pix), h = fz_pixmap_height(NULL, pix);
	int x0 = fz_pixmap_x(NULL, pix), y0 = fz_pixmap_y(NULL, pix);
	unsigned char *s = fz_pixmap_samples(NULL, pix);
	ptrdiff_t stride = fz_pixmap_stride(NULL, pix);
	if (!s || w <= 0)   /* a picture with no area has no samples (found by fuzz-pdfcheck) */
		return;
	for (int y = 0; y < h; y++) {
		unsigned char *p = s + y * stride;
		for (int x = 0; x < w; x++, p += 3) {
			if (page_regions_allow(reg, x0 + x, y0 + y))
				continue;
			p[0] = (unsigned char)(p[0] * (1 - SHADE_ALPHA) + 255 * SHADE_ALPHA);
			p[1] = (unsigned char)(p[1] * (1 - SHADE_ALPHA));
			p[2] = (unsigned char)(p[2] * (1 - SHADE_ALPHA));
		}
	}
}

/* A rectangle outline `width` pixels wide, in page-space points. */
static void outline(fz_context *ctx, fz_device *dev, fz_rect r, fz_matrix ctm, const float rgb[3],
		    float width)
{
	fz_path *path = fz_new_path(ctx);
	fz_stroke_state *stroke = NULL;
	fz_try(ctx) {
		fz_rectto(ctx, path, r.x0, r.y0, r.x1, r.y1);
		stroke = fz_new_stroke_state(ctx);
		stroke->linewidth = width;
		fz_stroke_path(ctx, dev, path, stroke, ctm, fz_device_rgb(ctx), rgb, 1, fz_default_color_params);
	}
	fz_always(ctx) {
		fz_drop_stroke_state(ctx, stroke);
		fz_drop_path(ctx, path);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* The address as read, one line under another, on a white label below the window. */
static void address_label(fz_context *ctx, fz_device *dev, const struct page_frame *frame,
			  fz_matrix ctm, const char *address, const float rgb[3])
{
	static const float white[3] = {1, 1, 1};
	struct spec_rect label_mm = {spec_address_window.x0, spec_address_window.y1 + 2,
				     spec_address_window.x1, spec_address_window.y1 + 26};
	fz_rect label = page_frame_mm_to_pt(frame, &label_mm);
	fz_path *path = fz_new_path(ctx);
	fz_font *font = NULL;
	fz_text *text = NULL;
	fz_try(ctx) {
		fz_rectto(ctx, path, label.x0, label.y0, label.x1, label.y1);
		fz_fill_path(ctx, dev, path, 0, ctm, fz_device_rgb(ctx), white, 0.9f, fz_default_color_params);
		font = fz_new_base14_font(ctx, "Helvetica");
		text = fz_new_text(ctx);
		float y = label.y0 + 9;
		fz_show_string(ctx, text, font, fz_make_matrix(7, 0, 0, -7, label.x0 + 3, y),
			       "Address as read:", 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
		char line[256];
		for (const char *p = address; *p && y < label.y1 - 8;) {
			size_t n = strcspn(p, "\n");
			snprintf(line, sizeof line, "%.*s", (int)(n < 255 ? n : 255), p);
			y += 8;
			fz_show_string(ctx, text, font, fz_make_matrix(7, 0, 0, -7, label.x0 + 9, y),
				       line, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
			p += n + (p[n] == '\n');
		}
		fz_fill_text(ctx, dev, text, ctm, fz_device_rgb(ctx), rgb, 1, fz_default_color_params);
	}
	fz_always(ctx) {
		fz_drop_text(ctx, text);
		fz_drop_font(ctx, font);
		fz_drop_path(ctx, path);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

static fz_buffer *draw_overlay(fz_context *ctx, pdf_document *doc, int page_no,
			       const struct pdfcheck_options *opt, const struct pdfcheck_report *rep, int dpi)
{
	static const float blue[3] = {0, 0.3f, 0.85f}, green[3] = {0, 0.5f, 0.1f};
	fz_page *page = NULL;
	fz_pixmap *pix = NULL;
	fz_device *dev = NULL;
	fz_buffer *png = NULL;
	fz_var(page);
	fz_var(pix);
	fz_var(dev);
	fz_var(png);
	fz_try(ctx) {
		page = fz_load_page(ctx, &doc->super, page_no - 1);
		struct page_frame frame;
		page_frame_load(ctx, pdf_page_from_fz_page(ctx, page), &frame);
		/* A huge page (a letter that is not A4) is drawn smaller, not huge. */
		float scale = dpi / 72.0f;
		float longest = fz_max(frame.media.x1 - frame.media.x0, frame.media.y1 - frame.media.y0);
		if (longest * scale > MAX_PICTURE_PX)
			scale = MAX_PICTURE_PX / longest;
		/* The MediaBox on the checker's pixel grid: what pdftoppm draws for
		 * Notify, so the shading falls on the pixels the rule whitens. */
		fz_matrix ctm = page_frame_page_to_px(&frame, scale);
		fz_irect box = fz_round_rect(fz_transform_rect(frame.media, ctm));
		pix = fz_new_pixmap_with_bbox(ctx, fz_device_rgb(ctx), box, NULL, 0);
		fz_clear_pixmap_with_value(ctx, pix, 255);
		dev = fz_new_draw_device(ctx, fz_identity, pix);
		fz_run_page(ctx, page, dev, ctm, NULL);
		fz_close_device(ctx, dev);
		fz_drop_device(ctx, dev);
		dev = NULL;

		int first_rules = page_no == 1 && !opt->attachment;
		struct page_regions reg;
		page_regions_make_at(&frame, first_rules, 0, scale, &reg);
		shade_forbidden(pix, &reg);

		dev = fz_new_draw_device(ctx, fz_identity, pix);
		for (size_t i = 0; i < rep->n_findings; i++) {
			const struct pdfcheck_finding *f = &rep->findings[i];
			if (f->page != page_no || !f->has_box)
				continue;
			struct spec_rect mm = {f->box_mm[0] - 0.5, f->box_mm[1] - 0.5, f->box_mm[2] + 0.5, f->box_mm[3] + 0.5};
			outline(ctx, dev, page_frame_mm_to_pt(&frame, &mm), ctm, blue, 1.2f);
		}
		if (first_rules) {
			struct spec_rect w = spec_address_window;
			outline(ctx, dev, page_frame_mm_to_pt(&frame, &w), ctm, green, 0.8f);
			if (rep->address)
				address_label(ctx, dev, &frame, ctm, rep->address, green);
		}
		fz_close_device(ctx, dev);
		png = fz_new_buffer_from_pixmap_as_png(ctx, pix, fz_default_color_params);
	}
	fz_always(ctx) {
		fz_drop_device(ctx, dev);
		fz_drop_pixmap(ctx, pix);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return png;
}

int pdfcheck_overlay_png(struct pdfcheck_ctx *pc, const unsigned char *pdf, size_t len, int page_no,
			 const struct pdfcheck_options *opt, const struct pdfcheck_report *rep, int dpi,
			 unsigned char **png, size_t *png_len)
{
	fz_context *ctx = pc->fz;
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	fz_buffer *buf = NULL;
	int rc = 0;
	fz_var(stm);
	fz_var(doc);
	fz_var(buf);
	fz_var(rc);
	*png = NULL;
	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		if (pdf_needs_password(ctx, doc) && !pdf_authenticate_password(ctx, doc, ""))
			fz_throw(ctx, FZ_ERROR_GENERIC, "the file is encrypted with a password");
		if (page_no < 1 || page_no > pdf_count_pages(ctx, doc))
			fz_throw(ctx, FZ_ERROR_GENERIC, "no page %d", page_no);
		buf = draw_overlay(ctx, doc, page_no, opt, rep, dpi);
		/* A page with no area at this size draws nothing (found by fuzz/fuzz-pdfcheck.c). */
		unsigned char *data;
		if (fz_buffer_storage(ctx, buf, &data) == 0)
			fz_throw(ctx, FZ_ERROR_GENERIC, "the page has no area to draw");
		*png = fz_copy_to_malloc(ctx, buf, png_len);
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, buf);
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx) {
		snprintf(pc->err, sizeof pc->err, "cannot draw page %d: %s", page_no, fz_caught_message(ctx));
		rc = -1;
	}
	return rc;
}
