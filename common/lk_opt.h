/*
 * lk_opt.h: options, the one way every letterkit command reads them.
 *
 * The convention: a command describes itself in a struct lk_cmd, lists its
 * options in a getopt_long table that ends with LK_OPT_COMMON, and loops
 *
 *	int opt, status;
 *	while ((opt = lk_opt_next(&cmd, argc, argv, "qo:", options, &status)) != -1) {
 *		switch (opt) {
 *		case LK_OPT_EXIT: return status;   // --help, --version or bad usage, already said
 *		case 'q': ...
 *		case OPT_MAX_SECONDS:
 *			if (lk_opt_double(&cmd, "--max-seconds", optarg, 0, 86400, &v) != 0)
 *				return LK_EXIT_ERROR;
 *		}
 *	}
 *
 * lk_opt_next answers --help (-h) on standard output and --version itself,
 * and reports an unknown option or a missing argument in the one usage
 * format, "letterkit COMMAND: WHAT 'ARG' (see 'letterkit COMMAND --help')",
 * on standard error: glibc's own messages (which name the libexec path) are
 * off. Every typed parser below reports in the same format.
 */
#ifndef LK_OPT_H
#define LK_OPT_H

#include <getopt.h>
#include <stdio.h>

/*
 * What a command's parse_options() returns: LK_OPT_GO_ON to run, or the exit
 * status to end with at once (0 after --help or --version, 2 after a usage
 * error, already reported). Every command's main() begins
 *	int rc = parse_options(&cli, argc, argv);
 *	if (rc != LK_OPT_GO_ON)
 *		return rc;
 */
#define LK_OPT_GO_ON (-1)

/* A command, for its messages, --help and --version. */
struct lk_cmd {
	const char *name;              /* "check": messages begin "letterkit check: " */
	const char *help;              /* the whole --help text */
	void (*versions)(FILE *out);   /* a line per library it links ("MuPDF 1.21.1") but jansson; may be NULL */
};

/* The values lk_opt_next returns besides the command's own options. */
enum {
	LK_OPT_EXIT = -2,      /* stop parsing and exit with *status */
	LK_OPT_HELP = 0x10000, /* in LK_OPT_COMMON; handled inside lk_opt_next */
	LK_OPT_VERSION,
	LK_OPT_CONFIG,         /* --config FILE: read by lk_opt itself (lk_opt_conf.c) */
	LK_OPT_LIST_OPTIONS,   /* --list-options: the option table, for shell completion */
};

/*
 * The options every command takes: end each table with it. --config FILE
 * names one more letterkit.conf; --list-options (not in --help) prints the
 * command's long options, one a line ("--db=" when it takes a value), which
 * the bash and zsh completions read.
 */
#define LK_OPT_COMMON \
	{"help", no_argument, NULL, LK_OPT_HELP}, \
	{"version", no_argument, NULL, LK_OPT_VERSION}, \
	{"config", required_argument, NULL, LK_OPT_CONFIG}, \
	{"list-options", no_argument, NULL, LK_OPT_LIST_OPTIONS}, \
	{NULL, 0, NULL, 0}

/**
 * Before the command line, lk_opt_next returns the settings of the
 * configuration files (lk_conf.h) for the command's long options, as if
 * they had been written first: the command line, after them, wins. A bad
 * file is a usage error naming the file and line; a bad value from a file
 * is reported by the command's own parser with the file and line in front.
 *
 * The next option, as getopt_long() returns it (optarg set), or -1 after the
 * last one (operands start at optind), or LK_OPT_EXIT with *status set: 0
 * after --help or --version was printed, 2 (LK_EXIT_ERROR) after a usage
 * error was reported. -h is --help whether or not shortopts names it.
 * Call with optind as the command left it (1 at the start).
 */
int lk_opt_next(const struct lk_cmd *cmd, int argc, char **argv, const char *shortopts,
		const struct option *longopts, int *status);

/** "letterkit COMMAND: WHAT 'ARG' (see 'letterkit COMMAND --help')" on stderr (ARG may be NULL); returns LK_EXIT_ERROR. */
int lk_opt_error(const struct lk_cmd *cmd, const char *what, const char *arg);

/** Prints "letterkit COMMAND VERSION", the command's library lines, and jansson's. */
void lk_opt_print_version(const struct lk_cmd *cmd, FILE *out);

/*
 * Typed parsers: each returns 0 with the value in *out, or reports (naming
 * the option, the value and what is allowed) and returns -1. `opt` is the
 * option as the user wrote it, e.g. "--max-seconds".
 */
int lk_opt_long(const struct lk_cmd *cmd, const char *opt, const char *arg, long min, long max,
		long *out);
int lk_opt_int(const struct lk_cmd *cmd, const char *opt, const char *arg, int min, int max,
	       int *out);
int lk_opt_double(const struct lk_cmd *cmd, const char *opt, const char *arg, double min,
		  double max, double *out);
/** One of `choices` (a NULL-terminated list): *out is its index. */
int lk_opt_choice(const struct lk_cmd *cmd, const char *opt, const char *arg,
		  const char *const *choices, int *out);
/** A rate "N" or "N/S": N requests (1 to max_n) per S seconds (1 to 86400; default_s without "/S"). */
int lk_opt_rate(const struct lk_cmd *cmd, const char *opt, const char *arg, long max_n,
		long default_s, long *n, long *s);

/** The option's name as the user wrote it ("--timeout"), from the table, for messages. */
const char *lk_opt_name(const struct option *longopts, int val, char *buf, size_t size);

/*
 * The configuration as `command` sees it (its section and [shared]), read
 * from the same files as lk_opt_next read (after it has begun): /etc's
 * letterkit.conf, the user's, then each --config FILE. Returns 0, or reports
 * and returns LK_EXIT_ERROR. For `letterkit config`.
 */
struct lk_conf;
int lk_opt_config_read(const struct lk_cmd *cmd, const char *command, struct lk_conf *out);

/** The environment variable that overrides `key` when it is set (not empty), or NULL. */
struct lk_conf_key;
const char *lk_opt_config_env(const struct lk_conf_key *key);

#endif
