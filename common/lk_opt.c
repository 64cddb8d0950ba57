/* lk_opt.c: options, the one way every letterkit command reads them. */
#include "lk_opt.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lk_config.h"
#include "lk_exit.h"
#include "lk_opt_conf.h"

int lk_opt_error(const struct lk_cmd *cmd, const char *what, const char *arg)
{
	char prog[128], from[PATH_MAX + 600];
	snprintf(prog, sizeof prog, "letterkit %s", cmd->name);
	const char *origin = lk_opt_conf_origin();
	if (origin) {   /* the value came from a configuration file: say which line */
		snprintf(from, sizeof from, "%s: %s", origin, what);
		what = from;
	}
	return lk_usage_error(prog, what, arg);
}

void lk_opt_print_version(const struct lk_cmd *cmd, FILE *out)
{
	fprintf(out, "letterkit %s %s\n", cmd->name, LK_VERSION);
	if (cmd->versions)
		cmd->versions(out);
	fprintf(out, "jansson %s\n", jansson_version_str());   /* every command links it */
}

/* The option as written: "--name" of a long option, "-c" of a short one. */
static void written(char *buf, size_t size, const char *arg)
{
	size_t n = strcspn(arg, "=");
	snprintf(buf, size, "%.*s", (int)(n < 100 ? n : 100), arg);
}

/* --list-options: one long option a line, "--name=" when it takes a value. */
static int list_options(const struct option *longopts)
{
	for (const struct option *o = longopts; o->name; o++)
		if (o->val != LK_OPT_LIST_OPTIONS)
			printf("--%s%s\n", o->name, o->has_arg == no_argument ? "" : "=");
	return fflush(stdout) == 0 ? LK_EXIT_OK : LK_EXIT_ERROR;
}

/*
 * Where a parse is: the files' settings are delivered first, then getopt's.
 * It ends at -1 or LK_OPT_EXIT; one left unfinished (the command stopped at
 * a bad value) is begun afresh for another argv.
 */
static enum { IDLE, FROM_FILES, FROM_ARGV } phase;
static char **parsing;

static int next_from_argv(const struct lk_cmd *cmd, int argc, char **argv, const char *shorts,
			  const struct option *longopts, int *status)
{
	int prev = optind;
	int opt = getopt_long(argc, argv, shorts, longopts, NULL);
	char what[160];
	switch (opt) {
	case 'h':
	case LK_OPT_HELP:
		fputs(cmd->help, stdout);
		fputs("\nEvery command also reads letterkit.conf and takes --config FILE "
		      "(see 'letterkit config --help').\n", stdout);
		*status = fflush(stdout) == 0 ? LK_EXIT_OK : LK_EXIT_ERROR;
		return LK_OPT_EXIT;
	case LK_OPT_VERSION:
		lk_opt_print_version(cmd, stdout);
		*status = fflush(stdout) == 0 ? LK_EXIT_OK : LK_EXIT_ERROR;
		return LK_OPT_EXIT;
	case LK_OPT_LIST_OPTIONS:
		*status = list_options(longopts);
		return LK_OPT_EXIT;
	case '?':
	case ':': {
		/* Which option: a long one moved optind past itself; a short one is optopt. */
		const char *arg = optind > prev ? argv[optind - 1] : "";
		char name[112];
		int is_long = strncmp(arg, "--", 2) == 0;
		if (is_long)
			written(name, sizeof name, arg);
		else
			snprintf(name, sizeof name, "-%c", optopt > 32 && optopt < 127 ? optopt : '?');
		if (opt == ':') {
			snprintf(what, sizeof what, "option %s needs a value", name);
			*status = lk_opt_error(cmd, what, NULL);
		} else if (is_long && strchr(arg, '=') && optopt) {
			snprintf(what, sizeof what, "option %s takes no value", name);
			*status = lk_opt_error(cmd, what, NULL);
		} else {
			*status = lk_opt_error(cmd, "unknown option", name);
		}
		return LK_OPT_EXIT;
	}
	}
	return opt;
}

int lk_opt_next(const struct lk_cmd *cmd, int argc, char **argv, const char *shortopts,
		const struct option *longopts, int *status)
{
	/* ':' first: a missing argument is ':', not '?'; 'h' is always --help. */
	char shorts[128];
	snprintf(shorts, sizeof shorts, ":h%s", shortopts[0] == ':' ? shortopts + 1 : shortopts);
	opterr = 0;
	if (phase == IDLE || argv != parsing) {
		parsing = argv;
		if (lk_opt_conf_begin(cmd, argc, argv, shorts, longopts) != 0) {
			*status = LK_EXIT_ERROR;
			return LK_OPT_EXIT;
		}
		phase = FROM_FILES;
	}
	int opt;
	if (phase == FROM_FILES) {
		if ((opt = lk_opt_conf_next()) != -1)
			return opt;
		phase = FROM_ARGV;
	}
	do
		opt = next_from_argv(cmd, argc, argv, shorts, longopts, status);
	while (opt == LK_OPT_CONFIG);   /* read before the first option */
	if (opt == -1 || opt == LK_OPT_EXIT) {
		lk_opt_conf_end();
		phase = IDLE;
	}
	return opt;
}

static int bad_value(const struct lk_cmd *cmd, const char *opt, const char *arg, const char *allowed)
{
	char what[256];
	snprintf(what, sizeof what, "%s must be %s, not", opt, allowed);
	lk_opt_error(cmd, what, arg);
	return -1;
}

int lk_opt_long(const struct lk_cmd *cmd, const char *opt, const char *arg, long min, long max,
		long *out)
{
	char *end, allowed[96];
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		snprintf(allowed, sizeof allowed, "a whole number from %ld to %ld", min, max);
		return bad_value(cmd, opt, arg, allowed);
	}
	*out = v;
	return 0;
}

int lk_opt_int(const struct lk_cmd *cmd, const char *opt, const char *arg, int min, int max,
	       int *out)
{
	long v;
	if (lk_opt_long(cmd, opt, arg, min, max, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

int lk_opt_double(const struct lk_cmd *cmd, const char *opt, const char *arg, double min,
		  double max, double *out)
{
	char *end, allowed[96];
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= min && v <= max)) {
		snprintf(allowed, sizeof allowed, "a number from %g to %g", min, max);
		return bad_value(cmd, opt, arg, allowed);
	}
	*out = v;
	return 0;
}

int lk_opt_choice(const struct lk_cmd *cmd, const char *opt, const char *arg,
		  const char *const *choices, int *out)
{
	char allowed[256] = "one of";
	size_t used = strlen(allowed);
	for (int i = 0; choices[i]; i++) {
		if (strcmp(arg, choices[i]) == 0) {
			*out = i;
			return 0;
		}
		int n = snprintf(allowed + used, sizeof allowed - used, "%s %s", i ? "," : "", choices[i]);
		if (n > 0 && (size_t)n < sizeof allowed - used)
			used += (size_t)n;
	}
	return bad_value(cmd, opt, arg, allowed);
}

int lk_opt_rate(const struct lk_cmd *cmd, const char *opt, const char *arg, long max_n,
		long default_s, long *n, long *s)
{
	char *end, allowed[128];
	snprintf(allowed, sizeof allowed, "N or N/S: 1 to %ld requests per 1 to 86400 seconds", max_n);
	errno = 0;
	long v = strtol(arg, &end, 10);
	long per = default_s;
	if (errno || end == arg || v < 1 || v > max_n || arg[0] == '-' || arg[0] == '+')
		return bad_value(cmd, opt, arg, allowed);
	if (*end == '/') {
		const char *p = end + 1;
		errno = 0;
		per = strtol(p, &end, 10);
		if (errno || end == p || *p == '-' || *p == '+' || per < 1 || per > 86400)
			return bad_value(cmd, opt, arg, allowed);
	}
	if (*end)
		return bad_value(cmd, opt, arg, allowed);
	*n = v;
	*s = per;
	return 0;
}

const char *lk_opt_name(const struct option *longopts, int val, char *buf, size_t size)
{
	for (; longopts->name; longopts++)
		if (longopts->val == val) {
			snprintf(buf, size, "--%s", longopts->name);
			return buf;
		}
	snprintf(buf, size, "-%c", val > 0 && val < 128 ? val : '?');
	return buf;
}
