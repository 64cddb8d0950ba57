/*
 * html.c: check's HTML report (--report): each letter's verdict turned into
 * an lk_report letter (common/lk_report.c, the one report code, which watch's
 * daily reports use too), with pictures (overlay.c) of its failing pages
 * embedded as data: URIs so the file opens anywhere, with no server.
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

struct html_report *html_report_new(struct pdfcheck_ctx *pc, const struct pdfcheck_options *opt)
{
	struct html_report *h = calloc(1, sizeof *h);
	if (h && !(h->report = lk_report_new("letterkit check"))) {
		free(h);
		return NULL;
	}
	if (h) {
		h->pc = pc;
		h->opt = opt;
	}
	return h;
}

void html_report_add(struct html_report *h, const struct letter *l)
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
	out.verdict = rep->valid ? LK_REPORT_PASS : LK_REPORT_FAIL;
	out.code = rep->message;
	out.address = rep->address;
	out.postage_zone = rep->postage_zone;
	char pages[256];
	describe_pages(rep, pages, sizeof pages);
	out.pages = pages;
	size_t n = rep->n_findings;
	const char **reasons = n ? calloc(n, sizeof *reasons) : NULL;
	int *warning = n ? calloc(n, sizeof *warning) : NULL;
	char (*words)[2 * sizeof rep->findings[0].detail] = n ? calloc(n, sizeof *words) : NULL;
	if (n && (!reasons || !warning || !words))
		n = 0;   /* out of memory: the letter still has its verdict */
	for (size_t i = 0; i < n; i++) {
		reasons[i] = finding_words(&rep->findings[i], words[i], sizeof words[i]);
		warning[i] = rep->findings[i].severity == PDFCHECK_SEVERITY_WARNING;
	}
	out.reasons = reasons;
	out.warning = warning;
	out.n_reasons = n;
	struct lk_report_picture pics[PDFCHECK_MAX_PAGES];
	char captions[PDFCHECK_MAX_PAGES][32];
	int shown[PDFCHECK_MAX_PAGES];
	int n_shown = l->pdf && !rep->valid && h->pictured < MAX_PICTURED ?
		pictured_pages(rep, shown, PDFCHECK_MAX_PAGES) : 0;
	h->pictured += n_shown > 0;
	for (int i = 0; i < n_shown; i++) {
		unsigned char *png = NULL;
		size_t len = 0;
		if (pdfcheck_overlay_png(h->pc, l->pdf, l->len, shown[i], h->opt, rep, PICTURE_DPI, &png, &len) != 0)
			continue;   /* the letter is reported without that picture */
		size_t k = out.n_pictures++;
		snprintf(captions[k], sizeof captions[k], "page %d", shown[i]);
		pics[k] = (struct lk_report_picture){captions[k], png, len, NULL};
	}
	out.pictures = pics;
	lk_report_add(h->report, &out);
	for (size_t i = 0; i < out.n_pictures; i++)
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
