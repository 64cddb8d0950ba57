/*
 * images.c: shrink's downsampling. Each image XObject the pages use (their
 * resources, and those of the form XObjects in them) is measured at its
 * largest placement on any page, as the pages are drawn (a device records
 * every image drawn with its matrix); one above 300 dpi is decoded, scaled
 * down to 300 dpi at that placement (one factor for both directions, so the
 * aspect ratio is kept and neither direction falls under 300 dpi; never up)
 * and written back into the same object: JPEG (libjpeg, which MuPDF already
 * links; MuPDF 1.21 has no JPEG encoder of its own) when it was DCT-encoded,
 * else Flate (PNG Paeth-predicted rows), with its /Width, /Height, /BitsPerComponent, /ColorSpace,
 * /Filter, /DecodeParms and /Decode made to match. A soft mask (/SMask) is
 * measured at its image's placements and, when its image was downsampled,
 * downsampled the same way (the specification lets a soft mask's size differ
 * from its image's, but for /Matte, which is skipped).
 *
 * Left as they were, and counted as such (never half rewritten):
 * - image masks (/ImageMask true) and other 1-bit images (scans, CCITT,
 *   JBIG2): scaled, they become grey or lose thin strokes, and grey samples
 *   would be larger than their 1-bit ones;
 * - JPX images (their colour space and alpha live in the codestream);
 * - colour spaces other than DeviceGray, DeviceRGB, DeviceCMYK, CalGray,
 *   CalRGB, ICCBased and Indexed on one of those (Lab, Separation, DeviceN):
 *   MuPDF would hand back samples in another space than the one named;
 * - colour-key masks (/Mask array): resampled colours no longer match the key;
 * - soft masks with /Matte (they must keep their image's size);
 * - an image whose downsampled stream would be no smaller.
 * Indexed images come back in their base colour space (and say so); 16-bit
 * and 2- or 4-bit images come back as 8-bit; CMYK JPEGs are written Flate
 * (libjpeg's CMYK JPEGs carry Adobe's inverted convention, which readers
 * treat differently).
 */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "internal.h"

/* MuPDF 1.21 builds fz_scale_pixmap into libmupdf but declares it only in a
 * private header (draw-imp.h); the same declaration here. */
fz_pixmap *fz_scale_pixmap(fz_context *ctx, fz_pixmap *src, float x, float y, float w, float h,
			   const fz_irect *clip);

#define TARGET_DPI 300.0
/* Rounding of placements (a matrix in floats) is not a reason to resample. */
#define OVER_DPI (TARGET_DPI * 1.01)
#define JPEG_QUALITY 85
#define MAX_DEPTH 16

struct cand {
	pdf_obj *obj;      /* the image XObject (indirect) */
	fz_image *img;     /* as MuPDF loads it (the run of the pages gets the same, from the store) */
	int parent;        /* for a soft mask: its image's index; else -1 */
	float lx, ly;      /* the largest placement: the image's x and y axes' lengths, in points */
	int done;          /* downsampled */
};

struct cands {
	struct cand *c;
	int n, cap;
	int forms[256];    /* form XObjects walked (object numbers), against cycles */
	int n_forms;
};

static int find_cand(fz_context *ctx, const struct cands *cs, pdf_obj *obj)
{
	int num = pdf_to_num(ctx, obj);
	for (int i = 0; i < cs->n; i++)
		if (pdf_to_num(ctx, cs->c[i].obj) == num)
			return i;
	return -1;
}

static void reserve(fz_context *ctx, struct cands *cs, int more)
{
	if (cs->n + more > cs->cap) {
		int cap = cs->cap ? 2 * cs->cap : 16;
		cs->c = fz_realloc(ctx, cs->c, cap * sizeof *cs->c);
		cs->cap = cap;
	}
}

/* Never throws once reserve() has made room. */
static int add_cand(fz_context *ctx, struct cands *cs, pdf_obj *obj, fz_image *img, int parent)
{
	reserve(ctx, cs, 1);
	cs->c[cs->n] = (struct cand){obj, img, parent, 0, 0, 0};
	return cs->n++;
}

/* The image as MuPDF loads it (from its store, as the pages' run will), or NULL. */
static fz_image *load_image(fz_context *ctx, pdf_document *doc, pdf_obj *x)
{
	fz_image *img = NULL;
	fz_var(img);
	fz_try(ctx)
		img = pdf_load_image(ctx, doc, x);
	fz_catch(ctx)
		img = NULL;
	return img;
}

static void walk_resources(fz_context *ctx, pdf_document *doc, pdf_obj *res, struct cands *cs, int depth)
{
	pdf_obj *xobjs = pdf_dict_get(ctx, res, PDF_NAME(XObject));
	int n = pdf_dict_len(ctx, xobjs);
	for (int i = 0; i < n; i++) {
		pdf_obj *x = pdf_dict_get_val(ctx, xobjs, i);
		if (!pdf_is_indirect(ctx, x) || !pdf_is_stream(ctx, x))
			continue;
		pdf_obj *sub = pdf_dict_get(ctx, x, PDF_NAME(Subtype));
		if (pdf_name_eq(ctx, sub, PDF_NAME(Image))) {
			if (find_cand(ctx, cs, x) >= 0)
				continue;
			reserve(ctx, cs, 2);   /* so that adding the image (and its mask) cannot throw */
			fz_image *img = load_image(ctx, doc, x);
			if (!img)
				continue;   /* an image MuPDF cannot load is not touched */
			int k = add_cand(ctx, cs, x, img, -1);
			pdf_obj *sm = pdf_dict_get(ctx, x, PDF_NAME(SMask));
			if (img->mask && pdf_is_indirect(ctx, sm) && pdf_is_stream(ctx, sm) && find_cand(ctx, cs, sm) < 0)
				add_cand(ctx, cs, sm, fz_keep_image(ctx, img->mask), k);
		} else if (pdf_name_eq(ctx, sub, PDF_NAME(Form)) && depth < MAX_DEPTH) {
			int num = pdf_to_num(ctx, x), seen = 0;
			for (int f = 0; f < cs->n_forms; f++)
				seen |= cs->forms[f] == num;
			if (seen || cs->n_forms == (int)(sizeof cs->forms / sizeof cs->forms[0]))
				continue;
			cs->forms[cs->n_forms++] = num;
			walk_resources(ctx, doc, pdf_dict_get(ctx, x, PDF_NAME(Resources)), cs, depth + 1);
		}
	}
}

/* The device: every image drawn, with the lengths of its axes on the page. */
struct use_dev {
	fz_device super;
	struct cands *cs;
};

static void use_at(struct use_dev *d, fz_image *img, fz_matrix m)
{
	float lx = sqrtf(m.a * m.a + m.b * m.b), ly = sqrtf(m.c * m.c + m.d * m.d);
	for (int i = 0; i < d->cs->n; i++) {
		struct cand *c = &d->cs->c[i];
		if (c->img == img && c->parent < 0) {
			c->lx = fmaxf(c->lx, lx);
			c->ly = fmaxf(c->ly, ly);
		}
	}
}

static void dev_fill_image(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm, float alpha,
			   fz_color_params cp)
{
	(void)ctx;
	(void)alpha;
	(void)cp;
	use_at((struct use_dev *)dev, img, ctm);
}

static void dev_fill_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
				fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	(void)ctx;
	(void)cs;
	(void)color;
	(void)alpha;
	(void)cp;
	use_at((struct use_dev *)dev, img, ctm);
}

static void dev_clip_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm, fz_rect scissor)
{
	(void)ctx;
	(void)scissor;
	use_at((struct use_dev *)dev, img, ctm);
}

static void measure(fz_context *ctx, pdf_document *doc, struct cands *cs)
{
	int n = pdf_count_pages(ctx, doc);
	for (int i = 0; i < n; i++) {
		pdf_page *page = pdf_load_page(ctx, doc, i);
		walk_resources(ctx, doc, pdf_page_resources(ctx, page), cs, 0);
		fz_drop_page(ctx, &page->super);
	}
	for (int i = 0; i < n; i++) {
		fz_page *page = fz_load_page(ctx, &doc->super, i);
		struct use_dev *dev = NULL;
		fz_var(dev);
		fz_try(ctx) {
			dev = fz_new_derived_device(ctx, struct use_dev);
			dev->cs = cs;
			dev->super.fill_image = dev_fill_image;
			dev->super.fill_image_mask = dev_fill_image_mask;
			dev->super.clip_image_mask = dev_clip_image_mask;
			fz_run_page(ctx, page, &dev->super, fz_identity, NULL);
			fz_close_device(ctx, &dev->super);
		}
		fz_always(ctx) {
			fz_drop_device(ctx, &dev->super);
			fz_drop_page(ctx, page);
		}
		fz_catch(ctx)
			fz_rethrow(ctx);
	}
	/* A soft mask lies where its image does. */
	for (int i = 0; i < cs->n; i++)
		if (cs->c[i].parent >= 0) {
			cs->c[i].lx = cs->c[cs->c[i].parent].lx;
			cs->c[i].ly = cs->c[cs->c[i].parent].ly;
		}
}

/* libjpeg, its errors caught rather than exiting. */
struct jpeg_out {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	unsigned char *data;   /* malloc'd by libjpeg */
	unsigned long len;
};

static void jpeg_fail(j_common_ptr ci)
{
	longjmp(((struct jpeg_out *)ci->err)->jb, 1);
}

static void jpeg_quiet(j_common_ptr ci)
{
	(void)ci;
}

/* 0 with the JPEG in o->data, or -1. */
static int jpeg_encode(const unsigned char *samples, int w, int h, int n, ptrdiff_t stride, struct jpeg_out *o)
{
	struct jpeg_compress_struct ci;
	memset(&ci, 0, sizeof ci);
	o->data = NULL;
	o->len = 0;
	ci.err = jpeg_std_error(&o->pub);
	o->pub.error_exit = jpeg_fail;
	o->pub.output_message = jpeg_quiet;
	if (setjmp(o->jb)) {
		jpeg_destroy_compress(&ci);
		free(o->data);
		o->data = NULL;
		return -1;
	}
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &o->data, &o->len);
	ci.image_width = (JDIMENSION)w;
	ci.image_height = (JDIMENSION)h;
	ci.input_components = n;
	ci.in_color_space = n == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&ci);
	jpeg_set_quality(&ci, JPEG_QUALITY, TRUE);
	jpeg_start_compress(&ci, TRUE);
	while (ci.next_scanline < ci.image_height) {
		JSAMPROW row = (JSAMPROW)(samples + (ptrdiff_t)ci.next_scanline * stride);
		jpeg_write_scanlines(&ci, &row, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	return 0;
}

/* The colour space the decoded samples are in, as the object to name it,
 * and its component count; NULL when not one handled here. */
static pdf_obj *sample_space(fz_context *ctx, pdf_obj *cs, int *n, int *indexed)
{
	*indexed = 0;
	if (pdf_is_array(ctx, cs) && pdf_array_len(ctx, cs) == 1)
		cs = pdf_array_get(ctx, cs, 0);
	if (pdf_is_array(ctx, cs)) {
		pdf_obj *fam = pdf_array_get(ctx, cs, 0);
		if (pdf_name_eq(ctx, fam, PDF_NAME(Indexed)) || pdf_name_eq(ctx, fam, PDF_NAME(I))) {
			*indexed = 1;
			cs = pdf_array_get(ctx, cs, 1);
			if (pdf_is_array(ctx, cs) && pdf_array_len(ctx, cs) == 1)
				cs = pdf_array_get(ctx, cs, 0);
		}
	}
	if (pdf_name_eq(ctx, cs, PDF_NAME(DeviceGray)))
		return *n = 1, cs;
	if (pdf_name_eq(ctx, cs, PDF_NAME(DeviceRGB)))
		return *n = 3, cs;
	if (pdf_name_eq(ctx, cs, PDF_NAME(DeviceCMYK)))
		return *n = 4, cs;
	if (!pdf_is_array(ctx, cs))
		return NULL;
	pdf_obj *fam = pdf_array_get(ctx, cs, 0);
	if (pdf_name_eq(ctx, fam, PDF_NAME(CalGray)))
		return *n = 1, cs;
	if (pdf_name_eq(ctx, fam, PDF_NAME(CalRGB)))
		return *n = 3, cs;
	if (pdf_name_eq(ctx, fam, PDF_NAME(ICCBased))) {
		*n = pdf_dict_get_int(ctx, pdf_array_get(ctx, cs, 1), PDF_NAME(N));
		return *n == 1 || *n == 3 || *n == 4 ? cs : NULL;
	}
	return NULL;
}

static int is_dct(fz_context *ctx, pdf_obj *filter)
{
	if (pdf_is_array(ctx, filter))
		filter = pdf_array_get(ctx, filter, pdf_array_len(ctx, filter) - 1);
	return pdf_name_eq(ctx, filter, PDF_NAME(DCTDecode)) || pdf_name_eq(ctx, filter, PDF_NAME(DCT));
}

static int has_filter(fz_context *ctx, pdf_obj *filter, pdf_obj *name)
{
	if (!pdf_is_array(ctx, filter))
		return pdf_name_eq(ctx, filter, name);
	for (int i = 0; i < pdf_array_len(ctx, filter); i++)
		if (pdf_name_eq(ctx, pdf_array_get(ctx, filter, i), name))
			return 1;
	return 0;
}

/* Why the image cannot be downsampled here, or NULL when it can. */
static const char *not_handled(fz_context *ctx, const struct cand *c)
{
	pdf_obj *d = c->obj;
	pdf_obj *filter = pdf_dict_get(ctx, d, PDF_NAME(Filter));
	if (pdf_dict_get_bool(ctx, d, PDF_NAME(ImageMask)))
		return "image mask";
	if (has_filter(ctx, filter, PDF_NAME(JPXDecode)))
		return "JPX";
	if (pdf_dict_get_int(ctx, d, PDF_NAME(BitsPerComponent)) == 1)
		return "1-bit";
	if (pdf_is_array(ctx, pdf_dict_get(ctx, d, PDF_NAME(Mask))))
		return "colour-key mask";
	if (c->parent >= 0) {
		if (pdf_dict_get(ctx, d, PDF_NAME(Matte)))
			return "soft mask with /Matte";
		return NULL;
	}
	pdf_obj *sm = pdf_dict_get(ctx, d, PDF_NAME(SMask));
	if (sm && pdf_dict_get(ctx, sm, PDF_NAME(Matte)))
		return "soft mask with /Matte";
	int n, indexed;
	if (!sample_space(ctx, pdf_dict_get(ctx, d, PDF_NAME(ColorSpace)), &n, &indexed))
		return "colour space not handled";
	return NULL;
}

/* The 8-bit samples of p (n a pixel) as PNG rows, each Paeth-predicted
 * (filter type 4, Flate's /Predictor 15): w * n + 1 bytes a row. */
static void paeth(unsigned char *dst, const fz_pixmap *p, int n)
{
	size_t row = (size_t)p->w * n;
	const unsigned char *prev = NULL;
	for (int y = 0; y < p->h; y++) {
		const unsigned char *cur = p->samples + (ptrdiff_t)y * p->stride;
		unsigned char *o = dst + (size_t)y * (row + 1);
		*o++ = 4;
		for (size_t i = 0; i < row; i++) {
			int a = i >= (size_t)n ? cur[i - n] : 0;
			int b = prev ? prev[i] : 0;
			int c = prev && i >= (size_t)n ? prev[i - n] : 0;
			int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
			int pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
			o[i] = (unsigned char)(cur[i] - pred);
		}
		prev = cur;
	}
}

/*
 * Downsamples one image to new_w x new_h and writes it back. 1 when done,
 * 0 when the result would be no smaller or the samples are not what was
 * expected (the object untouched). Throws on MuPDF errors (the object
 * untouched: it is changed only at the end).
 */
static int rewrite(fz_context *ctx, pdf_document *doc, const struct cand *c, int new_w, int new_h)
{
	pdf_obj *d = c->obj;
	int smask = c->parent >= 0;
	int n = 1, indexed = 0;
	pdf_obj *space = smask ? PDF_NAME(DeviceGray)
			       : sample_space(ctx, pdf_dict_get(ctx, d, PDF_NAME(ColorSpace)), &n, &indexed);
	int dct = is_dct(ctx, pdf_dict_get(ctx, d, PDF_NAME(Filter))) && (n == 1 || n == 3);
	fz_pixmap *pix = NULL, *small = NULL;
	fz_buffer *raw = NULL, *buf = NULL;
	int done = 0;
	fz_var(pix);
	fz_var(small);
	fz_var(raw);
	fz_var(buf);
	fz_try(ctx) {
		pix = fz_get_pixmap_from_image(ctx, c->img, NULL, NULL, NULL, NULL);
		/* A soft mask comes back as alpha alone (no colour space), its
		 * samples the mask's; an image as colour without alpha. */
		int alpha = smask ? 1 : 0;
		if (pix->alpha != alpha || pix->n != n || pix->w != c->img->w || pix->h != c->img->h ||
		    (smask ? pix->colorspace != NULL : fz_colorspace_n(ctx, pix->colorspace) != n))
			break;
		small = fz_scale_pixmap(ctx, pix, 0, 0, (float)new_w, (float)new_h, NULL);
		if (!small || small->w != new_w || small->h != new_h || small->n != n || small->alpha != alpha)
			break;
		if (dct) {
			struct jpeg_out o;
			if (jpeg_encode(small->samples, new_w, new_h, n, small->stride, &o) != 0)
				fz_throw(ctx, FZ_ERROR_GENERIC, "libjpeg could not encode the image");
			fz_try(ctx)
				buf = fz_new_buffer_from_copied_data(ctx, o.data, o.len);
			fz_always(ctx)
				free(o.data);
			fz_catch(ctx)
				fz_rethrow(ctx);
		} else {
			size_t len = 0, rows = (size_t)new_w * n + 1;
			unsigned char *packed = fz_malloc(ctx, rows * new_h);
			paeth(packed, small, n);
			unsigned char *z = NULL;
			fz_var(z);
			fz_try(ctx)
				z = fz_new_deflated_data(ctx, &len, packed, rows * new_h, FZ_DEFLATE_BEST);
			fz_always(ctx)
				fz_free(ctx, packed);
			fz_catch(ctx)
				fz_rethrow(ctx);
			buf = fz_new_buffer_from_data(ctx, z, len);
		}
		raw = pdf_load_raw_stream(ctx, d);
		if (buf->len >= raw->len)
			break;
		pdf_update_stream(ctx, doc, d, buf, 1);
		pdf_dict_put_int(ctx, d, PDF_NAME(Width), new_w);
		pdf_dict_put_int(ctx, d, PDF_NAME(Height), new_h);
		pdf_dict_put_int(ctx, d, PDF_NAME(BitsPerComponent), 8);
		/* The samples as decoded: an Indexed image's in its base space. */
		if (smask || indexed)
			pdf_dict_put(ctx, d, PDF_NAME(ColorSpace), space);
		pdf_dict_put(ctx, d, PDF_NAME(Filter), dct ? PDF_NAME(DCTDecode) : PDF_NAME(FlateDecode));
		pdf_dict_del(ctx, d, PDF_NAME(DecodeParms));
		if (!dct) {
			pdf_obj *parms = pdf_dict_put_dict(ctx, d, PDF_NAME(DecodeParms), 4);
			pdf_dict_put_int(ctx, parms, PDF_NAME(Predictor), 15);
			pdf_dict_put_int(ctx, parms, PDF_NAME(Colors), n);
			pdf_dict_put_int(ctx, parms, PDF_NAME(BitsPerComponent), 8);
			pdf_dict_put_int(ctx, parms, PDF_NAME(Columns), new_w);
		}
		pdf_dict_del(ctx, d, PDF_NAME(Decode));
		done = 1;
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, raw);
		fz_drop_buffer(ctx, buf);
		fz_drop_pixmap(ctx, small);
		fz_drop_pixmap(ctx, pix);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return done;
}

/* One image, measured: downsampled when above 300 dpi and handled; counted in *out.
 * A soft mask only when its image was (it follows its image in the list). */
static void one_image(fz_context *ctx, pdf_document *doc, struct cands *cs, int i, struct shrink_images *out)
{
	struct cand *c = &cs->c[i];
	if (c->parent >= 0 && !cs->c[c->parent].done)
		return;
	int w = c->img->w, h = c->img->h;
	if (c->lx <= 0 || c->ly <= 0 || w <= 0 || h <= 0)
		return;   /* not drawn anywhere (garbage collection drops it if unused) */
	double dpi = fmin(w * 72.0 / c->lx, h * 72.0 / c->ly);
	if (dpi <= OVER_DPI)
		return;
	double s = TARGET_DPI / dpi;
	int nw = (int)ceil(w * s - 1e-6), nh = (int)ceil(h * s - 1e-6);
	if (nw < 1)
		nw = 1;
	if (nh < 1)
		nh = 1;
	const char *why = not_handled(ctx, c);
	int done = 0;
	fz_var(why);
	fz_var(done);
	if (!why) {
		fz_try(ctx)
			done = rewrite(ctx, doc, c, nw, nh);
		fz_catch(ctx)
			why = "could not be decoded";
		if (!why && !done)
			why = "no smaller downsampled";
	}
	c->done = done;
	if (c->parent >= 0) {
		out->masks += done;
	} else if (done) {
		if (out->downsampled == 0 || dpi < out->dpi_min)
			out->dpi_min = dpi;
		if (dpi > out->dpi_max)
			out->dpi_max = dpi;
		out->downsampled++;
	} else {
		/* The reasons, each once. */
		if (!strstr(out->why, why)) {
			size_t k = strlen(out->why);
			snprintf(out->why + k, sizeof out->why - k, "%s%s", k ? ", " : "", why);
		}
		out->skipped++;
	}
}

void shrink_images(fz_context *ctx, pdf_document *doc, struct shrink_images *out)
{
	memset(out, 0, sizeof *out);
	struct cands cs = {0};
	fz_try(ctx) {
		measure(ctx, doc, &cs);
		for (int i = 0; i < cs.n; i++)
			one_image(ctx, doc, &cs, i, out);
	}
	fz_always(ctx) {
		for (int i = 0; i < cs.n; i++)
			fz_drop_image(ctx, cs.c[i].img);
		fz_free(ctx, cs.c);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}
