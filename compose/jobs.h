/*
 * jobs.h: a batch of rows composed by one process or by N worker processes.
 *
 * Part of the command's front end (it writes files, prints and forks).
 * Each worker has its own compose state and libharu documents, reads the
 * data as a stream (its own open of the file, or the copy in memory made
 * when standard input must be read more than once), and composes the rows whose number modulo N is its
 * own; the parent relays their results in row order, so the manifest keeps
 * the order of the data.
 */
#ifndef COMPOSE_JOBS_H
#define COMPOSE_JOBS_H

#include <stddef.h>

#include "compose.h"
#include "lk_summary.h"
#include "lk_tty.h"
#include "rows.h"

/* The most worker processes a batch runs (--jobs). */
#define COMPOSE_MAX_JOBS 64

struct batch {
	struct compose_ctx *ctx;
	const char *data_name;         /* for messages */
	const char *data_path;         /* read as a stream by each worker ("-": stdin) */
	const unsigned char *data;     /* or, when not NULL, the whole data in memory */
	size_t data_len;
	enum rows_format format;
	const char *out_dir;           /* absolute, so that the manifest's paths work from anywhere */
	const char *name_column;       /* NULL: files are named from the row number */
	const char *reference_column;
	int jobs;
	/* Filled in the parent, one step per row: the end-of-batch line (cli.c
	 * prints it) and the progress line on a terminal. */
	struct lk_summary *summary;
	struct lk_progress *progress;
	/* Set by compose_jobs_run: per row number, an earlier row whose file
	 * has the same name (0 for none); n_rows entries. */
	const size_t *same_name_as;
	size_t n_rows;
};

/** Composes every row; returns the exit status (0, 1 or 2). */
int compose_jobs_run(const struct batch *b);

#endif
