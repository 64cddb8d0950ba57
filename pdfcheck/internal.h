/*
 * internal.h: what pdfcheck's own files share. Not installed, not for
 * other stages: the public API is pdfcheck.h.
 */
#ifndef PDFCHECK_INTERNAL_H
#define PDFCHECK_INTERNAL_H

#include <time.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "pdfcheck.h"
#include "spec.h"

/* limits.c: memory and time limits per file. */
struct limits {
	size_t used, cap;            /* bytes MuPDF holds; the most it may hold */
	int memory_hit;              /* an allocation was refused for the cap */
	volatile int timed_out;      /* set by the timer's thread */
	fz_cookie cookie;            /* its abort flag stops MuPDF's interpreter */
	timer_t timer;
	int has_timer;
};
void limits_allocator(struct limits *l, fz_alloc_context *alloc);
int limits_timer_init(struct limits *l);
void limits_timer_free(struct limits *l);
void limits_start(struct limits *l, const struct pdfcheck_options *opt);
void limits_stop(struct limits *l);
/* Throws FZ_ERROR_ABORT once the time limit has passed. */
void limits_check(fz_context *ctx, struct limits *l);

/* font_metrics.c: advance widths of MuPDF's built-in fonts, shared by the
 * letters a context checks (each loads its own instance of the font). */
#define FONT_METRICS_FONTS 14
struct shared_font {
	const unsigned char *data;   /* the built-in font program: the key */
	int glyph_count;
	int n_blocks;
	float **advance;             /* blocks of 256 advances; NULL until seen */
};
struct font_metrics {
	struct shared_font font[FONT_METRICS_FONTS];
};
void font_metrics_init(fz_context *ctx, struct font_metrics *fm);
void font_metrics_free(struct font_metrics *fm);
/* Gives `font` the advances known for its data, and keeps those it has. */
void font_metrics_share(fz_context *ctx, struct font_metrics *fm, fz_font *font);

struct pdfcheck_ctx {
	fz_context *fz;
	struct limits limits;
	fz_alloc_context alloc;
	char err[512];              /* why the last call returned -1 */
	char mupdf_msg[256];        /* MuPDF's last error or warning, for details */
	unsigned char *pixels;      /* render buffer, reused across pages and files */
	size_t pixels_cap;
	struct font_metrics fonts;  /* built-in fonts' advances, across files */
	const unsigned char *pdf;   /* the file being checked, for poppler's renders */
	size_t pdf_len;
};

/* How a page sits on paper: its MediaBox and /Rotate, and the matrices that
 * place Notify's A4 canvas and pdftoppm's raster on it (see frame.c). */
struct page_frame {
	double width_mm, height_mm;  /* MediaBox size, before /Rotate */
	int rotate;                  /* /Rotate exactly as the file says (0 when absent) */
	int has_mediabox;
	fz_matrix user_to_page;      /* PDF user space -> MuPDF page space (points, y down) */
	fz_point origin;             /* the MediaBox's displayed top-left corner, page space */
	fz_rect media;               /* the MediaBox, page space: what pdftoppm renders */
	fz_rect visible;             /* the CropBox, page space: what a viewer shows */
};
/* A rectangle of whole pixels at 200 dpi, half-open: [x0, x1) x [y0, y1). */
struct px_rect {
	int x0, y0, x1, y1;
};

/* The allowed regions of one page in pixels, grown by Notify's 1 mm. */
struct page_regions {
	struct px_rect allowed[4];
	int n_allowed;
	struct px_rect page;         /* every pixel of pdftoppm's raster (the MediaBox) */
};

/* frame.c */
void page_frame_load(fz_context *ctx, pdf_page *page, struct page_frame *frame);
int page_frame_is_a4_portrait(const struct page_frame *frame);
void page_regions_make(const struct page_frame *frame, int first_page_rules, struct page_regions *reg);
/* The same for any slack and resolution (the overlay shows the published
 * regions, without Notify's slack, at a smaller scale). */
void page_regions_make_at(const struct page_frame *frame, int first_page_rules, double slack_mm,
			  double px_per_pt, struct page_regions *reg);
/* MuPDF page space -> pixels of pdftoppm's raster at px_per_pt, whose
 * (0, 0) is the MediaBox's displayed top-left corner. */
fz_matrix page_frame_page_to_px(const struct page_frame *frame, double px_per_pt);
/* 1 when pixel (x, y) lies in an allowed region. */
int page_regions_allow(const struct page_regions *reg, int x, int y);
fz_rect page_frame_mm_to_pt(const struct page_frame *frame, const struct spec_rect *mm);
void page_frame_px_to_mm(const struct page_frame *frame, const struct px_rect *px, double mm[4]);

/* marks.c: the rectangles a page's marks may paint, in page space. */
struct mark_list {
	fz_rect *rects;
	size_t n, cap;
};
/* The text the address and tag rules read, kept in drawing order while the
 * marks are collected and handed to a structured-text device afterwards,
 * when it is known whether any of it reaches the edge of the page. */
struct text_list {
	struct kept_text {
		fz_text *text;
		fz_matrix ctm;
	} *items;
	size_t n, cap;
	fz_rect inside;       /* page space: text within this cannot be clipped by the page */
	int all_inside;       /* every kept text lies within `inside` */
};
/* Keeps, in `texts` (or nowhere when NULL), the text that touches text_area. */
fz_device *new_mark_device(fz_context *ctx, struct mark_list *marks, struct text_list *texts,
			   fz_rect text_area);
/* The kept text, in order, into a structured-text device; fonts lend and
 * keep their advances on the way (font_metrics.c). */
void text_list_replay(fz_context *ctx, struct text_list *texts, fz_device *dev, struct font_metrics *fonts);
void text_list_clear(fz_context *ctx, struct text_list *texts);
void mark_list_clear(fz_context *ctx, struct mark_list *marks);

/* ink.c: the raster rule on a rendered area's pixels (RGB, rows of the
 * area's width). offending_pixels: the box of the non-white pixels outside
 * the regions (empty when none). certainly_inked: 1, with that box as
 * poppler would give it, when MuPDF's pixels settle that the area fails
 * whatever a renderer does at a mark's edges; else 0. */
struct px_rect offending_pixels(const unsigned char *pixels, const struct page_regions *reg,
				struct px_rect area);
int certainly_inked(const unsigned char *pixels, const struct page_regions *reg, struct px_rect area,
		    struct px_rect *box);

/* image_cache.c: decodes, whole, each image of the page (placed by to_px)
 * that two or more of the pixel areas show, into MuPDF's store, so that
 * rendering the areas one by one decodes it once. */
void cache_page_images(fz_context *ctx, fz_page *page, fz_matrix to_px, const struct px_rect *areas,
		       int n_areas, fz_cookie *cookie);

/* image_stubs.c: while the marks are collected, each image XObject of the
 * page not yet loaded stands in the store as a stub of its size and kind, so
 * the interpreter does not read its stream; removed before any render. */
struct image_stubs {
	pdf_obj **dicts;
	int n, cap;
};
void image_stubs_add(fz_context *ctx, pdf_page *page, struct image_stubs *st);
void image_stubs_remove(fz_context *ctx, struct image_stubs *st);

/* printable.c */
int check_printable(struct pdfcheck_ctx *pc, fz_page *page, const struct page_frame *frame,
		    const struct mark_list *marks, int first_page_rules, int full_raster,
		    int page_no, struct pdfcheck_report *rep);

/* text_space.c: the space Notify reads text in (PyMuPDF's page space):
 * the page unrotated, points, y down, origin at the CropBox's top-left. */
struct text_space {
	fz_matrix from_page;         /* MuPDF's (rotated) page space -> this space */
	int rotated;                 /* from_page is not the identity */
	fz_rect bounds;              /* the unrotated visible page, in this space */
};
void text_space_load(fz_context *ctx, pdf_page *page, struct text_space *ts);
/* A box in mm from the top-left corner, as Notify gives PyMuPDF its boxes. */
fz_rect text_space_box(const struct spec_rect *mm);
/* A rectangle of this space back in MuPDF's page space (bounding box). */
fz_rect text_space_to_page(const struct text_space *ts, fz_rect r);
/* A device passing the text it gets on to `target`, moved into this space. */
fz_device *text_space_device(fz_context *ctx, const struct text_space *ts, fz_device *target);

/* words.c: text as Notify reads it from a box (PyMuPDF's words), from a
 * structured-text page made in the text space. */
char *words_in_box(fz_context *ctx, fz_stext_page *text, fz_rect box);

/* address_rule.c: the address rules on the text of page 1's window.
 * Returns 0, or -1 when out of memory. */
int check_address(const char *window_text, const struct pdfcheck_options *opt,
		  struct pdfcheck_report *rep);

/* report.c */
int report_add(struct pdfcheck_report *rep, const char *code, enum pdfcheck_severity severity,
	       int page, const double *box_mm, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
int report_set_verdict(struct pdfcheck_report *rep, const char *code, const int *pages, int n);

#endif
