/*
 * pdfcheck.h: checks a letter PDF against GOV.UK Notify's precompiled
 * letter specification (LETTER-SPEC sections 1-5) and reports what Notify
 * would say: the same error code, the same page list, in Notify's order.
 *
 * Findings are data, not errors: a letter that breaks a rule, or that cannot
 * be read at all, gives a report with valid = 0. A function returns -1 only
 * when the file could not be checked (missing, unreadable, out of memory).
 * No MuPDF type appears here; the library never prints or exits.
 */
#ifndef PDFCHECK_PDFCHECK_H
#define PDFCHECK_PDFCHECK_H

#include <stddef.h>

/* Notify's verdict codes, in the order Notify checks them (file-too-big, ours,
 * where LETTER-SPEC section 1 lists the size: after the page count). */
#define PDFCHECK_UNREADABLE "unable-to-read-the-file"
#define PDFCHECK_TOO_LONG "letter-too-long"
/* Ours, for Notify's refusal of a file over 2 MiB; send refuses it with the same code. */
#define PDFCHECK_TOO_BIG "file-too-big"
#define PDFCHECK_NOT_A4 "letter-not-a4-portrait-oriented"
#define PDFCHECK_OUTSIDE "content-outside-printable-area"
#define PDFCHECK_NOTIFY_TAG "notify-tag-found-in-content"
/* Ours: checking the file needed more memory or time than allowed. */
#define PDFCHECK_LIMIT "resource-limit-exceeded"
/* Ours: MuPDF had to rebuild a damaged file; Notify may not manage to. */
#define PDFCHECK_REPAIRED "damaged-file-repaired"

#define PDFCHECK_MAX_PAGES 10
#define PDFCHECK_MAX_BYTES (2u * 1024 * 1024)	/* = UPLOAD_MAX_PDF: over it fails */

enum pdfcheck_severity {
	PDFCHECK_SEVERITY_ERROR,    /* Notify rejects the letter for this */
	PDFCHECK_SEVERITY_WARNING,  /* worth fixing; Notify accepts it */
};

struct pdfcheck_options {
	int attachment;     /* letter attachment: every page is a later page */
	int international;  /* international addresses allowed */
	int strict;         /* accepted for old scripts: a file over 2 MiB now fails without it */
	int full_raster;    /* render every page in full instead of the fast path: the
			       reference the fast path is tested against; same verdicts */
	double max_seconds; /* wall time allowed per file; 0 for no limit */
	size_t max_memory;  /* bytes MuPDF may allocate per file; 0 for no limit */
};

/** One problem found, with where it is. */
struct pdfcheck_finding {
	const char *code;                 /* static string: a PDFCHECK_* code */
	enum pdfcheck_severity severity;
	int page;                         /* 1-based; 0 for the whole file */
	int has_box;
	double box_mm[4];                 /* x0, y0, x1, y1 in mm from the page's top left */
	char detail[240];                 /* for a person: what and where */
};

/** The verdict on one file. Fill with pdfcheck_file(); clear with pdfcheck_report_clear(). */
struct pdfcheck_report {
	int valid;
	const char *message;              /* Notify's code of the verdict, NULL when valid */
	int *invalid_pages;               /* pages for `message`; NULL where Notify gives none */
	int n_invalid_pages;
	int page_count;                   /* -1 when the file could not be read */
	struct pdfcheck_finding *findings;
	size_t n_findings;
	size_t cap_findings;
	char *address;                    /* address read from page 1, lines joined by '\n', or NULL */
	const char *postage_zone;         /* "united-kingdom", "europe", "rest-of-world" or NULL */
	const char *address_error;        /* the address rule the address broke, or NULL */
	size_t pixels_rendered;           /* pixels rendered to decide the verdict (0: proved from the marks) */
};

struct pdfcheck_ctx;

/**
 * Makes a checking context: one MuPDF context, warm caches and reusable
 * buffers for a whole batch. Not thread-safe; use one per thread.
 * Returns NULL (with a message in err) when out of memory.
 * Free with pdfcheck_ctx_free(), which accepts NULL.
 */
struct pdfcheck_ctx *pdfcheck_ctx_new(char *err, size_t errlen);
void pdfcheck_ctx_free(struct pdfcheck_ctx *pc);

/**
 * Checks the PDF at `path`. Fills *rep (which must be zeroed or cleared).
 * Returns 0 when the file was checked (valid or not), -1 when it could not
 * be (missing, unreadable, out of memory): then pdfcheck_error() says why.
 */
int pdfcheck_file(struct pdfcheck_ctx *pc, const char *path, const struct pdfcheck_options *opt,
		  struct pdfcheck_report *rep);

/** As pdfcheck_file, for a PDF in memory; `name` is used in messages. */
int pdfcheck_buffer(struct pdfcheck_ctx *pc, const unsigned char *data, size_t len,
		    const char *name, const struct pdfcheck_options *opt,
		    struct pdfcheck_report *rep);

/** The message of the last -1 return. Borrowed; valid until the next call. */
const char *pdfcheck_error(const struct pdfcheck_ctx *pc);

/** The MuPDF version the library was built with ("1.21.1"). */
const char *pdfcheck_mupdf_version(void);

/** Frees what a report holds and zeroes it, ready for reuse. */
void pdfcheck_report_clear(struct pdfcheck_report *rep);

/**
 * A PNG picture of page `page_no` (1-based) of the PDF in `pdf` for a person
 * fixing it, drawn at `dpi` as Notify's preview draws it: the areas where
 * nothing may be printed shaded red, the boxes of `rep`'s findings on that
 * page outlined in blue, and on page 1 of a letter the address window
 * outlined in green with the address as read. Returns 0 with a malloc'd PNG
 * in *png (the caller frees it), or -1: pdfcheck_error() says why.
 */
int pdfcheck_overlay_png(struct pdfcheck_ctx *pc, const unsigned char *pdf, size_t len, int page_no,
			 const struct pdfcheck_options *opt, const struct pdfcheck_report *rep, int dpi,
			 unsigned char **png, size_t *png_len);

/** The command-line front end: `letterkit check`. */
int pdfcheck_main(int argc, char **argv);

#endif
