/* cmaps.c: compact Encoding and ToUnicode CMaps in place of libharu's identity ones. */
#include "cmaps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

/* A CMap's bfchar, bfrange and cidrange blocks hold at most 100 entries each. */
#define BLOCK 100

static int cmp_cp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* A run of consecutive code points sharing their high byte (one bfrange). */
struct run {
	uint32_t first, last;
};

/*
 * The sorted code points as runs that share their high byte (a CMap range
 * may vary only the last byte of its codes): of consecutive code points
 * (`gaps` 0, for ToUnicode, which maps each code the letter shows), or from
 * the first to the last code point used in each block of 256 (`gaps` 1, for
 * the Encoding: the codes between, never shown, get CIDs whose glyph is 0 in
 * the CIDToGIDMap, as every code has under Identity-H, in a few entries).
 */
static size_t make_runs(const uint32_t *cps, size_t n, struct run *runs, int gaps)
{
	size_t nruns = 0;
	for (size_t i = 0; i < n; i++) {
		struct run *last = nruns ? &runs[nruns - 1] : NULL;
		if (last && (cps[i] >> 8) == (last->first >> 8) && (gaps || cps[i] == last->last + 1))
			last->last = cps[i];
		else
			runs[nruns++] = (struct run){cps[i], cps[i]};
	}
	return nruns;
}

static int put(HPDF_Stream st, const char *s)
{
	return HPDF_Stream_WriteStr(st, s) == HPDF_OK ? 0 : -1;
}

/* Which entries put_runs() writes. */
enum entries {
	BFCHAR,    /* the runs of one code: <c> <c> (to Unicode) */
	BFRANGE,   /* the longer runs: <first> <last> <first> (to Unicode) */
	CIDRANGE,  /* every run: <first> <last> first (to CIDs) */
};

static int wanted(const struct run *r, enum entries kind)
{
	return kind == CIDRANGE || (r->first == r->last) == (kind == BFCHAR);
}

/* Writes the entries of `kind` for the runs, in blocks. */
static int put_runs(HPDF_Stream st, const struct run *r, size_t n, enum entries kind)
{
	static const char *const names[] = {"bfchar", "bfrange", "cidrange"};
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += wanted(&r[i], kind);
	char line[64];
	size_t done = 0;
	for (size_t i = 0; i < n; i++) {
		if (!wanted(&r[i], kind))
			continue;
		if (done % BLOCK == 0) {
			size_t left = count - done;
			snprintf(line, sizeof line, "%zu begin%s\n", left < BLOCK ? left : BLOCK, names[kind]);
			if (put(st, line) < 0)
				return -1;
		}
		unsigned a = (unsigned)r[i].first, b = (unsigned)r[i].last;
		if (kind == BFCHAR)
			snprintf(line, sizeof line, "<%04X> <%04X>\n", a, a);
		else if (kind == BFRANGE)
			snprintf(line, sizeof line, "<%04X> <%04X> <%04X>\n", a, b, a);
		else
			snprintf(line, sizeof line, "<%04X> <%04X> %u\n", a, b, a);
		if (put(st, line) < 0)
			return -1;
		done++;
		if (done % BLOCK == 0 || done == count) {
			snprintf(line, sizeof line, "end%s\n", names[kind]);
			if (put(st, line) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * A CMap resource: `name` and `sysinfo` (the inside of its CIDSystemInfo
 * dictionary), two-byte codes, and the entries for the runs.
 */
static int write_cmap(HPDF_Stream st, const char *name, const char *sysinfo, int type,
		      const struct run *runs, size_t nruns, int to_unicode)
{
	char head[768];
	snprintf(head, sizeof head,
		 "/CIDInit /ProcSet findresource begin\n"
		 "12 dict begin\n"
		 "begincmap\n"
		 "/CIDSystemInfo << %s >> def\n"
		 "/CMapName /%s def\n"
		 "/CMapType %d def\n"
		 "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
		 sysinfo, name, type);
	static const char tail[] =
		"endcmap\n"
		"CMapName currentdict /CMap defineresource pop\n"
		"end\n"
		"end\n";
	if (put(st, head) < 0)
		return -1;
	if (to_unicode ? put_runs(st, runs, nruns, BFCHAR) < 0 || put_runs(st, runs, nruns, BFRANGE) < 0
		       : put_runs(st, runs, nruns, CIDRANGE) < 0)
		return -1;
	return put(st, tail);
}

/* The font's ToUnicode: libharu's stream, emptied and written again. */
static int write_to_unicode(HPDF_Dict cmap, const struct run *runs, size_t nruns)
{
	/* The encoder's own keys describe a CMap for encoding, not this one. */
	HPDF_Dict_RemoveElement(cmap, "Type");
	HPDF_Dict_RemoveElement(cmap, "CMapName");
	HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(cmap, "WMode");
	HPDF_MemStream_FreeData(cmap->stream);
	return write_cmap(cmap->stream, "Adobe-Identity-UCS", "/Registry (Adobe) /Ordering (UCS) /Supplement 0",
			  2, runs, nruns, 1);
}

/*
 * The fonts' Encoding: one new CMap stream in place of the name Identity-H,
 * with the CIDSystemInfo of the CIDFonts libharu wrote (it must match).
 */
static HPDF_Dict new_encoding(HPDF_Font font, const struct run *runs, size_t nruns)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	HPDF_CMapEncoderAttr enc = attr->encoder ? (HPDF_CMapEncoderAttr)attr->encoder->attr : NULL;
	if (!enc)
		return NULL;
	HPDF_Dict cmap = HPDF_DictStream_New(font->mmgr, attr->xref);
	if (!cmap)
		return NULL;
	/* Compressed as render.c asks libharu to compress every stream (HPDF_COMP_ALL). */
	cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	HPDF_Dict info = HPDF_Dict_New(font->mmgr);
	if (!info || HPDF_Dict_Add(cmap, "CIDSystemInfo", info) != HPDF_OK)
		return NULL;
	char sysinfo[320];
	snprintf(sysinfo, sizeof sysinfo, "/Registry (%s) /Ordering (%s) /Supplement %d", enc->registry,
		 enc->ordering, (int)enc->suppliment);
	if (HPDF_Dict_AddName(cmap, "Type", "CMap") != HPDF_OK ||
	    HPDF_Dict_AddName(cmap, "CMapName", "LetterKit-Letter-H") != HPDF_OK ||
	    HPDF_Dict_Add(info, "Registry", HPDF_String_New(font->mmgr, enc->registry, NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(font->mmgr, enc->ordering, NULL)) != HPDF_OK ||
	    HPDF_Dict_AddNumber(info, "Supplement", enc->suppliment) != HPDF_OK ||
	    write_cmap(cmap->stream, "LetterKit-Letter-H", sysinfo, 1, runs, nruns, 0) < 0)
		return NULL;
	return cmap;
}

/* The sorted code points of `sub` appended to cps[*n...]. */
static void add_chars(uint32_t *cps, size_t *n, const struct subset *sub)
{
	const uint32_t *chars;
	size_t k = compose_subset_chars(sub, &chars);
	memcpy(cps + *n, chars, k * sizeof *cps);
	qsort(cps + *n, k, sizeof *cps, cmp_cp);
	*n += k;
}

static int usable(HPDF_Font font)
{
	HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
	return attr && attr->cmap_stream && attr->cmap_stream->stream;
}

int compose_cmaps_write(HPDF_Font regular, const struct subset *sub_regular, HPDF_Font bold,
			const struct subset *sub_bold)
{
	const uint32_t *chars;
	if (!usable(regular) || (bold && !usable(bold)))
		return -1;
	size_t max = compose_subset_chars(sub_regular, &chars) + (bold ? compose_subset_chars(sub_bold, &chars) : 0);
	uint32_t *cps = malloc((max ? max : 1) * sizeof *cps);
	struct run *runs = malloc((max ? max : 1) * sizeof *runs);
	int rc = -1;
	if (!cps || !runs)
		goto out;
	size_t n = 0, nreg;
	add_chars(cps, &n, sub_regular);
	nreg = n;
	if (write_to_unicode(((HPDF_FontAttr)regular->attr)->cmap_stream, runs, make_runs(cps, n, runs, 0)) < 0)
		goto out;
	if (bold) {
		add_chars(cps, &n, sub_bold);
		if (write_to_unicode(((HPDF_FontAttr)bold->attr)->cmap_stream, runs,
				     make_runs(cps + nreg, n - nreg, runs, 0)) < 0)
			goto out;
		qsort(cps, n, sizeof *cps, cmp_cp);
	}
	/* One Encoding for both fonts: the union of their code points. */
	HPDF_Dict enc = new_encoding(regular, runs, make_runs(cps, n, runs, 1));
	if (!enc || HPDF_Dict_Add(regular, "Encoding", enc) != HPDF_OK ||
	    (bold && HPDF_Dict_Add(bold, "Encoding", enc) != HPDF_OK))
		goto out;
	rc = 0;
out:
	free(cps);
	free(runs);
	return rc;
}
