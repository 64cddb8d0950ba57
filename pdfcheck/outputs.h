/*
 * outputs.h: what `letterkit check` writes about each letter, besides its
 * standard output: the JUnit XML file, the HTML report, overlay pictures.
 * Front-end code (cli.c and its helpers); the library never writes files.
 */
#ifndef PDFCHECK_OUTPUTS_H
#define PDFCHECK_OUTPUTS_H

#include <stddef.h>
#include <stdio.h>

#include "pdfcheck.h"

/** One letter's result, whatever it came from (a file, stdin, a record). */
struct letter {
	const char *name;               /* as given: a path, or "-" */
	const unsigned char *pdf;       /* its bytes, NULL when it could not be read */
	size_t len;
	const struct pdfcheck_report *rep;  /* NULL when it could not be checked */
	const char *error;              /* why it could not be checked, or NULL */
	double seconds;                 /* time taken to check it */
	const char *const *pictures;    /* the overlay pictures written of it (--overlay) */
	int n_pictures;
};

/* print.c: standard output for a person, or GitHub Actions annotations. */
/* Untrusted text (names, details, the address) goes through lk_safe; `colour`
 * is lk_tty_colour(out), asked once per batch. */
void print_human(FILE *out, const struct letter *l, int quiet, int colour);
void print_github(FILE *out, const struct letter *l);
/* A finding for a person: its box or page size in words, figures kept
 * (lk_explain_finding), or its detail; in buf or the finding itself. */
const char *finding_words(const struct pdfcheck_finding *f, char *buf, size_t size);
/* "on pages 1, 2" (empty when the verdict has no pages), into buf. */
void describe_pages(const struct pdfcheck_report *rep, char *buf, size_t size);

/* junit.c: one <testcase> per letter, written when the batch ends. */
struct junit;
struct junit *junit_new(void);
void junit_add(struct junit *j, const struct letter *l);
/* Writes the file atomically. Returns 0, or -1 with a message in err. */
int junit_write(struct junit *j, const char *path, char *err, size_t errlen);
void junit_free(struct junit *j);

/* html.c: a self-contained HTML report, one row per letter ("letterkit check"
 * or "letterkit fix" its title). */
struct html_report;
struct html_report *html_report_new(struct pdfcheck_ctx *pc, const struct pdfcheck_options *opt, const char *title);
struct lk_report_picture;
/* What `letterkit fix` adds to a letter in its report (NULL for check's). */
struct html_fix {
	int fixed;                 /* the letter (l->rep: its verdict as it was) passes as fix changed it */
	const char *const *notes;  /* what fix did, or why it could not, after the letter's findings */
	size_t n_notes;
	const struct lk_report_picture *pictures;   /* a fixed letter's before/after pictures (the caller's) */
	size_t n_pictures;
};
void html_report_add(struct html_report *h, const struct letter *l, const struct html_fix *fx);
/* A letter not looked at again, that check passed (fix --trust-check): one line. */
void html_report_add_passed(struct html_report *h, const char *name);
int html_report_write(struct html_report *h, const char *path, char *err, size_t errlen);
void html_report_free(struct html_report *h);

/* The pages worth a picture: the verdict's pages (at most 10). */
int pictured_pages(const struct pdfcheck_report *rep, int *pages, int max);

#endif
