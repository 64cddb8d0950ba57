/*
 * lk_letter.h: the geometry of a Notify letter (LETTER-SPEC sections 2-4),
 * in millimetres from the top left of the page as printed.
 *
 * The one copy of these numbers: `letterkit check` (pdfcheck/spec.h) judges
 * pages against them and `letterkit compose` lays letters out inside them
 * (compose/zones.h), so a composed letter passes check by construction only
 * because both read the regions from here.
 */
#ifndef LK_LETTER_H
#define LK_LETTER_H

#define LK_LETTER_PT_PER_MM (72.0 / 25.4)

/* A4 portrait, and how far off a page's size may be (section 2). */
#define LK_LETTER_WIDTH_MM 210.0
#define LK_LETTER_HEIGHT_MM 297.0
#define LK_LETTER_SIZE_TOLERANCE_MM 2.0

/* Notify grows every allowed region by this much on every side before it looks. */
#define LK_LETTER_REGION_SLACK_MM 1.0

struct lk_letter_rect {
	double x0, y0, x1, y1;
};

/* The allowed regions of section 3, without the slack. */
static const struct lk_letter_rect lk_letter_body_first_page = {15.0, 95.0, 195.0, 292.0};
static const struct lk_letter_rect lk_letter_body_later_pages = {15.0, 5.0, 195.0, 292.0};
static const struct lk_letter_rect lk_letter_sender_block = {125.0, 5.0, 195.0, 95.0};   /* right column */
static const struct lk_letter_rect lk_letter_logo_area = {15.0, 5.0, 125.0, 30.0};       /* top left */
static const struct lk_letter_rect lk_letter_address_window = {24.6, 39.5, 120.0, 66.3};

/* Notify reads the recipient's address from the window and this much around it (section 5). */
#define LK_LETTER_ADDRESS_READ_MARGIN_MM 3.0

/* Where the NOTIFY tag sits (section 4); the word found there on a later page fails. */
static const struct lk_letter_rect lk_letter_notify_tag_box = {0.0, 0.0, 15.191, 6.149};
#define LK_LETTER_NOTIFY_TAG "NOTIFY"

/* 1 when r lies wholly inside outer (edges may touch). */
static inline int lk_letter_rect_inside(struct lk_letter_rect r, struct lk_letter_rect outer)
{
	return r.x0 >= outer.x0 && r.y0 >= outer.y0 && r.x1 <= outer.x1 && r.y1 <= outer.y1;
}

/* r moved in by `x` mm on its left and right and `y` mm on its top and bottom. */
static inline struct lk_letter_rect lk_letter_rect_inset(struct lk_letter_rect r, double x, double y)
{
	return (struct lk_letter_rect){r.x0 + x, r.y0 + y, r.x1 - x, r.y1 - y};
}

#endif
