/*
 * zones.h: where compose puts things, as the spec's regions (lk_letter.h,
 * the numbers `letterkit check` judges by) less named insets. Every zone
 * lies inside its region without Notify's 1 mm of slack, and each line is
 * measured with the font's bounding box (layout.c), so a composed letter
 * passes check by construction; tests/compose/test-compose.c asserts that
 * each zone is inside its region.
 */
#ifndef COMPOSE_ZONES_H
#define COMPOSE_ZONES_H

#include "lk_letter.h"

/*
 * Every zone edge is kept this far in from its region's. Glyph edges are
 * anti-aliased when Notify renders the page, and its own 1 mm of slack is
 * for its renderer, not for us to spend.
 */
#define ZONE_EDGE_INSET_MM 1.0
/* The body's side margins: 20 mm, as a typed letter has, where the spec allows 15. */
#define BODY_SIDE_INSET_MM 5.0
/*
 * The sender's block meets the logo area at x 125: 2 mm keeps a gutter
 * between the two, and the same on the right centres the block in its column.
 */
#define SENDER_SIDE_INSET_MM 2.0
/*
 * The address window is what an envelope's window shows; 1.5 mm keeps the
 * address clear of its edges, which are not cut exactly where it is drawn.
 */
#define ADDRESS_INSET_MM 1.5

static inline struct lk_letter_rect compose_zone_body_first_page(void)
{
	return lk_letter_rect_inset(lk_letter_body_first_page, BODY_SIDE_INSET_MM, ZONE_EDGE_INSET_MM);
}

static inline struct lk_letter_rect compose_zone_body_later_pages(void)
{
	return lk_letter_rect_inset(lk_letter_body_later_pages, BODY_SIDE_INSET_MM, ZONE_EDGE_INSET_MM);
}

static inline struct lk_letter_rect compose_zone_address(void)
{
	return lk_letter_rect_inset(lk_letter_address_window, ADDRESS_INSET_MM, ADDRESS_INSET_MM);
}

static inline struct lk_letter_rect compose_zone_sender(void)
{
	return lk_letter_rect_inset(lk_letter_sender_block, SENDER_SIDE_INSET_MM, ZONE_EDGE_INSET_MM);
}

/* The logo is fitted into this zone, keeping its shape, from its top left corner. */
static inline struct lk_letter_rect compose_zone_logo(void)
{
	return lk_letter_rect_inset(lk_letter_logo_area, ZONE_EDGE_INSET_MM, ZONE_EDGE_INSET_MM);
}

#endif
