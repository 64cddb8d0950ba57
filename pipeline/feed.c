/*
 * feed.c: the letters `letterkit run` puts into its first stage, in order,
 * and the thread that writes them there while the main thread reads the
 * last stage. Every letter that went in is here, so that each one comes out
 * of the summary and of --results with its fate, answered or not.
 *
 * The letters come from the command line (all known before the batch), or
 * as NDJSON records from standard input or compose's output, read with the
 * bounded reader and forwarded byte for byte. A line that is no record with
 * a "file" is an input error, counted here and not forwarded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lk_ndjson.h"
#include "lk_text.h"
#include "pipeline.h"

static void lock(struct feed *f) { pthread_mutex_lock(&f->lock); }
static void unlock(struct feed *f) { pthread_mutex_unlock(&f->lock); }

void feed_init(struct feed *f, int src_fd, const char *src_name, int out_fd, volatile sig_atomic_t *stop)
{
	memset(f, 0, sizeof *f);
	pthread_mutex_init(&f->lock, NULL);
	f->src_fd = src_fd;
	f->src_name = src_name;
	f->out_fd = out_fd;
	f->stop = stop;
}

/* Appends a letter (rec is taken over, path copied); under the lock. -1 when out of memory. */
static int add(struct feed *f, json_t *rec, const char *path, size_t line, const char *error)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct letter *v = realloc(f->v, cap * sizeof *v);
		if (!v) {
			json_decref(rec);
			return -1;
		}
		f->v = v;
		f->cap = cap;
	}
	struct letter *l = &f->v[f->n];
	memset(l, 0, sizeof *l);
	l->rec = rec;
	l->line = line;
	l->path = path ? strdup(path) : NULL;
	l->readable = path ? lk_utf8_readable(path) : NULL;
	l->error = error ? strdup(error) : NULL;
	if ((path && (!l->path || !l->readable)) || (error && !l->error)) {
		free(l->path);
		free(l->readable);
		free(l->error);
		json_decref(rec);
		return -1;
	}
	f->n++;
	return 0;
}

int feed_add_file(struct feed *f, const char *path)
{
	json_t *rec = json_object();
	if (!rec || lk_json_set_path(rec, "file", path) != 0) {
		json_decref(rec);
		return -1;
	}
	lock(f);
	int rc = add(f, rec, path, 0, NULL);
	unlock(f);
	return rc;
}

int feed_add_error(struct feed *f, const char *error)
{
	lock(f);
	int rc = add(f, NULL, NULL, 0, error);
	unlock(f);
	return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int write_record(struct feed *f, const json_t *rec)
{
	char *line = json_dumps(rec, LK_NDJSON_DUMP_FLAGS);
	int oldstate;
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &oldstate);
	int rc = line ? write_all(f->out_fd, line, strlen(line)) : -1;
	if (rc == 0)
		rc = write_all(f->out_fd, "\n", 1);
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate);
	free(line);
	return rc;
}

/* The letters named on the command line, already in f->v. */
static void feed_files(struct feed *f)
{
	for (size_t i = 0; !*f->stop; i++) {
		lock(f);
		int more = i < f->n;
		json_t *rec = more ? json_incref(f->v[i].rec) : NULL;
		unlock(f);
		if (!more)
			break;
		if (!rec)
			continue;   /* an input error (a folder that cannot be read): accounted, not fed */
		int rc = write_record(f, rec);
		json_decref(rec);
		if (rc != 0)
			break;   /* the first stage is gone: the rest are not reached */
	}
}

/* Records from a stream: each line a letter, or an input error. */
/* The stream and its reader, released once: by the feeder at its end, or by
 * feed_finish when the feeder was cancelled in its read. */
static void stream_close(struct feed *f)
{
	lk_ndjson_reader_free(f->src_reader);
	f->src_reader = NULL;
	if (f->src)
		fclose(f->src);
	f->src = NULL;
	f->src_fd = -1;
}

static void feed_stream(struct feed *f)
{
	FILE *in = f->src = fdopen(f->src_fd, "r");
	struct lk_ndjson_reader *r = f->src_reader =
		in ? lk_ndjson_reader_new(in, f->src_name, LK_NDJSON_MAX_LINE, NULL, 0) : NULL;
	if (!r) {
		lock(f);
		add(f, NULL, NULL, 0, "out of memory before the first record");
		unlock(f);
		stream_close(f);
		return;
	}
	while (!*f->stop) {
		const char *line;
		size_t len;
		char err[512];
		json_t *rec = NULL;
		int oldstate;
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &oldstate);
		int got = lk_ndjson_next_line(r, &line, &len, err, sizeof err);
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate);
		if (got == 0)
			break;
		if (got > 0 && lk_ndjson_parse(r, line, len, &rec, err, sizeof err) > 0) {
			char *owned;
			const char *path = lk_json_get_path(rec, "file", &owned);
			if (path) {
				lock(f);
				int rc = add(f, json_incref(rec), path, lk_ndjson_line(r), NULL);
				unlock(f);
				free(owned);
				rc = rc == 0 ? write_record(f, rec) : rc;
				json_decref(rec);
				if (rc != 0)
					break;
				continue;
			}
			snprintf(err, sizeof err, "%s: line %zu: a record needs a \"file\"", f->src_name,
				 lk_ndjson_line(r));
			json_decref(rec);
		}
		lock(f);
		add(f, NULL, NULL, lk_ndjson_line(r), err);
		unlock(f);
	}
	stream_close(f);
}

static void *feeder(void *arg)
{
	struct feed *f = arg;
	int oldstate;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate);
	if (f->src_fd >= 0)
		feed_stream(f);
	else
		feed_files(f);
	close(f->out_fd);   /* end of input: the stages finish and end */
	f->out_fd = -1;
	lock(f);
	f->done = 1;
	unlock(f);
	return NULL;
}

int feed_start(struct feed *f)
{
	if (pthread_create(&f->thread, NULL, feeder, f) != 0)
		return -1;
	f->started = 1;
	return 0;
}

void feed_finish(struct feed *f)
{
	if (!f->started)
		return;
	lock(f);
	int done = f->done;
	unlock(f);
	/* The stages have ended; a feeder still waiting on its source (a FIFO held
	 * open) is stopped at that wait, the only place it can be cancelled. */
	if (!done)
		pthread_cancel(f->thread);
	pthread_join(f->thread, NULL);
	f->started = 0;
	stream_close(f);   /* a cancelled feeder left them open */
	if (!done && f->out_fd >= 0)
		close(f->out_fd);
}

/* The open letter whose path is `path` (exact bytes, then the readable form), or NULL; under the lock. */
static struct letter *find_open(struct feed *f, const char *path)
{
	/* Most answers come in order; a parallel send may swap neighbours. The
	 * exact bytes first, then the readable form (a stage that dropped file_base64). */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = f->first_open; i < f->n; i++) {
			struct letter *l = &f->v[i];
			if (!l->answered && l->path && strcmp(pass == 0 ? l->path : l->readable, path) == 0)
				return l;
		}
	}
	return NULL;
}

struct letter *feed_match(struct feed *f, const json_t *rec)
{
	char *owned, *owned_from, *owned_written;
	const char *path = lk_json_get_path(rec, "file", &owned);
	/* A letter fix wrote a copy of (run --fix) comes back as the copy ("file"
	 * is fix's "written"), "from" its own file: that first, then "file". */
	const json_t *fix = json_object_get(rec, "fix");
	const char *from = lk_json_get_path(fix, "from", &owned_from);
	const char *written = lk_json_get_path(fix, "written", &owned_written);
	int copy = from && written && path && strcmp(written, path) == 0;
	const char *first = copy ? from : path, *then = copy ? path : from;
	struct letter *found = NULL;
	lock(f);
	while (f->first_open < f->n && (f->v[f->first_open].answered || !f->v[f->first_open].path))
		f->first_open++;
	if (first)
		found = find_open(f, first);
	if (!found && then)
		found = find_open(f, then);
	if (found)
		found->answered = 1;
	unlock(f);
	free(owned);
	free(owned_from);
	free(owned_written);
	return found;
}

size_t feed_count(struct feed *f)
{
	lock(f);
	size_t n = f->n;
	unlock(f);
	return n;
}

void feed_free(struct feed *f)
{
	for (size_t i = 0; i < f->n; i++) {
		json_decref(f->v[i].rec);
		free(f->v[i].path);
		free(f->v[i].readable);
		free(f->v[i].error);
	}
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
	pthread_mutex_destroy(&f->lock);
}
