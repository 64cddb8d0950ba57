/*
 * lk_summary.h: the line that ends a batch, the same for every command:
 *
 *   29 of 39 letters failed: 9 content-outside-printable-area, 8 letter-too-long; 2 could not be checked
 *
 * Failures are counted by their code (Notify's error code, a virus name),
 * most frequent first (of two as frequent, the one that got there first);
 * `codes` is kept in that order, for a caller's own table; letters that could
 * not be looked at (unreadable, an engine error) are counted apart. Every
 * letter added is in the line: passed + failed + errors = letters.
 */
#ifndef LK_SUMMARY_H
#define LK_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

/* The words of one command: "passed"/"failed"/"could not be checked" for check. */
struct lk_summary_words {
	const char *passed;
	const char *failed;
	const char *errors;
};

struct lk_summary_code {
	char *code;
	long count;
};

struct lk_summary {
	long letters, passed, failed, errors;
	struct lk_summary_code *codes;
	size_t n_codes, cap_codes;
	int oom;    /* a code could not be kept (out of memory): the line counts it as "other" */
};

/* Zero-initialise; free with lk_summary_free(). */

/** A letter that passed. */
void lk_summary_pass(struct lk_summary *s);
/** A letter that failed with `code` (copied). */
void lk_summary_fail(struct lk_summary *s, const char *code);
/** A letter that could not be checked. */
void lk_summary_error(struct lk_summary *s);

/** The line (no newline) in buf, cut short with "..." when it does not fit. Returns buf. */
const char *lk_summary_line(const struct lk_summary *s, const struct lk_summary_words *w,
			    char *buf, size_t size);

/** "PROG: LINE\n" on out. */
void lk_summary_print(FILE *out, const char *prog, const struct lk_summary *s,
		      const struct lk_summary_words *w);

void lk_summary_free(struct lk_summary *s);

#endif
