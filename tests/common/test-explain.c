/* test-explain.c: lk_explain's table and findings said in people's terms. */
#include <stdio.h>
#include <string.h>

#include "lk_explain.h"
#include "test.h"

static void test_table(void)
{
	size_t n;
	const struct lk_explanation *all = lk_explain_all(&n);
	CHECK(n > 60);
	for (size_t i = 0; i < n; i++) {
		CHECK(all[i].short_text[0] && all[i].long_text[0] && all[i].who[0]);
		/* a short form is one line with no full stop of its own */
		CHECK(!strchr(all[i].short_text, '\n'));
		CHECK(all[i].short_text[strlen(all[i].short_text) - 1] != '.');
		CHECK(all[i].long_text[strlen(all[i].long_text) - 1] == '\n');
		CHECK(lk_explain(all[i].code) == &all[i]);   /* no code twice */
	}
	CHECK_STR(lk_explain_short("not-a-real-uk-postcode"), "the last line of the address must be a UK postcode");
	CHECK(lk_explain("no-such-code") == NULL);
	CHECK(lk_explain(NULL) == NULL);
	CHECK(strstr(lk_explain("content-outside-printable-area")->long_text, "15 mm"));
	CHECK(strstr(lk_explain("content-outside-printable-area")->long_text, "95 mm"));
}

static void test_findings(void)
{
	char buf[300];
	const double a3[4] = {0, 0, 297, 420}, a4_land[4] = {0, 0, 297, 210}, odd[4] = {0, 0, 200, 200};
	CHECK_STR(lk_explain_finding("letter-not-a4-portrait-oriented", 1, a3, buf, sizeof buf),
		  "page 1 is A3 (297 x 420 mm): letters must be A4 portrait (210 x 297 mm, 2 mm either way)");
	CHECK_STR(lk_explain_finding("letter-not-a4-portrait-oriented", 2, a4_land, buf, sizeof buf),
		  "page 2 is A4 landscape (297 x 210 mm): letters must be A4 portrait (210 x 297 mm, 2 mm either way)");
	CHECK_STR(lk_explain_finding("letter-not-a4-portrait-oriented", 1, odd, buf, sizeof buf),
		  "page 1 is not a standard paper size (200 x 200 mm): letters must be A4 portrait (210 x 297 mm, 2 mm either way)");
	const double wide[4] = {0, 0, 212.5, 297};
	CHECK_STR(lk_explain_finding("letter-not-a4-portrait-oriented", 1, wide, buf, sizeof buf),
		  "page 1 is a little off A4 (212.5 x 297 mm): letters must be A4 portrait (210 x 297 mm, 2 mm either way)");
	const double full[4] = {0, 0, 210.1, 297.1};
	CHECK_STR(lk_explain_finding("content-outside-printable-area", 1, full, buf, sizeof buf),
		  "page 1: a full-page image or background covers every margin (x 0.0-210.1 mm, y 0.0-297.1 mm)");
	const double left[4] = {3, 120, 40.1, 130};
	CHECK_STR(lk_explain_finding("content-outside-printable-area", 2, left, buf, sizeof buf),
		  "page 2: something is printed in the left margin (x 3.0-40.1 mm, y 120.0-130.0 mm)");
	const double hair[4] = {15, -0.0004, 55, 3};   /* a mark a hair above the page: not "-0.0" */
	CHECK_STR(lk_explain_finding("content-outside-printable-area", 1, hair, buf, sizeof buf),
		  "page 1: something is printed in the top margin (x 15.0-55.0 mm, y 0.0-3.0 mm)");
	const double corner[4] = {190, 290, 200, 296};
	CHECK_STR(lk_explain_finding("content-outside-printable-area", 3, corner, buf, sizeof buf),
		  "page 3: something is printed in the right margin and the bottom margin "
		  "(x 190.0-200.0 mm, y 290.0-296.0 mm)");
	const double top[4] = {20, 75, 100, 85};   /* inside the margins, in page 1's top 95 mm */
	CHECK_STR(lk_explain_finding("content-outside-printable-area", 1, top, buf, sizeof buf),
		  "page 1: something is printed in the space around the address window at the top of page 1 "
		  "(x 20.0-100.0 mm, y 75.0-85.0 mm)");
	CHECK_STR(lk_explain_finding("notify-tag-found-in-content", 2, NULL, buf, sizeof buf),
		  "page 2 has the word NOTIFY in its top-left corner: only page 1 may");
	CHECK_STR(lk_explain_finding("letter-too-long", 0, NULL, buf, sizeof buf), "the letter has more than 10 pages");
	CHECK_STR(lk_explain_finding("not-a-real-uk-postcode", 1, NULL, buf, sizeof buf),
		  "page 1: the last line of the address must be a UK postcode");
	CHECK_STR(lk_explain_finding("made-up", 0, NULL, buf, sizeof buf), "made-up");
	/* a small buffer: cut, never overrun */
	char tiny[8];
	CHECK_STR(lk_explain_finding("letter-not-a4-portrait-oriented", 1, a3, tiny, sizeof tiny), "page 1 ");
}

int main(void)
{
	test_table();
	test_findings();
	return test_exit("test-explain");
}
