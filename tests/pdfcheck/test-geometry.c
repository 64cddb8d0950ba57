/* test-geometry: page size rule and the regions in pixels (pdfcheck/frame.c). */
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

static void test_regions_in_pixels(void)
{
	struct page_frame f = frame_of(210, 297, 0);
	struct page_regions reg;
	page_regions_make(&f, 0, &reg);
	CHECK_INT(reg.n_allowed, 1);
	/* Body of a later page grown by 1 mm: 14-196 x 4-293 mm; 7.874 px/mm.
	 * A pixel the edge passes through is inside. */
	CHECK_INT(reg.allowed[0].x0, 110);   /* 14 mm = 110.24 px */
	CHECK_INT(reg.allowed[0].x1, 1544);  /* 196 mm = 1543.31 px */
	CHECK_INT(reg.allowed[0].y0, 31);    /* 4 mm = 31.50 px */
	CHECK_INT(reg.allowed[0].y1, 2308);  /* 293 mm = 2307.09 px */
	CHECK_INT(reg.page.x0, 0);
	CHECK_INT(reg.page.x1, 1654);        /* 210 mm = 1653.54 px, rounded out */
	CHECK_INT(reg.page.y1, 2339);

	page_regions_make(&f, 1, &reg);
	CHECK_INT(reg.n_allowed, 4);
	/* The address window, 24.6-120 x 39.5-66.3 mm, grown: 23.6-121 x 38.5-67.3. */
	CHECK_INT(reg.allowed[3].x0, 185);   /* 23.6 mm = 185.83 px */
	CHECK_INT(reg.allowed[3].x1, 953);   /* 121 mm = 952.76 px */
	CHECK_INT(reg.allowed[3].y0, 303);   /* 38.5 mm = 303.15 px */
	CHECK_INT(reg.allowed[3].y1, 530);   /* 67.3 mm = 529.92 px */
}

static void test_origin_offset(void)
{
	/* A CropBox 10 pt in from the MediaBox puts the printed corner at -10 pt. */
	struct page_frame f = frame_of(210, 297, 0);
	f.origin = fz_make_point(-10, -10);
	struct spec_rect mm = {0, 0, 10, 10};
	fz_rect pt = page_frame_mm_to_pt(&f, &mm);
	CHECK_NEAR(pt.x0, -10, 1e-4);
	CHECK_NEAR(pt.x1, -10 + 10 * SPEC_PT_PER_MM, 1e-3);
	struct px_rect px = {0, 0, 200, 200};
	double back[4];
	page_frame_px_to_mm(&f, &px, back);
	CHECK_NEAR(back[0], 10 / SPEC_PT_PER_MM, 1e-6);
	CHECK_NEAR(back[2], (200 / SPEC_PX_PER_PT + 10) / SPEC_PT_PER_MM, 1e-6);
}

int main(void)
{
	test_a4_rule();
	test_regions_in_pixels();
	test_origin_offset();
	return test_exit("test-geometry");
}
