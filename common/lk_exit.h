/* lk_exit.h: the exit statuses every letterkit command uses. */
#ifndef LK_EXIT_H
#define LK_EXIT_H

enum lk_exit {
	LK_EXIT_OK = 0,     /* every letter passed */
	LK_EXIT_FAIL = 1,   /* some letter failed a check (a finding, not an error) */
	LK_EXIT_ERROR = 2,  /* usage or system error: something could not be checked */
};

/* The worse of two statuses: a batch exits with the worst (2 > 1 > 0). */
static inline int lk_exit_worse(int a, int b)
{
	return a > b ? a : b;
}

/**
 * For a command's front end: prints "PROG: WHAT 'ARG' (see 'PROG --help')"
 * on stderr, PROG being e.g. "letterkit send" (ARG may be NULL), and returns
 * LK_EXIT_ERROR, the status for bad usage.
 */
int lk_usage_error(const char *prog, const char *what, const char *arg);

#endif
