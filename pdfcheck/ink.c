/*
 * ink.c: what the pixels of a rendered area say about the raster rule.
 *
 * offending_pixels() is the rule itself: the box of every non-white pixel
 * outside the regions. certainly_inked() answers, from MuPDF's pixels, the
 * question poppler is asked about a small area (printable.c, rule 4), when
 * the answer cannot depend on how either renderer treats an edge:
 *
 * A pixel is certainly inked when MuPDF paints it at least INK_CERTAIN
 * levels below white and paints all eight of its neighbours non-white,
 * every one of them inside the rendered area. The mark then covers the
 * pixel from edge to edge in both directions: poppler, which snaps a
 * rectangle's edges to whole pixels ([round(x0), round(x1))) and inks glyph
 * edges and hairlines further out than MuPDF, inks it too. A pixel at a
 * mark's edge, a hairline or a thin sliver has a white neighbour, or one
 * outside the area, and is left to poppler. So a full-page photo behind a
 * letter fails on MuPDF's pixels alone, without poppler decoding the photo
 * once more for every strip of margin.
 */
#include "internal.h"

/* Darker than white by this much: no colour conversion puts poppler's
 * pixel of the same full cover at pure white. */
#define INK_CERTAIN 8

static int darkness(const unsigned char *p)
{
	unsigned char m = p[0] < p[1] ? p[0] : p[1];
	return 255 - (m < p[2] ? m : p[2]);
}

/* Adds pixel (x, y) to box. */
static void grow(struct px_rect *box, int x, int y)
{
	if (x < box->x0) box->x0 = x;
	if (y < box->y0) box->y0 = y;
	if (x + 1 > box->x1) box->x1 = x + 1;
	if (y + 1 > box->y1) box->y1 = y + 1;
}

/* The box of the pixels of `area` for which counts(arg, x, y) holds, x and
 * y counted from the area's corner: each row is searched from its two ends
 * only as far as the box does not already reach, so a filled area costs a
 * few pixels a row. */
static struct px_rect box_of(struct px_rect area, int (*counts)(const void *, int, int), const void *arg)
{
	int w = area.x1 - area.x0, h = area.y1 - area.y0;
	struct px_rect box = {w, h, 0, 0};
	for (int y = 0; y < h; y++) {
		int x = 0;
		while (x < w && !counts(arg, x, y))
			x++;
		if (x == w)
			continue;
		grow(&box, x, y);
		int last = w - 1;
		while (last > x && last >= box.x1 && !counts(arg, last, y))
			last--;
		grow(&box, last, y);
	}
	if (box.x0 >= box.x1)
		return (struct px_rect){area.x1, area.y1, area.x0, area.y0};
	return (struct px_rect){area.x0 + box.x0, area.y0 + box.y0, area.x0 + box.x1, area.y0 + box.y1};
}

struct pixels {
	const unsigned char *rgb;
	int w, h;
	const struct page_regions *reg;
	struct px_rect area;
};

static int dark_at(const struct pixels *p, int x, int y)
{
	return darkness(p->rgb + ((size_t)y * (size_t)p->w + (size_t)x) * 3);
}

static int outside(const struct pixels *p, int x, int y)
{
	return !page_regions_allow(p->reg, p->area.x0 + x, p->area.y0 + y);
}

static int offends(const void *arg, int x, int y)
{
	const struct pixels *p = arg;
	return dark_at(p, x, y) > 0 && outside(p, x, y);
}

struct px_rect offending_pixels(const unsigned char *pixels, const struct page_regions *reg,
				struct px_rect area)
{
	struct pixels p = {pixels, area.x1 - area.x0, area.y1 - area.y0, reg, area};
	return box_of(area, offends, &p);
}

/* The darkest of a pixel's neighbours inside the area, the pixel included. */
static int darkest_around(const struct pixels *p, int x, int y)
{
	int most = 0;
	for (int ny = y - 1; ny <= y + 1; ny++)
		for (int nx = x - 1; nx <= x + 1; nx++)
			if (nx >= 0 && ny >= 0 && nx < p->w && ny < p->h && dark_at(p, nx, ny) > most)
				most = dark_at(p, nx, ny);
	return most;
}

static int inked_all_round(const struct pixels *p, int x, int y)
{
	for (int ny = y - 1; ny <= y + 1; ny++)
		for (int nx = x - 1; nx <= x + 1; nx++)
			if (dark_at(p, nx, ny) == 0)
				return 0;
	return 1;
}

/* A pixel poppler's snapped edges would ink, as far as MuPDF's show it: one
 * at a mark's edge counts when it is at least half as dark as the darkest
 * pixel beside it, i.e. when the mark covers at least half of it. */
static int half_covered(const void *arg, int x, int y)
{
	const struct pixels *p = arg;
	int d = dark_at(p, x, y);
	return d > 0 && outside(p, x, y) && 2 * d >= darkest_around(p, x, y);
}

int certainly_inked(const unsigned char *pixels, const struct page_regions *reg, struct px_rect area,
		    struct px_rect *box)
{
	struct pixels p = {pixels, area.x1 - area.x0, area.y1 - area.y0, reg, area};
	int found = 0;
	for (int y = 1; y < p.h - 1 && !found; y++)
		for (int x = 1; x < p.w - 1 && !found; x++)
			found = dark_at(&p, x, y) >= INK_CERTAIN && outside(&p, x, y) && inked_all_round(&p, x, y);
	if (found)
		*box = box_of(area, half_covered, &p);
	return found;
}
