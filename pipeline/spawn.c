/* spawn.c: starting the stages of `letterkit run`, joined stdout to stdin. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline.h"

extern char **environ;

/* A pipe whose ends children do not inherit (dup2 onto 0 or 1 clears that). */
static int cloexec_pipe(int p[2])
{
	if (pipe(p) != 0)
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

struct stage *chain_add(struct chain *c, const char *name)
{
	struct stage *s = &c->stages[c->n++];
	memset(s, 0, sizeof *s);
	s->name = name;
	s->status = -1;
	return s;
}

void stage_arg(struct stage *s, const char *arg)
{
	if (s->argc < PIPELINE_MAX_ARGS - 2)   /* room for argv[0] and the NULL */
		s->argv[++s->argc] = arg;
}

int find_exec_dir(char *dir, size_t size)
{
	const char *env = getenv("LETTERKIT_EXEC_DIR");
	if (env && *env) {
		snprintf(dir, size, "%s", env);
		return 0;
	}
	ssize_t n = readlink("/proc/self/exe", dir, size - 1);
	if (n <= 0)
		return -1;
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return 0;
}

int chain_start(struct chain *c, const char *exec_dir, int feed_input, char *err, size_t errlen)
{
	int prev_read = -1;   /* what the next stage reads */
	c->input_fd = -1;
	c->output_fd = -1;
	if (feed_input) {
		int p[2];
		if (cloexec_pipe(p) != 0)
			goto fail_errno;
		prev_read = p[0];
		c->input_fd = p[1];
	}
	for (int i = 0; i < c->n; i++) {
		struct stage *s = &c->stages[i];
		int out[2];
		if (cloexec_pipe(out) != 0)
			goto fail_errno;
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/letterkit-%s", exec_dir, s->name);
		s->argv[0] = path;
		s->argv[s->argc + 1] = NULL;
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		if (prev_read >= 0)
			posix_spawn_file_actions_adddup2(&fa, prev_read, STDIN_FILENO);
		posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
		int rc = posix_spawn(&s->pid, path, &fa, NULL, (char *const *)s->argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		close(out[1]);
		if (prev_read >= 0)
			close(prev_read);
		prev_read = out[0];
		if (rc != 0) {
			snprintf(err, errlen, "cannot run %s: %s", path, strerror(rc));
			close(prev_read);
			s->pid = 0;
			return -1;
		}
	}
	c->output_fd = prev_read;
	return 0;
fail_errno:
	snprintf(err, errlen, "cannot make a pipe: %s", strerror(errno));
	return -1;
}

void chain_signal(struct chain *c, int sig)
{
	for (int i = 0; i < c->n; i++)
		if (c->stages[i].pid > 0 && c->stages[i].status < 0)
			kill(c->stages[i].pid, sig);
}

int chain_wait(struct chain *c)
{
	int worst = 0;
	for (int i = 0; i < c->n; i++) {
		struct stage *s = &c->stages[i];
		if (s->pid <= 0)
			continue;
		int st;
		while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
			;
		s->status = WIFEXITED(st) ? WEXITSTATUS(st) : 2;
		if (s->status > worst)
			worst = s->status;
	}
	return worst;
}
