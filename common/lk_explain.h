/*
 * lk_explain.h: what every code letterkit prints means, in plain English.
 *
 * The one source of explanations: `letterkit explain`, check's human output
 * and HTML report, watch's filing lines and run's summary table all read
 * this table, so a reason reads the same everywhere. Each code has a short
 * form (one line, under a failure) and a long form (what it means and how to
 * fix it in Word, LibreOffice or a case-management system's PDF export).
 * The figures come from lk_letter.h. Codes are Notify's (its validation
 * codes, address errors, statuses and API errors) and letterkit's own.
 * tests/common/explain-coverage.py fails on any code the sources can emit
 * that has no entry here.
 */
#ifndef LK_EXPLAIN_H
#define LK_EXPLAIN_H

#include <stddef.h>

struct lk_explanation {
	const char *code;
	const char *who;        /* which command gives it: "check", "address", "scan", "send", "status", "run", "compose" */
	const char *short_text; /* one line for a person, no trailing full stop */
	const char *long_text;  /* paragraphs separated by blank lines, no line wider than 76 */
};

/** The explanation of `code`, or NULL when there is none. */
const struct lk_explanation *lk_explain(const char *code);

/** The short form of `code`, or NULL when there is none. */
const char *lk_explain_short(const char *code);

/** Every explanation, in the table's order (by command, then as each checks): *n gets the count. */
const struct lk_explanation *lk_explain_all(size_t *n);

/**
 * A finding said in people's terms into buf: "page 1 is A3 (297 x 420 mm):
 * letters must be A4 (210 x 297 mm)", "page 2: a full-page image covers
 * every margin", "page 1: something is printed in the left margin (x 3.0-
 * 40.1 mm, y 20.0-30.0 mm)". `box` (x0, y0, x1, y1 in mm from the page's
 * top left) may be NULL; for letter-not-a4-portrait-oriented it is the page
 * (0, 0, width, height). Falls back on the code's short form, and on the
 * code itself. Returns buf.
 */
char *lk_explain_finding(const char *code, int page, const double *box, char *buf, size_t size);

#endif
