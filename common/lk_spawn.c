/* lk_spawn.c: starting a child with a chosen environment, ended with its starter. */
#define _GNU_SOURCE   /* pipe2, execve with our own environment */
#include "lk_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *const lk_spawn_secrets[] = {"NOTIFY_API_KEY", NULL};

static int is_secret(const char *entry)
{
	for (int i = 0; lk_spawn_secrets[i]; i++) {
		size_t n = strlen(lk_spawn_secrets[i]);
		if (strncmp(entry, lk_spawn_secrets[i], n) == 0 && entry[n] == '=')
			return 1;
	}
	return 0;
}

/* The child's environment: ours, less the secrets unless it may have them. Built before fork. */
static char **child_environment(int pass_secrets)
{
	size_t n = 0;
	while (environ && environ[n])
		n++;
	char **env = malloc((n + 1) * sizeof *env);
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (pass_secrets || !is_secret(environ[i]))
			env[k++] = environ[i];
	env[k] = NULL;
	return env;
}

/* In the child: puts fd on target (a descriptor, /dev/null or left alone). */
static int place(int fd, int target)
{
	if (fd == LK_SPAWN_INHERIT || fd == target)
		return 0;
	if (fd == LK_SPAWN_DEVNULL) {
		int d = open("/dev/null", target == STDIN_FILENO ? O_RDONLY : O_WRONLY);
		if (d < 0)
			return -1;
		if (d != target && (dup2(d, target) < 0 || close(d) < 0))
			return -1;
		return 0;
	}
	return dup2(fd, target) < 0 ? -1 : 0;   /* dup2 clears close-on-exec on target */
}

/* The child's death signal, set up; 0, or an errno. Async-signal-safe. */
static int die_with(int death_signal, pid_t parent)
{
	if (!death_signal)
		return 0;
	if (prctl(PR_SET_PDEATHSIG, death_signal) != 0)
		return errno;
	if (getppid() != parent)   /* the starter died before prctl: no signal will come */
		_exit(127);
	return 0;
}

pid_t lk_spawn_fork(int death_signal)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0 && die_with(death_signal, parent) != 0)
		_exit(127);
	return pid;
}

/* Between fork and exec: async-signal-safe calls only. Reports errno on `report`. */
static void child(const struct lk_spawn *s, char **env, pid_t parent, int report)
{
	int e = 0;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);   /* exec keeps the mask: start with nothing blocked */
	e = die_with(s->death_signal, parent);
	if (!e && (place(s->stdin_fd, STDIN_FILENO) != 0 || place(s->stdout_fd, STDOUT_FILENO) != 0 ||
		   place(s->stderr_fd, STDERR_FILENO) != 0))
		e = errno;
	if (!e) {
		execve(s->path, s->argv, env);
		e = errno;
	}
	while (write(report, &e, sizeof e) < 0 && errno == EINTR)
		;
	_exit(127);
}

int lk_spawn_start(const struct lk_spawn *s, pid_t *pid, char *err, size_t errlen)
{
	char **env = child_environment(s->pass_secrets);
	int report[2];
	if (!env || pipe2(report, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot run %s: %s", s->path, env ? strerror(errno) : "out of memory");
		free(env);
		return -1;
	}
	pid_t parent = getpid();
	pid_t p = fork();
	if (p == 0)
		child(s, env, parent, report[1]);
	int fork_errno = errno;
	free(env);
	close(report[1]);
	if (p < 0) {
		close(report[0]);
		snprintf(err, errlen, "cannot run %s: %s", s->path, strerror(fork_errno));
		return -1;
	}
	/* The report pipe closes on a successful exec; an errno on it means exec failed. */
	int e = 0;
	ssize_t r;
	while ((r = read(report[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	close(report[0]);
	if (r == (ssize_t)sizeof e) {
		lk_spawn_wait(p, NULL);
		snprintf(err, errlen, "cannot run %s: %s", s->path, strerror(e));
		return -1;
	}
	*pid = p;
	return 0;
}

int lk_spawn_wait(pid_t pid, int *signo)
{
	int st;
	if (signo)
		*signo = 0;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (signo && WIFSIGNALED(st))
		*signo = WTERMSIG(st);
	return -1;
}
