/*
 * lk_opt_conf.c: the configuration files, read for lk_opt_next (lk_conf.h
 * holds the format). Where the files are:
 *   1. $LETTERKIT_SYSCONFDIR/letterkit.conf, or SYSCONFDIR/letterkit/letterkit.conf
 *      as built (/etc/letterkit for the packages). The variable is for tests,
 *      which must not read the machine's /etc.
 *   2. $XDG_CONFIG_HOME/letterkit/letterkit.conf ($HOME/.config when unset)
 *   3. each --config FILE, in order (these must exist)
 * The --config files are handed on to the stages a command runs (run, watch,
 * the sandbox) in $LETTERKIT_CONFIG, colon-separated absolute paths, read
 * before the stage's own --config: a hot folder's file sets its check and scan.
 */
#define _DEFAULT_SOURCE   /* realpath() */
#include "lk_opt_conf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk_conf.h"
#include "lk_config.h"
#include "lk_exec.h"
#include "lk_exit.h"

#define MAX_CONFIG_FILES 8

static struct {
	const char *files[MAX_CONFIG_FILES];   /* --config FILE, pointing into argv */
	int n_files;
	struct lk_conf conf;
	struct {
		int val;
		const char *value;   /* NULL for a flag */
		char origin[PATH_MAX + 16];
	} queue[LK_CONF_MAX_KEYS];
	int n_queue, next;
	const char *origin;
} st;

/* A section is [shared] (lk_conf knows it), [config] or a command whose stage is installed. */
static int is_section(const char *name)
{
	char stage[128], path[PATH_MAX];
	if (strcmp(name, "config") == 0)
		return 1;
	snprintf(stage, sizeof stage, "letterkit-%s", name);
	return lk_exec_find(stage, path, sizeof path) == 0;
}

const char *lk_opt_config_env(const struct lk_conf_key *key)
{
	const char *v = key->env ? getenv(key->env) : NULL;
	return v && *v ? key->env : NULL;
}

int lk_opt_config_read(const struct lk_cmd *cmd, const char *command, struct lk_conf *out)
{
	char sys[PATH_MAX], user[PATH_MAX], err[PATH_MAX + 512];
	const char *sysdir = getenv("LETTERKIT_SYSCONFDIR");
	snprintf(sys, sizeof sys, "%s/letterkit.conf", sysdir && *sysdir ? sysdir : LK_SYSCONF_ABS);
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	user[0] = '\0';
	if (xdg && xdg[0] == '/')   /* the XDG rule: a relative value is ignored */
		snprintf(user, sizeof user, "%s/letterkit/letterkit.conf", xdg);
	else if (home && home[0] == '/')
		snprintf(user, sizeof user, "%s/.config/letterkit/letterkit.conf", home);
	lk_conf_init(out, command);
	int rc = lk_conf_read(out, sys, 0, is_section, err, sizeof err);
	if (rc == 0 && user[0])
		rc = lk_conf_read(out, user, 0, is_section, err, sizeof err);
	const char *inherited = getenv("LETTERKIT_CONFIG");
	for (const char *p = inherited ? inherited : ""; rc == 0 && *p;) {
		size_t len = strcspn(p, ":");
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%.*s", (int)(len < PATH_MAX ? len : PATH_MAX - 1), p);
		if (len)
			rc = lk_conf_read(out, path, 1, is_section, err, sizeof err);
		p += len + (p[len] == ':');
	}
	for (int i = 0; rc == 0 && i < st.n_files; i++)
		rc = lk_conf_read(out, st.files[i], 1, is_section, err, sizeof err);
	if (rc != 0) {
		lk_conf_free(out);
		return lk_opt_error(cmd, err, NULL);
	}
	return 0;
}

/* The option in longopts that `key` sets, of the kind its type needs, or NULL. */
static const struct option *option_for(const struct lk_conf_key *key, const struct option *longopts)
{
	for (const struct option *o = longopts; o->name; o++)
		for (size_t i = 0; i < 3 && key->options[i]; i++)
			if (strcmp(o->name, key->options[i]) == 0 &&
			    (key->type == LK_CONF_BOOL) == (o->has_arg == no_argument))
				return o;
	return NULL;
}

/* The --config FILEs, found by a first getopt pass; the caller's pass then starts afresh. */
static int find_config_files(const struct lk_cmd *cmd, int argc, char **argv, const char *shorts,
			     const struct option *longopts)
{
	int start = optind, opt;
	st.n_files = 0;
	while ((opt = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		if (opt != LK_OPT_CONFIG)
			continue;   /* anything wrong is reported by the real pass */
		if (st.n_files == MAX_CONFIG_FILES) {
			optind = start;
			return lk_opt_error(cmd, "too many --config options, more than", "8");
		}
		st.files[st.n_files++] = optarg;
	}
	optind = start;
	return 0;
}

/* $LETTERKIT_CONFIG for the stages this command runs: what it inherited, then its --config files. */
static int hand_on(const struct lk_cmd *cmd)
{
	char list[8 * PATH_MAX + 8 + PATH_MAX], abs[PATH_MAX];
	const char *inherited = getenv("LETTERKIT_CONFIG");
	size_t used = (size_t)snprintf(list, sizeof list, "%s", inherited ? inherited : "");
	for (int i = 0; i < st.n_files; i++) {
		if (!realpath(st.files[i], abs) || strchr(abs, ':'))
			return lk_opt_error(cmd, "--config FILE must be a path without ':', not", st.files[i]);
		int n = snprintf(list + used, sizeof list - used, "%s%s", used ? ":" : "", abs);
		if (n < 0 || (size_t)n >= sizeof list - used)
			return lk_opt_error(cmd, "too many --config files", NULL);
		used += (size_t)n;
	}
	setenv("LETTERKIT_CONFIG", list, 1);
	return 0;
}

int lk_opt_conf_begin(const struct lk_cmd *cmd, int argc, char **argv, const char *shorts,
		      const struct option *longopts)
{
	lk_opt_conf_end();
	lk_conf_free(&st.conf);
	if (find_config_files(cmd, argc, argv, shorts, longopts) != 0)
		return LK_EXIT_ERROR;
	if (lk_opt_config_read(cmd, cmd->name, &st.conf) != 0)
		return LK_EXIT_ERROR;
	if (st.n_files && hand_on(cmd) != 0)
		return LK_EXIT_ERROR;
	for (size_t k = 0; k < lk_conf_n_keys; k++) {
		const struct lk_conf_setting *s = &st.conf.set[k];
		const struct option *o = option_for(&lk_conf_keys[k], longopts);
		if (!s->value || !o || lk_opt_config_env(&lk_conf_keys[k]))
			continue;   /* not set, not this command's, or the environment's to say */
		if (lk_conf_keys[k].type == LK_CONF_BOOL && lk_conf_bool(s->value) == 0)
			continue;   /* "no": the flag is not given */
		int q = st.n_queue++;
		st.queue[q].val = o->val;
		st.queue[q].value = o->has_arg == no_argument ? NULL : s->value;
		snprintf(st.queue[q].origin, sizeof st.queue[q].origin, "%s:%d", s->file, s->line);
	}
	return 0;
}

int lk_opt_conf_next(void)
{
	if (st.next == st.n_queue) {
		st.origin = NULL;
		return -1;
	}
	int q = st.next++;
	optarg = (char *)st.queue[q].value;
	st.origin = st.queue[q].origin;
	return st.queue[q].val;
}

const char *lk_opt_conf_origin(void)
{
	return st.origin;
}

void lk_opt_conf_end(void)
{
	/* The values stay: commands keep optarg pointers past parsing. The next begin frees them. */
	st.n_queue = st.next = 0;
	st.origin = NULL;
}
