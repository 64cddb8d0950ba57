/*
 * logo.c: the logo image, checked once and fitted into the logo zone.
 *
 * The image (PNG or JPEG) is read once; each letter embeds it with
 * libharu. Its size is fitted, keeping its shape, into the logo zone
 * (zones.h: the spec's logo area less an inset), so that anti-aliased
 * edges stay inside what `letterkit check` allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "compose-imp.h"
#include "lk_file.h"
#include "zones.h"

#define MAX_LOGO_BYTES (2u * 1024 * 1024)
/*
 * What the image may decode to, judged from its header before anything is
 * decoded: a 2 MB file can declare 100,000 x 100,000 pixels (a zlib stream
 * inflates about 1000 to 1). 64 MiB is an RGBA logo of 4000 x 4000 pixels,
 * more than 1200 dpi across the whole logo zone.
 */
#define MAX_LOGO_DECODED (64ull * 1024 * 1024)

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* The pixel size and components from a JPEG's start-of-frame segment. */
static int jpeg_size(const unsigned char *d, size_t n, unsigned *w, unsigned *h, unsigned *comps)
{
	size_t i = 2;
	while (i + 9 < n) {
		if (d[i] != 0xFF)
			return -1;
		unsigned marker = d[i + 1];
		size_t seg = (size_t)d[i + 2] << 8 | d[i + 3];
		if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
			*h = (unsigned)d[i + 5] << 8 | d[i + 6];
			*w = (unsigned)d[i + 7] << 8 | d[i + 8];
			*comps = d[i + 9];
			return 0;
		}
		i += 2 + seg;
	}
	return -1;
}

static void quiet(HPDF_STATUS e, HPDF_STATUS d, void *user)
{
	HPDF_STATUS *st = user;
	st[0] = e;
	st[1] = d;
}

/* Loads the image into a throwaway document: libharu decodes PNGs fully. */
static int try_libharu(const struct compose_ctx *ctx, char *err, size_t errlen, const char *path)
{
	HPDF_STATUS st[2] = {0, 0};
	HPDF_Doc pdf = HPDF_New(quiet, st);
	if (!pdf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	HPDF_Image img = ctx->logo_kind == LOGO_PNG
		? HPDF_LoadPngImageFromMem(pdf, ctx->logo, (HPDF_UINT)ctx->logo_len)
		: HPDF_LoadJpegImageFromMem(pdf, ctx->logo, (HPDF_UINT)ctx->logo_len);
	HPDF_Free(pdf);
	if (!img) {
		snprintf(err, errlen, "%s: the image cannot be read (libharu error 0x%04X, detail %u)", path,
			 (unsigned)st[0], (unsigned)st[1]);
		return -1;
	}
	return 0;
}

int compose_logo_load(struct compose_ctx *ctx, const char *path, char *err, size_t errlen)
{
	unsigned w = 0, h = 0, bits = 0;   /* bits per pixel once decoded */
	free(ctx->logo);
	ctx->logo = NULL;
	if (lk_read_file(path, MAX_LOGO_BYTES, &ctx->logo, &ctx->logo_len, err, errlen) < 0)
		return -1;
	const unsigned char *d = ctx->logo;
	size_t n = ctx->logo_len;
	if (n >= 24 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8) && !memcmp(d + 12, "IHDR", 4)) {
		ctx->logo_kind = LOGO_PNG;
		w = be32(d + 16);
		h = be32(d + 20);
		/* bit depth times channels: grey, -, RGB, palette, grey+alpha, -, RGBA */
		static const unsigned channels[7] = {1, 0, 3, 1, 2, 0, 4};
		bits = d[24] * (d[25] < 7 ? channels[d[25]] : 0);
		if (bits && d[25] == 3)
			bits = 24;   /* a palette image is expanded to RGB */
	} else if (n >= 4 && d[0] == 0xFF && d[1] == 0xD8 && jpeg_size(d, n, &w, &h, &bits) == 0) {
		ctx->logo_kind = LOGO_JPEG;
		bits *= 8;
	} else {
		snprintf(err, errlen, "%s: not a PNG or JPEG image", path);
		goto fail;
	}
	if (w == 0 || h == 0 || w > 20000 || h > 20000 || bits == 0) {
		snprintf(err, errlen, "%s: image size %ux%u pixels is not usable", path, w, h);
		goto fail;
	}
	unsigned long long decoded = (unsigned long long)w * h * bits / 8;
	if (decoded > MAX_LOGO_DECODED) {
		snprintf(err, errlen, "%s: %ux%u pixels would decode to %llu MiB, more than the %llu MiB a "
			 "logo may take; scale it down (600 dpi is plenty)", path, w, h, decoded >> 20,
			 MAX_LOGO_DECODED >> 20);
		goto fail;
	}
	if (try_libharu(ctx, err, errlen, path) < 0)
		goto fail;
	const struct lk_letter_rect zone = compose_zone_logo();
	double scale = (zone.x1 - zone.x0) / w;
	if ((zone.y1 - zone.y0) / h < scale)
		scale = (zone.y1 - zone.y0) / h;
	ctx->logo_w_mm = w * scale;
	ctx->logo_h_mm = h * scale;
	return 0;
fail:
	free(ctx->logo);
	ctx->logo = NULL;
	ctx->logo_kind = LOGO_NONE;
	return -1;
}
