/* test-geometry: page size rule, Notify's frame and the regions in pixels (pdfcheck/frame.c). */
#include "internal.h"
#include "../unit/test.h"

static struct page_frame frame_of(double w_mm, double h_mm, int rotate)
{
	struct page_frame f = {0};
	f.width_mm = w_mm;
	f.height_mm = h_mm;
	f.rotate = rotate;
	f.has_mediabox = 1;
	f.visible = fz_make_rect(0, 0, (float)(w_mm * SPEC_PT_PER_MM), (float)(h_mm * SPEC_PT_PER_MM));
	return f;
}

static void test_a4_rule(void)
{
	struct page_frame f;
	f = frame_of(210, 297, 0); CHECK(page_frame_is_a4_portrait(&f));
	f = frame_of(210, 297, 180); CHECK(page_frame_is_a4_portrait(&f));
	f = frame_of(210, 297, 90); CHECK(!page_frame_is_a4_portrait(&f));
	f = frame_of(297, 210, 90); CHECK(page_frame_is_a4_portrait(&f));
	f = frame_of(297, 210, 270); CHECK(page_frame_is_a4_portrait(&f));
	f = frame_of(297, 210, 0); CHECK(!page_frame_is_a4_portrait(&f));
	/* Notify compares /Rotate with a list: legal PDF values outside it fail. */
	f = frame_of(297, 210, -90); CHECK(!page_frame_is_a4_portrait(&f));
	f = frame_of(210, 297, 360); CHECK(!page_frame_is_a4_portrait(&f));
	/* 2 mm either way, inclusive. */
	f = frame_of(212, 299, 0); CHECK(page_frame_is_a4_portrait(&f));
	f = frame_of(208, 295, 0); CHECK(page_frame_is_a4_portrait(&f));
	f = frame_of(212.01, 297, 0); CHECK(!page_frame_is_a4_portrait(&f));
	f = frame_of(215.9, 279.4, 0); CHECK(!page_frame_is_a4_portrait(&f));   /* US Letter */
}

/* A frame as page_frame_load makes it for an unrotated page whose CropBox
 * is its MediaBox [x0 y0 x1 y1]. */
static struct page_frame frame_at(float x0, float y0, float x1, float y1)
{
	struct page_frame f = frame_of((x1 - x0) / SPEC_PT_PER_MM, (y1 - y0) / SPEC_PT_PER_MM, 0);
	f.user_to_page = fz_make_matrix(1, 0, 0, -1, -x0, y1);
	f.media = f.visible = fz_make_rect(0, 0, x1 - x0, y1 - y0);
	f.origin = fz_make_point(0, 0);
	return f;
}

static void test_regions_in_pixels(void)
{
	struct page_frame f = frame_at(0, 0, 595.28f, 841.89f);
	struct page_regions reg;
	page_regions_make(&f, 0, &reg);
	CHECK_INT(reg.n_allowed, 1);
	/* Body of a later page grown by 1 mm: 14-196 x 4-293 mm; 7.874 px/mm.
	 * Whitened as poppler fills a box: [round(x0), round(x1)). */
	CHECK_INT(reg.allowed[0].x0, 110);   /* 14 mm = 110.24 px */
	CHECK_INT(reg.allowed[0].x1, 1543);  /* 196 mm = 1543.31 px: column 1543 is outside */
	CHECK_INT(reg.allowed[0].y0, 31);    /* 4 mm = 31.50 px from the canvas top (841.89 pt) */
	CHECK_INT(reg.allowed[0].y1, 2307);  /* 293 mm = 2307.09 px: row 2307 is outside */
	CHECK_INT(reg.page.x0, 0);
	CHECK_INT(reg.page.x1, 1654);        /* 595.28 pt = 1653.56 px, as pdftoppm sizes it */
	CHECK_INT(reg.page.y1, 2339);

	page_regions_make(&f, 1, &reg);
	CHECK_INT(reg.n_allowed, 4);
	/* The address window, 24.6-120 x 39.5-66.3 mm, grown: 23.6-121 x 38.5-67.3. */
	CHECK_INT(reg.allowed[3].x0, 186);   /* 23.6 mm = 185.83 px: column 185 is outside */
	CHECK_INT(reg.allowed[3].x1, 953);   /* 121 mm = 952.76 px */
	CHECK_INT(reg.allowed[3].y0, 303);   /* 38.5 mm = 303.15 px */
	CHECK_INT(reg.allowed[3].y1, 530);   /* 67.3 mm = 529.92 px */
	CHECK_INT(reg.allowed[2].y1, 244);   /* the logo's 31 mm = 244.09 px: row 244 is outside */
}

static void test_notify_frame(void)
{
	/* A page 841.92 pt tall: the canvas is anchored at the bottom, so every
	 * region sits 0.03 pt lower than a top-down measure puts it. */
	struct page_frame f = frame_at(0, 0, 595.28f, 841.92f);
	struct spec_rect mm = {0, 0, 10, 10};
	fz_rect pt = page_frame_mm_to_pt(&f, &mm);
	CHECK_NEAR(pt.y0, 841.92 - 841.8897638, 1e-3);

	/* A MediaBox [30 40 625.28 881.89]: regions move with user space, so a
	 * region at x mm lies 30 pt left of where the box would put it. */
	f = frame_at(30, 40, 625.28f, 881.89f);
	pt = page_frame_mm_to_pt(&f, &mm);
	CHECK_NEAR(pt.x0, -30, 1e-3);
	CHECK_NEAR(pt.y0, 881.89 - 841.8897638, 1e-3);
	struct px_rect px = {0, 0, 200, 200};
	double back[4];
	page_frame_px_to_mm(&f, &px, back);
	CHECK_NEAR(back[0], 30 / SPEC_PT_PER_MM, 1e-4);
	CHECK_NEAR(back[2], (200 / SPEC_PX_PER_PT + 30) / SPEC_PT_PER_MM, 1e-4);
	CHECK_NEAR(back[1], (841.8897638 - 881.89) / SPEC_PT_PER_MM, 1e-3);
}

int main(void)
{
	test_a4_rule();
	test_regions_in_pixels();
	test_notify_frame();
	return test_exit("test-geometry");
}
