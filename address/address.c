/*
 * address.c: address_check(), Notify's postal-address rules in order.
 *
 * The steps follow Notify's PostalAddress (notifications-utils, MIT):
 *   1. normalise the lines (normalise.c);
 *   2. take out BFPO lines: the first "BFPO N" gives the number, and then
 *      every BFPO line goes, numbered or not;
 *   3. find the country: if the last line names one, lines go from the end:
 *      one, or as many as there are UK names walking up from the end (lines
 *      that are no country are stepped over, a non-UK country stops the
 *      walk), which is Notify's arithmetic even when it takes other lines;
 *   4. a UK address whose last remaining line is a postcode gets it
 *      formatted; the normalised lines are then rebuilt as Notify prints them;
 *   5. the rules of LETTER-SPEC 5 are checked in order; the first that fails
 *      is the error.
 */
#include "address.h"

#include <stdlib.h>
#include <string.h>

#include "address-imp.h"
#include "lk_buf.h"
#include "unicode.h"

/* The parts of an address while it is checked; lines point into cps. */
struct parsed {
	struct address_line *lines;          /* normalised, without BFPO lines */
	size_t count;
	const uint32_t *bfpo;                /* digits of the BFPO number */
	size_t bfpo_len;
	int is_bfpo;
	const struct address_country *country;   /* NULL: the UK by default */
	size_t kept;                         /* lines before the country */
	char postcode[ADDRESS_POSTCODE_MAX];
	int has_postcode;
	int international;
};

/* Step 2: BFPO lines out, number kept. */
static void take_out_bfpo(struct parsed *p)
{
	for (size_t i = 0; i < p->count && !p->is_bfpo; i++) {
		const uint32_t *d;
		size_t nd;
		if (address_bfpo_match(p->lines[i].cp, p->lines[i].len, &d, &nd) == 2) {
			p->is_bfpo = 1;
			p->bfpo = d;
			p->bfpo_len = nd;
		}
	}
	if (!p->is_bfpo)
		return;
	size_t out = 0;
	for (size_t i = 0; i < p->count; i++) {
		const uint32_t *d;
		size_t nd;
		if (!address_bfpo_match(p->lines[i].cp, p->lines[i].len, &d, &nd))
			p->lines[out++] = p->lines[i];
	}
	p->count = out;
}

/* Step 3: the country, and the lines before it. */
static void find_country(struct parsed *p)
{
	p->kept = p->count;
	if (p->count == 0)
		return;
	const struct address_line *last = &p->lines[p->count - 1];
	const struct address_country *c = address_country_lookup(last->cp, last->len);
	if (!c)
		return;
	/*
	 * Notify drops as many lines as it counts UK names from the end, even
	 * when other lines sit between them; bug for bug, so we agree with it.
	 */
	size_t uk_names = 0;
	for (size_t i = p->count; i-- > 0;) {
		const struct address_country *l =
			i == p->count - 1 ? c : address_country_lookup(p->lines[i].cp, p->lines[i].len);
		if (!l)
			continue;
		if (!address_country_is_uk(l))
			break;
		uk_names++;
	}
	size_t drop = uk_names ? uk_names : 1;
	p->country = c;
	p->kept = p->count - drop;
}

static enum address_zone zone_of(const struct parsed *p)
{
	return p->country ? p->country->zone : ADDRESS_ZONE_UNITED_KINGDOM;
}

/* The normalised lines as UTF-8, joined by '\n'. */
struct text {
	struct lk_buf b;   /* an allocation failure shows in b.oom */
	int lines;
};

/* Starts a new line (the '\n' before all but the first). */
static void text_new_line(struct text *t)
{
	if (t->lines++)
		lk_buf_append(&t->b, "\n", 1);
}

static void text_line_utf8(struct text *t, const char *s, size_t len)
{
	text_new_line(t);
	lk_buf_append(&t->b, s, len);
}

static void text_line(struct text *t, const uint32_t *cp, size_t len)
{
	char chunk[256];
	size_t n = 0;
	text_new_line(t);
	for (size_t i = 0; i < len; i++) {
		if (n + 4 > sizeof chunk) {
			lk_buf_append(&t->b, chunk, n);
			n = 0;
		}
		n += lk_utf8_put(cp[i], chunk + n);
	}
	lk_buf_append(&t->b, chunk, n);
}

/* The BFPO number as Python's int() prints it: ASCII, no leading zeros. */
static char *bfpo_number(const struct parsed *p)
{
	size_t i = 0;
	while (i + 1 < p->bfpo_len && address_uc_decimal(p->bfpo[i]) == 0)
		i++;
	char *s = malloc(p->bfpo_len - i + 1);
	if (!s)
		return NULL;
	size_t n = 0;
	for (; i < p->bfpo_len; i++)
		s[n++] = (char)('0' + address_uc_decimal(p->bfpo[i]));
	s[n] = '\0';
	return s;
}

/* Step 4: the normalised lines, as Notify's normalised_lines. Returns 0, or -1 when out of memory. */
static int build_normalised(const struct parsed *p, const char *bfpo, struct text *t)
{
	size_t body = p->kept;
	if (p->has_postcode)
		body--;   /* the raw postcode line, printed formatted below */
	for (size_t i = 0; i < body; i++)
		text_line(t, p->lines[i].cp, p->lines[i].len);
	if (p->has_postcode)
		text_line_utf8(t, p->postcode, strlen(p->postcode));
	if (p->is_bfpo) {
		text_line_utf8(t, "BFPO ", 5);
		lk_buf_puts(&t->b, bfpo);
	}
	if (p->international)
		text_line_utf8(t, p->country->name, strlen(p->country->name));
	lk_buf_append(&t->b, "", 0);   /* "" when there are no lines */
	return t->b.oom ? -1 : 0;
}

/* Does any of the first two lines lack an ASCII letter or digit? */
static int bad_line_1_or_2(const char *s)
{
	for (int line = 0; line < 2; line++) {
		int ok = 0;
		for (; *s && *s != '\n'; s++)
			if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))
				ok = 1;
		if (!ok)
			return 1;
		if (*s)
			s++;
	}
	return 0;
}

static int bad_first_char(const char *s)
{
	for (;;) {
		if (*s && strchr("@()=[]\"\\/,<>~", *s))
			return 1;
		s = strchr(s, '\n');
		if (!s)
			return 0;
		s++;
	}
}

/*
 * re.search("no fixed (abode|address)", text, re.IGNORECASE), on code
 * points: besides ASCII case, U+0130, U+0131, U+017F and U+212A match too.
 */
static int has_phrase_at(const uint32_t *cp, size_t n, const char *phrase)
{
	size_t i = 0;
	for (; *phrase; phrase++, i++) {
		if (i >= n)
			return 0;
		if (*phrase == ' ' ? cp[i] != ' ' : address_uc_fold_ascii(cp[i]) != *phrase)
			return 0;
	}
	return 1;
}

static int no_fixed_abode(const char *text, size_t len)
{
	/* Lines that are just "NFA", any case (no other letter lower-cases to n, f or a). */
	for (const char *s = text; s;) {
		const char *end = strchr(s, '\n');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (n == 3 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'f' && (s[2] | 0x20) == 'a')
			return 1;
		s = end ? end + 1 : NULL;
	}
	/*
	 * "no f" can only match ASCII letters (only i and s have non-ASCII
	 * case-insensitive twins), so look for it first, cheaply.
	 */
	int maybe = 0;
	for (size_t i = 0; i + 4 <= len && !maybe; i++)
		maybe = (text[i] | 0x20) == 'n' && (text[i + 1] | 0x20) == 'o' && text[i + 2] == ' ' &&
			(text[i + 3] | 0x20) == 'f';
	if (!maybe)
		return 0;
	uint32_t stack[256];
	uint32_t *cp = len <= 256 ? stack : malloc(len * sizeof *cp);
	if (!cp)
		return -1;
	long n = lk_utf8_decode(text, len, cp);
	int found = 0;
	for (long i = 0; i < n && !found; i++)
		found = has_phrase_at(cp + i, (size_t)(n - i), "no fixed abode") ||
			has_phrase_at(cp + i, (size_t)(n - i), "no fixed address");
	if (cp != stack)
		free(cp);
	return found;
}

/* Step 5: the first rule that fails, or NULL. */
static const char *first_error(const struct parsed *p, const struct text *t, int allow_international,
			       int *nfa_failed)
{
	if (t->b.len == 0)
		return ADDRESS_ERR_EMPTY;
	if (t->lines < ADDRESS_MIN_LINES)
		return ADDRESS_ERR_NOT_ENOUGH_LINES;
	if (t->lines > ADDRESS_MAX_LINES)
		return ADDRESS_ERR_TOO_MANY_LINES;
	if (bad_line_1_or_2(t->b.data))
		return ADDRESS_ERR_LINE_1_OR_2;
	if (p->is_bfpo && p->international)
		return ADDRESS_ERR_BFPO_COUNTRY;
	int last_ok = (allow_international && p->international && !p->is_bfpo) || p->has_postcode ||
		      (p->is_bfpo && !p->international);
	if (!last_ok) {
		if (allow_international)
			return ADDRESS_ERR_POSTCODE_OR_COUNTRY;
		return p->international ? ADDRESS_ERR_INTERNATIONAL : ADDRESS_ERR_POSTCODE;
	}
	if (bad_first_char(t->b.data))
		return ADDRESS_ERR_INVALID_CHAR;
	int nfa = no_fixed_abode(t->b.data, t->b.len);
	if (nfa < 0)
		*nfa_failed = 1;
	if (nfa)
		return ADDRESS_ERR_NO_FIXED_ABODE;
	return NULL;
}

static int fail(struct address_result *res, const char *error)
{
	address_result_clear(res);
	res->error = error;
	return -1;
}

int address_check(const char *raw, size_t len, int allow_international, struct address_result *res)
{
	uint32_t *cps = NULL;
	struct parsed p = {.lines = NULL};
	struct text t = {.lines = 0};
	char *bfpo = NULL;
	const char *oom = ADDRESS_ERR_NO_MEMORY;
	int rc = -1;

	address_result_clear(res);
	if (memchr(raw, '\0', len))
		return fail(res, ADDRESS_ERR_NUL_BYTE);
	if (len >= ((size_t)-1) / sizeof *cps - 1)
		return fail(res, oom);
	cps = malloc((len + 1) * sizeof *cps);
	if (!cps)
		return fail(res, oom);
	long n = lk_utf8_decode(raw, len, cps);
	if (n < 0) {
		free(cps);
		return fail(res, ADDRESS_ERR_NOT_UTF8);
	}
	p.lines = malloc(address_line_slots(cps, (size_t)n) * sizeof *p.lines);
	if (!p.lines)
		goto out;
	p.count = address_normalise_lines(cps, (size_t)n, p.lines);

	take_out_bfpo(&p);
	find_country(&p);
	p.international = zone_of(&p) != ADDRESS_ZONE_UNITED_KINGDOM;
	if (!p.international && p.kept) {
		const struct address_line *l = &p.lines[p.kept - 1];
		p.has_postcode = address_postcode_format(l->cp, l->len, p.postcode);
	}
	if (p.is_bfpo && !(bfpo = bfpo_number(&p)))
		goto out;
	if (build_normalised(&p, bfpo, &t) < 0)
		goto out;

	int nfa_failed = 0;
	res->error = first_error(&p, &t, allow_international, &nfa_failed);
	if (nfa_failed)
		goto out;
	res->valid = res->error == NULL;
	res->line_count = t.lines;
	res->zone = zone_of(&p);
	res->normalised = t.b.data;
	t.b.data = NULL;
	res->bfpo = bfpo;
	bfpo = NULL;
	res->country = strdup(p.country ? p.country->name : "United Kingdom");
	if (!res->country)
		goto out;
	if (p.has_postcode && !(res->postcode = strdup(p.postcode)))
		goto out;
	rc = 0;
out:
	free(cps);
	free(p.lines);
	lk_buf_free(&t.b);
	free(bfpo);
	if (rc < 0)
		fail(res, oom);
	return rc;
}

void address_result_clear(struct address_result *res)
{
	if (!res)
		return;
	free(res->normalised);
	free(res->postcode);
	free(res->bfpo);
	free(res->country);
	memset(res, 0, sizeof *res);
}

const char *address_zone_name(enum address_zone zone)
{
	switch (zone) {
	case ADDRESS_ZONE_EUROPE:
		return "europe";
	case ADDRESS_ZONE_REST_OF_WORLD:
		return "rest-of-world";
	case ADDRESS_ZONE_UNITED_KINGDOM:
	default:
		return "united-kingdom";
	}
}

const char *address_result_zone(const struct address_result *res)
{
	return res->normalised ? address_zone_name(res->zone) : NULL;
}

const char *address_error_message(const char *error)
{
	static const struct {
		const char *code, *message;
	} messages[] = {
		{ADDRESS_ERR_EMPTY, "There is no address: the address has no text."},
		{ADDRESS_ERR_NOT_ENOUGH_LINES, "The address must have at least 3 lines."},
		{ADDRESS_ERR_TOO_MANY_LINES, "The address must have at most 7 lines "
		 "(a UK country at the end is not counted)."},
		{ADDRESS_ERR_LINE_1_OR_2, "Lines 1 and 2 of the address must each contain a letter "
		 "or a digit (A-Z, 0-9)."},
		{ADDRESS_ERR_BFPO_COUNTRY, "A BFPO address must not name a country outside the UK: "
		 "remove the country line."},
		{ADDRESS_ERR_POSTCODE, "The last line of the address must be a real UK postcode "
		 "(or a BFPO number)."},
		{ADDRESS_ERR_INTERNATIONAL, "The address is outside the UK, and international letters "
		 "are not allowed (use --international if the service may send them)."},
		{ADDRESS_ERR_POSTCODE_OR_COUNTRY, "The last line of the address must be a real UK "
		 "postcode, a BFPO number or a country."},
		{ADDRESS_ERR_INVALID_CHAR, "No line of the address may start with any of "
		 "@ ( ) = [ ] \" \\ / , < > ~"},
		{ADDRESS_ERR_NO_FIXED_ABODE, "Letters cannot be sent to a person of no fixed abode "
		 "(a line is \"NFA\", or the address says \"no fixed abode\" or \"no fixed address\")."},
		{ADDRESS_ERR_NOT_UTF8, "The address text is not valid UTF-8."},
		{ADDRESS_ERR_NUL_BYTE, "The address text holds a NUL byte."},
		{ADDRESS_ERR_NO_MEMORY, "Out of memory while checking the address."},
	};
	for (size_t i = 0; error && i < sizeof messages / sizeof messages[0]; i++)
		if (strcmp(messages[i].code, error) == 0)
			return messages[i].message;
	return NULL;
}

const char *address_unicode_version_string(void)
{
	return address_unicode_version;
}
