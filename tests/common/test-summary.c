/* test-summary.c: lk_summary, the line that ends every batch; lk_tty's tests for a terminal. */
#include <stdio.h>
#include <stdlib.h>

#include "lk_summary.h"
#include "lk_tty.h"
#include "test.h"

static const struct lk_summary_words check_words = {"passed", "failed", "could not be checked"};

static void test_lines(void)
{
	struct lk_summary s = {0};
	char line[256];
	CHECK_STR(lk_summary_line(&s, &check_words, line, sizeof line), "no letters");
	lk_summary_pass(&s);
	CHECK_STR(lk_summary_line(&s, &check_words, line, sizeof line), "the letter passed");
	lk_summary_pass(&s);
	CHECK_STR(lk_summary_line(&s, &check_words, line, sizeof line), "all 2 letters passed");
	lk_summary_error(&s);
	CHECK_STR(lk_summary_line(&s, &check_words, line, sizeof line), "1 of 3 letters could not be checked");
	/* Most first; of two as frequent, the one that got there first. */
	lk_summary_fail(&s, "letter-too-long");
	lk_summary_fail(&s, "content-outside-printable-area");
	lk_summary_fail(&s, "content-outside-printable-area");
	lk_summary_fail(&s, "notify-tag-found-in-content");
	lk_summary_fail(&s, "letter-too-long");
	CHECK_STR(lk_summary_line(&s, &check_words, line, sizeof line),
		  "5 of 8 letters failed: 2 content-outside-printable-area, 2 letter-too-long, "
		  "1 notify-tag-found-in-content; 1 could not be checked");
	CHECK_INT(s.passed + s.failed + s.errors, s.letters);
	/* A code is somebody's text (a virus name): shown escaped. */
	lk_summary_fail(&s, "Evil\033[2J");
	lk_summary_line(&s, &check_words, line, sizeof line);
	CHECK(strchr(line, '\033') == NULL);
	CHECK(strstr(line, "1 Evil\\x1b[2J") != NULL);
	/* Cut short, never past the buffer. */
	char small[24];
	CHECK_STR(lk_summary_line(&s, &check_words, small, sizeof small), "6 of 9 letters faile...");
	lk_summary_free(&s);
	CHECK_INT(s.letters, 0);
}

static void test_tty(void)
{
	FILE *f = tmpfile();
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(lk_tty_is(f), 0);       /* a file is no terminal */
	CHECK_INT(lk_tty_colour(f), 0);
	lk_tty_word(f, 0, LK_RED, "FAIL");
	lk_tty_word(f, 1, LK_GREEN, "PASS");
	char got[64] = "";
	rewind(f);
	size_t n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	CHECK_STR(got, "FAIL\033[1;32mPASS\033[0m");
	fclose(f);
}

int main(void)
{
	test_lines();
	test_tty();
	return test_exit("test-summary");
}
