/*
 * html.c: check's HTML report (--report): each letter's verdict turned into
 * an lk_report letter (common/lk_report.c, the one report code, which watch's
 * daily reports use too), with pictures (overlay.c) of its failing pages
 * embedded as data: URIs so the file opens anywhere, with no server.
 * `letterkit fix --report` fills it too (html_fix: what fix did, and a
 * fixed letter's before/after pictures).
 */
#include <stdlib.h>
#include <string.h>

#include "lk_report.h"
#include "outputs.h"

/* Readable blue outlines and address: 100 dpi is 827 x 1169 pixels a page. */
#define PICTURE_DPI 100
/* Past this many failing letters their pictures are left out (overlay
 * pictures of every one: --overlay), to keep a report of thousands of
 * letters a size a browser opens quickly. */
#define MAX_PICTURED 300

struct html_report {
	struct pdfcheck_ctx *pc;
	const struct pdfcheck_options *opt;
	struct lk_report *report;
	long pictured;
};

struct html_report *html_report_new(struct pdfcheck_ctx *pc, const struct pdfcheck_options *opt, const char *title)
{
	struct html_report *h = calloc(1, sizeof *h);
	if (h && !(h->report = lk_report_new(title))) {
		free(h);
		return NULL;
	}
	if (h) {
		h->pc = pc;
		h->opt = opt;
	}
	return h;
}

void html_report_add_passed(struct html_report *h, const char *name)
{
	struct lk_report_letter out = {.name = name, .verdict = LK_REPORT_PASS};
	lk_report_add(h->report, &out);
}

void html_report_add(struct html_report *h, const struct letter *l, const struct html_fix *fx)
{
	const struct pdfcheck_report *rep = l->rep;
	struct lk_report_letter out = {.name = l->name};
	if (!rep) {
		out.verdict = LK_REPORT_ERROR;
		out.code = "check-error";
		out.error = l->error ? l->error : "could not be checked";
		lk_report_add(h->report, &out);
		return;
	}
	int fixed = fx && fx->fixed;
	out.verdict = fixed ? LK_REPORT_FIXED : rep->valid ? LK_REPORT_PASS : LK_REPORT_FAIL;
	out.code = rep->message;
	out.address = rep->address;
	out.postage_zone = rep->postage_zone;
	char pages[256];
	describe_pages(rep, pages, sizeof pages);
	out.pages = pages;
	/* the findings (a fixed letter's were on the letter as it was: its code says them), then fix's notes */
	size_t n = fixed ? 0 : rep->n_findings, n_notes = fx ? fx->n_notes : 0;
	const char **reasons = n + n_notes ? calloc(n + n_notes, sizeof *reasons) : NULL;
	int *warning = n + n_notes ? calloc(n + n_notes, sizeof *warning) : NULL;
	char (*words)[2 * sizeof rep->findings[0].detail] = n ? calloc(n, sizeof *words) : NULL;
	if ((n + n_notes && (!reasons || !warning)) || (n && !words))
		n = n_notes = 0;   /* out of memory: the letter still has its verdict */
	for (size_t i = 0; i < n; i++) {
		reasons[i] = finding_words(&rep->findings[i], words[i], sizeof words[i]);
		warning[i] = rep->findings[i].severity == PDFCHECK_SEVERITY_WARNING;
	}
	for (size_t i = 0; i < n_notes; i++)
		reasons[n + i] = fx->notes[i];
	out.reasons = reasons;
	out.warning = warning;
	out.n_reasons = n + n_notes;
	struct lk_report_picture pics[PDFCHECK_MAX_PAGES];
	char captions[PDFCHECK_MAX_PAGES][32];
	int shown[PDFCHECK_MAX_PAGES];
	int n_shown = l->pdf && !rep->valid && !fixed && h->pictured < MAX_PICTURED ?
		pictured_pages(rep, shown, PDFCHECK_MAX_PAGES) : 0;
	h->pictured += n_shown > 0 || (fixed && fx->n_pictures);
	size_t n_pics = 0;
	for (int i = 0; i < n_shown; i++) {
		unsigned char *png = NULL;
		size_t len = 0;
		if (pdfcheck_overlay_png(h->pc, l->pdf, l->len, shown[i], h->opt, rep, PICTURE_DPI, &png, &len) != 0)
			continue;   /* the letter is reported without that picture */
		snprintf(captions[n_pics], sizeof captions[n_pics], "page %d", shown[i]);
		pics[n_pics] = (struct lk_report_picture){captions[n_pics], png, len, NULL};
		n_pics++;
	}
	out.pictures = pics;
	out.n_pictures = n_pics;
	if (fixed && h->pictured <= MAX_PICTURED) {
		out.pictures = fx->pictures;   /* before and after, the caller's */
		out.n_pictures = fx->n_pictures;
	}
	lk_report_add(h->report, &out);
	for (size_t i = 0; i < n_pics; i++)
		free((void *)pics[i].png);
	free(reasons);
	free(warning);
	free(words);
}

int html_report_write(struct html_report *h, const char *path, char *err, size_t errlen)
{
	return lk_report_write(h->report, path, err, errlen);
}

void html_report_free(struct html_report *h)
{
	if (!h)
		return;
	lk_report_free(h->report);
	free(h);
}
