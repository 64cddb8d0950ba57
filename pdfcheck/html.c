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
#include "lk_summary.h"
#include "outputs.h"

#define PICTURE_DPI 60
#define THUMB_DPI 30
/* Passing letters get a thumbnail of page 1 only in small batches, to keep
 * the report a size a browser opens quickly. */
#define MAX_THUMBNAILS 200

struct html_report {
	struct pdfcheck_ctx *pc;
	const struct pdfcheck_options *opt;
	struct lk_buf rows;
	struct lk_summary summary;   /* the table by verdict: the same counts as check's summary line */
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
	const char *cls = !rep ? "error" : rep->valid ? "pass" : "fail";
	int number = (int)h->summary.letters + 1;
	lk_buf_printf(b, "<tr class=%s><td>%d<td class=file>", cls, number);
	lk_buf_put_xml(b, l->name);
	if (!rep) {
		lk_summary_error(&h->summary);
		lk_buf_puts(b, "<td><b>ERROR</b><td>");
		lk_buf_put_xml(b, l->error ? l->error : "could not be checked");
		lk_buf_puts(b, "<td></tr>\n");
		return;
	}
	char pages[256];
	describe_pages(rep, pages, sizeof pages);
	if (rep->valid) {
		lk_summary_pass(&h->summary);
		lk_buf_puts(b, "<td><b>PASS</b>");
	} else {
		lk_summary_fail(&h->summary, rep->message);
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
	if (n == 0 && l->pdf && rep->page_count > 0 && number <= MAX_THUMBNAILS)
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
	const struct lk_summary *s = &h->summary;
	char when[64];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	lk_buf_printf(&doc, "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
		      "<title>letterkit check: %d letters</title><style>%s</style></head><body>\n"
		      "<h1>letterkit check</h1>\n<p>%d letters checked against GOV.UK Notify's letter "
		      "specification on %s: <b>%d passed</b>, <b>%d failed</b>, %d could not be checked.</p>\n"
		      "<table class=codes><tr><th>verdict<th>letters</tr>\n",
		      (int)s->letters, style, (int)s->letters, when, (int)s->passed, (int)s->failed,
		      (int)s->errors);
	/* valid, then each failure's code most first, then the letters not checked */
	if (s->passed)
		lk_buf_printf(&doc, "<tr><td><code>valid</code><td>%ld</tr>\n", s->passed);
	for (size_t i = 0; i < s->n_codes; i++) {
		lk_buf_puts(&doc, "<tr><td><code>");
		lk_buf_put_xml(&doc, s->codes[i].code);
		lk_buf_printf(&doc, "</code><td>%ld</tr>\n", s->codes[i].count);
	}
	if (s->errors)
		lk_buf_printf(&doc, "<tr><td><code>could-not-be-checked</code><td>%ld</tr>\n", s->errors);
	lk_buf_puts(&doc, "</table>\n<table class=letters><thead><tr><th>#<th>letter<th>verdict"
			  "<th>why<th>pages</tr></thead><tbody>\n");
	if (h->rows.len)
		lk_buf_append(&doc, h->rows.data, h->rows.len);
	lk_buf_puts(&doc, "</tbody></table>\n<p class=note>Red: where Notify allows nothing to be "
			  "printed. Blue: the marks that are there. Green: the address window and the "
			  "address read from it.</p>\n</body></html>\n");
	doc.oom |= h->rows.oom;   /* never a file with rows missing */
	int rc = lk_buf_write_atomic(&doc, path, err, errlen);
	lk_buf_free(&doc);
	return rc;
}

void html_report_free(struct html_report *h)
{
	if (!h)
		return;
	lk_buf_free(&h->rows);
	lk_summary_free(&h->summary);
	free(h);
}
