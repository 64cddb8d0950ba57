/* print.c: a letter's verdict on standard output, for a person or for GitHub Actions. */
#include <string.h>

#include "outputs.h"

void describe_pages(const struct pdfcheck_report *rep, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!rep->invalid_pages || rep->n_invalid_pages == 0)
		return;
	size_t n = (size_t)snprintf(buf, size, " on page%s ", rep->n_invalid_pages > 1 ? "s" : "");
	for (int i = 0; i < rep->n_invalid_pages && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%d", i ? ", " : "", rep->invalid_pages[i]);
}

int pictured_pages(const struct pdfcheck_report *rep, int *pages, int max)
{
	int n = 0;
	for (int i = 0; rep->invalid_pages && i < rep->n_invalid_pages && n < max; i++)
		pages[n++] = rep->invalid_pages[i];
	return n;
}

void print_human(FILE *out, const struct letter *l, int quiet)
{
	const struct pdfcheck_report *rep = l->rep;
	if (!rep)
		return;   /* the error went to stderr */
	if (rep->valid && quiet)
		return;
	if (rep->valid) {
		fprintf(out, "PASS %s\n", l->name);
	} else {
		char pages[256];
		describe_pages(rep, pages, sizeof pages);
		fprintf(out, "FAIL %s: %s%s\n", l->name, rep->message, pages);
	}
	for (size_t i = 0; i < rep->n_findings; i++) {
		const struct pdfcheck_finding *f = &rep->findings[i];
		fprintf(out, "  %s%s\n", f->severity == PDFCHECK_SEVERITY_WARNING ? "warning: " : "", f->detail);
	}
	/* When the address failed, show it as read: the usual fix is to see it. */
	if (rep->address_error) {
		fputs("  address as read: ", out);
		if (!rep->address || !*rep->address)
			fputs("(nothing)", out);
		for (const char *p = rep->address; p && *p; p++) {
			if (*p == '\n')
				fputs(" / ", out);
			else
				putc(*p, out);
		}
		putc('\n', out);
	}
}

/* GitHub's workflow commands escape %, CR and LF in messages, and also
 * : and , in properties. */
static void github_escaped(FILE *out, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%') fputs("%25", out);
		else if (*s == '\r') fputs("%0D", out);
		else if (*s == '\n') fputs("%0A", out);
		else if (property && *s == ':') fputs("%3A", out);
		else if (property && *s == ',') fputs("%2C", out);
		else putc(*s, out);
	}
}

void print_github(FILE *out, const struct letter *l)
{
	const struct pdfcheck_report *rep = l->rep;
	if (!rep) {
		fputs("::error file=", out);
		github_escaped(out, l->name, 1);
		fputs(",title=letterkit check::", out);
		github_escaped(out, l->error ? l->error : "could not be checked", 0);
		putc('\n', out);
		return;
	}
	for (size_t i = 0; i < rep->n_findings; i++) {
		const struct pdfcheck_finding *f = &rep->findings[i];
		fputs(f->severity == PDFCHECK_SEVERITY_WARNING ? "::warning file=" : "::error file=", out);
		github_escaped(out, l->name, 1);
		fputs(",title=", out);
		github_escaped(out, f->code, 1);
		fputs("::", out);
		github_escaped(out, f->detail, 0);
		putc('\n', out);
	}
}
