/* report.c: filling and clearing a pdfcheck_report. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int report_add(struct pdfcheck_report *rep, const char *code, enum pdfcheck_severity severity,
	       int page, const double *box_mm, const char *fmt, ...)
{
	if (rep->n_findings == rep->cap_findings) {
		size_t cap = rep->cap_findings ? rep->cap_findings * 2 : 8;
		struct pdfcheck_finding *bigger = realloc(rep->findings, cap * sizeof *bigger);
		if (!bigger)
			return -1;
		rep->findings = bigger;
		rep->cap_findings = cap;
	}
	struct pdfcheck_finding *f = &rep->findings[rep->n_findings++];
	memset(f, 0, sizeof *f);
	f->code = code;
	f->severity = severity;
	f->page = page;
	if (box_mm) {
		f->has_box = 1;
		memcpy(f->box_mm, box_mm, sizeof f->box_mm);
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof f->detail, fmt, ap);
	va_end(ap);
	return 0;
}

int report_set_verdict(struct pdfcheck_report *rep, const char *code, const int *pages, int n)
{
	rep->valid = 0;
	rep->message = code;
	free(rep->invalid_pages);
	rep->invalid_pages = NULL;
	rep->n_invalid_pages = 0;
	if (!pages)
		return 0;
	rep->invalid_pages = malloc((size_t)(n ? n : 1) * sizeof *pages);
	if (!rep->invalid_pages)
		return -1;
	memcpy(rep->invalid_pages, pages, (size_t)n * sizeof *pages);
	rep->n_invalid_pages = n;
	return 0;
}

void pdfcheck_report_clear(struct pdfcheck_report *rep)
{
	if (!rep)
		return;
	free(rep->invalid_pages);
	free(rep->findings);
	free(rep->address);
	memset(rep, 0, sizeof *rep);
}
