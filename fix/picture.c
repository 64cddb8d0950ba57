/* picture.c: before and after pictures side by side, for --overlay. */
#include <stdlib.h>
#include <string.h>

#include "fz_copy.h"
#include "internal.h"

#define GAP_PX 16

static fz_pixmap *decode_rgb(fz_context *ctx, const unsigned char *png, size_t len)
{
	fz_buffer *b = fz_new_buffer_from_copied_data(ctx, png, len);
	fz_image *img = NULL;
	fz_pixmap *pix = NULL, *rgb = NULL;
	fz_var(img);
	fz_var(pix);
	fz_try(ctx) {
		img = fz_new_image_from_buffer(ctx, b);
		pix = fz_get_pixmap_from_image(ctx, img, NULL, NULL, NULL, NULL);
		rgb = fz_convert_pixmap(ctx, pix, fz_device_rgb(ctx), NULL, NULL, fz_default_color_params, 0);
	}
	fz_always(ctx) {
		fz_drop_pixmap(ctx, pix);
		fz_drop_image(ctx, img);
		fz_drop_buffer(ctx, b);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return rgb;
}

static void paste(fz_context *ctx, fz_pixmap *dst, fz_pixmap *src, int x0)
{
	int w = fz_pixmap_width(ctx, src), h = fz_pixmap_height(ctx, src);
	unsigned char *d = fz_pixmap_samples(ctx, dst);
	const unsigned char *s = fz_pixmap_samples(ctx, src);
	for (int y = 0; y < h; y++)
		memcpy(d + y * fz_pixmap_stride(ctx, dst) + (size_t)x0 * 3, s + y * fz_pixmap_stride(ctx, src),
		       (size_t)w * 3);
}

int fix_side_by_side(struct fix_ctx *fc, const unsigned char *left, size_t left_len,
		     const unsigned char *right, size_t right_len, unsigned char **out, size_t *out_len)
{
	fz_context *ctx = fc->fz;
	fz_pixmap *a = NULL, *b = NULL, *both = NULL;
	fz_buffer *png = NULL;
	int rc = 0;
	fz_var(a);
	fz_var(b);
	fz_var(both);
	fz_var(png);
	fz_try(ctx) {
		a = decode_rgb(ctx, left, left_len);
		b = decode_rgb(ctx, right, right_len);
		int wa = fz_pixmap_width(ctx, a), wb = fz_pixmap_width(ctx, b);
		int ha = fz_pixmap_height(ctx, a), hb = fz_pixmap_height(ctx, b);
		both = fz_new_pixmap(ctx, fz_device_rgb(ctx), wa + GAP_PX + wb, ha > hb ? ha : hb, NULL, 0);
		fz_clear_pixmap_with_value(ctx, both, 255);
		paste(ctx, both, a, 0);
		paste(ctx, both, b, wa + GAP_PX);
		png = fz_new_buffer_from_pixmap_as_png(ctx, both, fz_default_color_params);
		*out = fz_copy_to_malloc(ctx, png, out_len);
	}
	fz_always(ctx) {
		fz_drop_pixmap(ctx, a);
		fz_drop_pixmap(ctx, b);
		fz_drop_pixmap(ctx, both);
		fz_drop_buffer(ctx, png);
	}
	fz_catch(ctx) {
		snprintf(fc->err, sizeof fc->err, "cannot make the before/after picture: %s",
			 fz_caught_message(ctx));
		rc = -1;
	}
	return rc;
}
