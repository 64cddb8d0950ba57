/*
 * process.c: a letter's life after the POST, as Notify lives it:
 *   pending-virus-check --scan--> virus-scan-failed
 *                       --check-> validation-failed
 *                              -> accepted --(delay)--> received
 * with technical-failure when a child cannot say. Each step waits its
 * configured delay, then runs on one of the worker threads. Jobs are kept
 * in a min-heap by due time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

enum { STEP_SCAN, STEP_CHECK, STEP_RECEIVE };

static void heap_push(struct sandbox *sb, struct job j)
{
	if (sb->n_jobs == sb->cap_jobs) {
		size_t cap = sb->cap_jobs ? sb->cap_jobs * 2 : 256;
		struct job *more = realloc(sb->jobs, cap * sizeof *more);
		if (!more) {
			/* The letter stays pending; with a state it is picked up at the next start. */
			sb_log(sb, "%s: out of memory queueing the letter", j.letter->id);
			return;
		}
		sb->jobs = more;
		sb->cap_jobs = cap;
	}
	size_t i = sb->n_jobs++;
	while (i > 0 && sb->jobs[(i - 1) / 2].due_us > j.due_us) {
		sb->jobs[i] = sb->jobs[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	sb->jobs[i] = j;
}

static struct job heap_pop(struct sandbox *sb)
{
	struct job top = sb->jobs[0], last = sb->jobs[--sb->n_jobs];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= sb->n_jobs)
			break;
		if (c + 1 < sb->n_jobs && sb->jobs[c + 1].due_us < sb->jobs[c].due_us)
			c++;
		if (sb->jobs[c].due_us >= last.due_us)
			break;
		sb->jobs[i] = sb->jobs[c];
		i = c;
	}
	if (sb->n_jobs)
		sb->jobs[i] = last;
	return top;
}

static void schedule(struct sandbox *sb, struct letter *l, int step, long delay_ms)
{
	pthread_mutex_lock(&sb->qlock);
	heap_push(sb, (struct job){now_us() + delay_ms * 1000, l, step});
	pthread_cond_signal(&sb->qcond);
	pthread_mutex_unlock(&sb->qlock);
}

void process_enqueue(struct sandbox *sb, struct letter *l)
{
	if (l->status == ST_PENDING_VIRUS_CHECK)
		schedule(sb, l, STEP_SCAN, sb->cfg.scan_delay_ms);
	else if (l->status == ST_ACCEPTED)
		schedule(sb, l, STEP_RECEIVE, sb->cfg.receive_delay_ms);
}

static void set_status(struct sandbox *sb, struct letter *l, enum letter_status s, const char *detail)
{
	pthread_mutex_lock(&sb->lock);
	store_set_status(sb, l, s, detail);
	pthread_mutex_unlock(&sb->lock);
	if (s != ST_ACCEPTED && s != ST_RECEIVED)
		sb_log(sb, "%s: %s%s%s", l->id, status_name(s), detail ? ": " : "", detail ? detail : "");
}

/* Runs one stage on a letter's PDF; returns its exit code (-1: it could not say) and its JSON. */
static int run_stage(struct sandbox *sb, struct letter *l, const char *exe, int scan, json_t **result,
		     char *why, size_t whylen)
{
	char path[4200], err[512] = "";
	struct child_result res;
	letter_pdf_path(sb, l->id, path, sizeof path);
	char *argv[8];
	int n = 0;
	argv[n++] = (char *)exe;
	if (scan && sb->cfg.clamav_db) {
		argv[n++] = "--db";
		argv[n++] = (char *)sb->cfg.clamav_db;
	}
	argv[n++] = "--json";
	argv[n++] = path;
	argv[n] = NULL;
	*result = NULL;
	if (child_run(argv, CHILD_TIMEOUT_MS, &res, err, sizeof err) < 0) {
		snprintf(why, whylen, "%s", err);
		return -1;
	}
	/* The stage prints one JSON object (the last one when there are several). */
	*result = child_last_record(&res, exe);
	if (res.exit_code < 0 || res.exit_code > 1 || !json_is_object(*result))
		snprintf(why, whylen, "%s exited %d%s%s", exe, res.exit_code, res.err_tail[0] ? ": " : "",
			 res.err_tail[0] ? res.err_tail : (err[0] ? err : " without a JSON result"));
	int code = json_is_object(*result) ? res.exit_code : -1;
	free(res.out);
	return code;
}

static void step_scan(struct sandbox *sb, struct letter *l)
{
	json_t *out;
	char why[768] = "";
	int code = run_stage(sb, l, sb->cfg.scan_exe, 1, &out, why, sizeof why);
	json_t *scan = json_object_get(out, "scan");
	if (code == 0 && json_is_true(json_object_get(scan, "clean")))
		schedule(sb, l, STEP_CHECK, sb->cfg.check_delay_ms);
	else if (code == 1)
		set_status(sb, l, ST_VIRUS_SCAN_FAILED,
			   json_string_value(json_object_get(scan, "virus")) ?
			   json_string_value(json_object_get(scan, "virus")) : "virus found");
	else
		set_status(sb, l, ST_TECHNICAL_FAILURE, why[0] ? why : "letterkit-scan gave no verdict");
	json_decref(out);
}

static void step_check(struct sandbox *sb, struct letter *l)
{
	json_t *out;
	char why[768] = "";
	int code = run_stage(sb, l, sb->cfg.check_exe, 0, &out, why, sizeof why);
	if (code == 0 && json_is_true(json_object_get(out, "valid"))) {
		set_status(sb, l, ST_ACCEPTED, NULL);
		schedule(sb, l, STEP_RECEIVE, sb->cfg.receive_delay_ms);
	} else if (code == 1) {
		const char *m = json_string_value(json_object_get(out, "message"));
		set_status(sb, l, ST_VALIDATION_FAILED, m ? m : "invalid");
	} else {
		set_status(sb, l, ST_TECHNICAL_FAILURE, why[0] ? why : "letterkit-check gave no verdict");
	}
	json_decref(out);
}

static void *worker(void *arg)
{
	struct sandbox *sb = arg;
	pthread_mutex_lock(&sb->qlock);
	while (!sb->stopping) {
		if (sb->n_jobs == 0) {
			pthread_cond_wait(&sb->qcond, &sb->qlock);
			continue;
		}
		long long wait = sb->jobs[0].due_us - now_us();
		if (wait > 0) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			long long until = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 + wait;
			ts.tv_sec = (time_t)(until / 1000000);
			ts.tv_nsec = (long)(until % 1000000) * 1000;
			pthread_cond_timedwait(&sb->qcond, &sb->qlock, &ts);
			continue;
		}
		struct job j = heap_pop(sb);
		pthread_mutex_unlock(&sb->qlock);
		if (j.step == STEP_SCAN)
			step_scan(sb, j.letter);
		else if (j.step == STEP_CHECK)
			step_check(sb, j.letter);
		else
			set_status(sb, j.letter, ST_RECEIVED, NULL);
		pthread_mutex_lock(&sb->qlock);
	}
	pthread_mutex_unlock(&sb->qlock);
	return NULL;
}

int process_start(struct sandbox *sb, char *err, size_t errlen)
{
	/* Letters kept in the state that were not finished go on where they were. */
	for (size_t i = 0; i < sb->store.n; i++)
		process_enqueue(sb, sb->store.items[i]);
	sb->threads = calloc((size_t)sb->cfg.workers, sizeof *sb->threads);
	if (!sb->threads) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < sb->cfg.workers; i++) {
		int e = pthread_create(&sb->threads[i], NULL, worker, sb);
		if (e != 0) {
			snprintf(err, errlen, "cannot start a worker thread: %s", strerror(e));
			process_stop(sb);
			return -1;
		}
		sb->n_threads++;
	}
	return 0;
}

void process_stop(struct sandbox *sb)
{
	pthread_mutex_lock(&sb->qlock);
	sb->stopping = 1;
	pthread_cond_broadcast(&sb->qcond);
	pthread_mutex_unlock(&sb->qlock);
	for (int i = 0; i < sb->n_threads; i++)
		pthread_join(sb->threads[i], NULL);
	sb->n_threads = 0;
	free(sb->threads);
	sb->threads = NULL;
}
