/*
 * cmaps.h: a font's Encoding and ToUnicode CMaps holding just the letter's
 * characters.
 *
 * libharu 2.3 gives every font of its UTF-8 path the encoding Identity-H
 * and, as ToUnicode, the encoder's own CMap: one cidrange over <0000> <FFFF>.
 * Readers expand both into 65,536 mappings for every font of every letter
 * (MuPDF's pdf_load_to_unicode walks every code of the encoding and looks
 * each up in the ToUnicode map: most of `check`'s time on our letters).
 * compose's codes are the characters' code points (CID = code point, the
 * CIDToGIDMap takes them to glyphs), so the two CMaps below map exactly the
 * code points the letter prints, each to itself: an embedded Encoding CMap
 * of a few cidrange entries and, per font, a ToUnicode of bfchar/bfrange ones.
 */
#ifndef COMPOSE_CMAPS_H
#define COMPOSE_CMAPS_H

#include <hpdf.h>

#include "subset.h"

/**
 * Replaces the ToUnicode CMaps libharu made for `regular` and `bold` (Type0
 * fonts from the UTF-8 encoder; bold NULL when the letter has one font) with
 * ones mapping only the code points added to their subsets, and their
 * Encoding /Identity-H with one CMap (shared: it only maps codes to CIDs)
 * covering the code points of both. Returns 0, or -1 when libharu fails.
 */
int compose_cmaps_write(HPDF_Font regular, const struct subset *sub_regular, HPDF_Font bold,
			const struct subset *sub_bold);

#endif
