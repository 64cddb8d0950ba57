/* lk_tty.c: colour and a progress line, on a terminal only. */
#include "lk_tty.h"
#include "lk_text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_AFTER 1.0      /* seconds before the line first appears */
#define PROGRESS_EVERY 0.1      /* seconds between redraws */

int lk_tty_is(FILE *f)
{
	const char *term = getenv("TERM");
	return isatty(fileno(f)) && !(term && strcmp(term, "dumb") == 0);
}

int lk_tty_colour(FILE *f)
{
	const char *no = getenv("NO_COLOR");
	return lk_tty_is(f) && !(no && *no);
}

void lk_tty_word(FILE *f, int colour, enum lk_colour c, const char *word)
{
	static const char *const sgr[] = {[LK_GREEN] = "32", [LK_RED] = "31", [LK_YELLOW] = "33"};
	if (colour)
		fprintf(f, "\033[1;%sm%s\033[0m", sgr[c], word);
	else
		fputs(word, f);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void lk_progress_start(struct lk_progress *p, const char *prog, const char *verb, long total)
{
	memset(p, 0, sizeof *p);
	p->on = lk_tty_is(stderr);
	p->prog = prog;
	p->verb = verb;
	p->total = total;
	p->started = now();
}

void lk_progress_step(struct lk_progress *p)
{
	p->done++;
	if (!p->on)
		return;
	double t = now();
	if (t - p->started < PROGRESS_AFTER || t - p->drawn < PROGRESS_EVERY)
		return;
	/* \033[K clears what a longer earlier line left. */
	if (p->total >= 0)
		fprintf(stderr, "\r%s: %s %ld of %ld letters\033[K", p->prog, p->verb, p->done, p->total);
	else
		fprintf(stderr, "\r%s: %s %ld letters\033[K", p->prog, p->verb, p->done);
	fflush(stderr);
	p->shown = 1;
	p->drawn = t;
}

void lk_progress_hide(struct lk_progress *p)
{
	if (!p->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->shown = 0;
}

void lk_say(struct lk_progress *p, const char *prog, const char *fmt, ...)
{
	char msg[4096], safe[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p)
		lk_progress_hide(p);
	fprintf(stderr, "%s: %s\n", prog, lk_safe(msg, safe, sizeof safe));
}
