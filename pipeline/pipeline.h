/*
 * pipeline.h: `letterkit run`, the stages joined by NDJSON pipes.
 *
 * compose (given a template) | check | scan | send (with --send), each its
 * own process (their libraries' licences may not share one), the output of
 * one the input of the next, so back-pressure and both cores come from the
 * pipes themselves. `run` feeds the first stage from a thread (feed.c),
 * keeping every letter it put in, reads the last, matches each record to
 * its letter and counts it (tally.c); letters that never came out are
 * counted too, with why. Stages start through lk_spawn (spawn.c).
 */
#ifndef PIPELINE_PIPELINE_H
#define PIPELINE_PIPELINE_H

#include <stddef.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#define PIPELINE_MAX_STAGES 6
#define PIPELINE_MAX_ARGS 40

/** One stage: the executable's name (letterkit-NAME) and its arguments. */
struct stage {
	const char *name;
	const char *argv[PIPELINE_MAX_ARGS];
	int argc;
	char path[PATH_MAX]; /* where it was found */
	pid_t pid;
	int status;         /* exit status once it ended (2 for a signal), -1 before */
	int signo;          /* the signal that ended it, 0 when it exited */
};

struct chain {
	struct stage stages[PIPELINE_MAX_STAGES];
	int n;
	int input_fd;       /* write end of the first stage's stdin, or -1 when it reads ours */
	int output_fd;      /* read end of the last stage's stdout */
};

/* spawn.c */
struct stage *chain_add(struct chain *c, const char *name);
void stage_arg(struct stage *s, const char *arg);
/* Starts every stage, found as lk_exec_find() finds programs, each through
 * lk_spawn: only send and status get the API key, and every stage gets
 * SIGTERM when the thread that started it ends. Returns 0, or -1 with a
 * message. */
int chain_start(struct chain *c, int feed_input, char *err, size_t errlen);
/* Sends sig to every stage still running. */
void chain_signal(struct chain *c, int sig);
/* Waits for every stage; returns the worst exit status (2 for a signal, whose
 * number is kept in the stage's signo). */
int chain_wait(struct chain *c);

/* feed.c: the letters run puts in, in order, fed to the first stage by a thread. */
struct letter {
	json_t *rec;        /* the record fed in (NULL for an input error) */
	char *path;         /* its "file", exact bytes */
	char *readable;     /* the same, bytes that are not UTF-8 as U+FFFD */
	size_t line;        /* its line on standard input or in compose's output, 0 for a FILE */
	char *error;        /* an input line that is no letter's record: why (not fed) */
	int answered;       /* the last stage wrote its record */
};
struct feed {
	pthread_mutex_t lock;   /* guards v and n: the feeder appends while run matches */
	struct letter *v;
	size_t n, cap, first_open;
	int src_fd;             /* records to read (stdin, compose), or -1: the FILEs in v */
	const char *src_name;
	FILE *src;              /* src_fd read through the bounded reader (the feeder's; */
	struct lk_ndjson_reader *src_reader;   /* freed by feed_finish if it was cancelled) */
	int out_fd;             /* the first stage's standard input; the feeder closes it */
	volatile sig_atomic_t *stop;
	int done, started;
	pthread_t thread;
};
void feed_init(struct feed *f, int src_fd, const char *src_name, int out_fd, volatile sig_atomic_t *stop);
/* A FILE from the command line, before feed_start. 0, or -1 when out of memory. */
int feed_add_file(struct feed *f, const char *path);
/* A letter that could not even be named (a folder that cannot be read): counted as an input error. */
int feed_add_error(struct feed *f, const char *error);
int feed_start(struct feed *f);
/* After the last stage's output ended: the feeder is stopped and joined. */
void feed_finish(struct feed *f);
/* The letter this record from the last stage answers for (marked answered), or NULL. */
struct letter *feed_match(struct feed *f, const json_t *rec);
size_t feed_count(struct feed *f);
void feed_free(struct feed *f);

/* tally.c: counts per stage and per failure code, progress and summary.
 * fix (run --fix) runs only on the letters check failed: its "passed" are
 * the letters it fixed, "failed" those it could not fix, "skipped" those
 * check passed. */
enum { TALLY_CHECK, TALLY_FIX, TALLY_SCAN, TALLY_SEND, TALLY_STAGES };
struct tally {
	size_t records, total_expected;       /* letters answered; total 0 when unknown */
	size_t passed[TALLY_STAGES], failed[TALLY_STAGES], errors[TALLY_STAGES], skipped[TALLY_STAGES];
	size_t fully_passed;                  /* letters that passed every stage that ran */
	size_t fully_passed_fixed;            /* ... of them, letters check failed and fix fixed */
	size_t bad_records;                   /* answered records with an "error" of their own */
	size_t not_reached;                   /* letters fed in that no record came out for */
	size_t input_errors;                  /* input lines that were no letter's record */
	size_t stray;                         /* lines from a stage that answer for no letter */
	struct { char *code; size_t n; } codes[64];
	int n_codes;
	double started, last_progress;
	int tty;
	int sending;
	int fixing;                           /* fix runs after check (set after tally_init) */
};
/* One stage's object of a record (rec["check"], ...): 1 passed, 0 failed, -1
 * error (both with *code set: the letter's code, or the stage's error code),
 * -2 skipped or absent. Send's is decided by its "state" first. fix's 1 is a
 * letter that passes after fixing, its 0 one it could not fix (no code: the
 * letter's code is check's). */
int tally_stage_outcome(json_t *obj, int stage, const char **code);
void tally_init(struct tally *t, int tty, int sending, size_t expected);
/* Counts one letter's record from the last stage. Returns 0 when it passed
 * every stage, 1 when it failed one, -1 for an error; `why` gets the first
 * stage that did not pass and its code ("check: letter-too-long"), and why
 * fix could not fix it when fix ran. A letter check failed and fix fixed
 * (its record holds fix's verdict and no longer check's) passed check's
 * stage by being fixed: counted failed by check, passed by fix. */
int tally_record(struct tally *t, json_t *rec, char *why, size_t whylen);
/* A letter that went in and never came out, and why. */
void tally_not_reached(struct tally *t, const char *why);
/* An input line that was no letter's record. */
void tally_input_error(struct tally *t);
/* A line from the last stage that answers for no letter. */
void tally_stray(struct tally *t);
void tally_progress(struct tally *t, FILE *out, int force);
void tally_summary(const struct tally *t, FILE *out, int compose_status, int interrupted);
void tally_free(struct tally *t);

/* watch_report.c: a filed letter's verdict, and a folder's daily report. */
/* The code a record did not pass for (the first stage's), NULL when it passed
 * every stage; *error 1 when that was an error, not the letter's failure;
 * *detail a virus's name, an error's or send's message, or NULL. */
const char *watch_record_verdict(json_t *rec, int *error, const char **detail);
struct watch_report;
/* FOLDER/report-YYYY-MM-DD.html; label names the folder in its title ("failed"). NULL when out of memory. */
struct watch_report *watch_report_new(const char *folder, const char *label);
/* A letter filed in the folder as `base`, with its record (already written beside it). */
void watch_report_filed(struct watch_report *wr, json_t *rec, const char *base);
/* Writes the report if letters came since it was written, at most every 2 s unless force. */
void watch_report_flush(struct watch_report *wr, int force);
void watch_report_free(struct watch_report *wr);

int pipeline_run_main(int argc, char **argv);
int pipeline_watch_main(int argc, char **argv);

#endif
