/*
 * subset.h: a small TrueType font holding only the glyphs one letter uses.
 *
 * libharu 2.3 embeds a TTF with every table it needs at full size (the
 * glyph names alone are 27 KB for Liberation Sans), writes a /W entry and a
 * CIDToGIDMap over the font's whole cmap, and looks each of the 65,536 BMP
 * code points up with a linear search. Giving it a font cut down to the
 * letter's own characters (glyphs renumbered, composite glyphs' components
 * kept, glyph names, hinting and most of the name table dropped) makes each
 * letter several times smaller and faster; the outlines and metrics are the
 * original's, byte for byte. Hinting only matters on screens at small sizes;
 * letters are printed (MuPDF and Ghostscript render the subsets as before).
 */
#ifndef COMPOSE_SUBSET_H
#define COMPOSE_SUBSET_H

#include <stddef.h>
#include <stdint.h>

#include "font.h"

struct subset;

/** Working memory for subsets of `f`, reused from letter to letter. NULL when out of memory. */
struct subset *compose_subset_new(const struct font *f);
void compose_subset_free(struct subset *s);

/** Forgets the characters of the last letter. */
void compose_subset_reset(struct subset *s);

/** Adds the characters of `len` bytes of UTF-8 text (all in the font). -1 when out of memory. */
int compose_subset_add_text(struct subset *s, const char *text, size_t len);

/** The code points added since the last reset (borrowed, in no order); their count. */
size_t compose_subset_chars(const struct subset *s, const uint32_t **cps);

/** 1 when no character has been added since the last reset. */
int compose_subset_empty(const struct subset *s);

/**
 * Builds the font file for the characters added. *out (malloc'd) holds
 * *len bytes, owned by the caller. Returns 0, or -1 when out of memory or the
 * font's glyph data is damaged.
 */
int compose_subset_build(struct subset *s, unsigned char **out, size_t *len);

#endif
