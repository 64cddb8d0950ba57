/*
 * spec.h: the letter specification's numbers (LETTER-SPEC sections 2-5),
 * in millimetres from the top left of the page as printed.
 */
#ifndef PDFCHECK_SPEC_H
#define PDFCHECK_SPEC_H

#define SPEC_PT_PER_MM (72.0 / 25.4)
#define SPEC_DPI 200.0
#define SPEC_PX_PER_PT (SPEC_DPI / 72.0)

#define SPEC_A4_WIDTH_MM 210.0
#define SPEC_A4_HEIGHT_MM 297.0
#define SPEC_SIZE_TOLERANCE_MM 2.0

/* Notify grows every allowed region by this much before it looks. */
#define SPEC_REGION_SLACK_MM 1.0

struct spec_rect {
	double x0, y0, x1, y1;
};

/* Allowed regions of a first page, and of every later page. */
static const struct spec_rect spec_first_page_regions[] = {
	{15.0, 95.0, 195.0, 292.0},   /* body */
	{125.0, 5.0, 195.0, 95.0},    /* sender's block, right column */
	{15.0, 5.0, 125.0, 30.0},     /* logo */
	{24.6, 39.5, 120.0, 66.3},    /* recipient address window */
};
static const struct spec_rect spec_later_page_regions[] = {
	{15.0, 5.0, 195.0, 292.0},    /* body */
};

#define SPEC_N_FIRST_REGIONS (sizeof spec_first_page_regions / sizeof spec_first_page_regions[0])
#define SPEC_N_LATER_REGIONS (sizeof spec_later_page_regions / sizeof spec_later_page_regions[0])

/* The recipient address window, as drawn; Notify reads text 3 mm around it. */
static const struct spec_rect spec_address_window = {24.6, 39.5, 120.0, 66.3};
#define SPEC_ADDRESS_READ_MARGIN_MM 3.0

/* Where the NOTIFY tag sits; the word found there on a later page fails. */
static const struct spec_rect spec_notify_tag_box = {0.0, 0.0, 15.191, 6.149};
#define SPEC_NOTIFY_TAG "NOTIFY"

#endif
