/*
 * mkspecimens: writes letterkit's own specimen letters, one PDF per
 * property, with MuPDF's PDF writer and hand-made content streams, so that
 * every mark sits exactly where the property needs it.
 *
 * usage: mkspecimens OUTDIR STAMP
 *        (makes OUTDIR, writes the PDFs, then STAMP, for the build system)
 *        mkspecimens --random OUTDIR COUNT SEED
 *        (COUNT random letters whose marks hug the boundaries, for the
 *        test that the fast path agrees with the full raster rule)
 *
 * Positions are given in millimetres from the top left of the page as
 * printed; page_point() maps them into the PDF's own user space for any
 * MediaBox and /Rotate. specimens/index.tsv lists each file's expected verdict.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#define PT(mm) ((mm) * 72.0 / 25.4)
#define A4W 595.276
#define A4H 841.89

struct page {
	double w, h;          /* MediaBox size in points (unrotated) */
	int rotate;
	double crop[4];       /* CropBox in user space; all zero for none */
	fz_buffer *content;
};

struct doc {
	fz_context *ctx;
	struct page pages[16];
	int n;
	int image;            /* add an image XObject /Im1 to the resources */
};

static struct page *add_page(struct doc *d, double w, double h, int rotate)
{
	struct page *p = &d->pages[d->n++];
	memset(p, 0, sizeof *p);
	p->w = w;
	p->h = h;
	p->rotate = rotate;
	p->content = fz_new_buffer(d->ctx, 1024);
	return p;
}

static struct page *a4(struct doc *d)
{
	return add_page(d, A4W, A4H, 0);
}

/* Printed position (mm from the top left, after /Rotate) to user space. */
static void page_point(const struct page *p, double x_mm, double y_mm, double *ux, double *uy)
{
	double dx = PT(x_mm), dy = PT(y_mm);
	switch (p->rotate) {
	case 90: *ux = dy; *uy = dx; break;
	case 180: *ux = p->w - dx; *uy = dy; break;
	case 270: *ux = p->w - dy; *uy = p->h - dx; break;
	default: *ux = dx; *uy = p->h - dy; break;
	}
}

static void emit(struct doc *d, struct page *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fz_append_vprintf(d->ctx, p->content, fmt, ap);
	va_end(ap);
}

/* A filled box from (x0, y0) to (x1, y1) mm, in grey (0 black, 1 white). */
static void box(struct doc *d, struct page *p, double x0, double y0, double x1, double y1, double grey)
{
	double ax, ay, bx, by;
	page_point(p, x0, y0, &ax, &ay);
	page_point(p, x1, y1, &bx, &by);
	double lx = ax < bx ? ax : bx, ly = ay < by ? ay : by;
	emit(d, p, "%g g %.4f %.4f %.4f %.4f re f\n", grey,
	     lx, ly, (ax < bx ? bx - ax : ax - bx), (ay < by ? by - ay : ay - by));
}

/* One line of Helvetica text, baseline at (x, y) mm, upright as printed. */
static void text(struct doc *d, struct page *p, double x, double y, double size, double grey,
		 const char *s)
{
	static const int tm[4][4] = {{1, 0, 0, 1}, {0, 1, -1, 0}, {-1, 0, 0, -1}, {0, -1, 1, 0}};
	const int *m = tm[(p->rotate / 90) & 3];
	double ux, uy;
	page_point(p, x, y, &ux, &uy);
	emit(d, p, "BT /F1 %g Tf %g g %d %d %d %d %.4f %.4f Tm (%s) Tj ET\n", size, grey,
	     m[0], m[1], m[2], m[3], ux, uy, s);
}

/* The address block and the rest of a plain, valid first page. */
static void first_page_content(struct doc *d, struct page *p, const char *const *address)
{
	box(d, p, 15, 5, 50, 25, 0.3);   /* logo */
	text(d, p, 130, 15, 9, 0, "Department of Examples");
	text(d, p, 130, 20, 9, 0, "PO Box 1234, Exampletown");
	for (int i = 0; address[i]; i++)
		text(d, p, 26, 45 + 4.5 * i, 10, 0, address[i]);
	text(d, p, 20, 105, 11, 0, "Dear Ms Example,");
	text(d, p, 20, 115, 11, 0, "This letter is laid out to the precompiled letter specification.");
	text(d, p, 20, 280, 9, 0, "Page 1");
}

static const char *const good_address[] = {"Ms A Example", "1 Example Street", "Exampletown",
					   "SW1A 1AA", NULL};

static void later_page_content(struct doc *d, struct page *p, int n)
{
	char line[64];
	snprintf(line, sizeof line, "Page %d", n);
	text(d, p, 20, 20, 11, 0, "More of the letter, inside the body of a later page.");
	text(d, p, 20, 280, 9, 0, line);
}

/* A letter of n pages, every one valid. */
static void valid_letter(struct doc *d, int n)
{
	first_page_content(d, a4(d), good_address);
	for (int i = 2; i <= n; i++)
		later_page_content(d, a4(d), i);
}

static pdf_obj *font_resources(fz_context *ctx, pdf_document *doc, int image)
{
	pdf_obj *res = pdf_new_dict(ctx, doc, 2);
	pdf_obj *fonts = pdf_dict_put_dict(ctx, res, PDF_NAME(Font), 1);
	pdf_obj *f1 = pdf_new_dict(ctx, doc, 4);
	pdf_dict_put(ctx, f1, PDF_NAME(Type), PDF_NAME(Font));
	pdf_dict_put(ctx, f1, PDF_NAME(Subtype), PDF_NAME(Type1));
	pdf_dict_put_name(ctx, f1, PDF_NAME(BaseFont), "Helvetica");
	pdf_dict_put(ctx, f1, PDF_NAME(Encoding), PDF_NAME(WinAnsiEncoding));
	pdf_dict_puts_drop(ctx, fonts, "F1", f1);
	if (image) {
		/* A 4 x 4 grey gradient, enough to be an image without a file. */
		unsigned char px[16];
		for (int i = 0; i < 16; i++)
			px[i] = (unsigned char)(i * 12);
		fz_pixmap *pix = fz_new_pixmap_with_data(ctx, fz_device_gray(ctx), 4, 4, NULL, 0, 4, px);
		fz_image *img = fz_new_image_from_pixmap(ctx, pix, NULL);
		pdf_obj *xobj = pdf_dict_put_dict(ctx, res, PDF_NAME(XObject), 1);
		pdf_dict_puts_drop(ctx, xobj, "Im1", pdf_add_image(ctx, doc, img));
		fz_drop_image(ctx, img);
		fz_drop_pixmap(ctx, pix);
	}
	return res;
}

/* Writes the document; `encrypt` is 0 or a PDF_ENCRYPT_* method. */
static void save(struct doc *d, const char *dir, const char *name, int encrypt,
		 const char *user_pw)
{
	fz_context *ctx = d->ctx;
	pdf_document *doc = pdf_create_document(ctx);
	pdf_obj *res = font_resources(ctx, doc, d->image);
	for (int i = 0; i < d->n; i++) {
		struct page *p = &d->pages[i];
		pdf_obj *page = pdf_add_page(ctx, doc, fz_make_rect(0, 0, p->w, p->h), p->rotate, res, p->content);
		if (p->crop[2] > 0) {
			pdf_obj *crop = pdf_new_array(ctx, doc, 4);
			for (int k = 0; k < 4; k++)
				pdf_array_push_real(ctx, crop, p->crop[k]);
			pdf_dict_put_drop(ctx, page, PDF_NAME(CropBox), crop);
		}
		pdf_insert_page(ctx, doc, -1, page);
		pdf_drop_obj(ctx, page);
		fz_drop_buffer(ctx, p->content);
	}
	pdf_drop_obj(ctx, res);
	pdf_write_options opts = pdf_default_write_options;
	opts.do_compress = 1;
	if (encrypt) {
		opts.do_encrypt = encrypt;
		opts.permissions = -1;
		snprintf(opts.opwd_utf8, sizeof opts.opwd_utf8, "owner-secret");
		snprintf(opts.upwd_utf8, sizeof opts.upwd_utf8, "%s", user_pw);
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	pdf_save_document(ctx, doc, path, &opts);
	pdf_drop_document(ctx, doc);
	d->n = 0;
	d->image = 0;
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "mkspecimens: cannot write %s\n", path);
		exit(1);
	}
}

/* A copy of `from` cut to its first half: a truncated upload. */
static void truncate_copy(const char *dir, const char *from, const char *to)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, from);
	FILE *f = fopen(path, "rb");
	static unsigned char buf[1 << 20];
	size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
	if (f)
		fclose(f);
	if (n == 0) {
		fprintf(stderr, "mkspecimens: cannot read %s\n", path);
		exit(1);
	}
	write_file(dir, to, buf, n / 2);
}

static void make_all(fz_context *ctx, const char *dir)
{
	struct doc d = {ctx};
	struct page *p;

	valid_letter(&d, 1); save(&d, dir, "valid-1-page.pdf", 0, NULL);
	valid_letter(&d, 4); save(&d, dir, "valid-4-pages.pdf", 0, NULL);
	valid_letter(&d, 10); save(&d, dir, "valid-10-pages.pdf", 0, NULL);
	valid_letter(&d, 11); save(&d, dir, "too-long-11-pages.pdf", 0, NULL);

	/* Page size and orientation. */
	p = add_page(&d, 612, 792, 0); first_page_content(&d, p, good_address);
	save(&d, dir, "not-a4-us-letter.pdf", 0, NULL);
	p = add_page(&d, A4H, A4W, 0); text(&d, p, 20, 105, 11, 0, "Landscape, not rotated");
	save(&d, dir, "not-a4-landscape-unrotated.pdf", 0, NULL);
	p = add_page(&d, A4W, A4H, 90); text(&d, p, 20, 105, 11, 0, "Portrait MediaBox turned by /Rotate 90");
	save(&d, dir, "not-a4-portrait-rotated-90.pdf", 0, NULL);
	first_page_content(&d, a4(&d), good_address);
	p = add_page(&d, PT(148), PT(210), 0); text(&d, p, 20, 20, 11, 0, "An A5 page");
	later_page_content(&d, a4(&d), 3);
	save(&d, dir, "not-a4-page-2-a5.pdf", 0, NULL);
	p = add_page(&d, PT(211.9), PT(298.9), 0); first_page_content(&d, p, good_address);
	save(&d, dir, "a4-within-2mm-tolerance.pdf", 0, NULL);
	p = add_page(&d, PT(212.5), PT(297), 0); first_page_content(&d, p, good_address);
	save(&d, dir, "not-a4-2.5mm-too-wide.pdf", 0, NULL);

	/* Rotation: judged as printed. */
	static const int rotations[] = {90, 180, 270};
	for (int r = 0; r < 3; r++) {
		int rot = rotations[r];
		int landscape = rot != 180;
		char name[64];
		p = add_page(&d, landscape ? A4H : A4W, landscape ? A4W : A4H, rot);
		first_page_content(&d, p, good_address);
		p = add_page(&d, landscape ? A4H : A4W, landscape ? A4W : A4H, rot);
		later_page_content(&d, p, 2);
		snprintf(name, sizeof name, "rotated-%d-valid.pdf", rot);
		save(&d, dir, name, 0, NULL);
		p = add_page(&d, landscape ? A4H : A4W, landscape ? A4W : A4H, rot);
		first_page_content(&d, p, good_address);
		box(&d, p, 3, 150, 10, 160, 0);   /* in the printed left margin */
		snprintf(name, sizeof name, "rotated-%d-content-in-left-margin.pdf", rot);
		save(&d, dir, name, 0, NULL);
	}

	/* The printable area's edges: exactly on them, on the 1 mm slack, past it. */
	p = a4(&d); first_page_content(&d, p, good_address);
	box(&d, p, 15, 200, 20, 205, 0); box(&d, p, 190, 200, 195, 205, 0);
	box(&d, p, 100, 287, 105, 292, 0); box(&d, p, 100, 95, 105, 100, 0);
	box(&d, p, 15, 5, 20, 10, 0); box(&d, p, 190, 5, 195, 10, 0);
	box(&d, p, 24.6, 39.5, 30, 41, 0); box(&d, p, 115, 64, 120, 66.3, 0);
	p = a4(&d); box(&d, p, 15, 5, 20, 10, 0); box(&d, p, 190, 287, 195, 292, 0);
	save(&d, dir, "edges-exactly-on-boundaries.pdf", 0, NULL);
	p = a4(&d); first_page_content(&d, p, good_address);
	box(&d, p, 14, 200, 20, 205, 0); box(&d, p, 190, 200, 196, 205, 0);
	box(&d, p, 100, 287, 105, 293, 0); box(&d, p, 14, 4, 20, 10, 0);
	p = a4(&d); box(&d, p, 14, 4, 20, 10, 0); box(&d, p, 190, 287, 196, 293, 0);
	save(&d, dir, "edges-on-the-1mm-slack.pdf", 0, NULL);
	static const struct { const char *name; double x0, y0, x1, y1; int page; } past[] = {
		{"outside-left-margin-by-1mm.pdf", 13, 200, 20, 205, 1},
		{"outside-right-margin-by-1mm.pdf", 190, 200, 197, 205, 1},
		{"outside-bottom-margin-by-1mm.pdf", 100, 287, 105, 294, 2},
		{"outside-top-margin-by-1mm.pdf", 100, 3, 105, 10, 2},
		{"outside-left-of-address-window.pdf", 16, 50, 21, 55, 1},
		{"outside-below-address-window.pdf", 40, 70, 60, 80, 1},
		{"outside-between-logo-and-window.pdf", 40, 32, 60, 36, 1},
		{"outside-right-margin-by-0.3mm.pdf", 190, 120, 196.3, 125, 1},
	};
	for (size_t i = 0; i < sizeof past / sizeof past[0]; i++) {
		p = a4(&d); first_page_content(&d, p, good_address);
		struct page *p2 = a4(&d); later_page_content(&d, p2, 2);
		box(&d, past[i].page == 1 ? p : p2, past[i].x0, past[i].y0, past[i].x1, past[i].y1, 0);
		save(&d, dir, past[i].name, 0, NULL);
	}
	valid_letter(&d, 3);
	box(&d, &d.pages[0], 2, 200, 8, 210, 0);
	box(&d, &d.pages[2], 198, 100, 205, 110, 0);
	save(&d, dir, "outside-on-pages-1-and-3.pdf", 0, NULL);
	p = a4(&d); first_page_content(&d, p, good_address);
	box(&d, p, 100, 200, 105, 205, 0.995);   /* very light grey is still a mark */
	box(&d, p, 2, 200, 8, 205, 0.98);
	save(&d, dir, "outside-light-grey-mark.pdf", 0, NULL);

	/* What is not content: white marks, marks painted over, clipped away. */
	p = a4(&d); first_page_content(&d, p, good_address);
	box(&d, p, 0, 0, 210, 297, 1);
	emit(&d, p, "0 0 0 rg\n");
	text(&d, p, 20, 105, 11, 0, "Text over a white page-sized box");
	text(&d, p, 2, 150, 11, 1, "white text in the left margin");
	box(&d, p, 198, 10, 208, 290, 1);
	save(&d, dir, "white-content-outside.pdf", 0, NULL);
	p = a4(&d); first_page_content(&d, p, good_address);
	box(&d, p, 3, 150, 10, 160, 0);
	box(&d, p, 2, 149, 11, 161, 1);
	save(&d, dir, "black-mark-painted-over-white.pdf", 0, NULL);
	p = a4(&d); first_page_content(&d, p, good_address);
	emit(&d, p, "q %.3f %.3f %.3f %.3f re W n\n", PT(20), A4H - PT(250), PT(150), PT(150));
	box(&d, p, 0, 0, 210, 297, 0);
	emit(&d, p, "Q\n");
	save(&d, dir, "page-sized-box-clipped-to-body.pdf", 0, NULL);
	p = a4(&d); first_page_content(&d, p, good_address);
	d.image = 1;
	emit(&d, p, "q %.3f 0 0 %.3f %.3f %.3f cm /Im1 Do Q\n", PT(60), PT(40), PT(40), A4H - PT(200));
	save(&d, dir, "image-inside-body.pdf", 0, NULL);
	p = a4(&d); first_page_content(&d, p, good_address);
	d.image = 1;
	emit(&d, p, "q %.3f 0 0 %.3f %.3f %.3f cm /Im1 Do Q\n", PT(60), PT(40), PT(160), A4H - PT(200));
	save(&d, dir, "image-over-right-margin.pdf", 0, NULL);

	/* CropBox smaller than the MediaBox: only the visible part is judged. */
	p = a4(&d); first_page_content(&d, p, good_address);
	box(&d, p, 2, 200, 6, 210, 0);   /* hidden by the CropBox */
	p->crop[0] = PT(10); p->crop[1] = PT(10); p->crop[2] = A4W - PT(10); p->crop[3] = A4H - PT(10);
	save(&d, dir, "cropbox-hides-margin-content.pdf", 0, NULL);
	p = a4(&d); first_page_content(&d, p, good_address);
	box(&d, p, 11, 200, 13, 210, 0);   /* inside the CropBox, in the margin */
	p->crop[0] = PT(10); p->crop[1] = PT(10); p->crop[2] = A4W - PT(10); p->crop[3] = A4H - PT(10);
	save(&d, dir, "cropbox-shows-margin-content.pdf", 0, NULL);

	/* The NOTIFY tag: white, 6 pt, 1.8 mm from the top left. */
	valid_letter(&d, 3);
	text(&d, &d.pages[0], 1.8, 3.9, 6, 1, "NOTIFY");
	save(&d, dir, "notify-tag-on-page-1.pdf", 0, NULL);
	valid_letter(&d, 3);
	text(&d, &d.pages[0], 1.8, 3.9, 6, 1, "NOTIFY");
	text(&d, &d.pages[2], 1.8, 3.9, 6, 1, "NOTIFY");
	save(&d, dir, "notify-tag-on-page-3.pdf", 0, NULL);
	valid_letter(&d, 2);
	text(&d, &d.pages[1], 1.8, 3.9, 6, 1, "NOTIFYING");
	save(&d, dir, "notify-tag-longer-word-page-2.pdf", 0, NULL);

	/* Attachments: no address page. */
	p = a4(&d); text(&d, p, 20, 35, 11, 0, "An attachment: its first page is a later page");
	later_page_content(&d, a4(&d), 2);
	save(&d, dir, "attachment-text-at-top-of-page-1.pdf", 0, NULL);
	p = a4(&d); text(&d, p, 1.8, 3.9, 6, 1, "NOTIFY"); text(&d, p, 20, 20, 11, 0, "Attachment");
	save(&d, dir, "attachment-notify-tag-on-page-1.pdf", 0, NULL);

	/* The recipient address (LETTER-SPEC section 5), one letter per rule. */
	static const struct { const char *name; const char *lines[9]; } addresses[] = {
		{"address-empty.pdf", {NULL}},
		{"address-not-enough-lines.pdf", {"Ms A Example", "SW1A 1AA", NULL}},
		{"address-too-many-lines.pdf", {"Ms A Example", "Flat 1", "Example House", "1 Example Street",
						"Exampleton", "Exampleshire", "Example Region", "SW1A 1AA", NULL}},
		{"address-invalid-line-1.pdf", {"***", "1 Example Street", "SW1A 1AA", NULL}},
		{"address-bfpo-with-country.pdf", {"Sgt A Example", "Unit 1", "BFPO 105", "France", NULL}},
		{"address-not-a-real-postcode.pdf", {"Ms A Example", "1 Example Street", "Exampleton", "ZZ1 1ZZ", NULL}},
		{"address-international-not-allowed.pdf", {"Mme A Exemple", "1 Rue Exemple", "75001 Paris", "France", NULL}},
		{"address-unknown-country.pdf", {"Ms A Example", "1 Example Street", "Exampleton", "Narnia", NULL}},
		{"address-invalid-first-character.pdf", {"Ms A Example", "(Flat 2)", "1 Example Street", "SW1A 1AA", NULL}},
		{"address-no-fixed-abode.pdf", {"Mr A Example", "No fixed abode", "Exampleton", "SW1A 1AA", NULL}},
		{"address-bfpo-valid.pdf", {"Sgt A Example", "Unit 1", "BFPO 105", NULL}},
		{"address-uk-country-line-dropped.pdf", {"Ms A Example", "1 Example Street", "Exampleton",
							 "SW1A 1AA", "United Kingdom", NULL}},
	};
	for (size_t i = 0; i < sizeof addresses / sizeof addresses[0]; i++) {
		p = a4(&d);
		int n = 0;
		while (addresses[i].lines[n])
			n++;
		if (n > 7) {   /* eight lines only fit the window at 8 pt */
			for (int k = 0; k < n; k++)
				text(&d, p, 26, 43 + 3.1 * k, 8, 0, addresses[i].lines[k]);
			text(&d, p, 20, 105, 11, 0, "Dear Ms Example,");
		} else {
			first_page_content(&d, p, addresses[i].lines);
		}
		save(&d, dir, addresses[i].name, 0, NULL);
	}

	/* Addresses drawn in odd orders still read as Notify reads them. */
	p = a4(&d);   /* the body first, the address last, its lines bottom up */
	text(&d, p, 20, 105, 11, 0, "The body is drawn before the address.");
	for (int k = 3; k >= 0; k--)
		text(&d, p, 26, 45 + 4.5 * k, 10, 0, good_address[k]);
	save(&d, dir, "address-lines-drawn-bottom-up.pdf", 0, NULL);
	p = a4(&d);   /* the body and the sender's block first, the address last */
	text(&d, p, 20, 105, 11, 0, "The body is drawn before the address.");
	text(&d, p, 130, 15, 9, 0, "Department of Examples");
	for (int k = 0; k < 4; k++)
		text(&d, p, 26, 45 + 4.5 * k, 10, 0, good_address[k]);
	save(&d, dir, "address-drawn-after-the-body.pdf", 0, NULL);
	p = a4(&d);   /* every word placed on its own */
	{
		static const struct { double x, y; const char *w; } words[] = {
			{26, 45, "Ms"}, {32, 45, "A"}, {36, 45, "Example"}, {26, 49.5, "1"}, {29, 49.5, "Example"},
			{45, 49.5, "Street"}, {26, 54, "Exampletown"}, {26, 58.5, "SW1A"}, {37, 58.5, "1AA"},
		};
		for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
			text(&d, p, words[k].x, words[k].y, 10, 0, words[k].w);
	}
	text(&d, p, 20, 105, 11, 0, "Each word of the address is placed on its own.");
	save(&d, dir, "address-words-placed-one-by-one.pdf", 0, NULL);
	p = a4(&d);   /* a wide gap inside the first line */
	text(&d, p, 26, 45, 10, 0, "Ms A Example");
	text(&d, p, 90, 45, 10, 0, "Ref 12345");
	for (int k = 1; k < 4; k++)
		text(&d, p, 26, 45 + 4.5 * k, 10, 0, good_address[k]);
	text(&d, p, 20, 105, 11, 0, "The first line has a wide gap in it.");
	save(&d, dir, "address-wide-gap-in-a-line.pdf", 0, NULL);

	/* Files Notify cannot read. */
	valid_letter(&d, 1); save(&d, dir, "encrypted-user-password.pdf", PDF_ENCRYPT_AES_256, "letter");
	valid_letter(&d, 1); save(&d, dir, "encrypted-owner-password-only.pdf", PDF_ENCRYPT_AES_128, "");
	valid_letter(&d, 2); save(&d, dir, "to-truncate.pdf", 0, NULL);
	truncate_copy(dir, "to-truncate.pdf", "truncated.pdf");
	char path[4096];
	snprintf(path, sizeof path, "%s/to-truncate.pdf", dir);
	remove(path);
	static const char text_file[] = "Dear Sir, this is a text file called .pdf\n";
	write_file(dir, "not-a-pdf.pdf", text_file, sizeof text_file - 1);
	write_file(dir, "empty.pdf", "", 0);
}

/* A small deterministic generator, the same on every machine. */
static unsigned long long rng_state;

static double uniform(double lo, double hi)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return lo + (hi - lo) * (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Where marks are most likely to be judged wrongly: every boundary of the
 * allowed regions, and 1 mm beyond it (the slack). */
static const double edges_x[] = {15, 195, 125, 24.6, 120, 14, 196, 123.6, 121, 0, 210};
static const double edges_y[] = {5, 292, 95, 30, 39.5, 66.3, 4, 293, 94, 31, 38.5, 67.3, 0, 297};

static double near_edge(const double *edges, size_t n)
{
	return edges[(size_t)uniform(0, (double)n)] + uniform(-2.5, 2.5);
}

static void random_mark(struct doc *d, struct page *p)
{
	static const double greys[] = {0, 0, 0.5, 0.98, 0.998, 1};
	double grey = greys[(int)uniform(0, 6)];
	double x = near_edge(edges_x, sizeof edges_x / sizeof *edges_x);
	double y = near_edge(edges_y, sizeof edges_y / sizeof *edges_y);
	double w = uniform(0.05, 6), h = uniform(0.05, 6);
	switch ((int)uniform(0, 5)) {
	case 0:
		text(d, p, x, y, uniform(4, 14), grey, "Mark");
		break;
	case 1:   /* a mark, then white paint over part or all of it */
		box(d, p, x, y, x + w, y + h, grey);
		box(d, p, x + uniform(-1, 1), y + uniform(-1, 1), x + w + uniform(-1, 1), y + h + uniform(-1, 1), 1);
		break;
	case 2: { /* a big box clipped near a boundary */
		double cx, cy;
		page_point(p, x, y, &cx, &cy);
		emit(d, p, "q %.4f %.4f %.4f %.4f re W n\n", cx, cy, PT(w), PT(h));
		box(d, p, x - 20, y - 20, x + 20, y + 20, grey);
		emit(d, p, "Q\n");
		break;
	}
	default:
		box(d, p, x, y, x + w, y + h, grey);
		break;
	}
}

static void make_random(fz_context *ctx, const char *dir, int count)
{
	static const int rotations[] = {0, 0, 0, 90, 180, 270};
	struct doc d = {ctx};
	for (int i = 0; i < count; i++) {
		int n_pages = (int)uniform(1, 3.999);
		int rot = rotations[(int)uniform(0, 6)];
		int landscape = rot == 90 || rot == 270;
		for (int k = 0; k < n_pages; k++) {
			struct page *p = add_page(&d, landscape ? A4H : A4W, landscape ? A4W : A4H, rot);
			if (k == 0)
				first_page_content(&d, p, good_address);
			int marks = (int)uniform(0, 4);
			for (int m = 0; m < marks; m++)
				random_mark(&d, p);
		}
		char name[64];
		snprintf(name, sizeof name, "random-%04d.pdf", i);
		save(&d, dir, name, 0, NULL);
	}
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "--random") == 0) {
		rng_state = strtoull(argv[4], NULL, 10);
		mkdir(argv[2], 0755);
		fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
		if (!ctx)
			return 2;
		int rc = 0;
		fz_var(rc);
		fz_try(ctx)
			make_random(ctx, argv[2], (int)strtol(argv[3], NULL, 10));
		fz_catch(ctx) {
			fprintf(stderr, "mkspecimens: %s\n", fz_caught_message(ctx));
			rc = 1;
		}
		fz_drop_context(ctx);
		return rc;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: mkspecimens OUTDIR STAMP\n");
		return 2;
	}
	mkdir(argv[1], 0755);
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (!ctx)
		return 2;
	int rc = 0;
	fz_var(rc);
	fz_try(ctx)
		make_all(ctx, argv[1]);
	fz_catch(ctx) {
		fprintf(stderr, "mkspecimens: %s\n", fz_caught_message(ctx));
		rc = 1;
	}
	fz_drop_context(ctx);
	if (rc == 0) {
		FILE *stamp = fopen(argv[2], "w");
		rc = !stamp || fclose(stamp) != 0;
	}
	return rc;
}
