/*
 * pipeline.h: `letterkit run`, the stages joined by NDJSON pipes.
 *
 * compose (given a template) | check | scan | send (with --send), each its
 * own process (their libraries' licences may not share one), the output of
 * one the input of the next, so back-pressure and both cores come from the
 * pipes themselves. `run` feeds the first stage, reads the last, counts
 * every record as it passes (tally.c) and prints progress and a summary.
 */
#ifndef PIPELINE_PIPELINE_H
#define PIPELINE_PIPELINE_H

#include <stddef.h>
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
	pid_t pid;
	int status;         /* exit status once it ended, -1 before */
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
/* Starts every stage, found in exec_dir. Returns 0, or -1 with a message. */
int chain_start(struct chain *c, const char *exec_dir, int feed_input, char *err, size_t errlen);
/* Sends sig to every stage still running. */
void chain_signal(struct chain *c, int sig);
/* Waits for every stage; returns the worst exit status (2 for a signal). */
int chain_wait(struct chain *c);
/* Directory of the stage executables: $LETTERKIT_EXEC_DIR, else our own. */
int find_exec_dir(char *dir, size_t size);

/* tally.c: counts per stage and per failure code, progress and summary. */
enum { TALLY_CHECK, TALLY_SCAN, TALLY_SEND, TALLY_STAGES };
struct tally {
	size_t records, total_expected;       /* total 0 when unknown */
	size_t passed[TALLY_STAGES], failed[TALLY_STAGES], errors[TALLY_STAGES], skipped[TALLY_STAGES];
	size_t fully_passed;                  /* letters that passed every stage that ran */
	size_t bad_records;                   /* records with an "error" of their own */
	struct { char *code; size_t n; } codes[64];
	int n_codes;
	double started, last_progress;
	int tty;
	int sending;
};
void tally_init(struct tally *t, int tty, int sending, size_t expected);
/* Counts one record from the last stage. Returns 0 when the letter passed every stage. */
int tally_record(struct tally *t, json_t *rec);
void tally_progress(struct tally *t, FILE *out, int force);
void tally_summary(const struct tally *t, FILE *out, int compose_status, int interrupted);
void tally_free(struct tally *t);

int pipeline_run_main(int argc, char **argv);
int pipeline_watch_main(int argc, char **argv);

#endif
