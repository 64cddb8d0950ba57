/* spawn.c: starting the stages of `letterkit run` and `watch`, joined stdout to stdin. */
#define _GNU_SOURCE   /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lk_exec.h"
#include "lk_spawn.h"
#include "pipeline.h"

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

/* The key (NOTIFY_API_KEY) reaches only the stages that talk to Notify. */
static int talks_to_notify(const char *name)
{
	return strcmp(name, "send") == 0 || strcmp(name, "status") == 0;
}

int chain_start(struct chain *c, int feed_input, char *err, size_t errlen)
{
	int prev_read = -1;   /* what the next stage reads */
	c->input_fd = -1;
	c->output_fd = -1;
	if (feed_input) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) != 0)
			goto fail_errno;
		prev_read = p[0];
		c->input_fd = p[1];
	}
	for (int i = 0; i < c->n; i++) {
		struct stage *s = &c->stages[i];
		int out[2];
		if (pipe2(out, O_CLOEXEC) != 0)
			goto fail_errno;
		char exe[64];
		snprintf(exe, sizeof exe, "letterkit-%s", s->name);
		if (lk_exec_find(exe, s->path, sizeof s->path) != 0) {
			snprintf(err, errlen, "cannot find %s (looked in $LETTERKIT_EXEC_DIR, "
				 "$LETTERKIT_EXEC_PATH and beside this program)", exe);
			close(out[0]);
			close(out[1]);
			if (prev_read >= 0)
				close(prev_read);
			return -1;
		}
		s->argv[0] = s->path;
		s->argv[s->argc + 1] = NULL;
		struct lk_spawn sp = {
			.path = s->path, .argv = (char *const *)s->argv,
			.stdin_fd = prev_read >= 0 ? prev_read : LK_SPAWN_INHERIT,
			.stdout_fd = out[1], .stderr_fd = LK_SPAWN_INHERIT,
			.pass_secrets = talks_to_notify(s->name),
			/* A stage stops on SIGTERM and leaves no partial file: so it does when we die. */
			.death_signal = SIGTERM,
		};
		int rc = lk_spawn_start(&sp, &s->pid, err, errlen);
		close(out[1]);
		if (prev_read >= 0)
			close(prev_read);
		prev_read = out[0];
		if (rc != 0) {
			close(prev_read);
			s->pid = 0;
			return -1;
		}
	}
	c->output_fd = prev_read;
	return 0;
fail_errno:
	snprintf(err, errlen, "cannot make a pipe: %s", strerror(errno));
	if (prev_read >= 0)
		close(prev_read);
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
		int code = lk_spawn_wait(s->pid, &s->signo);
		s->status = code < 0 ? 2 : code;
		if (s->status > worst)
			worst = s->status;
	}
	return worst;
}
