/* internal.h: what fix's files share; MuPDF types allowed here. */
#ifndef FIX_INTERNAL_H
#define FIX_INTERNAL_H

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "fix.h"

struct fix_ctx {
	fz_context *fz;
	struct pdfcheck_ctx *pc;
	char err[512];
};

/* A rectangle in mm from the printed page's top left. */
struct mm_rect {
	double x0, y0, x1, y1;
};

/* page.c: where a page's marks are, and moving them. */

/** The page's size in mm as printed (rotation applied). */
void page_size_mm(fz_context *ctx, pdf_page *page, double *w, double *h);

/**
 * The box around every mark (a pixel not white, drawn as check draws the
 * page) in mm, or 0 when the page is blank. Throws on MuPDF errors.
 */
int page_marks_mm(fz_context *ctx, pdf_page *page, struct mm_rect *box);

/**
 * Changes the page so that what was drawn at point p (pt, from the printed
 * top left) is drawn at p x d; when a4 is set the page becomes A4 portrait
 * (MediaBox, no CropBox, /Rotate 0). The content is wrapped in
 * `q M cm ... Q`, link and annotation rectangles moved with it.
 */
void page_transform(fz_context *ctx, pdf_document *doc, pdf_page *page, fz_matrix d, int a4);

/** The page's user space to points from its printed top left. */
fz_matrix page_user_to_printed(fz_context *ctx, pdf_page *page);

/** Link and annotation rectangles moved by m (user space), but for those meeting `keep`. */
void page_move_annots(fz_context *ctx, pdf_page *page, fz_matrix m, fz_rect keep);

/* address.c: the words Notify reads as page 1's address (as pdfcheck/words.c). */

/** The address window grown by 3 mm, in page space (points, y down). */
fz_rect address_read_box(fz_context *ctx, fz_page *page);

/** The origins (page space) of the address's characters and of the spaces
 * among them; how many. *origins is fz_malloc'd. */
int address_origins(fz_context *ctx, fz_page *page, fz_point **origins);

/** The address's words, each "WORD x0 y0 x1 y1" (page space) on a line. */
fz_buffer *address_words(fz_context *ctx, fz_page *page);

/** The boxes (page space) of the page's other words; how many (fz_malloc'd). */
int other_word_boxes(fz_context *ctx, fz_page *page, fz_rect **boxes);

/* first.c: scale-to-fit on page 1 */

/**
 * Scales page 1's content but for the address's glyphs so that its marks
 * lie inside page 1's regions. 1 when done (what into `did`, *scale
 * multiplied by the scale given), 0 when not (why into `why`, the page as
 * it was). Both notes FIX_NOTE_LEN long. Throws on MuPDF errors.
 */
int first_page_fit(fz_context *ctx, pdf_document *doc, pdf_page *page, double min_scale, double *scale,
		   char *did, char *why);

/* tag.c */

/**
 * Removes the word NOTIFY from the tag box of the page (its text only).
 * Returns how many were removed; where the first was into *at (mm).
 */
int tag_remove(fz_context *ctx, pdf_document *doc, pdf_page *page, struct mm_rect *at);

/* images.c: shrink's downsampling of images above 300 dpi. */

struct shrink_images {
	int downsampled;            /* images (not counting soft masks) rewritten at 300 dpi */
	int masks;                  /* soft masks downsampled with them */
	double dpi_min, dpi_max;    /* the downsampled images' resolutions before */
	int skipped;                /* images above 300 dpi left as they were */
	char why[120];              /* why they were, each reason once, comma-separated */
};

/**
 * Every image the pages draw above 300 dpi (at its largest placement)
 * downsampled to 300 dpi in its own object; what was done into *out.
 * Throws on MuPDF errors (images already rewritten stay so).
 */
void shrink_images(fz_context *ctx, pdf_document *doc, struct shrink_images *out);

/* verify.c: the fixed letter against the original. */

/**
 * 0 when the fixed letter keeps the original's pages, text (but `removed`
 * NOTIFY words), images and links, and, when `address` is set, page 1's
 * address words exactly where they were; else -1 with why in `why`.
 */
int verify_kept(fz_context *ctx, fz_document *before, fz_document *after, const int *removed, int address,
		char *why, size_t whylen);

#endif
