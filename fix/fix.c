/*
 * fix.c: the fixups in order on each page (notify-tag, then a4 and
 * rotate-landscape, then scale-to-fit, measured on the page as the earlier
 * ones left it), shrink on the file, and the proof: the result is checked
 * by pdfcheck and compared with the original (verify.c). Only a result
 * that passes both is handed back.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "lk_fixups.h"
#include "lk_letter.h"
#include "spec.h"

_Static_assert(FIX_N_FIXUPS == LK_N_FIXUPS && FIX_SHRINK == 1 << (LK_N_FIXUPS - 1),
	       "fix.h's FIX_* bits and lk_fixup_names go together");

static void keep_quiet(void *user, const char *message)
{
	(void)user;
	(void)message;   /* MuPDF's warnings about the original are check's to report */
}

struct fix_ctx *fix_ctx_new(char *err, size_t errlen)
{
	struct fix_ctx *fc = calloc(1, sizeof *fc);
	if (!fc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fc->fz = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (!fc->fz) {
		free(fc);
		snprintf(err, errlen, "cannot make a MuPDF context (out of memory)");
		return NULL;
	}
	fz_set_error_callback(fc->fz, keep_quiet, NULL);
	fz_set_warning_callback(fc->fz, keep_quiet, NULL);
	fz_register_document_handlers(fc->fz);
	fc->pc = pdfcheck_ctx_new(err, errlen);
	if (!fc->pc) {
		fz_drop_context(fc->fz);
		free(fc);
		return NULL;
	}
	return fc;
}

void fix_ctx_free(struct fix_ctx *fc)
{
	if (!fc)
		return;
	pdfcheck_ctx_free(fc->pc);
	fz_drop_context(fc->fz);
	free(fc);
}

struct pdfcheck_ctx *fix_check_ctx(struct fix_ctx *fc)
{
	return fc->pc;
}

const char *fix_error(const struct fix_ctx *fc)
{
	return fc->err;
}

void fix_result_clear(struct fix_result *res)
{
	free(res->pdf);
	pdfcheck_report_clear(&res->before);
	pdfcheck_report_clear(&res->after);
	memset(res, 0, sizeof *res);
}

static void add_note(char notes[][FIX_NOTE_LEN], int *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_note(char notes[][FIX_NOTE_LEN], int *n, const char *fmt, ...)
{
	if (*n >= FIX_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(notes[(*n)++], FIX_NOTE_LEN, fmt, ap);
	va_end(ap);
}

/* True when the result already says why the letter was left as it was. */
static int has_reason(const struct fix_result *res)
{
	if (res->n_notes > 0)
		return 1;
	for (int p = 0; p < PDFCHECK_MAX_PAGES; p++)
		if (res->pages[p].refused[0])
			return 1;
	return 0;
}

/* No fixup found anything to change (a mark's sliver in the last pixel row
 * below the page, say, where no mark's box reaches the body's edges): the
 * letter is left alone, and check's own finding says what still fails. */
static void say_nothing_applies(struct fix_result *res)
{
	for (size_t i = 0; i < res->before.n_findings; i++) {
		const struct pdfcheck_finding *f = &res->before.findings[i];
		if (f->severity == PDFCHECK_SEVERITY_ERROR) {
			add_note(res->notes, &res->n_notes, "no fixup applies: %s: %s", f->code, f->detail);
			return;
		}
	}
	add_note(res->notes, &res->n_notes, "no fixup applies: %s",
		 res->before.message ? res->before.message : "the letter fails check");
}

static void refuse(struct fix_page *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void refuse(struct fix_page *fp, const char *fmt, ...)
{
	if (fp->refused[0])
		return;   /* the first reason is the one that matters */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fp->refused, sizeof fp->refused, fmt, ap);
	va_end(ap);
}

static int has_finding(const struct pdfcheck_report *r, const char *code, int page)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].code, code) == 0 && (page < 0 || r->findings[i].page == page))
			return 1;
	return 0;
}

/* What no fixup may change, said as a note; 1 when there is such a thing. */
static int not_fixable(const struct pdfcheck_report *r, struct fix_result *res)
{
	int n0 = res->n_notes;
	if (has_finding(r, PDFCHECK_UNREADABLE, -1))
		add_note(res->notes, &res->n_notes, "not fixable: the file cannot be read as a PDF");
	if (has_finding(r, PDFCHECK_LIMIT, -1))
		add_note(res->notes, &res->n_notes,
			 "not fixable: checking the file needed more time or memory than allowed");
	if (has_finding(r, PDFCHECK_TOO_LONG, -1))
		add_note(res->notes, &res->n_notes,
			 "not fixable: %d pages, more than Notify's %d: split the letter", r->page_count,
			 PDFCHECK_MAX_PAGES);
	if (r->address_error)
		add_note(res->notes, &res->n_notes,
			 "not fixable: the address breaks Notify's rule %s; it is data, "
			 "to be corrected at its source ('letterkit address' checks addresses)",
			 r->address_error);
	return res->n_notes > n0;
}

/* The allowed area of a later page as Notify enforces it (grown by its slack). */
static struct mm_rect body_limit(void)
{
	struct lk_letter_rect b = lk_letter_body_later_pages;
	double s = SPEC_REGION_SLACK_MM;
	return (struct mm_rect){b.x0 - s, b.y0 - s, b.x1 + s, b.y1 + s};
}

static int inside(struct mm_rect r, struct mm_rect outer)
{
	return r.x0 >= outer.x0 && r.y0 >= outer.y0 && r.x1 <= outer.x1 && r.y1 <= outer.y1;
}

/*
 * One axis of a fit: the shift t (mm) that puts [lo, hi] scaled by s inside
 * [rlo, rhi], the one nearest to scaling about the page's middle `mid`.
 */
static double fit_shift(double lo, double hi, double rlo, double rhi, double s, double mid)
{
	double tmin = rlo - s * lo, tmax = rhi - s * hi, t = (1 - s) * mid;
	if (tmin > tmax)
		return (tmin + tmax) / 2;   /* rounding: s was chosen to fit exactly */
	return t < tmin ? tmin : t > tmax ? tmax : t;
}

/* Measured again after each fixup, for the next one. */
static int marks_now(fz_context *ctx, pdf_page *page, struct mm_rect *box)
{
	return page_marks_mm(ctx, page, box);
}

static int fix_tag(fz_context *ctx, pdf_document *doc, pdf_page *page, struct fix_page *fp)
{
	struct mm_rect at;
	int k = tag_remove(ctx, doc, page, &at);
	if (k > 0)
		snprintf(fp->did[fp->n_did++], FIX_NOTE_LEN, "removed NOTIFY at (%.1f, %.1f) mm", at.x0, at.y0);
	else
		refuse(fp, "notify-tag: no word NOTIFY found in the tag box to remove (drawn as a picture?)");
	return k;
}

/* a4 and rotate-landscape; the scale given to the page into *scale. */
static void fix_size(fz_context *ctx, pdf_document *doc, pdf_page *page, int later,
		     const struct fix_options *opt, struct fix_page *fp, double *scale)
{
	double w, h;
	page_size_mm(ctx, page, &w, &h);
	double tol = SPEC_SIZE_TOLERANCE_MM;
	if (fabs(w - SPEC_A4_WIDTH_MM) <= tol && fabs(h - SPEC_A4_HEIGHT_MM) <= tol)
		return;
	int landscape = w > h;
	if (!(opt->fixups & FIX_A4) && !(landscape && (opt->fixups & FIX_ROTATE_LANDSCAPE))) {
		refuse(fp, "the page is %.1f x %.1f mm, not A4 portrait: fixup a4 not selected", w, h);
		return;
	}
	if (landscape && !(opt->fixups & FIX_ROTATE_LANDSCAPE)) {
		refuse(fp, "the page is landscape (%.1f x %.1f mm): rotate-landscape (opt-in, "
			   "--only ...,rotate-landscape) turns it onto portrait A4", w, h);
		return;
	}
	fz_matrix d = fz_identity;
	double pw = w, ph = h;
	if (landscape) {
		/* A quarter turn clockwise: the top-left corner goes to the top right. */
		d = fz_make_matrix(0, 1, -1, 0, (float)(h * SPEC_PT_PER_MM), 0);
		pw = h;
		ph = w;
	}
	if ((fabs(pw - SPEC_A4_WIDTH_MM) > tol || fabs(ph - SPEC_A4_HEIGHT_MM) > tol) && !(opt->fixups & FIX_A4)) {
		refuse(fp, "turned, the page would be %.1f x %.1f mm, not A4: fixup a4 not selected", pw, ph);
		return;
	}
	double s = fmin(1.0, fmin(SPEC_A4_WIDTH_MM / pw, SPEC_A4_HEIGHT_MM / ph));
	if (s > 0.9999)
		s = 1;   /* a page A4 but for a rounding of its MediaBox */
	if (s < opt->min_scale) {
		refuse(fp, "placing the %.1f x %.1f mm page on A4 needs scale %.3f, below --min-scale %.3f",
		       w, h, s, opt->min_scale);
		return;
	}
	/* A page that fits keeps its top left where it was (page 1's address stays
	 * in the window). One that must shrink is centred, but page 1 of a letter
	 * is scaled about the address window's top-left corner, so that what was
	 * in the window stays in it. */
	double tx = 0, ty = 0;
	if (s < 1 && later) {
		tx = (SPEC_A4_WIDTH_MM - s * pw) / 2;
		ty = (SPEC_A4_HEIGHT_MM - s * ph) / 2;
	} else if (s < 1) {
		tx = (1 - s) * spec_address_window.x0;
		ty = (1 - s) * spec_address_window.y0;
	}
	d = fz_concat(d, fz_concat(fz_scale((float)s, (float)s),
				   fz_translate((float)(tx * SPEC_PT_PER_MM), (float)(ty * SPEC_PT_PER_MM))));
	page_transform(ctx, doc, page, d, 1);
	*scale *= s;
	char *out = fp->did[fp->n_did++];
	if (landscape)
		snprintf(out, FIX_NOTE_LEN, "turned onto portrait A4 from %.1f x %.1f mm", w, h);
	else
		snprintf(out, FIX_NOTE_LEN, "placed on A4 from %.1f x %.1f mm", w, h);
	if (s < 1)
		snprintf(out + strlen(out), FIX_NOTE_LEN - strlen(out), " at scale %.3f", s);
}

/* Returns 1 when page 1 was scaled around its address (verify compares the address then). */
static int fix_fit(fz_context *ctx, pdf_document *doc, pdf_page *page, int later,
		   const struct fix_result *res, int page_no, const struct fix_options *opt,
		   struct fix_page *fp, double scale)
{
	if (!later) {
		/* Page 1: its own regions, and its address kept where Notify reads it (first.c). */
		if (!has_finding(&res->before, PDFCHECK_OUTSIDE, page_no))
			return 0;
		char why[FIX_NOTE_LEN] = "";
		if (fp->n_did < FIX_MAX_NOTES &&
		    first_page_fit(ctx, doc, page, opt->min_scale, &scale, fp->did[fp->n_did], why)) {
			fp->n_did++;
			return 1;
		}
		refuse(fp, "%s", why);
		return 0;
	}
	struct mm_rect box, limit = body_limit();
	if (!marks_now(ctx, page, &box) || inside(box, limit))
		return 0;
	struct mm_rect r = {limit.x0 + FIX_INSET_MM, limit.y0 + FIX_INSET_MM,
			    limit.x1 - FIX_INSET_MM, limit.y1 - FIX_INSET_MM};
	double s = fmin(1.0, fmin((r.x1 - r.x0) / (box.x1 - box.x0), (r.y1 - r.y0) / (box.y1 - box.y0)));
	double out = fmax(fmax(limit.x0 - box.x0, box.x1 - limit.x1), fmax(limit.y0 - box.y0, box.y1 - limit.y1));
	if (s * scale < opt->min_scale) {
		refuse(fp, "marks reach %.1f mm outside the body area: fitting them needs scale %.3f%s, "
			   "below --min-scale %.3f", out, s * scale, scale < 1 ? " in all" : "", opt->min_scale);
		return 0;
	}
	double w, h;
	page_size_mm(ctx, page, &w, &h);
	double tx = fit_shift(box.x0, box.x1, r.x0, r.x1, s, w / 2);
	double ty = fit_shift(box.y0, box.y1, r.y0, r.y1, s, h / 2);
	fz_matrix d = fz_concat(fz_scale((float)s, (float)s),
				fz_translate((float)(tx * SPEC_PT_PER_MM), (float)(ty * SPEC_PT_PER_MM)));
	page_transform(ctx, doc, page, d, 0);
	if (s < 1)
		snprintf(fp->did[fp->n_did++], FIX_NOTE_LEN, "scale %.3f about (%.1f, %.1f) mm", s,
			 tx / (1 - s), ty / (1 - s));
	else
		snprintf(fp->did[fp->n_did++], FIX_NOTE_LEN, "moved by (%.1f, %.1f) mm", tx, ty);
	return 0;
}

static void fix_pages(struct fix_ctx *fc, pdf_document *doc, const struct fix_options *opt,
		      struct fix_result *res, int *removed, int *address_kept)
{
	fz_context *ctx = fc->fz;
	int n = pdf_count_pages(ctx, doc);
	for (int i = 0; i < n && i < PDFCHECK_MAX_PAGES; i++) {
		int later = i > 0 || opt->check.attachment;
		double scale = 1.0;
		struct fix_page *fp = &res->pages[i];
		pdf_page *page = pdf_load_page(ctx, doc, i);
		fz_try(ctx) {
			if (has_finding(&res->before, PDFCHECK_NOTIFY_TAG, i + 1)) {
				if (!later)
					refuse(fp, "a NOTIFY tag on page 1 of an attachment is not removed");
				else if (opt->fixups & FIX_NOTIFY_TAG)
					removed[i] = fix_tag(ctx, doc, page, fp);
				else
					refuse(fp, "a NOTIFY tag is in the tag box: fixup notify-tag not selected");
			}
			fix_size(ctx, doc, page, later, opt, fp, &scale);
			if (opt->fixups & FIX_SCALE_TO_FIT)
				*address_kept |= fix_fit(ctx, doc, page, later, res, i + 1, opt, fp, scale);
			else if (has_finding(&res->before, PDFCHECK_OUTSIDE, i + 1))
				refuse(fp, "marks are outside the printable area: fixup scale-to-fit not selected");
		}
		fz_always(ctx)
			fz_drop_page(ctx, &page->super);
		fz_catch(ctx)
			fz_rethrow(ctx);
	}
}

static fz_buffer *save(fz_context *ctx, pdf_document *doc, int shrink)
{
	pdf_write_options w = pdf_default_write_options;
	w.do_compress = 1;
	/* 4: unused objects dropped, duplicate objects merged, streams (images) too;
	 * 3 merges only objects without a stream (mutool clean -ggg). */
	w.do_garbage = shrink ? 4 : 1;
	w.do_compress_images = shrink;
	w.do_compress_fonts = shrink;
	/* The same letter fixed twice is the same bytes (send knows a rerun by
	 * them): the file's own /ID kept, not a new random one each save. */
	w.dont_regenerate_id = 1;
	fz_buffer *buf = fz_new_buffer(ctx, 64 * 1024);
	fz_output *out = NULL;
	fz_var(out);
	fz_try(ctx) {
		out = fz_new_output_with_buffer(ctx, buf);
		pdf_write_document(ctx, doc, out, &w);
		fz_close_output(ctx, out);
	}
	fz_always(ctx)
		fz_drop_output(ctx, out);
	fz_catch(ctx) {
		fz_drop_buffer(ctx, buf);
		fz_rethrow(ctx);
	}
	return buf;
}

static int any_done(const struct fix_result *res)
{
	for (int i = 0; i < PDFCHECK_MAX_PAGES; i++)
		if (res->pages[i].n_did)
			return 1;
	return 0;
}

/* The fixed letter in `buf` checked and compared; res->pdf set when it passes both. */
static int prove(struct fix_ctx *fc, const unsigned char *pdf, size_t len, const char *name,
		 fz_buffer *buf, const struct fix_options *opt, const int *removed, int address_kept,
		 struct fix_result *res)
{
	fz_context *ctx = fc->fz;
	unsigned char *data;
	size_t n = fz_buffer_storage(ctx, buf, &data);
	res->size_after = n;
	if (pdfcheck_buffer(fc->pc, data, n, name, &opt->check, &res->after) != 0) {
		snprintf(fc->err, sizeof fc->err, "%s", pdfcheck_error(fc->pc));
		return -1;
	}
	res->checked_after = 1;
	char why[FIX_NOTE_LEN] = "";
	int kept = -1;
	fz_document *a = NULL, *b = NULL;
	fz_stream *sa = NULL, *sb = NULL;
	fz_var(a);
	fz_var(b);
	fz_var(sa);
	fz_var(sb);
	fz_try(ctx) {
		sa = fz_open_memory(ctx, pdf, len);
		sb = fz_open_memory(ctx, data, n);
		a = fz_open_document_with_stream(ctx, "application/pdf", sa);
		b = fz_open_document_with_stream(ctx, "application/pdf", sb);
		kept = verify_kept(ctx, a, b, removed, address_kept, why, sizeof why);
	}
	fz_always(ctx) {
		fz_drop_document(ctx, a);
		fz_drop_document(ctx, b);
		fz_drop_stream(ctx, sa);
		fz_drop_stream(ctx, sb);
	}
	fz_catch(ctx)
		snprintf(why, sizeof why, "the fixed letter cannot be read back: %s", fz_caught_message(ctx));
	if (kept != 0)
		add_note(res->notes, &res->n_notes, "not written: %s", why);
	else if (!res->after.valid)
		add_note(res->notes, &res->n_notes, "not written: after fixing, the letter still fails: %s",
			 res->after.message ? res->after.message : "a warning");
	res->passes = kept == 0 && res->after.valid;
	if (res->passes) {
		res->pdf = malloc(n);
		if (!res->pdf) {
			snprintf(fc->err, sizeof fc->err, "out of memory");
			return -1;
		}
		memcpy(res->pdf, data, n);
		res->len = n;
	}
	return 0;
}

int fix_buffer(struct fix_ctx *fc, const unsigned char *pdf, size_t len, const char *name,
	       const struct fix_options *opt, struct fix_result *res)
{
	fz_context *ctx = fc->fz;
	res->size_before = res->size_after = len;
	if (pdfcheck_buffer(fc->pc, pdf, len, name, &opt->check, &res->before) != 0) {
		snprintf(fc->err, sizeof fc->err, "%s", pdfcheck_error(fc->pc));
		return -1;
	}
	res->page_count = res->before.page_count;
	if (res->before.valid) {
		res->passes = 1;
		return 0;
	}
	if (not_fixable(&res->before, res))
		return 0;
	int removed[PDFCHECK_MAX_PAGES] = {0};
	int address_kept = 0;
	int too_big = has_finding(&res->before, PDFCHECK_TOO_BIG, -1);
	int shrink = too_big && (opt->fixups & FIX_SHRINK);
	pdf_document *doc = NULL;
	fz_buffer *buf = NULL;
	fz_stream *stm = NULL;
	int rc = 0;
	fz_var(doc);
	fz_var(buf);
	fz_var(stm);
	struct shrink_images si = {0};
	size_t lossless = 0;   /* the size shrink's lossless rewrite came to, when images were then downsampled */
	fz_var(lossless);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		fix_pages(fc, doc, opt, res, removed, &address_kept);
		if (any_done(res) || shrink) {
			res->changed = 1;
			buf = save(ctx, doc, shrink);
			/* Lossless first; images above 300 dpi downsampled only when that
			 * is not enough (images.c). */
			if (shrink && buf->len > PDFCHECK_MAX_BYTES) {
				/* Should measuring fail, the lossless rewrite stands. */
				fz_try(ctx)
					shrink_images(ctx, doc, &si);
				fz_catch(ctx)
					memset(&si, 0, sizeof si);
				if (si.downsampled || si.masks) {
					lossless = buf->len;
					fz_drop_buffer(ctx, buf);
					buf = NULL;
					buf = save(ctx, doc, shrink);
				}
			}
		}
	}
	fz_always(ctx)
		fz_drop_stream(ctx, stm);   /* the document holds its own reference */
	fz_catch(ctx) {
		add_note(res->notes, &res->n_notes, "not fixable: MuPDF could not change the file: %s",
			 fz_caught_message(ctx));
		res->changed = 0;
	}
	if (!res->changed && !has_reason(res))
		say_nothing_applies(res);
	if (buf) {
		if (shrink) {
			size_t after = buf->len;
			char imgs[FIX_NOTE_LEN] = "";
			if (si.downsampled) {
				char from[32];
				long lo = lround(si.dpi_min), hi = lround(si.dpi_max);
				if (lo == hi)
					snprintf(from, sizeof from, "%ld", lo);
				else
					snprintf(from, sizeof from, "%ld-%ld", lo, hi);
				char masks[32] = "";
				if (si.masks)
					snprintf(masks, sizeof masks, " and %d soft mask%s", si.masks, si.masks == 1 ? "" : "s");
				snprintf(imgs, sizeof imgs, " (to %zu bytes), %d image%s%s downsampled from %s to 300 dpi",
					 lossless, si.downsampled, si.downsampled == 1 ? "" : "s", masks, from);
			}
			if (after > PDFCHECK_MAX_BYTES)
				add_note(res->notes, &res->n_notes,
					 "shrink: rewritten from %zu to %zu bytes: unused objects dropped, streams "
					 "recompressed%s; still over Notify's 2 MiB: make the images smaller at the "
					 "source", len, after, imgs);
			else
				add_note(res->notes, &res->n_notes,
					 "shrink: rewritten from %zu to %zu bytes: unused objects dropped, streams "
					 "recompressed%s", len, after, imgs);
			if (si.skipped)
				add_note(res->notes, &res->n_notes, "shrink: %d image%s above 300 dpi left as %s: %s",
					 si.skipped, si.skipped == 1 ? "" : "s", si.skipped == 1 ? "it was" : "they were",
					 si.why);
		} else if (too_big) {
			add_note(res->notes, &res->n_notes, "the file is over 2 MiB: fixup shrink not selected");
		}
		rc = prove(fc, pdf, len, name, buf, opt, removed, address_kept, res);
	}
	fz_drop_buffer(ctx, buf);
	pdf_drop_document(ctx, doc);
	return rc;
}
