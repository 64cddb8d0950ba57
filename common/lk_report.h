/*
 * lk_report.h: the HTML report of a batch of letters, for print-room staff;
 * the one report code, which `letterkit check --report` (pictures embedded)
 * and `letterkit watch`'s daily report-YYYY-MM-DD.html (pictures beside it,
 * loaded lazily) both fill.
 *
 * A summary table by code, sorted by count, failures first and `valid` last,
 * each code linking to its letters and to its explanation (lk_explain); a
 * "failures only" switch (no script); each failing letter with its
 * explanation, reasons, the address Notify would print and its failing pages
 * (click to enlarge); letters `letterkit fix` fixed with what was done and
 * their before/after pictures; passing letters one line each. File names break only
 * after / - _ . and spaces, never mid-word. Print-friendly. Self-contained:
 * no script, no network.
 */
#ifndef LK_REPORT_H
#define LK_REPORT_H

#include <stddef.h>

/* LK_REPORT_FIXED: a letter that did not pass as it was, and passes as
 * `letterkit fix` changed it (code: why it did not pass; reasons: what was
 * done; pictures: before and after). It counts as passed. */
enum lk_report_verdict { LK_REPORT_PASS, LK_REPORT_FAIL, LK_REPORT_ERROR, LK_REPORT_FIXED };

/* A picture of a page: a PNG to embed, or an address (relative to the report) to load lazily. */
struct lk_report_picture {
	const char *caption;            /* "page 1" */
	const unsigned char *png;       /* embedded as data: when not NULL */
	size_t png_len;
	const char *src;                /* otherwise this */
};

struct lk_report_letter {
	const char *name;               /* as shown */
	const char *href;               /* a link to the letter, or NULL */
	enum lk_report_verdict verdict;
	const char *code;               /* why it did not pass (a failure's or an error's code, or
					   a fixed letter's as it was); NULL when it passed */
	const char *pages;              /* " on page 1", or "" */
	const char *error;              /* for LK_REPORT_ERROR: why it could not be looked at */
	const char *const *reasons;     /* the findings in people's words */
	const int *warning;             /* per reason: 1 when it is only a warning (may be NULL) */
	size_t n_reasons;
	const char *address;            /* the address as read, lines joined by '\n', or NULL */
	const char *postage_zone;       /* or NULL */
	const struct lk_report_picture *pictures;
	size_t n_pictures;
};

struct lk_report;

/** A new, empty report; `title` heads it ("letterkit check"). NULL when out of memory. */
struct lk_report *lk_report_new(const char *title);
/** Adds a letter (everything copied). Out of memory is kept and makes lk_report_write fail. */
void lk_report_add(struct lk_report *r, const struct lk_report_letter *l);
/** The number of letters added. */
long lk_report_letters(const struct lk_report *r);
/** Writes the whole report to path atomically. 0, or -1 with a message in err. */
int lk_report_write(const struct lk_report *r, const char *path, char *err, size_t errlen);
void lk_report_free(struct lk_report *r);

#endif
