/*
 * postcode.c: UK postcodes and BFPO lines.
 *
 * A postcode is real when, without whitespace and upper-cased (Python's
 * str.upper, so "ß" is "SS"), it fully matches
 *   ZONE [0-9] [0-9A-Z]? [0-9] [A-BD-HJLNP-UW-Z]{2}
 * with ZONE one of the area codes in data/uk-postcode-zones.txt. Zones are
 * one to three letters and some are prefixes of others ("B", "BA"), so each
 * zone the text starts with is tried, as the regular expression backtracks.
 */
#include <stdlib.h>
#include <string.h>

#include "address-imp.h"
#include "unicode.h"

/* The longest text that can match: a 3-letter zone and 5 more characters. */
#define POSTCODE_LONGEST 8

static int cmp_zone(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static int is_zone(const char *s, size_t len)
{
	char buf[4];
	memcpy(buf, s, len);
	buf[len] = '\0';
	return bsearch(buf, address_postcode_zones, address_postcode_zones_len,
		       sizeof address_postcode_zones[0], cmp_zone) != NULL;
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The letters allowed in the last two places: A-Z but C I K M O V. */
static int unit_letter(char c)
{
	return c >= 'A' && c <= 'Z' && !strchr("CIKMOV", c);
}

/* Does s (the text after the zone) match [0-9][0-9A-Z]?[0-9][A-BD-HJLNP-UW-Z]{2}? */
static int match_rest(const char *s, size_t len)
{
	if (len != 4 && len != 5)
		return 0;
	if (!digit(s[0]))
		return 0;
	if (len == 5 && !(digit(s[1]) || (s[1] >= 'A' && s[1] <= 'Z')))
		return 0;
	return digit(s[len - 3]) && unit_letter(s[len - 2]) && unit_letter(s[len - 1]);
}

int address_postcode_format(const uint32_t *cp, size_t len, char out[ADDRESS_POSTCODE_MAX])
{
	char s[POSTCODE_LONGEST + 4];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		uint32_t c = cp[i];
		if (c == ' ')     /* the only whitespace a normalised line holds */
			continue;
		const char *up;
		char one[2] = {0, 0};
		if (c >= 'a' && c <= 'z') {
			one[0] = (char)(c - 'a' + 'A');
			up = one;
		} else if (c < 0x80) {
			one[0] = (char)c;
			up = one;
		} else if (!(up = address_uc_upper_ascii(c))) {
			return 0;
		}
		size_t m = strlen(up);
		if (n + m > POSTCODE_LONGEST)
			return 0;
		memcpy(s + n, up, m);
		n += m;
	}
	int match = 0;
	for (size_t z = 1; z <= 3 && z < n && !match; z++)
		match = is_zone(s, z) && match_rest(s + z, n - z);
	if (!match)
		return 0;
	memcpy(out, s, n - 3);
	out[n - 3] = ' ';
	memcpy(out + n - 2, s + n - 3, 3);
	out[n + 1] = '\0';
	return 1;
}

static uint32_t lower_ascii(uint32_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * Notify matches the lower-cased line against
 *   ^\s*bfpo\s*(?:c/o)?(?:\s*(\d+))?\s*$
 * Only ASCII letters lower-case to the letters of "bfpo" and "c/o", and a
 * normalised line has no whitespace but single inner spaces, so comparing
 * ASCII case-insensitively and skipping spaces is the same test. \d is any
 * Unicode decimal digit, as in Python.
 */
int address_bfpo_match(const uint32_t *cp, size_t len, const uint32_t **digits, size_t *ndigits)
{
	size_t i = 0;
	static const char bfpo[] = "bfpo";
	for (size_t k = 0; k < 4; k++, i++)
		if (i >= len || lower_ascii(cp[i]) != (uint32_t)bfpo[k])
			return 0;
	while (i < len && cp[i] == ' ')
		i++;
	if (i + 3 <= len && lower_ascii(cp[i]) == 'c' && cp[i + 1] == '/' && lower_ascii(cp[i + 2]) == 'o')
		i += 3;
	while (i < len && cp[i] == ' ')
		i++;
	size_t first = i;
	while (i < len && address_uc_decimal(cp[i]) >= 0)
		i++;
	size_t last = i;
	while (i < len && cp[i] == ' ')
		i++;
	if (i != len)
		return 0;
	if (last == first)
		return 1;
	*digits = cp + first;
	*ndigits = last - first;
	return 2;
}
