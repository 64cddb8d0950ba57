/*
 * image_cache.c: every image of a page decoded once, whole, before its
 * areas are rendered one by one.
 *
 * MuPDF's draw device asks for only the part of an image its clip shows,
 * and caches that part under its own rectangle. A full-page photo behind a
 * letter leaves half a dozen strips of margin to render (printable.c), and
 * each would decode the photo again down to its last row. Once the whole
 * image is in the store, fz_get_pixmap_from_image finds it for every strip
 * ("no tile for subarea found; try entire image"). The device here asks for
 * each image at the scale the draw device will ask for it, so the cached
 * tile has the same subsampling factor and is the one found.
 */
#include "internal.h"

struct cache_device {
	fz_device super;
	const struct px_rect *areas;
	int n_areas;
};

/* Only an image that two or more areas show is worth decoding whole. */
static void cache_image(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm)
{
	const struct cache_device *cd = (const struct cache_device *)dev;
	fz_rect r = fz_transform_rect(fz_unit_rect, ctm);
	int shown = 0;
	for (int i = 0; i < cd->n_areas && shown < 2; i++) {
		const struct px_rect *a = &cd->areas[i];
		shown += r.x0 < a->x1 && r.x1 > a->x0 && r.y0 < a->y1 && r.y1 > a->y0;
	}
	if (shown < 2)
		return;
	fz_pixmap *tile = fz_get_pixmap_from_image(ctx, image, NULL, &ctm, NULL, NULL);
	fz_drop_pixmap(ctx, tile);   /* the store keeps it while it has room */
}

static void fill_image(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm, float alpha,
		       fz_color_params cp)
{
	(void)alpha, (void)cp;
	cache_image(ctx, dev, image, ctm);
}

static void fill_image_mask(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm,
			    fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	(void)cs, (void)color, (void)alpha, (void)cp;
	cache_image(ctx, dev, image, ctm);
}

static void clip_image_mask(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm,
			    fz_rect scissor)
{
	(void)scissor;
	cache_image(ctx, dev, image, ctm);
}

void cache_page_images(fz_context *ctx, fz_page *page, fz_matrix to_px, const struct px_rect *areas,
		       int n_areas, fz_cookie *cookie)
{
	if (n_areas < 2)
		return;
	struct cache_device *cd = fz_new_derived_device(ctx, struct cache_device);
	cd->areas = areas;
	cd->n_areas = n_areas;
	fz_device *dev = &cd->super;
	dev->fill_image = fill_image;
	dev->fill_image_mask = fill_image_mask;
	dev->clip_image_mask = clip_image_mask;
	fz_try(ctx) {
		fz_run_page(ctx, page, dev, to_px, cookie);
		fz_close_device(ctx, dev);
	}
	fz_always(ctx)
		fz_drop_device(ctx, dev);
	fz_catch(ctx)
		fz_rethrow(ctx);
}
