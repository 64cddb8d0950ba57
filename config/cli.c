/*
 * cli.c: `letterkit config [--all] [COMMAND]`, the settings of letterkit.conf
 * as COMMAND (default: every command, [shared] only) would get them, one a
 * line, with where each came from, as `git config --show-origin` prints:
 *
 *	file:/etc/letterkit/letterkit.conf:3	postage=second
 *	env:NOTIFY_BASE_URL	base-url=http://localhost:6011
 *	default	jobs=            (with --all: the command's built-in default)
 *
 * The command line of COMMAND wins over all of these.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <limits.h>

#include "lk_conf.h"
#include "lk_exec.h"
#include "lk_exit.h"
#include "lk_input.h"
#include "lk_opt.h"
#include "lk_text.h"

static const struct lk_cmd cmd = {"config",
	"usage: letterkit config [--all] [--config FILE] [COMMAND]\n"
	"\n"
	"Prints the settings the configuration files give COMMAND ([shared] and [COMMAND];\n"
	"without COMMAND, [shared] only), one a line as ORIGIN<TAB>KEY=VALUE, where ORIGIN\n"
	"is file:PATH:LINE, env:VARIABLE (the environment wins over the files) or default.\n"
	"The files, read in order, a later one winning:\n"
	"  /etc/letterkit/letterkit.conf, $XDG_CONFIG_HOME/letterkit/letterkit.conf\n"
	"  (~/.config/letterkit/letterkit.conf), then each --config FILE.\n"
	"A command's own options on its command line win over all of them.\n"
	"\n"
	"  --all                 list every key, the unset ones as 'default' (the command's own)\n"
	"  --config FILE         read FILE after the others (every command takes it)\n"
	"  --help                show this help\n"
	"  --version             print the versions of letterkit and its libraries and exit\n"
	"\n"
	"The format and every key: letterkit.conf(5).\n"
	"Exit status: 0 printed, 2 a bad configuration file (named with its line) or usage error.\n",
	NULL};

enum { OPT_ALL = 1 };

static const struct option options[] = {
	{"all", no_argument, NULL, OPT_ALL},
	LK_OPT_COMMON,
};

static void print_value(const char *v)
{
	lk_put_safe(stdout, v, 0);
}

int config_main(int argc, char **argv);   /* called by the generated main() */

int config_main(int argc, char **argv)
{
	int all = 0, opt, status;
	optind = 1;
	while ((opt = lk_opt_next(&cmd, argc, argv, "", options, &status)) != -1) {
		switch (opt) {
		case LK_OPT_EXIT:
			return status;
		case OPT_ALL:
			all = 1;
			break;
		}
	}
	if (argc - optind > 1)
		return lk_opt_error(&cmd, "takes at most one COMMAND, not", argv[optind + 1]);
	const char *command = argc > optind ? argv[optind] : NULL;
	char stage[128], path[PATH_MAX];
	snprintf(stage, sizeof stage, "letterkit-%.100s", command ? command : "");
	if (command && (strchr(command, '/') || lk_exec_find(stage, path, sizeof path) != 0))
		return lk_opt_error(&cmd, "unknown command", command);
	struct lk_conf conf;
	if (lk_opt_config_read(&cmd, command ? command : "", &conf) != 0)
		return LK_EXIT_ERROR;
	for (size_t k = 0; k < lk_conf_n_keys; k++) {
		const struct lk_conf_key *key = &lk_conf_keys[k];
		const struct lk_conf_setting *s = &conf.set[k];
		const char *env = lk_opt_config_env(key);
		if (env) {
			printf("env:%s\t%s=", env, key->name);
			/* The key's variable holds the key itself: say so, never print it. */
			print_value(key->env_secret ? "(from the environment)" : getenv(env));
		} else if (s->value) {
			fputs("file:", stdout);
			print_value(s->file);
			printf(":%d\t%s=", s->line, key->name);
			print_value(s->value);
		} else if (all) {
			printf("default\t%s=", key->name);
		} else {
			continue;
		}
		putchar('\n');
	}
	lk_conf_free(&conf);
	if (fflush(stdout) != 0) {
		lk_output_failed_now(&cmd);
		return LK_EXIT_ERROR;
	}
	return LK_EXIT_OK;
}
