/* lk_exit.c: the one message every front end gives for bad usage. */
#include <stdio.h>

#include "lk_exit.h"

int lk_usage_error(const char *prog, const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s%s (see '%s --help')\n", prog, what,
		arg ? " '" : "", arg ? arg : "", arg ? "'" : "", prog);
	return LK_EXIT_ERROR;
}
