/* test-compose.c: the compose library: markup, fonts, rows' errors, layout limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "address.h"
#include "compose.h"
#include "font.h"
#include "markup.h"
#include "zones.h"
#include "../unit/test.h"

static const char *font_dir;
static char tmpdir[] = "/tmp/test-compose-XXXXXX";

/* Writes `text` to a file in the test's folder; returns its path (static). */
static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(99);
	}
	return path;
}

static struct compose_ctx *ctx_from(const char *name, const char *text, char *err, size_t errlen)
{
	struct compose_date date = {2026, 11, 23};
	return compose_ctx_new(write_file(name, text), font_dir, &date, err, errlen);
}

static void test_markup(void)
{
	char err[256];
	const char *src = "# Heading ((name))\n\nOne **bold** line\nsecond line\n\n* item ((x??shown))\n- item two\n"
			  "1. first\n2. second\n***\nlast";
	struct markup *m = compose_markup_parse(src, strlen(src), "t.md", 1, err, sizeof err);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(m->nblocks, 8);
	CHECK_INT(m->blocks[0].kind, BLOCK_HEADING);
	CHECK_INT(m->blocks[0].spans[1].kind, SPAN_FIELD);
	CHECK_STR(m->blocks[0].spans[1].key, "name");
	CHECK_INT(m->blocks[1].kind, BLOCK_PARAGRAPH);
	CHECK_INT(m->blocks[1].line, 3);
	CHECK_INT(m->blocks[1].spans[1].kind, SPAN_BOLD);
	CHECK_INT(m->blocks[2].kind, BLOCK_BULLET);
	CHECK_INT(m->blocks[2].spans[1].kind, SPAN_COND);
	CHECK_STR(m->blocks[2].spans[1].text, "shown");
	CHECK_INT(m->blocks[3].kind, BLOCK_BULLET);
	CHECK_INT(m->blocks[5].kind, BLOCK_NUMBER);
	CHECK_INT(m->blocks[5].number, 2);
	CHECK_INT(m->blocks[6].kind, BLOCK_PAGE_BREAK);
	CHECK_INT(m->blocks[7].line, 11);
	compose_markup_free(m);

	const char *bad = "Fine\n\nDear ((name,\n";
	CHECK(compose_markup_parse(bad, strlen(bad), "t.md", 1, err, sizeof err) == NULL);
	CHECK(strstr(err, "t.md:3: unclosed \"((\"") != NULL);
	CHECK(compose_markup_parse("a (())", 6, "t.md", 1, err, sizeof err) == NULL);
	CHECK(strstr(err, "t.md:1: a placeholder needs a name") != NULL);
	CHECK(compose_markup_parse("caf\xe9", 4, "t.md", 7, err, sizeof err) == NULL);
	CHECK(strstr(err, "t.md:7: not valid UTF-8") != NULL);

	char key[32];
	address_column_key("First Name", key, sizeof key);
	CHECK_STR(key, "firstname");
	address_column_key("address_line-1", key, sizeof key);
	CHECK_STR(key, "addressline1");
}

/*
 * "Passes check by construction" holds only while every zone compose lays
 * out into lies inside the spec region `letterkit check` allows for it
 * (both from lk_letter.h), without the 1 mm of slack Notify adds.
 */
static void check_zone(const char *what, struct lk_letter_rect zone, struct lk_letter_rect region)
{
	if (!lk_letter_rect_inside(zone, region) || zone.x0 >= zone.x1 || zone.y0 >= zone.y1) {
		fprintf(stderr, "zone %s (%.2f,%.2f)-(%.2f,%.2f) is not inside its region (%.2f,%.2f)-(%.2f,%.2f)\n",
			what, zone.x0, zone.y0, zone.x1, zone.y1, region.x0, region.y0, region.x1, region.y1);
		CHECK(0);
	}
}

static void test_zones(void)
{
	check_zone("body, first page", compose_zone_body_first_page(), lk_letter_body_first_page);
	check_zone("body, later pages", compose_zone_body_later_pages(), lk_letter_body_later_pages);
	check_zone("address", compose_zone_address(), lk_letter_address_window);
	check_zone("sender", compose_zone_sender(), lk_letter_sender_block);
	check_zone("logo", compose_zone_logo(), lk_letter_logo_area);
	/* and not inside a region by accident of being empty or outside the page */
	struct lk_letter_rect page = {0, 0, LK_LETTER_WIDTH_MM, LK_LETTER_HEIGHT_MM};
	CHECK(lk_letter_rect_inside(compose_zone_body_later_pages(), page));
	CHECK(!lk_letter_rect_inside((struct lk_letter_rect){14.9, 95, 195, 292}, lk_letter_body_first_page));
}

static void test_font(void)
{
	char err[256], path[512];
	snprintf(path, sizeof path, "%s/LiberationSans-Regular.ttf", font_dir);
	struct font *f = compose_font_load(path, err, sizeof err);
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(compose_font_has(f, 'A'));
	CHECK(compose_font_has(f, 0x0175));   /* ŵ */
	CHECK(compose_font_has(f, 0x0177));   /* ŷ */
	CHECK(compose_font_has(f, 0x00A3));   /* £ */
	CHECK(!compose_font_has(f, 0x4E00));  /* a CJK ideograph */
	CHECK_INT(compose_font_advance(f, ' '), 277);  /* Arial's metrics, as libharu rounds them */
	CHECK_INT(compose_font_text_width(f, "AA", 2), 2 * compose_font_advance(f, 'A'));
	uint32_t cp;
	CHECK_INT(lk_utf8_next((const unsigned char *)"\xc5\xb5", 2, &cp), 2);
	CHECK_INT(cp, 0x175);
	CHECK_INT(lk_utf8_next((const unsigned char *)"\xc0\xaf", 2, &cp), 0);  /* overlong */
	CHECK_INT(lk_utf8_next((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);  /* surrogate */
	compose_font_free(f);
	CHECK(compose_font_load(write_file("not.ttf", "hello"), err, sizeof err) == NULL);
	CHECK(strstr(err, "not a TrueType font") != NULL);
	CHECK_STR(compose_month_name(COMPOSE_WELSH, 11), "Tachwedd");
	CHECK_STR(compose_month_name(COMPOSE_ENGLISH, 2), "February");
	CHECK(compose_month_name(COMPOSE_ENGLISH, 13) == NULL);
}

/* A row with a UK address and one more column. */
static int compose_one(struct compose_ctx *ctx, const char *col, const char *val,
		       const char *line1, struct compose_result *res)
{
	const char *names[] = {"address_line_1", "address_line_2", "postcode", col, "pet"};
	const char *values[] = {line1, "1 High Street", "SW1A 1AA", val, "dog"};
	struct compose_row row = {5, names, values, 7};
	return compose_letter(ctx, &row, res);
}

static void test_rows(void)
{
	char err[512];
	struct compose_result res;
	memset(&res, 0, sizeof res);
	struct compose_ctx *ctx = ctx_from("t.md", "Dear ((name)),\n\n((Name??You have a pet.)) ((pet))", err, sizeof err);
	CHECK(ctx != NULL);
	if (!ctx) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	CHECK_INT(compose_one(ctx, "name", "Siân Ŵyn £5", "Ms Siân Ŵyn", &res), 0);
	CHECK(res.error == NULL);
	CHECK(res.pdf != NULL && res.pdf_len > 1000 && !memcmp(res.pdf, "%PDF-", 5));
	CHECK_INT(res.pages, 1);
	CHECK_STR(res.address, "Ms Siân Ŵyn\n1 High Street\nSW1A 1AA");
	CHECK_STR(res.zone, "united-kingdom");

	CHECK_INT(compose_one(ctx, "surname", "x", "A", &res), 0);
	CHECK_STR(res.error, COMPOSE_ERR_PLACEHOLDER);
	CHECK(strstr(res.message, "row 7: no column for placeholder ((name)), ((Name))") != NULL);
	CHECK(res.pdf == NULL);

	CHECK_INT(compose_one(ctx, "name", "Wang \xe4\xb8\x80", "A", &res), 0);
	CHECK_STR(res.error, COMPOSE_ERR_GLYPH);
	CHECK(strstr(res.message, "row 7: the font") != NULL);
	CHECK(strstr(res.message, "(U+4E00)") != NULL);

	CHECK_INT(compose_one(ctx, "name", "bell\a", "A", &res), 0);
	CHECK_STR(res.error, COMPOSE_ERR_TEXT);

	CHECK_INT(compose_one(ctx, "name", "x", "(Bad", &res), 0);
	CHECK_STR(res.error, "invalid-char-in-address");
	CHECK(strstr(res.message, "row 7: address: invalid-char-in-address") != NULL);

	/* A line too long for the window even at the smallest size. */
	char wide[400];
	memset(wide, 'W', 120);
	wide[120] = '\0';
	CHECK_INT(compose_one(ctx, "name", "x", wide, &res), 0);
	CHECK_STR(res.error, COMPOSE_ERR_ADDRESS_FIT);
	CHECK(strstr(res.message, "line 1 is too long") != NULL);
	compose_result_clear(&res);
	compose_ctx_free(ctx);

	/* More than ten pages. */
	ctx = ctx_from("long.md", "((text))\n***\n((text))\n***\n((text))\n***\n((text))\n***\n((text))\n***\n"
		       "((text))\n***\n((text))\n***\n((text))\n***\n((text))\n***\n((text))\n***\nlast", err, sizeof err);
	CHECK(ctx != NULL);
	if (ctx) {
		CHECK_INT(compose_one(ctx, "text", "page", "A", &res), 0);
		CHECK_STR(res.error, COMPOSE_ERR_TOO_LONG);
		CHECK(strstr(res.message, "more than 10 pages") != NULL);
		compose_result_clear(&res);
		compose_ctx_free(ctx);
	}

	/* One word far longer than a line is broken, not lost. */
	ctx = ctx_from("word.md", "((text))", err, sizeof err);
	if (ctx) {
		char word[2001];
		for (int i = 0; i < 2000; i++)
			word[i] = "ŵa"[i % 3];
		word[2000] = '\0';
		word[1999] = 'a';
		word[1998] = 'a';
		CHECK_INT(compose_one(ctx, "text", word, "A", &res), 0);
		CHECK(res.error == NULL);
		CHECK(res.pdf != NULL);
		compose_result_clear(&res);
		compose_ctx_free(ctx);
	}
}

static void test_settings(void)
{
	char err[512];
	struct compose_ctx *ctx = ctx_from("s1.conf", "[letter]\nfont_size = 40\n[body]\nx", err, sizeof err);
	CHECK(ctx == NULL);
	CHECK(strstr(err, "s1.conf:2: font_size must be a number of points from 8 to 16, not '40'") != NULL);
	ctx = ctx_from("s2.conf", "[letter]\ncolour = red\n[body]\nx", err, sizeof err);
	CHECK(ctx == NULL);
	CHECK(strstr(err, "s2.conf:2: unknown setting 'colour'") != NULL);
	ctx = ctx_from("s3.conf", "[letter]\nlogo = missing.png\n[body]\nx", err, sizeof err);
	CHECK(ctx == NULL);
	CHECK(strstr(err, "s3.conf:2: logo:") != NULL && strstr(err, "missing.png") != NULL);
	write_file("bad.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10 broken");
	ctx = ctx_from("s4.conf", "[letter]\nlogo = bad.png\n[body]\nx", err, sizeof err);
	CHECK(ctx == NULL);
	CHECK(strstr(err, "s4.conf:2: logo:") != NULL);
	ctx = ctx_from("s5.conf", "[letter]\npage_numbers = maybe\n[body]\nx", err, sizeof err);
	CHECK(ctx == NULL);
	CHECK(strstr(err, "page_numbers must be yes or no") != NULL);
	ctx = ctx_from("s6.conf", "[letter]\nsender = Office\n", err, sizeof err);
	CHECK(ctx == NULL);
	CHECK(strstr(err, "no body") != NULL);
	ctx = ctx_from("s7.conf", "[letter]\nlanguage = welsh\nsender = Swyddfa\n[body]\nHelo ((enw))", err, sizeof err);
	CHECK(ctx != NULL);
	compose_ctx_free(ctx);
	ctx = ctx_from("s8.conf", "[letter]\n[body]\nline 4 is ((bad\n", err, sizeof err);
	CHECK(ctx == NULL);
	CHECK(strstr(err, "s8.conf:3: unclosed") != NULL);
}

/* Random templates of markup characters: each is either refused with a message or makes letters. */
static void test_random_templates(void)
{
	static const char *const bits[] = {
		"((", "))", "??", "**", "# ", "* ", "- ", "1. ", "***", "\n", "\n\n", " ", "name", "Ŵ",
		"£", "(", ")", "?", "*", "#", "x", "\t", "\r\n", "((name))", "((name??yes))", "((other))",
	};
	unsigned seed = 12345;
	int made = 0, refused = 0;
	for (int t = 0; t < 400; t++) {
		char text[600] = "";
		size_t len = 0;
		int parts = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 40;
		for (int i = 0; i < parts; i++) {
			seed = seed * 1103515245u + 12345u;
			const char *b = bits[(seed >> 16) % (sizeof bits / sizeof bits[0])];
			size_t n = strlen(b);
			if (len + n + 1 >= sizeof text)
				break;
			memcpy(text + len, b, n + 1);
			len += n;
		}
		char err[512];
		err[0] = '\0';
		struct compose_ctx *ctx = ctx_from("random.md", text, err, sizeof err);
		if (!ctx) {
			CHECK(strstr(err, "random.md:") != NULL);
			refused++;
			continue;
		}
		struct compose_result res;
		memset(&res, 0, sizeof res);
		CHECK_INT(compose_one(ctx, "name", "Siân", "A Person", &res), 0);
		CHECK((res.pdf != NULL) != (res.error != NULL));
		made += res.pdf != NULL;
		compose_result_clear(&res);
		compose_ctx_free(ctx);
	}
	CHECK(made > 50);
	CHECK(refused > 10);
}

int main(int argc, char **argv)
{
	font_dir = argc > 1 ? argv[1] : "/usr/share/fonts/truetype/liberation2";
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_markup();
	test_font();
	test_rows();
	test_settings();
	test_random_templates();
	test_zones();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return test_exit("test-compose");
}
