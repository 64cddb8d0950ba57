/*
 * lk_spawn.h: the one way a letterkit program starts another (run and watch
 * start their stages, the sandbox starts letterkit-scan and letterkit-check).
 *
 * Two rules hold for every child:
 * - Its environment is chosen, not inherited wholesale. The secrets
 *   (NOTIFY_API_KEY) are taken out unless the caller says the child talks to
 *   Notify, so a stage that parses hostile input (check's MuPDF, scan's
 *   libclamav) never holds the key, not even in /proc/PID/environ.
 * - With `death_signal` set, the child gets that signal when the thread that
 *   started it ends (prctl PR_SET_PDEATHSIG), so that a SIGKILLed `run`
 *   leaves no stage working on for nobody. A parent that died before the
 *   child had set this up is noticed (getppid) and the child ends at once.
 * libc only.
 */
#ifndef LK_SPAWN_H
#define LK_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

/* stdin_fd/stdout_fd/stderr_fd: a descriptor for the child's 0/1/2, or one of these. */
enum { LK_SPAWN_INHERIT = -1, LK_SPAWN_DEVNULL = -2 };

struct lk_spawn {
	const char *path;          /* the executable */
	char *const *argv;         /* NULL-terminated, argv[0] included */
	int stdin_fd, stdout_fd, stderr_fd;
	int pass_secrets;          /* 1 only for a child that talks to Notify (send, status) */
	int death_signal;          /* 0, or the signal the child gets when its starter ends */
};

/** The environment variables that hold secrets, NULL-terminated. */
extern const char *const lk_spawn_secrets[];

/**
 * Starts the child; its other descriptors are closed on exec as ever (open
 * them O_CLOEXEC). Returns 0 with its pid in *pid, or -1 with a message
 * naming the program in err (not found, not executable, out of memory).
 * Safe to call from a program with threads: the child only calls
 * async-signal-safe functions before exec.
 */
int lk_spawn_start(const struct lk_spawn *s, pid_t *pid, char *err, size_t errlen);

/**
 * fork() for a worker that runs the same program's code (compose's
 * workers), under the same death rule: with death_signal set, the worker
 * gets it when the thread that forked it ends. Returns what fork() returns.
 */
pid_t lk_spawn_fork(int death_signal);

/**
 * Waits for pid (retrying on EINTR). Returns its exit status, or -1 when a
 * signal ended it (its number in *signo when signo is not NULL; 0 when it
 * could not be waited for at all).
 */
int lk_spawn_wait(pid_t pid, int *signo);

#endif
