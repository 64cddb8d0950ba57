/*
 * test-address.c: address_check() on the tricky parts of Notify's rules:
 * BFPO forms, trailing UK country lines, Welsh and non-Latin country names,
 * names with digits, postcodes with odd spacing, zero-width and
 * non-breaking spaces, Python's line breaks, and the rule order.
 */
#include <stdlib.h>

#include "address.h"
#include "test.h"   /* tests/unit/test.h */

/* The verdict on raw (NUL-terminated), checked in one call. */
static struct address_result verdict(const char *raw, int international)
{
	struct address_result r = {0};
	if (address_check(raw, strlen(raw), international, &r) != 0)
		printf("address_check failed on \"%s\": %s\n", raw, r.error);
	return r;
}

/* raw must get error (NULL: valid) and the normalised text. */
#define CHECK_VERDICT(raw, intl, want_error, want_normalised)                         \
	do {                                                                           \
		struct address_result r_ = verdict(raw, intl);                         \
		CHECK_STR(r_.error, want_error);                                      \
		CHECK(r_.valid == ((want_error) == NULL));                            \
		CHECK_STR(r_.normalised, want_normalised);                            \
		address_result_clear(&r_);                                             \
	} while (0)

static void bfpo_forms(void)
{
	struct address_result r = verdict("Sgt A Smith\nUnit 4\nBFPO 105", 0);
	CHECK(r.valid);
	CHECK_STR(r.bfpo, "105");
	CHECK_STR(r.postcode, NULL);
	CHECK_STR(r.normalised, "Sgt A Smith\nUnit 4\nBFPO 105");
	CHECK(r.zone == ADDRESS_ZONE_UNITED_KINGDOM);
	address_result_clear(&r);

	/* "c/o", any case, with or without spaces; the number as Python's int() prints it. */
	CHECK_VERDICT("A Smith\nUnit 4\nbfpo c/o 61", 0, NULL, "A Smith\nUnit 4\nBFPO 61");
	CHECK_VERDICT("A Smith\nUnit 4\nBfPo C/O61", 0, NULL, "A Smith\nUnit 4\nBFPO 61");
	CHECK_VERDICT("A Smith\nUnit 4\nBFPO0105", 0, NULL, "A Smith\nUnit 4\nBFPO 105");
	/* Any Unicode decimal digits, as Python's \d: Arabic-Indic 1 2. */
	CHECK_VERDICT("A Smith\nUnit 4\nBFPO \xd9\xa1\xd9\xa2", 0, NULL, "A Smith\nUnit 4\nBFPO 12");
	/* The BFPO line goes to the end, after a formatted postcode. */
	CHECK_VERDICT("BFPO 105\nA Smith\nUnit 4\nsw1a1aa", 0, NULL, "A Smith\nUnit 4\nSW1A 1AA\nBFPO 105");
	/* "BFPO" without a number is no BFPO address. */
	CHECK_VERDICT("A Smith\nUnit 4\nBFPO", 0, "not-a-real-uk-postcode", "A Smith\nUnit 4\nBFPO");
	/* Once there is a number, every BFPO line goes; the first number wins. */
	CHECK_VERDICT("A Smith\nBFPO\nUnit 4\nBFPO 7\nBFPO 9", 0, NULL, "A Smith\nUnit 4\nBFPO 7");
	/* A BFPO address must not name a country abroad, even with international on. */
	CHECK_VERDICT("A Smith\nUnit 4\nBFPO 2\nGermany", 1, "has-country-for-bfpo-address",
		       "A Smith\nUnit 4\nBFPO 2\nGermany");
	/* ... but a UK country line is fine. */
	CHECK_VERDICT("A Smith\nUnit 4\nBFPO 2\nUnited Kingdom", 0, NULL, "A Smith\nUnit 4\nBFPO 2");
}

static void trailing_uk_countries(void)
{
	CHECK_VERDICT("A Smith\n1 High St\nsw1a 1aa\nUnited Kingdom", 0, NULL, "A Smith\n1 High St\nSW1A 1AA");
	CHECK_VERDICT("A Smith\n1 High St\nCF10 1EP\nWales\nUK", 0, NULL, "A Smith\n1 High St\nCF10 1EP");
	CHECK_VERDICT("A Smith\n1 High St\nBT1 5GS\nNorthern Ireland", 0, NULL, "A Smith\n1 High St\nBT1 5GS");
	CHECK_VERDICT("A Smith\n1 High St\nCF10 1EP\nCymru", 0, NULL, "A Smith\n1 High St\nCF10 1EP");
	/* A UK country line is not counted as an address line. */
	CHECK_VERDICT("A Smith\n1 High St\nEngland", 0, "not-enough-address-lines", "A Smith\n1 High St");
	/*
	 * Notify counts UK names from the end stepping over lines that are no
	 * country, and drops that many lines: here two, so the postcode goes too.
	 */
	CHECK_VERDICT("A Smith\nEngland\n10 Road\nSW1A 1AA\nUK", 0, "not-a-real-uk-postcode",
		       "A Smith\nEngland\n10 Road");
	/* A UK name in the middle, with no country last, stays. */
	CHECK_VERDICT("A Smith\nEngland\n1 High St\nSW1A 1AA", 0, NULL, "A Smith\nEngland\n1 High St\nSW1A 1AA");
	struct address_result r = verdict("A Smith\n1 High St\nSW1A 1AA\nGreat Britain", 0);
	CHECK_STR(r.country, "United Kingdom");
	CHECK(r.zone == ADDRESS_ZONE_UNITED_KINGDOM);
	address_result_clear(&r);
}

static void welsh_and_other_country_names(void)
{
	struct address_result r = verdict("Herr Schmidt\nHauptstr. 1\n10115 Berlin\nYr Almaen", 1);
	CHECK(r.valid);
	CHECK_STR(r.country, "Germany");
	CHECK(r.zone == ADDRESS_ZONE_EUROPE);
	CHECK_STR(r.normalised, "Herr Schmidt\nHauptstr. 1\n10115 Berlin\nGermany");
	CHECK_STR(r.postcode, NULL);
	address_result_clear(&r);
	/* Without the article: "yr" is tried in front. */
	CHECK_VERDICT("A\nB\nC\nAlmaen", 1, NULL, "A\nB\nC\nGermany");
	CHECK_VERDICT("A\nB\nC\nYr Eidal", 1, NULL, "A\nB\nC\nItaly");
	CHECK_VERDICT("A\nB\nC\nFfrainc", 1, NULL, "A\nB\nC\nFrance");
	/* Accents and punctuation do not matter; '&' is "and". */
	CHECK_VERDICT("A\nB\nC\nC\xc3\xb4te d\xe2\x80\x99Ivoire", 1, NULL, "A\nB\nC\nIvory Coast");
	CHECK_VERDICT("A\nB\nC\nBosnia & Herzegovina", 1, NULL, "A\nB\nC\nBosnia and Herzegovina");
	/* Non-Latin names: Cyrillic and Greek, matched lower-cased. */
	CHECK_VERDICT("A\nB\nC\n\xd0\xa0\xd0\xbe\xd1\x81\xd1\x81\xd0\xb8\xd1\x8f", 1, NULL, "A\nB\nC\nRussia");
	CHECK_VERDICT("A\nB\nC\n\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1", 1, NULL, "A\nB\nC\nGreece");
	r = verdict("A\nB\nC\nUSA", 1);
	CHECK(r.zone == ADDRESS_ZONE_REST_OF_WORLD);
	CHECK_STR(r.country, "United States");
	address_result_clear(&r);
	/* International letters not allowed. */
	CHECK_VERDICT("A\nB\nC\nFrance", 0, "cant-send-international-letters", "A\nB\nC\nFrance");
}

static void names_with_digits(void)
{
	/* A line with a digit is never a country. */
	CHECK_VERDICT("A\nB\nC\nFrance 2", 1, "not-a-real-uk-postcode-or-country", "A\nB\nC\nFrance 2");
	/* ... superscripts are digits to Python too. */
	CHECK_VERDICT("A\nB\nC\nFrance\xc2\xb2", 1, "not-a-real-uk-postcode-or-country", "A\nB\nC\nFrance\xc2\xb2");
	/* Names with digits are fine address lines. */
	CHECK_VERDICT("Flat 3\n10 Downing St\nSW1A 2AA", 0, NULL, "Flat 3\n10 Downing St\nSW1A 2AA");
	CHECK_VERDICT("3M UK\n2nd Floor\nLS1 1AA", 0, NULL, "3M UK\n2nd Floor\nLS1 1AA");
}

static void postcode_spacing(void)
{
	static const char *const forms[] = {
		"sw1a1aa", "  SW1A   1AA  ", "S W 1 A 1 A A", "sW1a 1Aa", "SW1A\xc2\xa0" "1AA",
		"SW1A\xe2\x80\xaf" "1AA", "SW1A\xe2\x80\x8b" "1AA", "SW1A\t1AA",
		"\xc5\xbfw1a1aa",     /* long s: Python upper-cases it to S */
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		char raw[128];
		snprintf(raw, sizeof raw, "A Smith\n1 High St\n%s", forms[i]);
		struct address_result r = verdict(raw, 0);
		CHECK_STR(r.postcode, "SW1A 1AA");
		CHECK_STR(r.normalised, "A Smith\n1 High St\nSW1A 1AA");
		if (!r.valid)
			printf("  (form %zu: \"%s\")\n", i, forms[i]);
		address_result_clear(&r);
	}
	struct address_result r = verdict("A\nB\nEC1A1BB", 0);
	CHECK_STR(r.postcode, "EC1A 1BB");
	address_result_clear(&r);
	r = verdict("A\nB\nm11ae", 0);
	CHECK_STR(r.postcode, "M1 1AE");
	address_result_clear(&r);
	/* Not real: unknown zone, C/I/K/M/O/V in the last two letters, too long. */
	CHECK_VERDICT("A\nB\nQQ1 1AA", 0, "not-a-real-uk-postcode", "A\nB\nQQ1 1AA");
	CHECK_VERDICT("A\nB\nSW1A 1AC", 0, "not-a-real-uk-postcode", "A\nB\nSW1A 1AC");
	CHECK_VERDICT("A\nB\nSW1A 1AAA", 0, "not-a-real-uk-postcode", "A\nB\nSW1A 1AAA");
	CHECK_VERDICT("A\nB\nGIR 0AA", 0, "not-a-real-uk-postcode", "A\nB\nGIR 0AA");
	/* "BA" and "B" are both zones: B33 8TH and BA1 1AA are both real. */
	CHECK_VERDICT("A\nB\nb33 8th", 0, NULL, "A\nB\nB33 8TH");
	CHECK_VERDICT("A\nB\nba1 1aa", 0, NULL, "A\nB\nBA1 1AA");
}

static void odd_whitespace(void)
{
	/* Non-breaking and narrow no-break spaces are spaces; runs become one. */
	CHECK_VERDICT("Mr\xc2\xa0\xc2\xa0" "A Smith\nUnit\xe2\x80\xaf" "4\nSW1A 1AA", 0, NULL,
		       "Mr A Smith\nUnit 4\nSW1A 1AA");
	/* Zero-width characters vanish; a line of them is empty and dropped. */
	CHECK_VERDICT("Mr\xe2\x80\x8bSmith\n\xef\xbb\xbf\xe2\x80\x8d\n1 High St\nSW1A 1AA", 0, NULL,
		       "MrSmith\n1 High St\nSW1A 1AA");
	/* Space before ',' or '.' goes; trailing spaces and commas go. */
	CHECK_VERDICT("Unit 4 , Trade Park ,\nSt . Ives, ,\nTR26 1AA", 0, NULL,
		       "Unit 4, Trade Park\nSt. Ives\nTR26 1AA");
	/* Python's line breaks: CR LF, CR, vertical tab, U+2028. */
	CHECK_VERDICT("A Smith\r\n1 High St\rTown\x0bSW1A 1AA", 0, NULL, "A Smith\n1 High St\nTown\nSW1A 1AA");
	CHECK_VERDICT("A Smith\xe2\x80\xa8" "1 High St\nSW1A 1AA", 0, NULL, "A Smith\n1 High St\nSW1A 1AA");
	/* Empty, or only spaces and commas. */
	CHECK_VERDICT("", 0, "address-is-empty", "");
	CHECK_VERDICT(" ,\n\xc2\xa0,\n", 1, "address-is-empty", "");
}

static void rule_order_and_codes(void)
{
	CHECK_VERDICT("A\nB", 0, "not-enough-address-lines", "A\nB");
	CHECK_VERDICT("1\n2\n3\n4\n5\n6\n7\nSW1A 1AA", 0, "too-many-address-lines", "1\n2\n3\n4\n5\n6\n7\nSW1A 1AA");
	/* Lines 1 and 2 need an ASCII letter or digit (Notify's [a-zA-Z0-9]). */
	CHECK_VERDICT("---\nB\nSW1A 1AA", 0, "invalid-address-line-1-or-2", "---\nB\nSW1A 1AA");
	CHECK_VERDICT("A\n\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1\nSW1A 1AA", 0, "invalid-address-line-1-or-2",
		       "A\n\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1\nSW1A 1AA");
	/* Line 1-2 comes before the postcode rule. */
	CHECK_VERDICT("...\nB\nC", 0, "invalid-address-line-1-or-2", "...\nB\nC");
	CHECK_VERDICT("A\nB\nParis", 1, "not-a-real-uk-postcode-or-country", "A\nB\nParis");
	CHECK_VERDICT("A\n(B)\nSW1A 1AA", 0, "invalid-char-in-address", "A\n(B)\nSW1A 1AA");
	CHECK_VERDICT("A\nB\n~C\nSW1A 1AA", 0, "invalid-char-in-address", "A\nB\n~C\nSW1A 1AA");
	CHECK_VERDICT("A\nB\n\\C\nSW1A 1AA", 0, "invalid-char-in-address", "A\nB\n\\C\nSW1A 1AA");
	/* The postcode rule comes before the invalid-character rule. */
	CHECK_VERDICT("A\n@B\nC", 0, "not-a-real-uk-postcode", "A\n@B\nC");
	CHECK_VERDICT("A Smith\nnFa\nSW1A 1AA", 0, "no-fixed-abode-address", "A Smith\nnFa\nSW1A 1AA");
	CHECK_VERDICT("A Smith\nof No Fixed Abode\nSW1A 1AA", 0, "no-fixed-abode-address",
		       "A Smith\nof No Fixed Abode\nSW1A 1AA");
	/* Python's IGNORECASE: long s matches s. */
	CHECK_VERDICT("A Smith\nno fixed addre\xc5\xbfs\nSW1A 1AA", 0, "no-fixed-abode-address",
		       "A Smith\nno fixed addre\xc5\xbfs\nSW1A 1AA");
	CHECK_VERDICT("A Smith\nNFA Ltd\nSW1A 1AA", 0, NULL, "A Smith\nNFA Ltd\nSW1A 1AA");
}

static void api_details(void)
{
	struct address_result r = {0};
	CHECK(address_check("A\nB\0\nSW1A 1AA", 13, 0, &r) == -1);
	CHECK_STR(r.error, ADDRESS_ERR_NUL_BYTE);
	CHECK(address_check("A\nB\n\xff", 5, 0, &r) == -1);
	CHECK_STR(r.error, ADDRESS_ERR_NOT_UTF8);
	CHECK(r.normalised == NULL && !r.valid);
	/* A result is reused: the old strings are freed by the next check. */
	CHECK(address_check("A\nB\nSW1A 1AA", 12, 0, &r) == 0);
	CHECK(address_check("A\nB\nM1 1AE", 10, 0, &r) == 0);
	CHECK_STR(r.postcode, "M1 1AE");
	CHECK(r.line_count == 3);
	/* Only len bytes are read. */
	CHECK(address_check("A\nB\nM1 1AEXXXX", 10, 0, &r) == 0);
	CHECK_STR(r.postcode, "M1 1AE");
	address_result_clear(&r);
	address_result_clear(&r);
	address_result_clear(NULL);
	CHECK_STR(address_zone_name(ADDRESS_ZONE_UNITED_KINGDOM), "united-kingdom");
	CHECK_STR(address_zone_name(ADDRESS_ZONE_EUROPE), "europe");
	CHECK_STR(address_zone_name(ADDRESS_ZONE_REST_OF_WORLD), "rest-of-world");
	static const char *const codes[] = {
		ADDRESS_ERR_EMPTY, ADDRESS_ERR_NOT_ENOUGH_LINES, ADDRESS_ERR_TOO_MANY_LINES,
		ADDRESS_ERR_LINE_1_OR_2, ADDRESS_ERR_BFPO_COUNTRY, ADDRESS_ERR_POSTCODE,
		ADDRESS_ERR_INTERNATIONAL, ADDRESS_ERR_POSTCODE_OR_COUNTRY, ADDRESS_ERR_INVALID_CHAR,
		ADDRESS_ERR_NO_FIXED_ABODE, ADDRESS_ERR_NOT_UTF8, ADDRESS_ERR_NUL_BYTE,
		ADDRESS_ERR_NO_MEMORY,
	};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		CHECK(address_error_message(codes[i]) != NULL);
	CHECK(address_error_message("no-such-code") == NULL);
	CHECK(address_error_message(NULL) == NULL);
	CHECK(strlen(address_unicode_version_string()) > 0);
}

/* Long text: buffers beyond the small fast paths, keys longer than any country. */
static void long_input(void)
{
	size_t n = 20000;
	char *raw = malloc(n + 400);
	CHECK(raw != NULL);
	if (!raw)
		return;
	memcpy(raw, "A Smith\n", 8);
	memset(raw + 8, 'x', n);
	memcpy(raw + 8 + n, " no fixed abode\nSW1A 1AA", 25);
	struct address_result r = verdict(raw, 0);
	CHECK_STR(r.error, "no-fixed-abode-address");
	CHECK(r.normalised && strlen(r.normalised) == n + 8 + 24);
	address_result_clear(&r);
	memcpy(raw + 8 + n, "\nB\n", 4);
	memset(raw + 12 + n, 'y', 300);   /* a last line longer than any country key */
	raw[12 + n + 300] = '\0';
	r = verdict(raw, 1);
	CHECK_STR(r.error, "not-a-real-uk-postcode-or-country");
	address_result_clear(&r);
	free(raw);
}

static void nfkd(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"\xef\xac\x80", "ff"},                          /* U+FB00 ligature ff */
		{"\xef\xac\x81le", "file"},                      /* U+FB01 ligature fi */
		{"\xc3\xa9", "e\xcc\x81"},                       /* é -> e + U+0301 */
		{"T\xc5\xb7", "Ty\xcc\x82"},                     /* ŷ (Welsh) -> y + U+0302 */
		{"\xc2\xb2", "2"},                               /* superscript two */
		{"\xef\xbc\xa1", "A"},                           /* full-width A */
		{"\xc2\xa0", " "},                               /* no-break space */
		{"\xe1\xba\xa5", "a\xcc\x82\xcc\x81"},           /* ấ: two marks, in order */
		{"a\xcc\x81\xcc\xa3", "a\xcc\xa3\xcc\x81"},      /* marks put in canonical order */
		{"\xed\x95\x9c", "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"},  /* Hangul 한 */
		{"plain ASCII", "plain ASCII"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL;
		CHECK(address_nfkd(cases[i].in, strlen(cases[i].in), &out) == 0);
		CHECK_STR(out, cases[i].out);
		free(out);
	}
	char *out = (char *)"x";
	CHECK(address_nfkd("\xc3", 1, &out) == -1);
	CHECK(out == NULL);
	CHECK(address_nfkd("\xed\xa0\x80", 3, &out) == -1);   /* a surrogate */
	CHECK(address_nfkd("\xc0\xaf", 2, &out) == -1);       /* overlong '/' */
}

int main(void)
{
	bfpo_forms();
	trailing_uk_countries();
	welsh_and_other_country_names();
	names_with_digits();
	postcode_spacing();
	odd_whitespace();
	rule_order_and_codes();
	api_details();
	long_input();
	nfkd();
	return test_exit("test-address");
}
