/* tag.c: the word NOTIFY removed from the tag box of a later page (text only). */
#include "internal.h"
#include "lk_letter.h"
#include "spec.h"

#define MAX_HITS 16

/* A redaction annotation over r, applied later by pdf_redact_page. */
static void add_redaction(fz_context *ctx, pdf_page *page, fz_rect r)
{
	pdf_annot *annot = pdf_create_annot(ctx, page, PDF_ANNOT_REDACT);
	fz_try(ctx)
		pdf_set_annot_rect(ctx, annot, r);
	fz_always(ctx)
		pdf_drop_annot(ctx, annot);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int tag_remove(fz_context *ctx, pdf_document *doc, pdf_page *page, struct mm_rect *at)
{
	fz_quad hits[MAX_HITS];
	int marks[MAX_HITS];
	int n = fz_search_page(ctx, &page->super, SPEC_NOTIFY_TAG, marks, hits, MAX_HITS);
	fz_rect b = fz_bound_page(ctx, &page->super);
	/* The tag box grown by Notify's slack, in points from the page's printed corner. */
	double s = SPEC_REGION_SLACK_MM;
	fz_rect box = fz_make_rect((float)((spec_notify_tag_box.x0 - s) * SPEC_PT_PER_MM + b.x0),
				   (float)((spec_notify_tag_box.y0 - s) * SPEC_PT_PER_MM + b.y0),
				   (float)((spec_notify_tag_box.x1 + s) * SPEC_PT_PER_MM + b.x0),
				   (float)((spec_notify_tag_box.y1 + s) * SPEC_PT_PER_MM + b.y0));
	int removed = 0;
	for (int i = 0; i < n; i++) {
		fz_rect r = fz_rect_from_quad(hits[i]);
		if (!fz_contains_rect(box, r))
			continue;   /* a NOTIFY elsewhere is the letter's own text */
		add_redaction(ctx, page, r);
		if (removed++ == 0)
			*at = (struct mm_rect){(r.x0 - b.x0) / SPEC_PT_PER_MM, (r.y0 - b.y0) / SPEC_PT_PER_MM,
					       (r.x1 - b.x0) / SPEC_PT_PER_MM, (r.y1 - b.y0) / SPEC_PT_PER_MM};
	}
	if (removed) {
		/* Glyphs only: no black box, images and line art as they are. */
		pdf_redact_options opts = {0, PDF_REDACT_IMAGE_NONE};
		pdf_redact_page(ctx, doc, page, &opts);
	}
	return removed;
}
