/*
 * lk_fixups.c: fix's fixup names and its --only and --min-scale, for fix
 * and run (lk_fixups.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk_fixups.h"

const char *const lk_fixup_names[LK_N_FIXUPS + 1] = {
	"notify-tag", "a4", "rotate-landscape", "scale-to-fit", "shrink", NULL};

int lk_fixups_parse(const struct lk_cmd *cmd, const char *opt, const char *arg, unsigned *bits)
{
	char *copy = strdup(arg), *save = NULL;
	if (!copy) {
		lk_opt_error(cmd, "out of memory", NULL);
		return -1;
	}
	*bits = 0;
	int rc = 0;
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int i;
		if (lk_opt_choice(cmd, opt, w, lk_fixup_names, &i) != 0) {
			rc = -1;
			break;
		}
		*bits |= 1u << i;
	}
	free(copy);
	if (rc == 0 && *bits == 0) {
		char what[64];
		snprintf(what, sizeof what, "%s needs fixup names, not", opt);
		lk_opt_error(cmd, what, arg);
		return -1;
	}
	return rc;
}

int lk_fix_min_scale_parse(const struct lk_cmd *cmd, const char *opt, const char *arg, double *out)
{
	return lk_opt_double(cmd, opt, arg, LK_FIX_MIN_SCALE_LOWEST, 1.0, out);
}
