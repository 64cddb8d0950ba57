/*
 * lk_tty.h: output for a person at a terminal, and only there.
 *
 * Colour and a progress line are for people: in a pipe or a file they are
 * noise (escape sequences in a log, a line rewritten with \r). Colour is
 * used only when the stream is a terminal, NO_COLOR is unset or empty
 * (https://no-color.org) and TERM is not "dumb"; the progress line only
 * when stderr is a terminal and TERM is not "dumb".
 */
#ifndef LK_TTY_H
#define LK_TTY_H

#include <stdio.h>

/** 1 when `f` is a terminal that understands escape sequences (TERM is not "dumb"). */
int lk_tty_is(FILE *f);

/** 1 when colour may be written to `f`: lk_tty_is(f) and NO_COLOR unset or empty. */
int lk_tty_colour(FILE *f);

enum lk_colour { LK_GREEN, LK_RED, LK_YELLOW };

/**
 * Writes `word` to f, in colour when `colour` (the caller's lk_tty_colour(f),
 * asked once per batch). The word is the caller's own text, never a letter's.
 */
void lk_tty_word(FILE *f, int colour, enum lk_colour c, const char *word);

/*
 * A progress line on stderr for a long batch: "letterkit check: 12 of 39
 * letters" rewritten in place with \r. It appears only on a terminal, only
 * once the batch has run a second, at most ten times a second. Anything
 * else written to the terminal must call lk_progress_hide() first (the
 * line is then drawn again at the next step). Zero-initialise, then
 * lk_progress_start().
 */
struct lk_progress {
	int on;            /* stderr is a terminal */
	int shown;         /* the line is on the screen now */
	const char *prog;  /* "letterkit check" */
	const char *verb;  /* "checked" */
	long total;        /* letters in the batch, or -1 when unknown (records on stdin) */
	long done;
	double started, drawn;
};

void lk_progress_start(struct lk_progress *p, const char *prog, const char *verb, long total);
/** One more letter done; redraws the line when it is time to. */
void lk_progress_step(struct lk_progress *p);
/** Clears the line from the screen (before other output; at the end of the batch). */
void lk_progress_hide(struct lk_progress *p);

/**
 * A message for people on stderr, "PROG: MESSAGE": formatted, its control
 * characters escaped (lk_safe: it may hold a file name or a letter's text),
 * with the progress line p (may be NULL) cleared first.
 */
void lk_say(struct lk_progress *p, const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
