/*
 * tally.c: what `letterkit run` counts as records leave the last stage,
 * the progress line (redrawn in place on a terminal, a plain line now and
 * then otherwise) and the summary table at the end.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lk_explain.h"
#include "lk_text.h"
#include "pipeline.h"

#define PLAIN_PROGRESS_SECONDS 5.0

static const char *const stage_names[TALLY_STAGES] = {"check", "fix", "scan", "send"};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void tally_init(struct tally *t, int tty, int sending, size_t expected)
{
	memset(t, 0, sizeof *t);
	t->tty = tty;
	t->sending = sending;
	t->total_expected = expected;
	t->started = t->last_progress = now();
}

static void count_code(struct tally *t, const char *code)
{
	for (int i = 0; i < t->n_codes; i++) {
		if (strcmp(t->codes[i].code, code) == 0) {
			t->codes[i].n++;
			return;
		}
	}
	if (t->n_codes < (int)(sizeof t->codes / sizeof t->codes[0])) {
		t->codes[t->n_codes].code = strdup(code);
		if (t->codes[t->n_codes].code)
			t->codes[t->n_codes++].n = 1;
	}
}

/*
 * send's record, decided by its "state" first: a letter Notify refused (a
 * 4xx) is "refused" with the HTTP answer in an "error" object beside it, and
 * is the letter's failure (exit 1), not an error; "error" and "unknown" are
 * errors (exit 2), whatever else the record holds. The code is send's
 * "reason" ("refused-by-notify", "invalid-postage"), else the state.
 */
static int send_outcome(json_t *obj, const char **code)
{
	if (json_object_get(obj, "skipped"))
		return -2;
	const char *state = json_string_value(json_object_get(obj, "state"));
	const char *reason = json_string_value(json_object_get(obj, "reason"));
	if (state && (strcmp(state, "sent") == 0 || strcmp(state, "already-sent") == 0))
		return 1;
	if (state && strcmp(state, "refused") == 0) {
		*code = reason ? reason : state;
		return 0;
	}
	if (state || json_object_get(obj, "error")) {
		*code = reason ? reason : "send-error";
		return -1;
	}
	*code = "not-sent";
	return 0;
}

int tally_stage_outcome(json_t *obj, int stage, const char **code)
{
	*code = NULL;
	if (!json_is_object(obj))
		return -2;
	if (stage == TALLY_SEND)
		return send_outcome(obj, code);
	if (json_object_get(obj, "error")) {
		*code = stage == TALLY_SCAN ? "scan-error" : stage == TALLY_FIX ? "fix-error" : "check-error";
		return -1;
	}
	switch (stage) {
	case TALLY_CHECK:
		if (json_is_true(json_object_get(obj, "valid")))
			return 1;
		*code = json_string_value(json_object_get(obj, "message"));
		return 0;
	case TALLY_FIX:
		return json_is_true(json_object_get(obj, "valid")) ? 1 : 0;
	case TALLY_SCAN:
		if (json_is_true(json_object_get(obj, "clean")))
			return 1;
		*code = "virus-found";
		return 0;
	default:
		return -1;
	}
}

/* Why fix could not fix a letter: the first page's reason, else the first note about the file. */
static const char *not_fixed_because(json_t *fix)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(fix, "pages"), i, v) {
		const char *refused = json_string_value(json_object_get(v, "refused"));
		if (refused && *refused)
			return refused;
	}
	return json_string_value(json_array_get(json_object_get(fix, "notes"), 0));
}

/* Counts fix's stage of a record whose check did not pass (-2: fix did not
 * answer for it). Returns the outcome left for the common count: 1 fixed,
 * -1 an error; 0 for one counted here. */
static int count_fix(struct tally *t, json_t *fix, int outcome, char *why, size_t whylen)
{
	if (outcome == -2) {
		t->skipped[TALLY_FIX]++;
	} else if (outcome == 0) {
		/* not fixed: the letter's code is check's, already counted; the why gets fix's reason */
		t->failed[TALLY_FIX]++;
		const char *because = not_fixed_because(fix);
		size_t len = strlen(why);
		if (because && len)
			snprintf(why + len, whylen - len, " (not fixed: %s)", because);
	}
	return outcome == -2 ? 0 : outcome;
}

int tally_record(struct tally *t, json_t *rec, char *why, size_t whylen)
{
	static const char *const keys[TALLY_STAGES] = {"check", "fix", "scan", "send"};
	t->records++;
	why[0] = '\0';
	const char *own_error = json_string_value(json_object_get(rec, "error"));
	if (own_error) {
		t->bad_records++;
		count_code(t, "bad-record");
		snprintf(why, whylen, "%s", own_error);
		return -1;
	}
	/* A fix object on a letter check passed is an earlier run's: this run did not fix it. */
	const char *code;
	int check_passed = tally_stage_outcome(json_object_get(rec, "check"), TALLY_CHECK, &code) == 1;
	int fixed = t->fixing && !check_passed && tally_stage_outcome(json_object_get(rec, "fix"), TALLY_FIX, &code) == 1;
	int all_passed = 1, worst = 0;
	for (int s = 0; s < TALLY_STAGES; s++) {
		int outcome = tally_stage_outcome(json_object_get(rec, keys[s]), s, &code);
		if (s == TALLY_FIX) {
			if (!t->fixing)
				continue;
			outcome = count_fix(t, json_object_get(rec, keys[s]), check_passed ? -2 : outcome, why, whylen);
			if (outcome == 0)
				continue;   /* nothing to fix, or not fixed: check's failure is the letter's */
		}
		if (s == TALLY_CHECK && fixed && outcome != 1) {
			/* check failed it (fix dropped check's verdict on the original), and fix fixed it */
			t->failed[s]++;
			continue;
		}
		if (outcome == -2) {
			/* check and scan always run, so their absence is a failure;
			 * send skips letters that failed them, and runs only with --send. */
			if (s == TALLY_SEND && t->sending)
				t->skipped[s]++;
			if (s != TALLY_SEND || t->sending) {
				all_passed = 0;
				if (!why[0] && s != TALLY_SEND)
					snprintf(why, whylen, "%s: no verdict", stage_names[s]);
				if (s != TALLY_SEND)
					worst = -1;
			}
			continue;
		}
		if (outcome == 1) {
			t->passed[s]++;
			continue;
		}
		all_passed = 0;
		if (outcome == 0) {
			t->failed[s]++;
			if (!worst)
				worst = 1;
		} else {
			t->errors[s]++;
			worst = -1;
		}
		if (code)
			count_code(t, code);
		if (!why[0])
			snprintf(why, whylen, "%s: %s", stage_names[s], code ? code : "did not pass");
	}
	if (all_passed) {
		t->fully_passed++;
		t->fully_passed_fixed += fixed;
	}
	return all_passed ? 0 : worst ? worst : 1;
}

void tally_not_reached(struct tally *t, const char *why)
{
	t->not_reached++;
	count_code(t, why);
}

void tally_input_error(struct tally *t)
{
	t->input_errors++;
	count_code(t, "bad-record");
}

void tally_stray(struct tally *t)
{
	t->stray++;
}

/* Every letter that went in: answered, not reached, or no record at all. */
static size_t letters(const struct tally *t)
{
	return t->records + t->not_reached + t->input_errors;
}

void tally_progress(struct tally *t, FILE *out, int force)
{
	double n = now(), secs = n - t->started;
	if (!force && !t->tty && n - t->last_progress < PLAIN_PROGRESS_SECONDS)
		return;
	if (!force && t->tty && n - t->last_progress < 0.1)
		return;
	t->last_progress = n;
	double rate = secs > 0 ? t->records / secs : 0;
	size_t failed = t->records - t->fully_passed;
	if (t->tty)
		fputs("\r\033[K", out);
	if (t->total_expected) {
		int width = 24, done = (int)(width * t->records / t->total_expected);
		fputc('[', out);
		for (int i = 0; i < width; i++)
			fputc(i < done ? '#' : ' ', out);
		fprintf(out, "] %zu/%zu letters", t->records, t->total_expected);
	} else {
		fprintf(out, "%zu letters", t->records);
	}
	fprintf(out, ", %zu passed, %zu failed, %.1f/s", t->fully_passed, failed, rate);
	if (t->total_expected && rate > 0 && t->records < t->total_expected)
		fprintf(out, ", about %.0f s to go", (t->total_expected - t->records) / rate);
	fputs(t->tty ? "" : "\n", out);
	fflush(out);
}

void tally_summary(const struct tally *t, FILE *out, int compose_status, int interrupted)
{
	double secs = now() - t->started;
	if (t->tty)
		fputs("\r\033[K", out);
	fprintf(out, "\n%s: %zu letters in %.1f s (%.1f a second)\n", interrupted ? "interrupted" : "done",
		letters(t), secs, secs > 0 ? t->records / secs : 0.0);
	if (compose_status > 0)
		fprintf(out, "compose: some rows made no letter (their reasons are above)\n");
	fprintf(out, "\n%-8s %9s %9s %9s %9s\n", "stage", "passed", "failed", "errors", "skipped");
	for (int s = 0; s < TALLY_STAGES; s++) {
		if ((s == TALLY_SEND && !t->sending) || (s == TALLY_FIX && !t->fixing))
			continue;
		fprintf(out, "%-8s %9zu %9zu %9zu %9zu\n", stage_names[s], t->passed[s], t->failed[s],
			t->errors[s], t->skipped[s]);
	}
	size_t to_fix = t->passed[TALLY_FIX] + t->failed[TALLY_FIX] + t->errors[TALLY_FIX];
	if (to_fix)
		fprintf(out, "%-8s %9zu of the %zu letters check failed; the fixed copies went on\n", "fixed",
			t->passed[TALLY_FIX], to_fix);
	if (t->not_reached)
		fprintf(out, "%-8s %9zu letters went in and no stage answered for them\n", "unreached", t->not_reached);
	if (t->input_errors)
		fprintf(out, "%-8s %9zu input lines were no letter's record (see above)\n", "input", t->input_errors);
	if (t->n_codes) {
		fprintf(out, "\n%-40s %9s  %s\n", "why letters did not pass", "letters", "what it means");
		for (int i = 0; i < t->n_codes; i++) {
			char safe[512];
			const char *why = lk_explain_short(t->codes[i].code);
			fprintf(out, "%-40s %9zu%s%s\n", lk_safe(t->codes[i].code, safe, sizeof safe), t->codes[i].n,
				why ? "  " : "", why ? why : "");
		}
		fprintf(out, "('letterkit explain CODE' says how to fix each)\n");
	}
	if (t->stray)
		fprintf(out, "\na stage wrote %zu lines that answer for no letter (see above)\n", t->stray);
	fprintf(out, "\n%zu of %zu letters passed every stage", t->fully_passed, letters(t));
	if (t->fully_passed_fixed)
		fprintf(out, " (%zu of them once fixed)", t->fully_passed_fixed);
	fputc('\n', out);
}

void tally_free(struct tally *t)
{
	for (int i = 0; i < t->n_codes; i++)
		free(t->codes[i].code);
	t->n_codes = 0;
}
