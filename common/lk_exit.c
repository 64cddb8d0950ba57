/* lk_exit.c: the one message every front end gives for bad usage. */
#include <stdio.h>

#include "lk_exit.h"

int lk_usage_error(const char *command, const char *what, const char *arg)
{
	fprintf(stderr, "letterkit %s: %s%s%s%s (see 'letterkit %s --help')\n", command, what,
		arg ? " '" : "", arg ? arg : "", arg ? "'" : "", command);
	return LK_EXIT_ERROR;
}
