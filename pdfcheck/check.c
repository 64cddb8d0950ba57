/*
 * check.c: one letter, checked in Notify's order: the file, the page count,
 * page size and orientation, the printable area, the NOTIFY tag, then the
 * recipient address. The first rule that fails is the verdict; findings of
 * the later page rules are still reported, so one run shows every fix a
 * letter needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "lk_file.h"

/* Anything bigger is not a letter; Notify's own limit is 2 MiB. */
#define MAX_READ_BYTES (256u << 20)

/* On later pages only text this near the NOTIFY box is extracted. The tag
 * is one word that must be all the box holds, and MuPDF never joins
 * characters this far apart into one word, so the tag reads the same as in
 * Notify's whole-page extraction. The address is different: its lines are
 * MuPDF's lines, which depend on every text object of the page, so page 1's
 * text is extracted whole. */
#define TAG_TEXT_MARGIN_MM 20.0

struct page_results {
	int *outside;          /* pages failing the printable area */
	int n_outside;
	int *tagged;           /* later pages carrying the NOTIFY tag */
	int n_tagged;
	char *address_text;    /* text of page 1's address window (fz_malloc'd) */
};

/* The file cannot be read: that is the verdict, whatever came before. */
static int unreadable(struct pdfcheck_report *rep, const char *why)
{
	if (report_set_verdict(rep, PDFCHECK_UNREADABLE, NULL, 0) != 0)
		return -1;
	return report_add(rep, PDFCHECK_UNREADABLE, PDFCHECK_SEVERITY_ERROR, 0, NULL, "%s", why);
}

static const void *find_bytes(const unsigned char *data, size_t len, const char *what)
{
	size_t n = strlen(what);
	for (size_t i = 0; i + n <= len; i++)
		if (data[i] == (unsigned char)what[0] && memcmp(data + i, what, n) == 0)
			return data + i;
	return NULL;
}

/* Notify's PDF reader looks for %%EOF in the last 1024 bytes and gives up
 * without it, so a truncated file fails even where MuPDF could repair it. */
static const char *file_shape_problem(const unsigned char *data, size_t len)
{
	if (len == 0)
		return "the file is empty";
	if (!find_bytes(data, len < 1024 ? len : 1024, "%PDF-"))
		return "not a PDF file (no %PDF- header)";
	size_t tail = len < 1024 ? len : 1024;
	if (!find_bytes(data + len - tail, tail, "%%EOF"))
		return "the file is truncated (no %EOF marker at its end)";
	return NULL;
}

static void append_page(fz_context *ctx, int **list, int *n, int page)
{
	*list = fz_realloc_array(ctx, *list, *n + 1, int);
	(*list)[(*n)++] = page;
}

/* Runs page `i` once through the mark device, with text collected where
 * the tag and address rules need it, then applies the page rules. */
static void check_page(struct pdfcheck_ctx *pc, pdf_document *doc, int i,
		       const struct pdfcheck_options *opt, struct pdfcheck_report *rep,
		       struct page_results *res)
{
	fz_context *ctx = pc->fz;
	fz_page *page = NULL;
	fz_device *mark_dev = NULL, *text_dev = NULL, *move_dev = NULL;
	fz_stext_page *text = NULL;
	struct mark_list marks = {0};
	struct text_list texts = {0};
	struct image_stubs stubs = {0};
	char *tag_words = NULL;
	fz_var(page);
	fz_var(mark_dev);
	fz_var(text_dev);
	fz_var(move_dev);
	fz_var(text);
	fz_var(tag_words);
	fz_try(ctx) {
		page = fz_load_page(ctx, &doc->super, i);
		pdf_page *pdfpage = pdf_page_from_fz_page(ctx, page);
		struct page_frame frame;
		page_frame_load(ctx, pdfpage, &frame);
		int first_rules = i == 0 && !opt->attachment;
		int wants_tag = !first_rules;
		int wants_address = first_rules;

		/* The boxes and the words are in Notify's text space (text_space.c). */
		struct text_space ts;
		text_space_load(ctx, pdfpage, &ts);
		struct spec_rect tag_mm = spec_notify_tag_box;
		fz_rect tag_box = text_space_box(&tag_mm);
		struct spec_rect w = spec_address_window;
		const double m = SPEC_ADDRESS_READ_MARGIN_MM;
		struct spec_rect read_mm = {w.x0 - m, w.y0 - m, w.x1 + m, w.y1 + m};
		fz_rect read_box = text_space_box(&read_mm);
		fz_rect text_area = fz_empty_rect;
		if (wants_tag) {
			const double t = TAG_TEXT_MARGIN_MM;
			struct spec_rect near = {tag_mm.x0 - t, tag_mm.y0 - t, tag_mm.x1 + t, tag_mm.y1 + t};
			text_area = text_space_to_page(&ts, text_space_box(&near));
		} else if (wants_address) {
			text_area = fz_infinite_rect;
		}
		int wants_text = wants_tag || wants_address;
		texts.inside = fz_expand_rect(text_space_to_page(&ts, ts.bounds), -1);
		texts.all_inside = 1;
		mark_dev = new_mark_device(ctx, &marks, wants_text ? &texts : NULL, text_area);
		image_stubs_add(ctx, pdfpage, &stubs);
		fz_run_page(ctx, page, mark_dev, fz_identity, &pc->limits.cookie);
		fz_close_device(ctx, mark_dev);
		image_stubs_remove(ctx, &stubs);
		limits_check(ctx, &pc->limits);
		if (wants_text) {
			/* PyMuPDF's flags for get_text("words"): TEXTFLAGS_WORDS. Its
			 * MEDIABOX_CLIP drops glyphs lying wholly off the page; when
			 * every text is a point inside it there are none, and the
			 * glyph-by-glyph test is skipped. */
			int flags = FZ_STEXT_PRESERVE_LIGATURES | FZ_STEXT_PRESERVE_WHITESPACE;
			if (!texts.all_inside)
				flags |= FZ_STEXT_MEDIABOX_CLIP;
			fz_stext_options so = {flags, 1};
			text = fz_new_stext_page(ctx, ts.bounds);
			text_dev = fz_new_stext_device(ctx, text, &so);
			fz_device *sink = text_dev;
			if (ts.rotated)
				sink = move_dev = text_space_device(ctx, &ts, text_dev);
			text_list_replay(ctx, &texts, sink, &pc->fonts);
			if (move_dev)
				fz_close_device(ctx, move_dev);
			fz_close_device(ctx, text_dev);
		}

		if (check_printable(pc, page, &frame, &marks, first_rules, opt->full_raster, i + 1, rep))
			append_page(ctx, &res->outside, &res->n_outside, i + 1);

		if (wants_tag) {
			tag_words = words_in_box(ctx, text, tag_box);
			if (strcmp(tag_words, SPEC_NOTIFY_TAG) == 0) {
				append_page(ctx, &res->tagged, &res->n_tagged, i + 1);
				struct spec_rect b = spec_notify_tag_box;
				double mm[4] = {b.x0, b.y0, b.x1, b.y1};
				if (report_add(rep, PDFCHECK_NOTIFY_TAG, PDFCHECK_SEVERITY_ERROR, i + 1, mm,
					       "page %d: the word NOTIFY in the top-left corner (x 0-15.2 mm, y 0-6.1 mm) tells the printer "
					       "a new letter starts here; only the first page of a letter may carry it",
					       i + 1) != 0)
					fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
			}
		}
		if (wants_address)
			res->address_text = words_in_box(ctx, text, read_box);
	}
	fz_always(ctx) {
		fz_free(ctx, tag_words);
		fz_drop_device(ctx, mark_dev);
		fz_drop_device(ctx, move_dev);
		fz_drop_device(ctx, text_dev);
		fz_drop_stext_page(ctx, text);
		fz_drop_page(ctx, page);
		mark_list_clear(ctx, &marks);
		text_list_clear(ctx, &texts);
		image_stubs_remove(ctx, &stubs);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* Page size and orientation of every page; returns how many fail. */
static int check_sizes(struct pdfcheck_ctx *pc, pdf_document *doc, int n_pages,
		       struct pdfcheck_report *rep, int **bad, int *n_bad)
{
	fz_context *ctx = pc->fz;
	for (int i = 0; i < n_pages; i++) {
		pdf_page *page = pdf_load_page(ctx, doc, i);
		struct page_frame frame;
		fz_try(ctx)
			page_frame_load(ctx, page, &frame);
		fz_always(ctx)
			fz_drop_page(ctx, &page->super);
		fz_catch(ctx)
			fz_rethrow(ctx);
		if (page_frame_is_a4_portrait(&frame))
			continue;
		append_page(ctx, bad, n_bad, i + 1);
		/* The page as printed (turned by /Rotate) as the box: the words for people name its size. */
		int turned = frame.rotate % 180 != 0;
		const double page_mm[4] = {0, 0, turned ? frame.height_mm : frame.width_mm,
					   turned ? frame.width_mm : frame.height_mm};
		int ok = frame.has_mediabox
			? report_add(rep, PDFCHECK_NOT_A4, PDFCHECK_SEVERITY_ERROR, i + 1, page_mm,
				     "page %d: MediaBox %.1f x %.1f mm with /Rotate %d; a letter page is "
				     "210 x 297 mm (2 mm either way), or 297 x 210 mm with /Rotate 90 or 270",
				     i + 1, frame.width_mm, frame.height_mm, frame.rotate)
			: report_add(rep, PDFCHECK_NOT_A4, PDFCHECK_SEVERITY_ERROR, i + 1, NULL,
				     "page %d has no valid MediaBox", i + 1);
		if (ok != 0)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
	}
	return *n_bad;
}

/* Every page rule, in Notify's order. Throws on a MuPDF error. */
static void check_document(struct pdfcheck_ctx *pc, pdf_document *doc,
			   const struct pdfcheck_options *opt, struct pdfcheck_report *rep)
{
	fz_context *ctx = pc->fz;
	int n_pages = rep->page_count;
	struct page_results res = {0};
	int *bad_size = NULL, n_bad_size = 0;
	fz_var(bad_size);
	fz_try(ctx) {
		if (check_sizes(pc, doc, n_pages, rep, &bad_size, &n_bad_size)) {
			if (report_set_verdict(rep, PDFCHECK_NOT_A4, bad_size, n_bad_size) != 0)
				fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
			break;
		}
		for (int i = 0; i < n_pages; i++)
			check_page(pc, doc, i, opt, rep, &res);
		int rc = 0;
		if (res.n_outside)
			rc = report_set_verdict(rep, PDFCHECK_OUTSIDE, res.outside, res.n_outside);
		else if (res.n_tagged)
			rc = report_set_verdict(rep, PDFCHECK_NOTIFY_TAG, res.tagged, res.n_tagged);
		else if (res.address_text)   /* Notify reads the address only of letters that pass */
			rc = check_address(res.address_text, opt, rep);
		if (rc != 0)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
	}
	fz_always(ctx) {
		fz_free(ctx, bad_size);
		fz_free(ctx, res.outside);
		fz_free(ctx, res.tagged);
		fz_free(ctx, res.address_text);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* Opens the document; fills *doc, or says why it cannot be read. */
static const char *open_document(struct pdfcheck_ctx *pc, const unsigned char *data, size_t len,
				 pdf_document **docp, int *n_pages)
{
	fz_context *ctx = pc->fz;
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	const char *why = NULL;
	fz_var(stm);
	fz_var(doc);
	fz_var(why);
	pc->mupdf_msg[0] = '\0';
	fz_try(ctx) {
		stm = fz_open_memory(ctx, data, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		if (pdf_needs_password(ctx, doc) && !pdf_authenticate_password(ctx, doc, "")) {
			why = "the file is encrypted with a password";
			break;
		}
		*n_pages = pdf_count_pages(ctx, doc);
		if (*n_pages <= 0)
			why = "the file has no pages";
	}
	fz_always(ctx)
		fz_drop_stream(ctx, stm);
	fz_catch(ctx) {
		snprintf(pc->err, sizeof pc->err, "MuPDF cannot open it: %s", fz_caught_message(ctx));
		why = pc->err;
	}
	if (why) {
		pdf_drop_document(ctx, doc);
		return why;
	}
	*docp = doc;
	return NULL;
}

/* The file went past a limit: a finding, and the batch goes on. */
static int over_limit(struct pdfcheck_ctx *pc, const struct pdfcheck_options *opt,
		      struct pdfcheck_report *rep)
{
	if (report_set_verdict(rep, PDFCHECK_LIMIT, NULL, 0) != 0)
		return -1;
	if (pc->limits.timed_out)
		return report_add(rep, PDFCHECK_LIMIT, PDFCHECK_SEVERITY_ERROR, 0, NULL,
				  "checking the file took longer than the limit of %g s (--max-seconds)",
				  opt->max_seconds);
	return report_add(rep, PDFCHECK_LIMIT, PDFCHECK_SEVERITY_ERROR, 0, NULL,
			  "checking the file needed more than the limit of %zu MB of memory (--max-memory)",
			  opt->max_memory >> 20);
}

static int check_buffer(struct pdfcheck_ctx *pc, const unsigned char *data, size_t len,
			const char *name, const struct pdfcheck_options *opt,
			struct pdfcheck_report *rep);

int pdfcheck_buffer(struct pdfcheck_ctx *pc, const unsigned char *data, size_t len,
		    const char *name, const struct pdfcheck_options *opt,
		    struct pdfcheck_report *rep)
{
	limits_start(&pc->limits, opt);
	pc->pdf = data;   /* printable.c hands borderline areas to poppler */
	pc->pdf_len = len;
	int rc = check_buffer(pc, data, len, name, opt, rep);
	pc->pdf = NULL;
	limits_stop(&pc->limits);
	return rc;
}

static int check_buffer(struct pdfcheck_ctx *pc, const unsigned char *data, size_t len,
			const char *name, const struct pdfcheck_options *opt,
			struct pdfcheck_report *rep)
{
	fz_context *ctx = pc->fz;
	pdfcheck_report_clear(rep);
	rep->valid = 1;
	rep->page_count = -1;
	pc->err[0] = '\0';

	pdf_document *doc = NULL;
	int n_pages = 0;
	const char *problem = file_shape_problem(data, len);
	if (!problem)
		problem = open_document(pc, data, len, &doc, &n_pages);
	if (problem && pc->limits.memory_hit) {
		if (over_limit(pc, opt, rep) != 0)
			goto oom;
		return 0;
	}
	if (problem) {
		if (unreadable(rep, problem) != 0)
			goto oom;
		return 0;
	}
	rep->page_count = n_pages;
	int failed = 0;
	char why[400] = "";
	fz_var(failed);
	fz_try(ctx) {
		if (doc->repair_attempted &&
		    report_add(rep, PDFCHECK_REPAIRED, PDFCHECK_SEVERITY_WARNING, 0, NULL,
			       "the file is damaged and had to be repaired to be read (%s); "
			       "Notify may not manage to", pc->mupdf_msg[0] ? pc->mupdf_msg : "broken xref") != 0)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
		if (n_pages > PDFCHECK_MAX_PAGES) {
			if (report_set_verdict(rep, PDFCHECK_TOO_LONG, NULL, 0) != 0 ||
			    report_add(rep, PDFCHECK_TOO_LONG, PDFCHECK_SEVERITY_ERROR, 0, NULL,
				       "the letter has %d pages; the most Notify accepts is %d",
				       n_pages, PDFCHECK_MAX_PAGES) != 0)
				fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
			break;
		}
		/* After the page count, as LETTER-SPEC section 1 lists them; the same
		 * rule, on the same bytes, as send's (UPLOAD_MAX_PDF): over 2 MiB fails. */
		if (len > PDFCHECK_MAX_BYTES) {
			if (report_set_verdict(rep, PDFCHECK_TOO_BIG, NULL, 0) != 0 ||
			    report_add(rep, PDFCHECK_TOO_BIG, PDFCHECK_SEVERITY_ERROR, 0, NULL,
				       "the file is %zu bytes (%.2f MiB); Notify refuses files over 2 MiB "
				       "(%u bytes): make it smaller (fewer or smaller images)",
				       len, len / (1024.0 * 1024.0), PDFCHECK_MAX_BYTES) != 0)
				fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
			break;
		}
		check_document(pc, doc, opt, rep);
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, doc);
		/* Nothing in the store outlives its file (its images, fonts and
		 * objects are the file's own): emptied, a batch's memory is one
		 * letter's, not the store's limit. */
		fz_empty_store(ctx);
	}
	fz_catch(ctx) {
		failed = fz_caught(ctx) == FZ_ERROR_MEMORY ? -1 : 1;
		snprintf(why, sizeof why, "MuPDF cannot read it: %s", fz_caught_message(ctx));
	}
	if (failed && (pc->limits.timed_out || (failed < 0 && pc->limits.memory_hit))) {
		if (over_limit(pc, opt, rep) != 0)
			goto oom;
		return 0;
	}
	if (failed < 0)
		goto oom;
	if (failed > 0) {
		if (unreadable(rep, why) != 0)
			goto oom;
	}
	return 0;
oom:
	snprintf(pc->err, sizeof pc->err, "%s: out of memory", name);
	return -1;
}

int pdfcheck_file(struct pdfcheck_ctx *pc, const char *path, const struct pdfcheck_options *opt,
		  struct pdfcheck_report *rep)
{
	unsigned char *data = NULL;
	size_t len = 0;
	if (lk_read_file(path, MAX_READ_BYTES, &data, &len, pc->err, sizeof pc->err) != 0)
		return -1;
	int rc = pdfcheck_buffer(pc, data, len, path, opt, rep);
	free(data);
	return rc;
}
