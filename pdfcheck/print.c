/* print.c: a letter's verdict on standard output, for a person or for GitHub Actions. */
#include <string.h>

#include "lk_explain.h"
#include "lk_text.h"
#include "lk_tty.h"

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

const char *finding_words(const struct pdfcheck_finding *f, char *buf, size_t size)
{
	/* A box and a page size say more to a person as words; the figures stay after them. */
	if (f->has_box && (strcmp(f->code, PDFCHECK_OUTSIDE) == 0 || strcmp(f->code, PDFCHECK_NOT_A4) == 0))
		return lk_explain_finding(f->code, f->page, f->box_mm, buf, size);
	return f->detail;
}

/* The address as read, its lines joined by " / ", each shown safely: it is the letter's text. */
static void print_address(FILE *out, const char *address)
{
	fputs("  address as read: ", out);
	if (!address || !*address) {
		fputs("(nothing)\n", out);
		return;
	}
	char line[1024], safe[2048];
	for (const char *p = address; *p;) {
		size_t n = strcspn(p, "\n");
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
		fprintf(out, "%s%s", p == address ? "" : " / ", lk_safe(line, safe, sizeof safe));
		p += n + (p[n] == '\n');
	}
	putc('\n', out);
}

void print_human(FILE *out, const struct letter *l, int quiet, int colour)
{
	const struct pdfcheck_report *rep = l->rep;
	char name[1024];
	if (!rep)
		return;   /* the error went to stderr */
	if (rep->valid && quiet)
		return;
	lk_safe(l->name, name, sizeof name);
	if (rep->valid) {
		lk_tty_word(out, colour, LK_GREEN, "PASS");
		fprintf(out, " %s\n", name);
	} else {
		char pages[256];
		describe_pages(rep, pages, sizeof pages);
		lk_tty_word(out, colour, LK_RED, "FAIL");
		fprintf(out, " %s: %s%s\n", name, rep->message, pages);
		const char *why = lk_explain_short(rep->message);
		if (why)
			fprintf(out, "  %s ('letterkit explain %s' says how to fix it)\n", why, rep->message);
	}
	for (size_t i = 0; i < rep->n_findings; i++) {
		const struct pdfcheck_finding *f = &rep->findings[i];
		char words[2 * sizeof f->detail], detail[4 * sizeof f->detail];
		fputs("  ", out);
		if (f->severity == PDFCHECK_SEVERITY_WARNING)
			lk_tty_word(out, colour, LK_YELLOW, "warning: ");
		fprintf(out, "%s\n", lk_safe(finding_words(f, words, sizeof words), detail, sizeof detail));
	}
	/* A failed letter shows its address as read, the lines Notify would print on
	 * the envelope: when the address failed, the usual fix is to see it. */
	if (rep->address_error || (!rep->valid && rep->address))
		print_address(out, rep->address);
	for (int i = 0; i < l->n_pictures; i++)
		fprintf(out, "  picture: %s\n", lk_safe(l->pictures[i], name, sizeof name));
}

/* GitHub's workflow commands escape %, CR and LF in messages, and also
 * : and , in properties. The text is made safe first (lk_safe): the log
 * viewer would act on a letter's escape sequences, and a name that is not
 * UTF-8 would not be valid in the log. */
static void github_escaped(FILE *out, const char *text, int property)
{
	char safe[2048];
	for (const char *s = lk_safe(text, safe, sizeof safe); *s; s++) {
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
