/*
 * spec.h: the letter specification as pdfcheck reads it. The numbers are
 * common/lk_letter.h's (the one copy, shared with compose); this header adds
 * the rendering resolution and lists the regions page by page.
 */
#ifndef PDFCHECK_SPEC_H
#define PDFCHECK_SPEC_H

#include "lk_letter.h"

#define SPEC_PT_PER_MM LK_LETTER_PT_PER_MM
#define SPEC_DPI 200.0
#define SPEC_PX_PER_PT (SPEC_DPI / 72.0)

#define SPEC_A4_WIDTH_MM LK_LETTER_WIDTH_MM
#define SPEC_A4_HEIGHT_MM LK_LETTER_HEIGHT_MM
#define SPEC_SIZE_TOLERANCE_MM LK_LETTER_SIZE_TOLERANCE_MM
#define SPEC_REGION_SLACK_MM LK_LETTER_REGION_SLACK_MM

/* pdfcheck's name for the shared rectangle type. */
#define spec_rect lk_letter_rect

/* Allowed regions of a first page, and of every later page. */
#define spec_first_page_regions ((const struct spec_rect[]){ \
	lk_letter_body_first_page, lk_letter_sender_block, lk_letter_logo_area, lk_letter_address_window})
#define SPEC_N_FIRST_REGIONS 4
#define spec_later_page_regions ((const struct spec_rect[]){lk_letter_body_later_pages})
#define SPEC_N_LATER_REGIONS 1

#define spec_address_window lk_letter_address_window
#define SPEC_ADDRESS_READ_MARGIN_MM LK_LETTER_ADDRESS_READ_MARGIN_MM
#define spec_notify_tag_box lk_letter_notify_tag_box
#define SPEC_NOTIFY_TAG LK_LETTER_NOTIFY_TAG

#endif
