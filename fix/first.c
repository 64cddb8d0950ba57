/*
 * first.c: scale-to-fit on page 1, keeping the address where Notify reads it.
 *
 * The glyphs of the words Notify reads as the address (address.c) stay
 * exactly where they are; everything else on the page is scaled uniformly
 * (and moved) as little as needed so that every mark lies inside page 1's
 * allowed regions: the body below the address area, the logo area, the
 * column right of the address and the window itself.
 *
 * The page's content is cut, in drawing order, into runs: a run of address
 * glyphs, then a run of everything else, and so on. Each run becomes a form
 * XObject holding the whole content stream passed through MuPDF's content
 * filter (pdf_new_filter_processor with a text filter, the machinery of
 * pdf_redact_page) so that only that run's glyphs, paths, images and
 * shadings are drawn; the page then draws the forms in order, the address
 * runs as they were and the others inside `q M cm ... Q`. Every glyph and
 * mark is drawn exactly once, in its original order, so the text MuPDF
 * extracts (verify.c) and what lies over what are unchanged. A form's BBox
 * is the page's visible box in its own space: what the page did not show,
 * it does not show once moved.
 *
 * The scale and shift: each mark of the rest (a pixel not white, drawn as
 * check draws) inside a region goes with the region it lies deepest in;
 * marks outside them all go, in connected pieces, with the nearest region,
 * or another when that lets the scale be larger. The box of each region's
 * marks must land inside that region (Notify's slack less FIX_INSET_MM),
 * and every other word must stay on its side of the address read area, so
 * that the address as read keeps its words. Each is a linear bound on the
 * shift for a given scale; the largest scale (at most 1, at least
 * --min-scale) for which a shift meets them all is taken, with the shift
 * nearest to scaling about the page's middle.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "lk_letter.h"
#include "spec.h"

#define MAX_RUNS 32
#define ORIGIN_TOLERANCE_PT 0.05f
#define FORM_PREFIX "LkFixRun"

/* The splitting state: shared by the text filter and the paint ops below. */
struct split {
	const fz_point *addr;   /* the address glyphs' origins, page space */
	int n_addr;
	fz_matrix user_to_page;
	int event;              /* the number of the next glyph or paint */
	int recording;          /* pass 0: each event's class into cls */
	unsigned char *cls;     /* 1: an address glyph */
	int cap;
	int n_cls;
	int lo, hi;             /* a run's pass: only events in [lo, hi) are drawn */
	pdf_processor saved;    /* the filter processor's own ops */
};

/* The paint ops replaced in a filter processor find their state here; set
 * only while one content stream is processed, on this thread. */
static _Thread_local struct split *current;

static void record(fz_context *ctx, struct split *sp, int e, int cls)
{
	if (e >= sp->cap) {
		int cap = sp->cap ? 2 * sp->cap : 256;
		while (cap <= e)
			cap *= 2;
		sp->cls = fz_realloc_array(ctx, sp->cls, cap, unsigned char);
		sp->cap = cap;
	}
	sp->cls[e] = (unsigned char)cls;
	if (e + 1 > sp->n_cls)
		sp->n_cls = e + 1;
}

static int is_address(const struct split *sp, fz_point p)
{
	for (int i = 0; i < sp->n_addr; i++)
		if (fabsf(sp->addr[i].x - p.x) <= ORIGIN_TOLERANCE_PT && fabsf(sp->addr[i].y - p.y) <= ORIGIN_TOLERANCE_PT)
			return 1;
	return 0;
}

/* The filter's question for each glyph: 1 removes it. */
static int glyph_event(fz_context *ctx, void *opaque, int *ucsbuf, int ucslen, fz_matrix trm, fz_matrix ctm,
		       fz_rect bbox)
{
	struct split *sp = opaque;
	(void)ucsbuf;
	(void)ucslen;
	(void)bbox;
	int e = sp->event++;
	if (sp->recording) {
		fz_point o = fz_transform_point(fz_make_point(0, 0), fz_concat(trm, ctm));
		record(ctx, sp, e, is_address(sp, fz_transform_point(o, sp->user_to_page)));
		return 0;
	}
	return !(e >= sp->lo && e < sp->hi);
}

/* 1 when the paint at hand is drawn in this pass. */
static int paint_event(fz_context *ctx)
{
	struct split *sp = current;
	int e = sp->event++;
	if (sp->recording) {
		record(ctx, sp, e, 0);
		return 1;
	}
	return e >= sp->lo && e < sp->hi;
}

/* A path painted in another run is ended unpainted (a pending clip still applies). */
#define PAINT_OP(op)                                                   \
	static void w_##op(fz_context *ctx, pdf_processor *proc)       \
	{                                                              \
		if (paint_event(ctx))                                  \
			current->saved.op(ctx, proc);                  \
		else if (current->saved.op_n)                          \
			current->saved.op_n(ctx, proc);                \
	}
PAINT_OP(op_S)
PAINT_OP(op_s)
PAINT_OP(op_F)
PAINT_OP(op_f)
PAINT_OP(op_fstar)
PAINT_OP(op_B)
PAINT_OP(op_Bstar)
PAINT_OP(op_b)
PAINT_OP(op_bstar)

static void w_op_BI(fz_context *ctx, pdf_processor *proc, fz_image *image, const char *cs)
{
	if (paint_event(ctx))
		current->saved.op_BI(ctx, proc, image, cs);
}

static void w_op_sh(fz_context *ctx, pdf_processor *proc, const char *name, fz_shade *shade)
{
	if (paint_event(ctx))
		current->saved.op_sh(ctx, proc, name, shade);
}

static void w_op_Do_image(fz_context *ctx, pdf_processor *proc, const char *name, fz_image *image)
{
	if (paint_event(ctx))
		current->saved.op_Do_image(ctx, proc, name, image);
}

static void w_op_Do_form(fz_context *ctx, pdf_processor *proc, const char *name, pdf_obj *form, pdf_obj *res)
{
	if (paint_event(ctx))
		current->saved.op_Do_form(ctx, proc, name, form, res);
}

static void install(struct split *sp, pdf_processor *p)
{
	sp->saved = *p;
#define SET(op) if (p->op) p->op = w_##op
	SET(op_S); SET(op_s); SET(op_F); SET(op_f); SET(op_fstar);
	SET(op_B); SET(op_Bstar); SET(op_b); SET(op_bstar);
	SET(op_BI); SET(op_sh); SET(op_Do_image); SET(op_Do_form);
#undef SET
}

/* One pass of the page's content through the filter; its resources into *res. */
static fz_buffer *run_pass(fz_context *ctx, pdf_document *doc, pdf_obj *contents, pdf_obj *old_res,
			   struct split *sp, pdf_obj **res)
{
	fz_buffer *buf = fz_new_buffer(ctx, 4096);
	pdf_processor *out = NULL, *filt = NULL;
	pdf_obj *new_res = NULL;
	pdf_filter_options fo;
	memset(&fo, 0, sizeof fo);
	fo.opaque = sp;
	fo.text_filter = glyph_event;
	fo.sanitize = 1;
	fz_var(out);
	fz_var(filt);
	fz_var(new_res);
	fz_try(ctx) {
		new_res = pdf_new_dict(ctx, doc, 1);
		out = pdf_new_buffer_processor(ctx, buf, 0);
		filt = pdf_new_filter_processor(ctx, doc, out, old_res, new_res, -1, fz_identity, &fo);
		install(sp, filt);
		sp->event = 0;
		current = sp;
		pdf_process_contents(ctx, filt, doc, old_res, contents, NULL);
		pdf_close_processor(ctx, filt);
		pdf_close_processor(ctx, out);
	}
	fz_always(ctx) {
		current = NULL;
		pdf_drop_processor(ctx, filt);
		pdf_drop_processor(ctx, out);
	}
	fz_catch(ctx) {
		fz_drop_buffer(ctx, buf);
		pdf_drop_obj(ctx, new_res);
		fz_rethrow(ctx);
	}
	*res = new_res;
	return buf;
}

struct run {
	int lo, hi, address;
	char name[32];
};

/* The form of one run: the page's content with only that run drawn. */
static void add_run_form(fz_context *ctx, pdf_document *doc, pdf_obj *contents, pdf_obj *old_res,
			 struct split *sp, struct run *run, int i, fz_rect bbox, pdf_obj *xobjs)
{
	pdf_obj *res = NULL, *dict = NULL;
	fz_buffer *buf = NULL;
	fz_var(res);
	fz_var(dict);
	fz_var(buf);
	fz_try(ctx) {
		sp->lo = run->lo;
		sp->hi = run->hi;
		buf = run_pass(ctx, doc, contents, old_res, sp, &res);
		dict = pdf_new_dict(ctx, doc, 4);
		pdf_dict_put(ctx, dict, PDF_NAME(Type), PDF_NAME(XObject));
		pdf_dict_put(ctx, dict, PDF_NAME(Subtype), PDF_NAME(Form));
		pdf_dict_put_rect(ctx, dict, PDF_NAME(BBox), bbox);
		pdf_dict_put(ctx, dict, PDF_NAME(Resources), res);
		snprintf(run->name, sizeof run->name, FORM_PREFIX "%d", i + 1);
		pdf_dict_puts_drop(ctx, xobjs, run->name, pdf_add_stream(ctx, doc, buf, dict, 0));
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, res);
		pdf_drop_obj(ctx, dict);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* A content stream drawing the runs of class `which` (-1: all, with the rest moved by m). */
static pdf_obj *runs_stream(fz_context *ctx, pdf_document *doc, const struct run *runs, int n, int which,
			    fz_matrix m)
{
	fz_buffer *b = fz_new_buffer(ctx, 256);
	pdf_obj *stm = NULL;
	fz_try(ctx) {
		for (int i = 0; i < n; i++) {
			if (which >= 0 && runs[i].address != which)
				continue;
			if (which < 0 && !runs[i].address)
				fz_append_printf(ctx, b, "q %g %g %g %g %g %g cm /%s Do Q\n", m.a, m.b, m.c, m.d, m.e, m.f,
						 runs[i].name);
			else
				fz_append_printf(ctx, b, "q /%s Do Q\n", runs[i].name);
		}
		stm = pdf_add_stream(ctx, doc, b, NULL, 0);
	}
	fz_always(ctx)
		fz_drop_buffer(ctx, b);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return stm;
}

static void set_contents(fz_context *ctx, pdf_page *page, pdf_obj *stm)
{
	pdf_dict_put(ctx, page->obj, PDF_NAME(Contents), stm);
}

/* ---- measuring ---- */

/* Page 1's allowed regions as Notify enforces them (grown by its slack). */
static void regions(struct mm_rect r[SPEC_N_FIRST_REGIONS])
{
	double s = SPEC_REGION_SLACK_MM;
	for (int i = 0; i < SPEC_N_FIRST_REGIONS; i++) {
		struct spec_rect g = spec_first_page_regions[i];
		r[i] = (struct mm_rect){g.x0 - s, g.y0 - s, g.x1 + s, g.y1 + s};
	}
}

/* How deep p lies inside r (negative: how far outside). */
static double depth(struct mm_rect r, double x, double y)
{
	double dx = fmin(x - r.x0, r.x1 - x), dy = fmin(y - r.y0, r.y1 - y);
	if (dx >= 0 && dy >= 0)
		return fmin(dx, dy);
	double ox = dx < 0 ? -dx : 0, oy = dy < 0 ? -dy : 0;
	return -sqrt(ox * ox + oy * oy);
}

struct ink {
	struct mm_rect box[SPEC_N_FIRST_REGIONS];   /* the marks inside each region */
	int any[SPEC_N_FIRST_REGIONS];
	double out;                                 /* the farthest a mark lies outside them all */
	struct mm_rect out_box;                     /* the marks outside them all */
	int n_out;
	struct mm_rect *piece;                      /* connected marks outside them all (fz_malloc'd) */
	int *region;                                /* the region each piece goes with */
	int n_pieces;
};

static void grow(struct mm_rect *r, int *any, struct mm_rect p)
{
	if (!*any) {
		*r = p;
		*any = 1;
		return;
	}
	r->x0 = fmin(r->x0, p.x0);
	r->y0 = fmin(r->y0, p.y0);
	r->x1 = fmax(r->x1, p.x1);
	r->y1 = fmax(r->y1, p.y1);
}

/* Union-find over the labels of marks outside every region. */
static int find(int *parent, int i)
{
	while (parent[i] != i)
		i = parent[i] = parent[parent[i]];
	return i;
}

/* How far rectangle a lies from rectangle b (0 when they touch or overlap). */
static double apart(struct mm_rect a, struct mm_rect b)
{
	double dx = fmax(0, fmax(b.x0 - a.x1, a.x0 - b.x1)), dy = fmax(0, fmax(b.y0 - a.y1, a.y0 - b.y1));
	return sqrt(dx * dx + dy * dy);
}

/*
 * Every mark (a pixel not white, drawn as check draws) sorted by region:
 * one inside a region goes with the region it lies deepest in; the marks
 * outside them all are taken in connected pieces, each going whole with
 * the region nearest to it (a logo reaching below the logo area stays the
 * logo's, however far it reaches).
 */
static void measure(fz_context *ctx, pdf_page *page, int annots, struct ink *ink)
{
	memset(ink, 0, sizeof *ink);
	struct mm_rect reg[SPEC_N_FIRST_REGIONS];
	regions(reg);
	fz_rect b = fz_bound_page(ctx, &page->super);
	double scale = SPEC_DPI / 72.0;
	fz_matrix ctm = fz_scale((float)scale, (float)scale);
	fz_pixmap *pix = annots ? fz_new_pixmap_from_page(ctx, &page->super, ctm, fz_device_gray(ctx), 0)
				: fz_new_pixmap_from_page_contents(ctx, &page->super, ctm, fz_device_gray(ctx), 0);
	int *label = NULL, *parent = NULL;
	struct mm_rect *piece = NULL;
	char *has = NULL;
	fz_var(has);
	fz_var(label);
	fz_var(parent);
	fz_var(piece);
	fz_try(ctx) {
		int w = fz_pixmap_width(ctx, pix), h = fz_pixmap_height(ctx, pix);
		const unsigned char *s = fz_pixmap_samples(ctx, pix);
		ptrdiff_t stride = fz_pixmap_stride(ctx, pix);
		double px = 25.4 / SPEC_DPI, bx = b.x0 / SPEC_PT_PER_MM, by = b.y0 / SPEC_PT_PER_MM;
		label = fz_calloc(ctx, (size_t)w * h, sizeof *label);   /* 0: no mark outside */
		int n = 0, cap = 256, any_out = 0;
		parent = fz_malloc_array(ctx, cap, int);
		parent[0] = 0;
		for (int y = 0; y < h; y++) {
			const unsigned char *row = s + y * stride;
			for (int x = 0; x < w; x++) {
				if (row[x] == 255)
					continue;
				double cx = (pix->x + x + 0.5) * px - bx, cy = (pix->y + y + 0.5) * px - by;
				/* the pixel, grown by one for the antialiased edge (page.c) */
				struct mm_rect p = {(pix->x + x - 1) * px - bx, (pix->y + y - 1) * px - by,
						    (pix->x + x + 2) * px - bx, (pix->y + y + 2) * px - by};
				int best = 0;
				double bd = -1e9;
				for (int r = 0; r < SPEC_N_FIRST_REGIONS; r++) {
					double d = depth(reg[r], cx, cy);
					if (d > bd) {
						bd = d;
						best = r;
					}
				}
				if (bd >= 0) {
					grow(&ink->box[best], &ink->any[best], p);
					continue;
				}
				ink->out = fmax(ink->out, -bd);
				grow(&ink->out_box, &any_out, p);
				ink->n_out++;
				/* joined with the outside marks left and above it */
				int l = 0;
				const int nb[4][2] = {{-1, 0}, {-1, -1}, {0, -1}, {1, -1}};
				for (int k = 0; k < 4; k++) {
					int nx = x + nb[k][0], ny = y + nb[k][1];
					if (nx < 0 || ny < 0 || nx >= w)
						continue;
					int m = label[(size_t)ny * w + nx];
					if (!m)
						continue;
					m = find(parent, m);
					if (!l)
						l = m;
					else if (m != l) {
						int lo = m < l ? m : l, hi = m < l ? l : m;
						parent[hi] = lo;
						l = lo;
					}
				}
				if (!l) {
					if (++n == cap) {
						cap *= 2;
						parent = fz_realloc_array(ctx, parent, cap, int);
					}
					parent[n] = l = n;
				}
				label[(size_t)y * w + x] = l;
			}
		}
		/* each piece outside, whole, first to its nearest region */
		piece = fz_malloc_array(ctx, n + 1, struct mm_rect);
		has = fz_calloc(ctx, n + 1, 1);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				int l = label[(size_t)y * w + x];
				if (!l)
					continue;
				l = find(parent, l);
				struct mm_rect p = {(pix->x + x - 1) * px - bx, (pix->y + y - 1) * px - by,
						    (pix->x + x + 2) * px - bx, (pix->y + y + 2) * px - by};
				int any = has[l];
				grow(&piece[l], &any, p);
				has[l] = 1;
			}
		ink->piece = fz_malloc_array(ctx, n + 1, struct mm_rect);
		ink->region = fz_malloc_array(ctx, n + 1, int);
		for (int l = 1; l <= n; l++) {
			if (!has[l])
				continue;
			int best = 0;
			for (int r = 1; r < SPEC_N_FIRST_REGIONS; r++)
				if (apart(piece[l], reg[r]) < apart(piece[l], reg[best]))
					best = r;
			ink->piece[ink->n_pieces] = piece[l];
			ink->region[ink->n_pieces++] = best;
		}
	}
	fz_always(ctx) {
		fz_free(ctx, has);
		fz_free(ctx, label);
		fz_free(ctx, parent);
		fz_free(ctx, piece);
		fz_drop_pixmap(ctx, pix);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* ---- fitting ---- */

struct bound {
	int upper;      /* s * v + t <= b; else s * v + t >= b */
	double v, b;
};

/* Four bounds a region's marks make, and four the other words. */
#define MAX_BOUNDS (4 * SPEC_N_FIRST_REGIONS + 4)

struct bounds {
	struct bound x[MAX_BOUNDS], y[MAX_BOUNDS];
	int nx, ny;
};

static void add_bound(struct bounds *bs, int axis_y, int upper, double v, double b)
{
	if (axis_y)
		bs->y[bs->ny++] = (struct bound){upper, v, b};
	else
		bs->x[bs->nx++] = (struct bound){upper, v, b};
}

/* What a fit is made of. */
struct fit {
	struct mm_rect reg[SPEC_N_FIRST_REGIONS];   /* the regions less the inset */
	const struct ink *rest;
	int *region;                                /* the region each piece outside goes with */
	double word[4];                             /* the other words' extremes: above, below, left, right */
	int any_word[4];
	struct mm_rect ra;                          /* the address read area, 0.1 mm grown */
};

static void make_bounds(const struct fit *f, struct bounds *bs)
{
	bs->nx = bs->ny = 0;
	for (int r = 0; r < SPEC_N_FIRST_REGIONS; r++) {
		struct mm_rect box = f->rest->box[r];
		int any = f->rest->any[r];
		for (int i = 0; i < f->rest->n_pieces; i++)
			if (f->region[i] == r)
				grow(&box, &any, f->rest->piece[i]);
		if (!any)
			continue;
		add_bound(bs, 0, 0, box.x0, f->reg[r].x0);
		add_bound(bs, 0, 1, box.x1, f->reg[r].x1);
		add_bound(bs, 1, 0, box.y0, f->reg[r].y0);
		add_bound(bs, 1, 1, box.y1, f->reg[r].y1);
	}
	if (f->any_word[0])
		add_bound(bs, 1, 1, f->word[0], f->ra.y0);
	if (f->any_word[1])
		add_bound(bs, 1, 0, f->word[1], f->ra.y1);
	if (f->any_word[2])
		add_bound(bs, 0, 1, f->word[2], f->ra.x0);
	if (f->any_word[3])
		add_bound(bs, 0, 0, f->word[3], f->ra.x1);
}

/* The scales (0, 1] at which some shift meets every bound of one axis: [*lo, *hi]. */
static void scales(const struct bound *list, int n, double *lo, double *hi)
{
	for (int i = 0; i < n; i++) {
		if (!list[i].upper)
			continue;
		for (int j = 0; j < n; j++) {
			if (list[j].upper)
				continue;
			/* b_i - s v_i >= b_j - s v_j */
			double dv = list[i].v - list[j].v, db = list[i].b - list[j].b;
			if (dv > 1e-12)
				*hi = fmin(*hi, db / dv);
			else if (dv < -1e-12)
				*lo = fmax(*lo, db / dv);
			else if (db < -1e-9)
				*hi = -1;
		}
	}
}

/* The largest scale, at most 1, for which a shift meets every bound; 0 when there is none. */
static double best_scale(const struct fit *f)
{
	struct bounds bs;
	make_bounds(f, &bs);
	double lo = 1e-3, hi = 1;
	scales(bs.x, bs.nx, &lo, &hi);
	scales(bs.y, bs.ny, &lo, &hi);
	return hi >= lo ? hi : 0;
}

/* The shifts meeting every bound at scale s: [*lo, *hi]. */
static void shifts(const struct bound *list, int n, double s, double *lo, double *hi)
{
	*lo = -1e9;
	*hi = 1e9;
	for (int i = 0; i < n; i++) {
		double t = list[i].b - s * list[i].v;
		if (list[i].upper)
			*hi = fmin(*hi, t);
		else
			*lo = fmax(*lo, t);
	}
	if (*lo > *hi)   /* rounding at the largest scale: the bounds meet */
		*lo = *hi = (*lo + *hi) / 2;
}

static double clamp(double t, double lo, double hi)
{
	return t < lo ? lo : t > hi ? hi : t;
}

/* ---- the fixup ---- */

static void say(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(char *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, FIX_NOTE_LEN, fmt, ap);
	va_end(ap);
}

int first_page_fit(fz_context *ctx, pdf_document *doc, pdf_page *page, double min_scale, double *scale_out,
		   char *did, char *why)
{
	fz_rect mediabox;
	fz_matrix ctm;
	pdf_page_transform(ctx, page, &mediabox, &ctm);
	if (!(ctm.b == 0 && ctm.c == 0 && ctm.a > 0 && ctm.d < 0)) {
		say(why, "page 1 is turned (/Rotate): it is not scaled, so that its address stays where Notify reads it");
		return 0;
	}
	struct split sp = {0};
	sp.user_to_page = ctm;
	fz_point *addr = NULL;
	fz_rect *words = NULL;
	struct ink a, rest;
	memset(&a, 0, sizeof a);
	memset(&rest, 0, sizeof rest);
	struct run runs[MAX_RUNS];
	int n_runs = 0, done = 0;
	pdf_obj *contents = pdf_keep_obj(ctx, pdf_page_contents(ctx, page));
	pdf_obj *old_res = pdf_keep_obj(ctx, pdf_page_resources(ctx, page));
	pdf_obj *new_res = NULL, *stm = NULL;
	fz_var(addr);
	fz_var(words);
	fz_var(new_res);
	fz_var(stm);
	fz_var(n_runs);
	fz_var(done);
	fz_var(sp);
	fz_var(a);
	fz_var(rest);
	fz_try(ctx) {
		sp.n_addr = address_origins(ctx, &page->super, &addr);
		sp.addr = addr;
		if (sp.n_addr == 0) {
			say(why, "page 1 has no address text in the window to keep in place (a picture of it?), "
				 "so it is not scaled");
			break;
		}
		/* Pass 0: which glyph or paint is the address's. */
		sp.recording = 1;
		pdf_obj *r0 = NULL;
		fz_drop_buffer(ctx, run_pass(ctx, doc, contents, old_res, &sp, &r0));
		pdf_drop_obj(ctx, r0);
		sp.recording = 0;
		int any_address = 0;
		for (int e = 0; e < sp.n_cls; e++) {
			if (sp.cls[e])
				any_address = 1;
			if (n_runs == 0 || runs[n_runs - 1].address != sp.cls[e]) {
				if (n_runs == MAX_RUNS) {
					say(why, "page 1's address is drawn in more than %d pieces between the rest of "
						 "the page's content: it is not split to be kept in place", MAX_RUNS / 2);
					n_runs = -1;
					break;
				}
				runs[n_runs++] = (struct run){e, e + 1, sp.cls[e], ""};
			} else {
				runs[n_runs - 1].hi = e + 1;
			}
		}
		if (n_runs < 0)
			break;
		if (!any_address) {
			say(why, "page 1's address text is not drawn by the page's own content (inside a form?), so it "
				 "is not kept in place: the page is not scaled");
			break;
		}
		/* Each run a form: the content with only that run drawn. */
		fz_rect bbox = fz_transform_rect(fz_bound_page(ctx, &page->super), fz_invert_matrix(ctm));
		new_res = old_res ? pdf_copy_dict(ctx, old_res) : pdf_new_dict(ctx, doc, 1);
		pdf_obj *xobjs = pdf_dict_get(ctx, new_res, PDF_NAME(XObject));
		xobjs = xobjs ? pdf_copy_dict(ctx, xobjs) : pdf_new_dict(ctx, doc, n_runs);
		pdf_dict_put_drop(ctx, new_res, PDF_NAME(XObject), xobjs);
		for (int i = 0; i < n_runs; i++)
			add_run_form(ctx, doc, contents, old_res, &sp, &runs[i], i, bbox, xobjs);
		pdf_dict_put(ctx, page->obj, PDF_NAME(Resources), new_res);

		/* The address alone: it must lie inside the regions already. */
		stm = runs_stream(ctx, doc, runs, n_runs, 1, fz_identity);
		set_contents(ctx, page, stm);
		pdf_drop_obj(ctx, stm);
		stm = NULL;
		measure(ctx, page, 0, &a);
		if (a.n_out) {
			say(why, "page 1's address (the words Notify reads from the window) reaches outside the address "
				 "window, at x %.1f-%.1f mm, y %.1f-%.1f mm; it is kept where it is, so scaling the "
				 "rest of the page cannot fix this", a.out_box.x0, a.out_box.x1, a.out_box.y0, a.out_box.y1);
			break;
		}
		/* The rest, unmoved: its marks and words. */
		stm = runs_stream(ctx, doc, runs, n_runs, 0, fz_identity);
		set_contents(ctx, page, stm);
		pdf_drop_obj(ctx, stm);
		stm = NULL;
		measure(ctx, page, 1, &rest);
		int n_words = other_word_boxes(ctx, &page->super, &words);

		struct fit f;
		memset(&f, 0, sizeof f);
		regions(f.reg);
		for (int r = 0; r < SPEC_N_FIRST_REGIONS; r++)
			f.reg[r] = (struct mm_rect){f.reg[r].x0 + FIX_INSET_MM, f.reg[r].y0 + FIX_INSET_MM,
						    f.reg[r].x1 - FIX_INSET_MM, f.reg[r].y1 - FIX_INSET_MM};
		f.rest = &rest;
		f.region = rest.region;
		/* Every other word stays on its side of the read area (0.1 mm off it): the
		 * side it is farthest out on. */
		fz_rect pb = fz_bound_page(ctx, &page->super);
		fz_rect ra = address_read_box(ctx, &page->super);
		const double off = 0.1;
		f.ra = (struct mm_rect){(ra.x0 - pb.x0) / SPEC_PT_PER_MM - off, (ra.y0 - pb.y0) / SPEC_PT_PER_MM - off,
					(ra.x1 - pb.x0) / SPEC_PT_PER_MM + off, (ra.y1 - pb.y0) / SPEC_PT_PER_MM + off};
		for (int i = 0; i < n_words; i++) {
			struct mm_rect W = {(words[i].x0 - pb.x0) / SPEC_PT_PER_MM, (words[i].y0 - pb.y0) / SPEC_PT_PER_MM,
					    (words[i].x1 - pb.x0) / SPEC_PT_PER_MM, (words[i].y1 - pb.y0) / SPEC_PT_PER_MM};
			double gap[4] = {f.ra.y0 - W.y1, W.y0 - f.ra.y1, f.ra.x0 - W.x1, W.x0 - f.ra.x1};
			double v[4] = {W.y1, W.y0, W.x1, W.x0};
			int side = 0;
			for (int k = 1; k < 4; k++)
				if (gap[k] > gap[side])
					side = k;
			/* the one farthest towards the area is the bound */
			int nearer = side % 2 == 0 ? v[side] > f.word[side] : v[side] < f.word[side];
			if (!f.any_word[side] || nearer)
				f.word[side] = v[side];
			f.any_word[side] = 1;
		}

		/* The largest scale with a shift meeting every bound; then each piece
		 * outside the regions tried with another region, kept there when that
		 * lets the scale be larger (a mark between two regions may go to either). */
		double s = best_scale(&f);
		for (int pass = 0; pass < 3 && s < 1; pass++) {
			int better = 0;
			for (int i = 0; i < rest.n_pieces; i++) {
				int was = rest.region[i];
				for (int r = 0; r < SPEC_N_FIRST_REGIONS; r++) {
					if (r == rest.region[i])
						continue;
					int before = rest.region[i];
					rest.region[i] = r;
					double t = best_scale(&f);
					if (t > s + 1e-6)
						s = t;
					else
						rest.region[i] = before;
				}
				better |= rest.region[i] != was;
			}
			if (!better)
				break;
		}
		struct bounds bs;
		make_bounds(&f, &bs);
		double xlo = 0, xhi = 0, ylo = 0, yhi = 0;
		if (s > 0) {
			shifts(bs.x, bs.nx, s, &xlo, &xhi);
			shifts(bs.y, bs.ny, s, &ylo, &yhi);
		}
		double w_mm = (pb.x1 - pb.x0) / SPEC_PT_PER_MM, h_mm = (pb.y1 - pb.y0) / SPEC_PT_PER_MM;
		if (s == 0) {
			say(why, "page 1's marks reach %.1f mm outside its allowed regions (x %.1f-%.1f mm, y %.1f-%.1f "
				 "mm), and no scale about any point fits them around the address, which stays where "
				 "it is", rest.out, rest.out_box.x0, rest.out_box.x1, rest.out_box.y0, rest.out_box.y1);
			break;
		}
		if (s * *scale_out < min_scale - 1e-9) {
			say(why, "page 1's marks reach %.1f mm outside its allowed regions (x %.1f-%.1f mm, y %.1f-%.1f "
				 "mm): fitting them around the address, which stays where it is, needs scale %.3f%s, "
				 "below --min-scale %.3f", rest.out, rest.out_box.x0, rest.out_box.x1, rest.out_box.y0,
			    rest.out_box.y1, floor(s * *scale_out * 1000) / 1000, *scale_out < 1 ? " in all" : "",
			    min_scale);
			break;
		}
		double tx = clamp((1 - s) * w_mm / 2, xlo, xhi), ty = clamp((1 - s) * h_mm / 2, ylo, yhi);
		if (s == 1 && fabs(tx) < 1e-6 && fabs(ty) < 1e-6) {
			say(why, "page 1: drawn at check's resolution, nothing but the address lies outside the "
				 "page's regions (the marks check finds there are too faint or thin to draw), so there "
				 "is nothing to scale");
			break;
		}
		/* printed mm -> user space, as page_transform does */
		fz_matrix d = fz_concat(fz_scale((float)s, (float)s),
					fz_translate((float)(tx * SPEC_PT_PER_MM), (float)(ty * SPEC_PT_PER_MM)));
		fz_matrix u = page_user_to_printed(ctx, page);
		fz_matrix m = fz_concat(fz_concat(u, d), fz_invert_matrix(u));
		stm = runs_stream(ctx, doc, runs, n_runs, -1, m);
		set_contents(ctx, page, stm);
		page_move_annots(ctx, page, m, fz_transform_rect(ra, fz_invert_matrix(ctm)));
		*scale_out *= s;
		double px = s < 1 ? tx / (1 - s) : 0, py = s < 1 ? ty / (1 - s) : 0;
		if (s < 1 && px >= -w_mm && px <= 2 * w_mm && py >= -h_mm && py <= 2 * h_mm)
			say(did, "scale %.3f about (%.1f, %.1f) mm but for the address, kept where it was", s, px, py);
		else if (s < 1)   /* a point off the page: nearly a move */
			say(did, "scale %.3f about the top-left corner and moved by (%.1f, %.1f) mm but for the "
				 "address, kept where it was", s, tx, ty);
		else
			say(did, "moved by (%.1f, %.1f) mm but for the address, kept where it was", tx, ty);
		done = 1;
	}
	fz_always(ctx) {
		if (!done) {
			/* left as it was */
			pdf_dict_put(ctx, page->obj, PDF_NAME(Contents), contents);
			if (old_res)
				pdf_dict_put(ctx, page->obj, PDF_NAME(Resources), old_res);
		}
		pdf_drop_obj(ctx, stm);
		pdf_drop_obj(ctx, new_res);
		pdf_drop_obj(ctx, contents);
		pdf_drop_obj(ctx, old_res);
		fz_free(ctx, addr);
		fz_free(ctx, words);
		fz_free(ctx, sp.cls);
		fz_free(ctx, a.piece);
		fz_free(ctx, a.region);
		fz_free(ctx, rest.piece);
		fz_free(ctx, rest.region);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return done;
}
