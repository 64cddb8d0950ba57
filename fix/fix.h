/*
 * fix.h: makes a failing letter pass Notify's specification, safely.
 *
 * Each fixup changes a letter only in a way a careful person would accept
 * (a page scaled a little, placed on A4, a NOTIFY tag removed, the file
 * rewritten smaller); the result is checked with pdfcheck, the engine of
 * `letterkit check`, and its text compared with the original's. A result
 * that fails, or whose text changed, is not offered. The library never
 * prints, exits or writes files; no MuPDF or JSON type appears here.
 */
#ifndef FIX_FIX_H
#define FIX_FIX_H

#include <stddef.h>

#include "pdfcheck.h"

/* The fixups, by bit; lk_fixup_names (common/lk_fixups.h) lists their names in this order. */
enum {
	FIX_NOTIFY_TAG = 1,        /* NOTIFY in the tag box of a later page removed */
	FIX_A4 = 2,                /* another page size placed on A4 portrait */
	FIX_ROTATE_LANDSCAPE = 4,  /* landscape pages turned onto portrait A4 (opt-in) */
	FIX_SCALE_TO_FIT = 8,      /* marks outside the body area scaled in */
	FIX_SHRINK = 16,           /* a file over 2 MiB rewritten smaller */
};
#define FIX_DEFAULT (FIX_NOTIFY_TAG | FIX_A4 | FIX_SCALE_TO_FIT | FIX_SHRINK)
#define FIX_N_FIXUPS 5

/* The smallest scale a page may be given unless told otherwise. */
#define FIX_DEFAULT_MIN_SCALE 0.90
/* How far inside the limit Notify enforces the fitted marks are put. */
#define FIX_INSET_MM 0.5

struct fix_options {
	unsigned fixups;                 /* FIX_* bits */
	double min_scale;                /* 0 < min_scale <= 1 */
	struct pdfcheck_options check;   /* how the letter is checked, before and after */
};

#define FIX_MAX_NOTES 4
#define FIX_NOTE_LEN 240

/* What was done to one page, or why it was not. */
struct fix_page {
	char did[FIX_MAX_NOTES][FIX_NOTE_LEN];   /* "scale 0.963 about (105, 148.5) mm" */
	int n_did;
	char refused[FIX_NOTE_LEN];              /* why a fixup could not be made here, or "" */
};

struct fix_result {
	int changed;               /* pdf holds a changed letter */
	int passes;                /* the letter as offered (pdf when changed, else the original) passes */
	unsigned char *pdf;        /* the fixed letter (malloc'd), only when changed and passing */
	size_t len;
	size_t size_before, size_after;
	int page_count;            /* -1 when unreadable */
	struct fix_page pages[PDFCHECK_MAX_PAGES];
	char notes[FIX_MAX_NOTES][FIX_NOTE_LEN];   /* about the whole file: not fixable, shrink */
	int n_notes;
	struct pdfcheck_report before;   /* the original's check */
	struct pdfcheck_report after;    /* the result's check (valid = 0 and page_count 0 when none) */
	int checked_after;               /* after holds a check of a changed letter */
};

struct fix_ctx;

/** A fixing context (one MuPDF context, and pdfcheck's). NULL with a message in err. */
struct fix_ctx *fix_ctx_new(char *err, size_t errlen);
void fix_ctx_free(struct fix_ctx *fc);

/** The checking context inside, for pictures (pdfcheck_overlay_png). */
struct pdfcheck_ctx *fix_check_ctx(struct fix_ctx *fc);

/**
 * Fixes the PDF in memory. Fills *res (zeroed or cleared). Returns 0 when
 * the letter was looked at (fixed or not: res says), -1 when it could not
 * be (out of memory, the check failed to run): fix_error() says why.
 */
int fix_buffer(struct fix_ctx *fc, const unsigned char *pdf, size_t len, const char *name,
	       const struct fix_options *opt, struct fix_result *res);

const char *fix_error(const struct fix_ctx *fc);

void fix_result_clear(struct fix_result *res);

/**
 * The PNG of two PNGs side by side (left, a gap, right), for before/after
 * pictures. Returns 0 with a malloc'd PNG in *out, or -1 (fix_error says why).
 */
int fix_side_by_side(struct fix_ctx *fc, const unsigned char *left, size_t left_len,
		     const unsigned char *right, size_t right_len, unsigned char **out, size_t *out_len);

/** The command-line front end: `letterkit fix`. */
int fix_main(int argc, char **argv);

#endif
