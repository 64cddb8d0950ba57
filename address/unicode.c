/* unicode.c: UTF-8 and Python's character classes, from the generated tables. */
#include "unicode.h"
#include "lk_utf8.h"

#include <stdlib.h>

#include "tables.h"

size_t address_utf8_size(const uint32_t *cps, size_t n)
{
	size_t size = 0;
	for (size_t i = 0; i < n; i++)
		size += cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 : cps[i] < 0x10000 ? 3 : 4;
	return size;
}

static int cmp_range(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key;
	const struct address_range *r = elem;
	return cp < r->first ? -1 : cp > r->last ? 1 : 0;
}

static const struct address_range *find_range(const struct address_range *table, size_t len,
					      uint32_t cp)
{
	return bsearch(&cp, table, len, sizeof *table, cmp_range);
}

static int cmp_map(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key;
	const struct address_map *m = elem;
	return cp < m->cp ? -1 : cp > m->cp;
}

static const char *find_map(const struct address_map *table, size_t len, uint32_t cp)
{
	const struct address_map *m = bsearch(&cp, table, len, sizeof *table, cmp_map);
	return m ? m->to : NULL;
}

int address_uc_space(uint32_t cp)
{
	if (cp < 0x80)
		return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
	return find_range(address_space_ranges, address_space_ranges_len, cp) != NULL;
}

int address_uc_digit(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= '0' && cp <= '9';
	return find_range(address_digit_ranges, address_digit_ranges_len, cp) != NULL;
}

int address_uc_decimal(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= '0' && cp <= '9' ? (int)(cp - '0') : -1;
	const struct address_range *r =
		find_range(address_decimal_ranges, address_decimal_ranges_len, cp);
	return r ? (int)(cp - r->first) : -1;
}

const char *address_uc_lower(uint32_t cp, char ascii_buf[2])
{
	if (cp < 0x80) {
		if (cp < 'A' || cp > 'Z')
			return NULL;
		ascii_buf[0] = (char)(cp + ('a' - 'A'));
		ascii_buf[1] = '\0';
		return ascii_buf;
	}
	return find_map(address_lower_map, address_lower_map_len, cp);
}

const char *address_uc_ascii(uint32_t cp, char ascii_buf[2])
{
	if (cp >= 0x20 && cp < 0x7F) {
		ascii_buf[0] = (char)cp;
		ascii_buf[1] = '\0';
		return ascii_buf;
	}
	if (cp == '\t')
		return " ";
	if (cp < 0x80)
		return NULL;
	return find_map(address_ascii_map, address_ascii_map_len, cp);
}

const char *address_uc_upper_ascii(uint32_t cp)
{
	return find_map(address_upper_ascii_map, address_upper_ascii_map_len, cp);
}

int address_uc_fold_ascii(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		return (int)cp;
	if (cp >= 'A' && cp <= 'Z')
		return (int)(cp + ('a' - 'A'));
	switch (cp) {
	case 0x130:
	case 0x131:
		return 'i';
	case 0x17F:
		return 's';
	case 0x212A:
		return 'k';
	default:
		return 0;
	}
}
