/*
 * normalise.c: raw address text into normalised lines.
 *
 * Notify splits with Python's str.splitlines() and folds whitespace with
 * str.split(), so the line breaks and spaces here are Python's, not just
 * '\n' and ' ': a U+2028 LINE SEPARATOR or a vertical tab starts a new line,
 * a non-breaking space is a space, and a zero-width space is nothing.
 */
#include "address-imp.h"

#include "unicode.h"

/* Python's str.splitlines() boundaries ("\r\n" counts once). */
static int is_line_break(uint32_t c)
{
	return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D ||
	       c == 0x1E || c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* Characters Notify deletes before folding whitespace (they have no width). */
static int is_zero_width(uint32_t c)
{
	return c == 0x180E || c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 ||
	       c == 0xFEFF || c == 0x2028 || c == 0x2029;
}

size_t address_line_slots(const uint32_t *cps, size_t n)
{
	size_t slots = 1;
	for (size_t i = 0; i < n; i++)
		if (is_line_break(cps[i]))
			slots++;
	return slots;
}

/*
 * Normalises the line cps[r..end) into cps[w..), w <= r, and returns its new
 * length (0 when nothing is left). Writing never overtakes reading, because
 * every character written stands for at least one character read.
 */
static size_t normalise_line(uint32_t *cps, size_t w, size_t r, size_t end)
{
	size_t start = w;
	int space = 0;
	for (; r < end; r++) {
		uint32_t c = cps[r];
		if (is_zero_width(c))
			continue;
		if (address_uc_space(c)) {
			space = w > start;
			continue;
		}
		if (space)
			cps[w++] = ' ';
		space = 0;
		cps[w++] = c;
	}
	while (w > start && (cps[w - 1] == ' ' || cps[w - 1] == ','))
		w--;
	/* Whitespace before ',' or '.' goes ("Unit 4 , Park" -> "Unit 4, Park"). */
	size_t out = start;
	for (size_t i = start; i < w; i++) {
		if (cps[i] == ' ' && i + 1 < w && (cps[i + 1] == ',' || cps[i + 1] == '.'))
			continue;
		cps[out++] = cps[i];
	}
	return out - start;
}

size_t address_normalise_lines(uint32_t *cps, size_t n, struct address_line *lines)
{
	size_t count = 0, w = 0, r = 0;
	while (r <= n) {
		size_t end = r;
		while (end < n && !is_line_break(cps[end]))
			end++;
		if (end == n && r == n)
			break;   /* text ended with a line break: no empty line after it */
		size_t len = normalise_line(cps, w, r, end);
		if (len) {
			lines[count].cp = cps + w;
			lines[count].len = len;
			count++;
			w += len;
		}
		r = end + 1;
		if (end < n && cps[end] == '\r' && end + 1 < n && cps[end + 1] == '\n')
			r++;
	}
	return count;
}
