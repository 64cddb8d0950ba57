/* cli_send.c: `letterkit send`, letters to Notify from files or NDJSON records. */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk_exit.h"
#include "lk_input.h"
#include "lk_stop.h"
#include "lk_summary.h"
#include "lk_text.h"
#include "lk_tty.h"
#include "cli.h"

#define PROG "letterkit send"
#define DEFAULT_LEDGER "letterkit-ledger.sqlite"

static const struct lk_cmd cmd = {"send",
	"usage: letterkit send [OPTIONS] [FILE|FOLDER...]\n"
	"\n"
	"Sends precompiled letters (PDFs) to GOV.UK Notify, recording each in a ledger so that\n"
	"a rerun sends only what was not confirmed, and nothing twice. Takes files, folders (each\n"
	"PDF in them, in path order) or, with no FILE or -, NDJSON records {\"file\", \"reference\"?,\n"
	"\"postage\"?} on stdin (records that failed \"check\" or \"scan\" are skipped; a PDF on stdin\n"
	"is refused: name its file). Writes each record back with a \"send\" object, in input order.\n"
	"\n"
	"  --postage P           first, second (default) or economy; a record's \"postage\" wins\n"
	"  --reference R         the reference (one FILE only); default: the file name without .pdf\n"
	"  --ledger FILE         the ledger (default ./" DEFAULT_LEDGER ")\n"
	"  --parallel N          letters in flight at once (1-64, default 1)\n"
	"  --help                show this help\n"
	"  --version             print the versions of letterkit and its libraries and exit\n"
	"\n"
	CLIENT_HELP
	"\n"
	"Exit status: 0 every letter sent (or sent before), 1 some letter refused by Notify (or by\n"
	"our pre-checks, or skipped after a failed check), 2 usage, system or network error.\n",
	client_versions};

enum { OPT_POSTAGE = 1, OPT_REFERENCE, OPT_LEDGER, OPT_PARALLEL };

static const struct option options[] = {
	{"postage", required_argument, NULL, OPT_POSTAGE},
	{"reference", required_argument, NULL, OPT_REFERENCE},
	{"ledger", required_argument, NULL, OPT_LEDGER},
	{"parallel", required_argument, NULL, OPT_PARALLEL},
	CLIENT_OPTIONS,
	LK_OPT_COMMON,
};

/*
 * Records go out in the order their letters came in, whatever order Notify
 * answers in (a folder's letters in path order, a manifest's in its order):
 * a letter's record waits for those before it that are still in flight.
 * order[k] is the record of letter base + k, NULL while it is in flight.
 * One letter that takes long (a retry after a 429 or a 500, a slow answer)
 * would keep every later record in memory: at ORDER_MAX letters given and
 * not yet written, no letter is taken until that one is done.
 */
#define ORDER_MAX 1024
struct order {
	json_t **recs;
	size_t n, cap;
	long base;
};

/* One batch: where its letters come from, and what it has said so far. */
struct sender {
	struct order order;
	struct lk_input *in;
	const char *reference;	/* --reference, for its one FILE */
	const char *postage;	/* the batch's default */
	int status;		/* the worst exit status so far */
	long stopped;		/* letters not sent because the batch stopped */
	int draining;		/* the batch is over: the rest are written as not sent, none held */
	struct lk_summary summary;
	struct lk_progress progress;
};

/* A letter's record and its file name (a copy: lk_input's strings last until its next letter). */
struct pending {
	json_t *rec;
	char *file;
	long seq;	/* its place in the output (struct order) */
};

/* Untrusted text (file names, references, Notify's messages) for stderr: control characters escaped. */
#define SAFE(s, buf) lk_safe((s), (buf), sizeof (buf))


/* A place in the output for the next letter: its number, or -1 when out of memory (said). */
static long take_place(struct sender *s)
{
	struct order *o = &s->order;
	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 64;
		json_t **more = realloc(o->recs, cap * sizeof *more);
		if (!more) {
			lk_say(&s->progress, PROG, "out of memory");
			s->status = LK_EXIT_ERROR;
			return -1;
		}
		o->recs = more;
		o->cap = cap;
	}
	o->recs[o->n] = NULL;
	return o->base + (long)o->n++;
}

static void write_out(struct sender *s, json_t *rec)
{
	if (lk_input_write_record(&cmd, rec) < 0)   /* says why, once */
		s->status = LK_EXIT_ERROR;
	json_decref(rec);
}

/* Letter seq's record (taken): written with every finished one after it, once those before are out. */
static void emit(struct sender *s, long seq, json_t *rec)
{
	struct order *o = &s->order;
	o->recs[seq - o->base] = rec;
	size_t k = 0;
	while (k < o->n && o->recs[k])
		write_out(s, o->recs[k++]);
	memmove(o->recs, o->recs + k, (o->n - k) * sizeof *o->recs);
	o->n -= k;
	o->base += (long)k;
}

/* At the end: whatever is still held goes out (none should be: every letter given is done). */
static void emit_rest(struct sender *s)
{
	struct order *o = &s->order;
	for (size_t k = 0; k < o->n; k++)
		if (o->recs[k])
			write_out(s, o->recs[k]);
	free(o->recs);
	memset(o, 0, sizeof *o);
}

/* Why an earlier stage says this letter must not go (and its code for the summary), or NULL. */
static const char *skip_reason(json_t *rec, char *buf, size_t size, const char **code)
{
	json_t *check = json_object_get(rec, "check"), *scan = json_object_get(rec, "scan");
	if (json_is_object(check) && json_is_false(json_object_get(check, "valid"))) {
		const char *m = json_string_value(json_object_get(check, "message"));
		snprintf(buf, size, "check: not valid%s%s", m ? ": " : "", m ? m : "");
		*code = "failed-check";
		return buf;
	}
	if (json_is_object(scan) && json_is_false(json_object_get(scan, "clean"))) {
		const char *v = json_string_value(json_object_get(scan, "virus"));
		snprintf(buf, size, "scan: not clean%s%s", v ? ": " : "", v ? v : "");
		*code = "failed-scan";
		return buf;
	}
	return NULL;
}

/*
 * A letter that cannot be sent as given (a bad line, a record without its
 * "file", a folder that cannot be read): written back with the error in its
 * "send" object, so it is in the output as every letter is. rec may be NULL.
 */
static void bad_letter(struct sender *s, long seq, json_t *rec, const char *msg)
{
	if (!rec)
		rec = json_object();
	json_object_set_new(rec, "send", json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "state", "error",
						   "reason", "bad-record", "message", msg, "error",
						   "reason", "bad-record", "message", msg));
	emit(s, seq, rec);
	s->status = lk_exit_worse(s->status, LK_EXIT_ERROR);
	lk_summary_error(&s->summary);
	lk_progress_step(&s->progress);
}

/* The next letter to send; letters that will not go are written back at once. */
static int next_letter(void *arg, struct upload_letter *out)
{
	struct sender *s = arg;
	char why[600], sf[4200], sr[2400];
	for (;;) {
		/* Stopped (SIGINT, SIGTERM): no letter starts; those in flight finish and are recorded. */
		if (lk_stop_signal())
			return 0;
		if (s->order.n >= ORDER_MAX && !s->draining)
			return -2;
		/* Never block on input while letters may be in flight: a caller
		 * that waits for each answer (letterkit watch) would wait forever. */
		if (!lk_input_at_hand(s->in))
			return -1;
		struct lk_letter l;
		if (!lk_input_next(s->in, &l))
			return 0;
		long seq = take_place(s);
		if (seq < 0) {
			json_decref(l.record);
			return 0;
		}
		if (l.error) {   /* already said on stderr */
			bad_letter(s, seq, l.record, l.error);
			continue;
		}
		json_t *rec = l.record;
		/* A file operand: its record, the name exact (file_base64 when it is not UTF-8). */
		if (!rec && (!(rec = json_object()) || lk_json_set_path(rec, "file", l.path) < 0)) {
			json_decref(rec);
			lk_say(&s->progress, PROG, "out of memory");
			s->status = LK_EXIT_ERROR;
			return 0;
		}
		json_t *ref = json_object_get(rec, "reference"), *postage = json_object_get(rec, "postage");
		if ((ref && !json_is_string(ref)) || (postage && !json_is_string(postage))) {
			char msg[200];
			snprintf(msg, sizeof msg, "<stdin>: line %zu: \"reference\" and \"postage\" must be strings",
				 l.line);
			lk_say(&s->progress, PROG, "%s", msg);
			bad_letter(s, seq, rec, msg);
			continue;
		}
		const char *code, *reason = skip_reason(rec, why, sizeof why, &code);
		if (reason) {
			lk_say(&s->progress, PROG, "%s: not sent (%s)", SAFE(l.path, sf), SAFE(reason, sr));
			json_object_set_new(rec, "send", json_pack("{s:s}", "skipped", reason));
			emit(s, seq, rec);
			s->status = lk_exit_worse(s->status, LK_EXIT_FAIL);
			lk_summary_fail(&s->summary, code);
			lk_progress_step(&s->progress);
			continue;
		}
		struct pending *p = calloc(1, sizeof *p);
		if (!p || !(p->file = strdup(l.path))) {
			free(p);
			json_decref(rec);
			lk_say(&s->progress, PROG, "out of memory");
			s->status = LK_EXIT_ERROR;
			return 0;
		}
		p->rec = rec;
		p->seq = seq;
		*out = (struct upload_letter){p->file, l.record ? json_string_value(ref) : s->reference,
					      json_string_value(postage), p};
		return 1;
	}
}

static const char *const result_state[] = {"sent", "already-sent", "refused", "error", "unknown"};

/* The code a refusal is counted under in the summary: Notify's own error name when it gave one. */
static const char *refusal_code(const struct upload_outcome *o)
{
	if (o->code && !strcmp(o->code, "refused-by-notify") && o->error[0])
		return o->error;
	return o->code ? o->code : "refused";
}

static void letter_done(void *arg, const struct upload_letter *l, const struct upload_outcome *o)
{
	struct sender *s = arg;
	struct pending *p = l->user;
	json_t *rec = p->rec, *send = json_object();
	json_object_set_new(send, "reference", json_string(o->reference));
	json_object_set_new(send, "postage", json_string(o->postage));
	json_object_set_new(send, "state", json_string(result_state[o->result]));
	if (o->id[0])
		json_object_set_new(send, "id", json_string(o->id));
	if (o->result == UPLOAD_R_SENT || o->result == UPLOAD_R_ALREADY) {
		/* Exit 0 for both: the letter is with Notify. */
		lk_summary_pass(&s->summary);
	} else {
		/* jansson refuses strings that are not UTF-8: Notify's answer, or a
		 * message quoting a file name, goes out in its readable form. */
		char *message = lk_utf8_readable(o->message), *error = lk_utf8_readable(o->error);
		if (o->code)
			json_object_set_new(send, "reason", json_string(o->code));
		json_object_set_new(send, "message", json_string(message ? message : ""));
		if (o->http)
			json_object_set_new(send, "error", json_pack("{s:I, s:s, s:s}", "status_code",
								     (json_int_t)o->http, "error", error ? error : "",
								     "message", message ? message : ""));
		else if (o->result != UPLOAD_R_REFUSED)
			/* Not sent for a reason that is not the letter's: an error, for run's summary too. */
			json_object_set_new(send, "error", json_pack("{s:s, s:s}", "reason", o->code ? o->code : "error",
								     "message", message ? message : ""));
		free(message);
		free(error);
		const char *rerun = o->result == UPLOAD_R_UNKNOWN ?
			" (it may have reached Notify: rerun the batch to find out; it will not be sent twice)" : "";
		char sf[4200], se[300], sm[4200];
		if (o->code && !strcmp(o->code, "batch-stopped"))
			s->stopped++;	/* one line for all of them, at the end */
		else if (o->http)
			lk_say(&s->progress, PROG, "%s: Notify answered %ld %s: %s%s", SAFE(l->file, sf), o->http, SAFE(o->error, se),
			    SAFE(o->message, sm), rerun);
		else
			lk_say(&s->progress, PROG, "%s%s", SAFE(o->message, sm), rerun);
		if (o->result == UPLOAD_R_REFUSED)
			lk_summary_fail(&s->summary, refusal_code(o));
		else
			lk_summary_error(&s->summary);
		s->status = lk_exit_worse(s->status, o->result == UPLOAD_R_REFUSED ? LK_EXIT_FAIL : LK_EXIT_ERROR);
	}
	json_object_set_new(rec, "send", send);
	emit(s, p->seq, rec);
	free(p->file);
	free(p);
	lk_progress_step(&s->progress);
}

/*
 * After the batch stopped (the server cannot be reached, the key was
 * refused, the ledger failed): every letter still to come is written back
 * as not sent, with the reason, so that no letter is missing from what
 * follows (run's summary). They stay unsent in the ledger; a rerun sends them.
 */
static void write_unsent(struct sender *s)
{
	struct upload_letter l;
	char msg[UPLOAD_MSG_MAX];
	int got;
	s->draining = 1;   /* no batch to wait for: holding would wait for ever */
	while ((got = next_letter(s, &l)) != 0) {
		if (got < 0) {
			/* Input that is not there yet: wait for it (a signal ends the wait). */
			struct pollfd pfd = {.fd = fileno(stdin), .events = POLLIN};
			poll(&pfd, 1, -1);
			continue;
		}
		struct upload_outcome o = {.result = UPLOAD_R_ERROR, .code = "batch-stopped"};
		if (l.reference && strlen(l.reference) <= UPLOAD_REFERENCE_MAX)
			snprintf(o.reference, sizeof o.reference, "%s", l.reference);
		else
			upload_reference_from_path(l.file, o.reference, sizeof o.reference);
		snprintf(o.postage, sizeof o.postage, "%s", l.postage && strlen(l.postage) < sizeof o.postage ?
			 l.postage : s->postage);
		snprintf(msg, sizeof msg, "%.300s: not sent: the batch stopped", l.file);
		snprintf(o.message, sizeof o.message, "%s", msg);
		letter_done(s, &l, &o);
	}
}

/* The words of send's summary line: "all 10 letters sent", "2 of 10 letters refused: ...". */
static const struct lk_summary_words summary_words = {"sent", "refused", "could not be sent"};

int upload_send_main(int argc, char **argv)
{
	struct client_opts co;
	struct sender s = {0};
	const char *ledger_path = DEFAULT_LEDGER, *postage = "second";
	struct upload_ctx *ctx = NULL;
	struct upload_ledger *ledger = NULL;
	char err[1200], se[4200];
	int opt, status, rc = LK_EXIT_ERROR;
	long v;

	client_init(&co, &cmd);
	while ((opt = client_getopt(&co, argc, argv, "", options, &status)) != -1) {
		switch (opt) {
		case LK_OPT_EXIT:
			return status;
		case OPT_POSTAGE:
			if (!upload_postage_valid(optarg))
				return lk_opt_error(&cmd, "--postage must be first, second or economy, not", optarg);
			postage = optarg;
			break;
		case OPT_REFERENCE:
			s.reference = optarg;
			break;
		case OPT_LEDGER:
			ledger_path = optarg;
			break;
		case OPT_PARALLEL:
			if (lk_opt_long(&cmd, "--parallel", optarg, 1, 64, &v) < 0)
				return LK_EXIT_ERROR;
			co.cfg.parallel = (int)v;
			break;
		}
	}
	int n = argc - optind;
	char **operands = argv + optind;
	s.postage = postage;
	/* No PDF on stdin: a letter needs a file name, for its reference and the ledger. */
	if (!(s.in = lk_input_new(&cmd, n, operands, 0, 0)))
		return LK_EXIT_ERROR;
	long total = lk_input_total(s.in);
	if (s.reference && total != 1) {
		lk_input_free(s.in);
		return lk_opt_error(&cmd, "--reference needs exactly one FILE", NULL);
	}
	lk_progress_start(&s.progress, PROG, "sent", total);
	lk_input_progress(s.in, &s.progress);
	lk_stop_catch();
	if (!(ctx = client_open(&co)))
		goto out;
	if (!(ledger = upload_ledger_open(ledger_path, 0, err, sizeof err))) {
		fprintf(stderr, PROG ": %s\n", SAFE(err, se));
		goto out;
	}
	struct upload_batch batch = {postage, next_letter, letter_done, &s, fileno(stdin)};
	if (upload_send_batch(ctx, ledger, &batch, err, sizeof err) < 0) {
		lk_say(&s.progress, PROG, "%s", SAFE(err, se));
		s.status = LK_EXIT_ERROR;
		write_unsent(&s);
	}
	emit_rest(&s);
	lk_progress_hide(&s.progress);
	if (s.stopped)
		fprintf(stderr, PROG ": %ld letter(s) not sent because the batch stopped; they stay queued in "
			"the ledger, and a rerun sends them\n", s.stopped);
	rc = s.status;
	if (lk_stop_signal()) {
		fprintf(stderr, PROG ": stopped by %s before the end of the batch; the letters in flight "
			"were recorded, rerun to send the rest\n", lk_stop_name(lk_stop_signal()));
		rc = LK_EXIT_ERROR;
	}
	/* As check's: records in, records out is a stage in a pipe, summed up at
	 * the pipe's end (run); files and folders get the line. */
	if (!lk_input_records(s.in))
		lk_summary_print(stderr, PROG, &s.summary, &summary_words);
	if (lk_output_failed())
		rc = LK_EXIT_ERROR;
out:
	emit_rest(&s);
	upload_ledger_free(ledger);
	upload_ctx_free(ctx);
	lk_input_free(s.in);
	lk_summary_free(&s.summary);
	return rc;
}
