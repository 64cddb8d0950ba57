/* jobs.c: runs a batch of rows, in this process or in worker processes. */
#include "jobs.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "address.h"
#include "lk_exit.h"
#include "lk_file.h"
#include "lk_ndjson.h"
#include "lk_spawn.h"
#include "lk_stop.h"
#include "lk_summary.h"
#include "lk_tty.h"
#include "lk_text.h"
#include "markup.h"

#define MAX_NAME 100

/* Where a worker's results go: straight out, or into a pipe to the parent. */
struct sink {
	FILE *pipe;
};

/*
 * What became of one row, or (row 0) a message about the whole batch: its
 * status (0 made, 1 failed, 2 could not be made), the failure's code, a
 * message for stderr and a manifest record for stdout (each may be NULL).
 * A worker sends it to the parent as one line, which deliver() handles in
 * row order, so the manifest, the messages and the summary come out alike
 * with one process or many.
 */
struct outcome {
	int status;
	size_t row;
	const char *code, *message, *record;
};

/*
 * A manifest record on standard output. When it cannot be written (a full
 * disk, a closed pipe) that is said once, with the reason, and the batch
 * ends with status 2 (compose_jobs_run): a manifest that silently lost
 * letters would pass for a whole one.
 */
static int manifest_failed;

static void put_record(const char *text)
{
	errno = 0;
	if ((fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout) != 0) && !manifest_failed) {
		fprintf(stderr, "letterkit compose: cannot write the manifest to standard output: %s\n",
			strerror(errno ? errno : EIO));
		manifest_failed = 1;
	}
}

/* In the parent: the outcome said, written, counted. */
static void deliver(const struct batch *b, const struct outcome *o)
{
	if (o->message)
		lk_say(b->progress, "letterkit compose", "%s", o->message);
	if (o->record)
		put_record(o->record);
	if (o->row == 0)
		return;   /* about the batch, not a letter */
	if (o->status == LK_EXIT_OK)
		lk_summary_pass(b->summary);
	else if (o->status == LK_EXIT_FAIL)
		lk_summary_fail(b->summary, o->code ? o->code : "failed");
	else
		lk_summary_error(b->summary);
	lk_progress_step(b->progress);
}

/* A field of the pipe's line: tabs and newlines, which end fields and lines, become spaces. */
static void put_field(FILE *f, const char *s)
{
	fputc('\t', f);
	for (; s && *s; s++)
		fputc(*s == '\n' || *s == '\t' ? ' ' : *s, f);
}

static void emit(const struct batch *b, struct sink *s, const struct outcome *o)
{
	if (!s->pipe) {
		deliver(b, o);
		return;
	}
	/* STATUS ROW CODE MESSAGE RECORD, tab-separated; "" for none (a compact record has no raw tab). */
	fprintf(s->pipe, "%d\t%zu", o->status, o->row);
	put_field(s->pipe, o->code);
	put_field(s->pipe, o->message);
	put_field(s->pipe, o->record);
	fputc('\n', s->pipe);
	fflush(s->pipe);
}

/* The parent's side of emit(): a worker's line back into an outcome. -1 when it is not one. */
static int parse_outcome(char *line, struct outcome *o)
{
	char *f[5];
	for (int i = 0; i < 4; i++) {   /* the record, last, is the rest of the line */
		f[i] = line;
		if (!(line = strchr(line, '\t')))
			return -1;
		*line++ = '\0';
	}
	f[4] = line;
	char *end;
	if (f[0][0] < '0' || f[0][0] > '2' || f[0][1] != '\0')
		return -1;
	o->status = f[0][0] - '0';
	o->row = (size_t)strtoull(f[1], &end, 10);
	if (*end)
		return -1;
	o->code = *f[2] ? f[2] : NULL;
	o->message = *f[3] ? f[3] : NULL;
	o->record = *f[4] ? f[4] : NULL;
	return 0;
}

static const char *column(const struct compose_row *row, const char *name)
{
	char want[160], have[160];
	address_column_key(name, want, sizeof want);
	for (size_t i = 0; i < row->n; i++) {
		address_column_key(row->names[i], have, sizeof have);
		if (!strcmp(want, have))
			return row->values[i];
	}
	return NULL;
}

/* out_dir/NAME.pdf, NAME from the name column (made safe) or the row number. */
static void file_name(const struct batch *b, const struct compose_row *row, char *out, size_t len)
{
	char name[MAX_NAME + 1];
	size_t n = 0;
	const char *v = b->name_column ? column(row, b->name_column) : NULL;
	for (; v && *v && n < MAX_NAME; v++) {
		unsigned char c = (unsigned char)*v;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '-' || c == '_' || (c == '.' && n > 0);
		name[n++] = ok ? (char)c : '_';
	}
	name[n] = '\0';
	if (n == 0)
		snprintf(name, sizeof name, "letter-%06zu", row->number);
	snprintf(out, len, "%s/%s.pdf", b->out_dir, name);
}

static char *manifest(const struct batch *b, const struct compose_row *row,
		      const struct compose_result *res, const char *path)
{
	const char *ref = column(row, b->reference_column);
	json_t *rec = json_object();
	/* The file's path is absolute (cli.c), and like the reference it may be
	 * bytes that are not UTF-8: lk_json_set_path carries both losslessly. */
	if (!rec || lk_json_set_path(rec, "file", path) < 0 || (ref && lk_json_set_path(rec, "reference", ref) < 0) ||
	    json_object_set_new(rec, "row", json_integer((json_int_t)row->number)) < 0 ||
	    json_object_set_new(rec, "pages", json_integer(res->pages)) < 0 ||
	    json_object_set_new(rec, "address", json_string(res->address)) < 0 ||
	    json_object_set_new(rec, "postage_zone", json_string(res->zone)) < 0) {
		json_decref(rec);
		return NULL;
	}
	char *text = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(rec);
	return text;
}

/* A row that made no letter: said with `message` and counted (status 1 with `code`, or 2). */
static int no_letter(const struct batch *b, struct sink *s, size_t row, int status, const char *code,
		     const char *message)
{
	struct outcome o = {status, row, code, message, NULL};
	emit(b, s, &o);
	return status;
}

static int one_row(const struct batch *b, struct sink *s, const struct compose_row *row,
		   struct compose_result *res)
{
	char msg[6000], path[4096];
	if (compose_letter(b->ctx, row, res) < 0) {
		snprintf(msg, sizeof msg, "%s: row %zu: %s", b->data_name, row->number, res->message);
		return no_letter(b, s, row->number, LK_EXIT_ERROR, NULL, msg);
	}
	if (res->error) {
		snprintf(msg, sizeof msg, "%s: %s (row skipped)", b->data_name, res->message);
		return no_letter(b, s, row->number, LK_EXIT_FAIL, res->error, msg);
	}
	file_name(b, row, path, sizeof path);
	if (row->number < b->n_rows && b->same_name_as[row->number]) {
		snprintf(msg, sizeof msg, "%s: row %zu: %s is also the file of row %zu: --name-column values "
			 "must be unique (row skipped)", b->data_name, row->number, path,
			 b->same_name_as[row->number]);
		return no_letter(b, s, row->number, LK_EXIT_FAIL, COMPOSE_ERR_SAME_NAME, msg);
	}
	char why[600];
	/* Atomic, synced once for the whole batch (compose_jobs_run): a rerun
	 * remakes every letter exactly, and a sync per letter costs a third of
	 * the time. */
	if (lk_write_file(path, res->pdf, res->pdf_len, 0644, LK_OUT_LAZY, why, sizeof why) < 0) {
		snprintf(msg, sizeof msg, "%s: row %zu: %s", b->data_name, row->number, why);
		return no_letter(b, s, row->number, LK_EXIT_ERROR, NULL, msg);
	}
	char *rec = manifest(b, row, res, path);
	if (!rec) {
		snprintf(msg, sizeof msg, "%s: row %zu: out of memory", b->data_name, row->number);
		return no_letter(b, s, row->number, LK_EXIT_ERROR, NULL, msg);
	}
	struct outcome made = {LK_EXIT_OK, row->number, NULL, NULL, rec};
	emit(b, s, &made);
	free(rec);
	return LK_EXIT_OK;
}

/*
 * A row that could not be read (not JSON, a broken CSV record...): an input
 * error (2), as a bad line is for every stage (lk_input.h), not a letter
 * that failed a rule (1). Besides the message it has a record in the
 * manifest, {"row": N, "error": ...} ("line": N too for NDJSON, whose rows
 * are lines), so that no row of the data is missing from the output.
 */
static int unreadable_row(const struct batch *b, struct sink *s, size_t row, const char *err)
{
	json_t *rec = json_pack("{s:I}", "row", (json_int_t)row);
	if (rec && b->format == ROWS_NDJSON)
		json_object_set_new(rec, "line", json_integer((json_int_t)row));
	char *readable = lk_utf8_readable(err);   /* the data's name may be any bytes */
	if (rec && readable)
		json_object_set_new(rec, "error", json_string(readable));
	free(readable);
	char *text = rec ? json_dumps(rec, LK_NDJSON_DUMP_FLAGS | JSON_PRESERVE_ORDER) : NULL;
	char msg[1100];
	snprintf(msg, sizeof msg, "%s (row skipped)", err);
	struct outcome o = {LK_EXIT_ERROR, row, NULL, msg, text};
	emit(b, s, &o);
	free(text);
	json_decref(rec);
	return LK_EXIT_ERROR;
}

/*
 * The data as a stream: the copy in memory, standard input, or the file
 * opened anew (each worker reads it from the start). NULL with errno set.
 */
static FILE *open_data(const struct batch *b)
{
	if (b->data)
		return fmemopen((void *)b->data, b->data_len ? b->data_len : 1, "r");
	if (!strcmp(b->data_path, "-"))
		return stdin;
	return fopen(b->data_path, "r");
}

static void close_data(FILE *f)
{
	if (f && f != stdin)
		fclose(f);
}

/*
 * A placeholder that no column of the CSV header matches would fail every
 * row alike: it is one error for the file, naming the header (exit 2). An
 * NDJSON file has no header; each row is checked by itself (merge.c).
 */
static int header_lacks_placeholders(const struct batch *b, const struct rows *r, char *err, size_t errlen)
{
	const char *const *names;
	size_t n = compose_rows_header(r, &names);
	if (b->format != ROWS_CSV)
		return 0;
	char list[512];
	size_t missing = compose_missing_columns(b->ctx, names, n, list, sizeof list);
	if (missing == 0)
		return 0;
	if (missing == (size_t)-1)
		snprintf(err, errlen, "%s: out of memory", b->data_name);
	else
		snprintf(err, errlen, "%s: the header (row 1) has no column for placeholder%s%s of the template: "
			 "add %s to the header or take %s out of the template", b->data_name,
			 missing > 1 ? "s" : "", list, missing > 1 ? "the columns" : "the column",
			 missing > 1 ? "them" : "it");
	return 1;
}

/* Composes the rows numbered k, k+n, k+2n... (1-based numbers minus one). */
static int work(const struct batch *b, struct sink *s, int k, int n)
{
	char err[1024];
	int status = LK_EXIT_OK;
	struct compose_result res;
	memset(&res, 0, sizeof res);
	FILE *f = open_data(b);
	if (!f || (b->data && b->data_len == 0)) {
		close_data(f);
		if (f && b->format == ROWS_NDJSON)
			return LK_EXIT_OK;
		snprintf(err, sizeof err, "%s: %s", b->data_name, f ? "empty: a header row is needed" : strerror(errno));
		if (k == 0)
			no_letter(b, s, 0, LK_EXIT_ERROR, NULL, err);
		return LK_EXIT_ERROR;
	}
	struct rows *r = compose_rows_new(f, b->data_name, b->format, err, sizeof err);
	if (!r || header_lacks_placeholders(b, r, err, sizeof err)) {
		if (k == 0)
			no_letter(b, s, 0, LK_EXIT_ERROR, NULL, err);
		compose_rows_free(r);
		close_data(f);
		return LK_EXIT_ERROR;
	}
	/* Stopped (SIGINT, SIGTERM): the letter being made is finished, no other starts. */
	for (size_t i = 0; !lk_stop_signal(); i++) {
		struct compose_row row;
		int rc = compose_rows_next(r, &row, err, sizeof err);
		if (rc == 0)
			break;
		if ((int)(i % (size_t)n) != k)
			continue;
		if (rc < 0) {
			status = lk_exit_worse(status, unreadable_row(b, s, row.number, err));
			continue;
		}
		status = lk_exit_worse(status, one_row(b, s, &row, &res));
		compose_result_clear(&res);
	}
	compose_rows_free(r);
	close_data(f);
	return status;
}

static int run(const struct batch *b);

/*
 * The parent: relays one line per row from worker (row % n), in row order.
 * Stopped by a signal, it passes it on to the workers and relays the letters
 * they finish, until the first one ends.
 */
static int relay(const struct batch *b, FILE **from, const pid_t *pids, int n)
{
	int status = LK_EXIT_OK, passed_on = 0;
	char *line = NULL;
	size_t cap = 0;
	for (size_t i = 0;; i++) {
		if (lk_stop_signal() && !passed_on) {
			for (int k = 0; k < n; k++)
				kill(pids[k], lk_stop_signal());
			passed_on = 1;
		}
		errno = 0;
		ssize_t got = getline(&line, &cap, from[i % (size_t)n]);
		if (got < 0 && errno == EINTR && ferror(from[i % (size_t)n]) && lk_stop_signal()) {
			clearerr(from[i % (size_t)n]);   /* the signal came while waiting: wait on */
			i--;
			continue;
		}
		if (got <= 0)
			break;
		if (line[got - 1] == '\n')
			line[got - 1] = '\0';
		struct outcome o;
		if (parse_outcome(line, &o) < 0) {
			status = LK_EXIT_ERROR;
			break;
		}
		deliver(b, &o);
		status = lk_exit_worse(status, o.status);
	}
	free(line);
	return status;
}

struct named {
	char *path;
	size_t row;
};

static int by_path_then_row(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

/*
 * With --name-column two rows could name the same file, and the later would
 * silently replace the earlier letter. The rows are read once beforehand (in
 * memory, before any worker starts), and every row but the first of each name
 * is marked to fail. Returns NULL when no row repeats a name, or on any error
 * (the rows are then read and reported by the workers as usual).
 */
static size_t *find_same_names(const struct batch *b, size_t *n_rows)
{
	char err[1024], path[4096];
	struct named *names = NULL;
	size_t n = 0, cap = 0, *same = NULL, last = 0;   /* last: the highest row number */
	FILE *f = b->data && !b->data_len ? NULL : open_data(b);
	struct rows *r = f ? compose_rows_new(f, b->data_name, b->format, err, sizeof err) : NULL;
	struct compose_row row;
	int rc;
	while (r && (rc = compose_rows_next(r, &row, err, sizeof err)) != 0) {
		if (rc < 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			struct named *bigger = realloc(names, cap * sizeof *names);
			if (!bigger)
				goto out;
			names = bigger;
		}
		file_name(b, &row, path, sizeof path);
		if (!(names[n].path = strdup(path)))
			goto out;
		names[n++].row = row.number;
		if (row.number > last)
			last = row.number;
	}
	qsort(names, n, sizeof *names, by_path_then_row);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(names[i].path, names[i - 1].path) != 0)
			continue;
		if (!same && !(same = calloc(last + 1, sizeof *same)))
			goto out;
		size_t first = i - 1;
		while (first > 0 && !strcmp(names[first - 1].path, names[i].path))
			first--;
		same[names[i].row] = names[first].row;
	}
	*n_rows = last + 1;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i].path);
	free(names);
	compose_rows_free(r);
	close_data(f);
	return same;
}

int compose_jobs_run(const struct batch *batch)
{
	struct batch copy = *batch;
	const struct batch *b = &copy;
	size_t *same = copy.name_column ? find_same_names(&copy, &copy.n_rows) : NULL;
	copy.same_name_as = same;
	if (!same)
		copy.n_rows = 0;
	int status = run(b);
	free(same);
	/* The letters were written lazily: they reach the disk (their file
	 * system, not the whole machine) before we say we are done. */
	char err[512];
	if (lk_sync_folder(b->out_dir, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit compose: %s\n", err);
		status = LK_EXIT_ERROR;
	}
	return manifest_failed ? LK_EXIT_ERROR : status;
}

static int run(const struct batch *b)
{
	if (b->jobs <= 1) {
		struct sink s = {NULL};
		return work(b, &s, 0, 1);
	}
	int n = b->jobs > COMPOSE_MAX_JOBS ? COMPOSE_MAX_JOBS : b->jobs;
	pid_t pids[COMPOSE_MAX_JOBS];
	FILE *from[COMPOSE_MAX_JOBS];
	int started = 0, status;
	fflush(stdout);
	fflush(stderr);
	for (; started < n; started++) {
		int fd[2];
		if (pipe(fd) < 0)
			break;
		/* Workers end with compose, even when it is killed with SIGKILL. */
		pid_t pid = lk_spawn_fork(SIGTERM);
		if (pid < 0) {
			close(fd[0]);
			close(fd[1]);
			break;
		}
		if (pid == 0) {
			close(fd[0]);
			for (int i = 0; i < started; i++)
				fclose(from[i]);
			struct sink s = {fdopen(fd[1], "w")};
			int st = s.pipe ? work(b, &s, started, n) : LK_EXIT_ERROR;
			if (s.pipe)
				fclose(s.pipe);
			_exit(st);
		}
		close(fd[1]);
		pids[started] = pid;
		from[started] = fdopen(fd[0], "r");
		if (!from[started]) {
			close(fd[0]);
			kill(pid, SIGTERM);
			waitpid(pid, NULL, 0);
			break;
		}
	}
	if (started < n) {
		fprintf(stderr, "letterkit compose: cannot start worker %d: %s\n", started + 1, strerror(errno));
		for (int i = 0; i < started; i++)
			kill(pids[i], SIGTERM);
		status = LK_EXIT_ERROR;
	} else {
		status = relay(b, from, pids, n);
	}
	for (int i = 0; i < started; i++) {
		int ws;
		fclose(from[i]);
		if (waitpid(pids[i], &ws, 0) < 0 || !WIFEXITED(ws)) {
			fprintf(stderr, "letterkit compose: worker %d died\n", i + 1);
			status = LK_EXIT_ERROR;
		} else {
			status = lk_exit_worse(status, WEXITSTATUS(ws));
		}
	}
	return status;
}
