/*
 * poppler_raster.h: pdftoppm's own pixels of a piece of a page, for the
 * borderline areas where Notify's verdict turns on how poppler rasterises
 * an edge (README, "What decides a borderline pixel"). poppler is
 * GPL-2.0-or-later (GPL-3 here, joining the AGPL-3.0 check executable).
 */
#ifndef PDFCHECK_POPPLER_RASTER_H
#define PDFCHECK_POPPLER_RASTER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Renders pixels [x, x + w) x [y, y + h) of page `page_no` (1-based) of the
 * PDF in `pdf` exactly as `pdftoppm -r 200` does with its defaults (Splash,
 * the MediaBox, /Rotate applied, antialiased fills and glyphs, stroke
 * adjustment, no hinting) into `rgb` (w * h * 3 bytes, rows top down).
 * `stop`, polled while drawing, ends the render early when it returns
 * non-zero (the time limit). Returns 0, or -1 when poppler cannot read the
 * file or page, or was stopped.
 */
int poppler_render_area(const unsigned char *pdf, size_t len, int page_no, int x, int y, int w, int h,
			unsigned char *rgb, int (*stop)(void *), void *stop_arg);

#ifdef __cplusplus
}
#endif

#endif
