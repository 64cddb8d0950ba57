/*
 * pymupdf_words.h: the pieces of PyMuPDF's get_text("words") that Notify's
 * reading of a page rests on, shared by check (words.c) and fix (address.c)
 * so both read a page's words the same way.
 */
#ifndef PDFCHECK_PYMUPDF_WORDS_H
#define PDFCHECK_PYMUPDF_WORDS_H

#include <mupdf/fitz.h>

/* JM_char_bbox: a structured-text character's box as PyMuPDF gives it (the
 * quad, rebuilt at least a font size tall for fonts whose ascender and
 * descender say less than an em). */
fz_rect pymupdf_char_box(fz_context *ctx, const fz_stext_line *line, const fz_stext_char *ch);

/* JM_rects_overlap: a common area. */
static inline int pymupdf_overlap(fz_rect a, fz_rect b)
{
	return !(a.x0 >= b.x1 || a.y0 >= b.y1 || a.x1 <= b.x0 || a.y1 <= b.y0);
}

/* Rect.intersects: both rectangles non-empty, and a common area. */
static inline int pymupdf_intersects(fz_rect a, fz_rect b)
{
	return !fz_is_empty_rect(a) && !fz_is_empty_rect(b) &&
	       a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* A word delimiter: a code point up to U+0020, or U+00A0. */
static inline int pymupdf_is_delimiter(int c)
{
	return c <= 32 || c == 160;
}

#endif
