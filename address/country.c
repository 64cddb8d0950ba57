/*
 * country.c: does a line name a country? Notify's Country(line), in C.
 *
 * The key of a name: '&' and '+' become "and"; space _ - ' ’ , . ( ) go;
 * each character is lower-cased (Python's str.lower); then the key is
 * downgraded to ASCII as Notify's SanitiseASCII does ("é" -> "e"). When some
 * character has no ASCII downgrade, Notify keeps the lower-cased key as it
 * is (so "Россия" is looked up as "россия"), and so do we. A key not found is
 * tried again after "the", "yr" and "y" (Welsh articles: "Yr Almaen").
 */
#include <stdlib.h>
#include <string.h>

#include "address-imp.h"
#include "unicode.h"

#define KEY_MAX 256

struct key {
	char raw[KEY_MAX + 8];     /* lower-cased; +8 for "and" and a code point */
	char ascii[KEY_MAX + 8];   /* downgraded to ASCII */
	size_t raw_len, ascii_len;
	int ascii_failed;          /* a character had no downgrade (Notify's "?") */
	int too_long;
};

static int dropped_from_key(uint32_t c)
{
	return c == ' ' || c == '_' || c == '-' || c == '\'' || c == 0x2019 || c == ',' ||
	       c == '.' || c == '(' || c == ')';
}

/* Appends one lower-cased character to both forms of the key. */
static void key_add(struct key *k, uint32_t c)
{
	char buf[2];
	const char *ascii = address_uc_ascii(c, buf);
	if (k->raw_len + 4 > KEY_MAX || (ascii && k->ascii_len + strlen(ascii) > KEY_MAX)) {
		k->too_long = 1;
		return;
	}
	k->raw_len += lk_utf8_put(c, k->raw + k->raw_len);
	if (!ascii) {
		k->ascii_failed = 1;
		return;
	}
	size_t n = strlen(ascii);
	memcpy(k->ascii + k->ascii_len, ascii, n);
	k->ascii_len += n;
}

static void key_add_lower(struct key *k, uint32_t c)
{
	char buf[2];
	const char *lower = address_uc_lower(c, buf);
	if (!lower) {
		key_add(k, c);
		return;
	}
	uint32_t cps[4];
	long n = lk_utf8_decode(lower, strlen(lower), cps);
	for (long i = 0; i < n; i++)
		key_add(k, cps[i]);
}

static int cmp_country(const void *key, const void *elem)
{
	const struct address_country *c = elem;
	return strcmp(key, c->key);
}

static const struct address_country *find(const char *prefix, const char *key, size_t len)
{
	char buf[KEY_MAX + 16];
	size_t plen = strlen(prefix);
	if (plen + len > address_countries_max_key)
		return NULL;
	memcpy(buf, prefix, plen);
	memcpy(buf + plen, key, len);
	buf[plen + len] = '\0';
	return bsearch(buf, address_countries, address_countries_len, sizeof address_countries[0],
		       cmp_country);
}

const struct address_country *address_country_lookup(const uint32_t *cp, size_t len)
{
	/* A name with a digit is never a country (it is probably a postcode). */
	for (size_t i = 0; i < len; i++)
		if (address_uc_digit(cp[i]))
			return NULL;

	struct key k = {.raw_len = 0};
	for (size_t i = 0; i < len && !k.too_long; i++) {
		if (cp[i] == '&' || cp[i] == '+') {
			key_add(&k, 'a');
			key_add(&k, 'n');
			key_add(&k, 'd');
		} else if (!dropped_from_key(cp[i])) {
			key_add_lower(&k, cp[i]);
		}
	}
	if (k.too_long)
		return NULL;
	const char *key = k.ascii_failed ? k.raw : k.ascii;
	size_t key_len = k.ascii_failed ? k.raw_len : k.ascii_len;

	static const char *const prefixes[] = {"", "the", "yr", "y"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		const struct address_country *c = find(prefixes[i], key, key_len);
		if (c)
			return c;
	}
	return NULL;
}

int address_country_is_uk(const struct address_country *c)
{
	return strcmp(c->name, "United Kingdom") == 0;
}
