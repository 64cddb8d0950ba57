/*
 * letterkit: the driver. `letterkit STAGE ARGS...` runs letterkit-STAGE.
 *
 * Each stage is its own executable because the libraries they link carry
 * licences that may not share a program (MuPDF is AGPL-3.0, libclamav is
 * GPL-2.0-only). The driver links neither: it only finds the stage's
 * executable and execs it, as git runs its sub-commands.
 *
 * Where it looks, first match wins:
 *   1. each directory in $LETTERKIT_EXEC_PATH (colon-separated; tests use it)
 *   2. <dir of this executable>/../libexec/letterkit  (a relocated install)
 *   3. the libexec directory chosen at build time     (the normal install)
 *   4. the directory of this executable               (the build tree)
 * The directory found is exported as LETTERKIT_EXEC_DIR, so that stages which
 * run other stages (sandbox, run) use the same set of binaries.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lk_config.h"
#include "lk_exec.h"
#include "lk_exit.h"

static const struct command {
	const char *name;
	const char *summary;
} commands[] = {
	{"address", "check postal addresses as Notify does"},
	{"check", "check letter PDFs against Notify's letter specification"},
	{"fix", "make failing letter PDFs pass, and prove it"},
	{"compose", "make letter PDFs from a template and data"},
	{"scan", "scan letter PDFs for viruses with libclamav"},
	{"send", "send letters to GOV.UK Notify (or the sandbox)"},
	{"status", "poll the status of letters that were sent"},
	{"pdf", "fetch a sent letter's PDF from Notify"},
	{"encode", "print the API request body for a letter"},
	{"sandbox", "run a local Notify-compatible API server"},
	{"run", "compose, check, scan and send in one pipeline"},
	{"watch", "check and scan PDFs dropped into a hot folder"},
	{"explain", "say what a code means and how to fix the letter"},
	{"config", "print the settings of letterkit.conf and where each came from"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void list_commands(FILE *out)
{
	fprintf(out, "usage: letterkit [--version] [--help] COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'letterkit COMMAND --help' (or 'letterkit help COMMAND') describes one command.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Fills `path` with DIR/letterkit-NAME when that file is executable. */
static int try_dir(const char *dir, size_t dirlen, const char *name, char *path, size_t size)
{
	if (dirlen == 0)
		return 0;
	int n = snprintf(path, size, "%.*s/letterkit-%s", (int)dirlen, dir, name);
	return n > 0 && (size_t)n < size && access(path, X_OK) == 0;
}

static int find_stage(const char *name, char *path, size_t size)
{
	const char *env = getenv("LETTERKIT_EXEC_PATH");
	if (env) {
		for (const char *p = env; *p;) {
			size_t len = strcspn(p, ":");
			if (try_dir(p, len, name, path, size))
				return 1;
			p += len + (p[len] == ':');
		}
	}
	char self[PATH_MAX], dir[PATH_MAX + 32];
	lk_exec_self_dir(self, sizeof self);
	snprintf(dir, sizeof dir, "%s/../libexec/letterkit", self);
	if (self[0] && try_dir(dir, strlen(dir), name, path, size))
		return 1;
	if (try_dir(LK_LIBEXEC_ABS, strlen(LK_LIBEXEC_ABS), name, path, size))
		return 1;
	return try_dir(self, strlen(self), name, path, size);
}

static int run_command(const struct command *cmd, int argc, char **argv)
{
	char path[PATH_MAX + 64];
	if (!find_stage(cmd->name, path, sizeof path)) {
		fprintf(stderr, "letterkit: '%s' is not installed (no executable letterkit-%s found; "
			"set LETTERKIT_EXEC_PATH to its directory)\n", cmd->name, cmd->name);
		return LK_EXIT_ERROR;
	}
	char dir[sizeof path];
	memcpy(dir, path, sizeof path);
	*strrchr(dir, '/') = '\0';
	setenv("LETTERKIT_EXEC_DIR", dir, 1);
	argv[0] = path;
	execv(path, argv);
	fprintf(stderr, "letterkit: cannot run %s: %s\n", path, strerror(errno));
	return LK_EXIT_ERROR;
}

/*
 * The driver's own usage errors are in the one format every command uses
 * (lk_usage_error): "letterkit: unknown command 'x' (see 'letterkit --help')".
 */
int main(int argc, char **argv)
{
	if (argc < 2) {
		list_commands(stderr);
		return LK_EXIT_ERROR;
	}
	const char *arg = argv[1];
	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 ||
	    (strcmp(arg, "help") == 0 && argc == 2)) {
		list_commands(stdout);
		return fflush(stdout) == 0 ? LK_EXIT_OK : LK_EXIT_ERROR;
	}
	if (strcmp(arg, "--list-commands") == 0) {   /* for the shell completions; not in --help */
		for (size_t i = 0; i < N_COMMANDS; i++)
			puts(commands[i].name);
		return fflush(stdout) == 0 ? LK_EXIT_OK : LK_EXIT_ERROR;
	}
	if (strcmp(arg, "--version") == 0 || strcmp(arg, "version") == 0) {
		printf("letterkit %s\n", LK_VERSION);
		return fflush(stdout) == 0 ? LK_EXIT_OK : LK_EXIT_ERROR;
	}
	if (strcmp(arg, "help") == 0) {
		const struct command *cmd = find_command(argv[2]);
		if (!cmd)
			return lk_usage_error("letterkit", "unknown command", argv[2]);
		char *help_argv[] = {argv[2], "--help", NULL};
		return run_command(cmd, 2, help_argv);
	}
	if (arg[0] == '-')   /* the driver's only options are --help and --version */
		return lk_usage_error("letterkit", "unknown option", arg);
	const struct command *cmd = find_command(arg);
	if (!cmd)
		return lk_usage_error("letterkit", "unknown command", arg);
	return run_command(cmd, argc - 1, argv + 1);
}
