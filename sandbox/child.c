/*
 * child.c: runs letterkit-scan or letterkit-check as a child process and
 * captures what it prints. The stages stay separate programs (their
 * libraries' licences, and Notify runs them as separate services too).
 */
#define _GNU_SOURCE	/* pipe2: close-on-exec pipes, no window for other threads to inherit them */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "lk_buf.h"
#include "lk_ndjson.h"
#include "lk_spawn.h"

#define MAX_STDOUT (1u << 20)

/* Reads what is there from fd into a buffer limited to MAX_STDOUT (stdout) or a ring (stderr). */
static int drain(int fd, struct lk_buf *buf, char *tail, size_t tail_size)
{
	char chunk[8192];
	ssize_t n = read(fd, chunk, sizeof chunk);
	if (n <= 0)
		return n == 0 || (errno != EINTR && errno != EAGAIN) ? 0 : 1;
	if (buf) {
		lk_buf_append(buf, chunk, (size_t)n);   /* past the limit the rest is dropped: a stage says little */
		return !buf->oom;
	}
	/* keep the last tail_size - 1 bytes of stderr */
	size_t have = strlen(tail), keep = tail_size - 1;
	size_t take = (size_t)n > keep ? keep : (size_t)n;
	if (have + take > keep) {
		memmove(tail, tail + (have + take - keep), keep - take);
		have = keep - take;
	}
	memcpy(tail + have, chunk + (size_t)n - take, take);
	tail[have + take] = '\0';
	return 1;
}

int child_run(char *const argv[], long timeout_ms, struct child_result *res, char *err, size_t errlen)
{
	int out[2] = {-1, -1}, errp[2] = {-1, -1}, rc = -1;
	pid_t pid = -1;
	struct lk_buf stdout_buf = {.limit = MAX_STDOUT};

	memset(res, 0, sizeof *res);
	res->exit_code = -1;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	/* The stages parse hostile letters: no secret in their environment, and
	 * none outlives the sandbox thread that waits for it. */
	struct lk_spawn sp = {
		.path = argv[0], .argv = argv, .stdin_fd = LK_SPAWN_DEVNULL,
		.stdout_fd = out[1], .stderr_fd = errp[1], .pass_secrets = 0, .death_signal = SIGKILL,
	};
	if (lk_spawn_start(&sp, &pid, err, errlen) != 0) {
		pid = -1;
		goto out;
	}
	close(out[1]);
	close(errp[1]);
	out[1] = errp[1] = -1;

	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int open_fds = 2;
	while (open_fds > 0) {
		struct pollfd p[2] = {{out[0], POLLIN, 0}, {errp[0], POLLIN, 0}};
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= timeout_ms) {
			kill(pid, SIGKILL);
			snprintf(err, errlen, "%s took longer than %ld ms and was killed", argv[0], timeout_ms);
			break;
		}
		if (poll(p, 2, (int)(timeout_ms - spent)) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			int more = i == 0 ? drain(out[0], &stdout_buf, NULL, 0)
					  : drain(errp[0], NULL, res->err_tail, sizeof res->err_tail);
			if (!more) {
				close(i == 0 ? out[0] : errp[0]);
				(i == 0 ? out : errp)[0] = -1;
				open_fds--;
			}
		}
	}
	res->exit_code = lk_spawn_wait(pid, NULL);
	pid = -1;
	res->out = stdout_buf.data ? stdout_buf.data : calloc(1, 1);   /* taken over: NUL-terminated */
	stdout_buf.data = NULL;
	rc = res->out && !stdout_buf.oom ? 0 : -1;
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	lk_buf_free(&stdout_buf);
	if (rc < 0) {
		free(res->out);
		res->out = NULL;
	}
	return rc;
}

json_t *child_last_record(const struct child_result *res, const char *exe)
{
	json_t *last = NULL;
	FILE *f = res->out && res->out[0] ? fmemopen(res->out, strlen(res->out), "r") : NULL;
	struct lk_ndjson_reader *r = f ? lk_ndjson_reader_new(f, exe, MAX_STDOUT, NULL, 0) : NULL;
	if (r) {
		json_t *rec;
		char err[256];
		int got;
		while ((got = lk_ndjson_next(r, &rec, err, sizeof err)) != 0) {
			if (got < 0)
				continue;   /* a line that is not a record is no verdict */
			json_decref(last);
			last = rec;
		}
	}
	lk_ndjson_reader_free(r);
	if (f)
		fclose(f);
	return last;
}
