/*
 * html.c: a self-contained HTML report of a batch for print-room staff:
 * a summary by verdict, then one row per letter with its verdict, the
 * reasons, the address as read, and pictures (overlay.c) of its failing
 * pages, embedded as data: URIs so the file opens anywhere, with no server.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lk_buf.h"
#include "lk_file.h"
#include "outputs.h"

#define PICTURE_DPI 60
#define THUMB_DPI 30
/* Passing letters get a thumbnail of page 1 only in small batches, to keep
 * the report a size a browser opens quickly. */
#define MAX_THUMBNAILS 200
#define MAX_CODES 32

struct html_report {
	struct pdfcheck_ctx *pc;
	const struct pdfcheck_options *opt;
	struct lk_buf rows;
	int letters, passed, failed, errors;
	const char *codes[MAX_CODES];
	int code_counts[MAX_CODES];
	int n_codes;
};

struct html_report *html_report_new(struct pdfcheck_ctx *pc, const struct pdfcheck_options *opt)
{
	struct html_report *h = calloc(1, sizeof *h);
	if (h) {
		h->pc = pc;
		h->opt = opt;
	}
	return h;
}

static void count_code(struct html_report *h, const char *code)
{
	for (int i = 0; i < h->n_codes; i++) {
		if (strcmp(h->codes[i], code) == 0) {
			h->code_counts[i]++;
			return;
		}
	}
	if (h->n_codes < MAX_CODES) {
		h->codes[h->n_codes] = code;
		h->code_counts[h->n_codes++] = 1;
	}
}

static void picture(struct html_report *h, const struct letter *l, int page, int dpi, const char *caption)
{
	unsigned char *png = NULL;
	size_t len = 0;
	struct lk_buf *b = &h->rows;
	if (pdfcheck_overlay_png(h->pc, l->pdf, l->len, page, h->opt, l->rep, dpi, &png, &len) != 0) {
		lk_buf_puts(b, "<p class=note>");
		lk_buf_put_xml(b, pdfcheck_error(h->pc));
		lk_buf_puts(b, "</p>");
		return;
	}
	lk_buf_puts(b, "<figure><img alt=\"");
	lk_buf_put_xml(b, caption);
	lk_buf_puts(b, "\" src=\"data:image/png;base64,");
	lk_buf_put_base64(b, png, len);
	lk_buf_puts(b, "\"><figcaption>");
	lk_buf_put_xml(b, caption);
	lk_buf_puts(b, "</figcaption></figure>");
	free(png);
}

void html_report_add(struct html_report *h, const struct letter *l)
{
	struct lk_buf *b = &h->rows;
	const struct pdfcheck_report *rep = l->rep;
	h->letters++;
	const char *cls = !rep ? "error" : rep->valid ? "pass" : "fail";
	lk_buf_printf(b, "<tr class=%s><td>%d<td class=file>", cls, h->letters);
	lk_buf_put_xml(b, l->name);
	if (!rep) {
		h->errors++;
		count_code(h, "could-not-be-checked");
		lk_buf_puts(b, "<td><b>ERROR</b><td>");
		lk_buf_put_xml(b, l->error ? l->error : "could not be checked");
		lk_buf_puts(b, "<td></tr>\n");
		return;
	}
	char pages[256];
	describe_pages(rep, pages, sizeof pages);
	if (rep->valid) {
		h->passed++;
		count_code(h, "valid");
		lk_buf_puts(b, "<td><b>PASS</b>");
	} else {
		h->failed++;
		count_code(h, rep->message);
		lk_buf_puts(b, "<td><b>FAIL</b><br><code>");
		lk_buf_put_xml(b, rep->message);
		lk_buf_puts(b, "</code>");
		lk_buf_put_xml(b, pages);
	}
	lk_buf_puts(b, "<td><ul>");
	for (size_t i = 0; i < rep->n_findings; i++) {
		const struct pdfcheck_finding *f = &rep->findings[i];
		lk_buf_puts(b, f->severity == PDFCHECK_SEVERITY_WARNING ? "<li class=warning>" : "<li>");
		lk_buf_put_xml(b, f->detail);
	}
	lk_buf_puts(b, "</ul>");
	if (rep->address) {
		lk_buf_puts(b, "<div class=address><span>Address as read</span><pre>");
		lk_buf_put_xml(b, rep->address);
		lk_buf_puts(b, "</pre>");
		if (rep->postage_zone) {
			lk_buf_puts(b, "<span>postage zone: ");
			lk_buf_put_xml(b, rep->postage_zone);
			lk_buf_puts(b, "</span>");
		}
		lk_buf_puts(b, "</div>");
	}
	lk_buf_puts(b, "<td class=pictures>");
	int shown[PDFCHECK_MAX_PAGES];
	int n = l->pdf ? pictured_pages(rep, shown, PDFCHECK_MAX_PAGES) : 0;
	for (int i = 0; i < n; i++) {
		char caption[64];
		snprintf(caption, sizeof caption, "page %d", shown[i]);
		picture(h, l, shown[i], PICTURE_DPI, caption);
	}
	if (n == 0 && l->pdf && rep->page_count > 0 && h->letters <= MAX_THUMBNAILS)
		picture(h, l, 1, THUMB_DPI, "page 1");
	lk_buf_puts(b, "</tr>\n");
}

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#0b0c0c}"
	"h1{font-size:1.6em;margin:0 0 .3em}table{border-collapse:collapse;width:100%}"
	"th,td{border-bottom:1px solid #b1b4b6;padding:.5em;text-align:left;vertical-align:top}"
	"tr.pass b{color:#00703c}tr.fail b,tr.error b{color:#d4351c}"
	"td.file{font-family:monospace;word-break:break-all;max-width:22em}"
	"ul{margin:0;padding-left:1.2em}li.warning{color:#594d00}"
	".address{margin-top:.5em;background:#f3f2f1;padding:.4em}.address span{font-size:.85em;color:#505a5f}"
	".address pre{margin:.2em 0;font:inherit}"
	"figure{display:inline-block;margin:0 .5em .5em 0}figure img{border:1px solid #b1b4b6;max-width:260px}"
	"figcaption{font-size:.85em;color:#505a5f}table.codes{width:auto;margin:1em 0 2em}"
	".note{color:#505a5f}";

int html_report_write(struct html_report *h, const char *path, char *err, size_t errlen)
{
	struct lk_buf doc = {0};
	char when[64];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	lk_buf_printf(&doc, "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
		      "<title>letterkit check: %d letters</title><style>%s</style></head><body>\n"
		      "<h1>letterkit check</h1>\n<p>%d letters checked against GOV.UK Notify's letter "
		      "specification on %s: <b>%d passed</b>, <b>%d failed</b>, %d could not be checked.</p>\n"
		      "<table class=codes><tr><th>verdict<th>letters</tr>\n",
		      h->letters, style, h->letters, when, h->passed, h->failed, h->errors);
	for (int i = 0; i < h->n_codes; i++) {
		lk_buf_puts(&doc, "<tr><td><code>");
		lk_buf_put_xml(&doc, h->codes[i]);
		lk_buf_printf(&doc, "</code><td>%d</tr>\n", h->code_counts[i]);
	}
	lk_buf_puts(&doc, "</table>\n<table class=letters><thead><tr><th>#<th>letter<th>verdict"
			  "<th>why<th>pages</tr></thead><tbody>\n");
	if (h->rows.len)
		lk_buf_append(&doc, h->rows.data, h->rows.len);
	lk_buf_puts(&doc, "</tbody></table>\n<p class=note>Red: where Notify allows nothing to be "
			  "printed. Blue: the marks that are there. Green: the address window and the "
			  "address read from it.</p>\n</body></html>\n");
	int rc;
	if (doc.oom || h->rows.oom) {
		snprintf(err, errlen, "%s: out of memory", path);
		rc = -1;
	} else {
		rc = lk_write_atomic(path, doc.data, doc.len, err, errlen);
	}
	lk_buf_free(&doc);
	return rc;
}

void html_report_free(struct html_report *h)
{
	if (!h)
		return;
	lk_buf_free(&h->rows);
	free(h);
}
