/* cli_send.c: `letterkit send`, letters to Notify from files or NDJSON records. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk_exit.h"
#include "lk_file.h"
#include "lk_ndjson.h"
#include "lk_stop.h"
#include "lk_text.h"
#include "cli.h"

#define PROG "letterkit send"
#define DEFAULT_LEDGER "letterkit-ledger.sqlite"

static const struct lk_cmd cmd = {"send",
	"usage: letterkit send [OPTIONS] [FILE...]\n"
	"\n"
	"Sends precompiled letters (PDFs) to GOV.UK Notify, recording each in a ledger so that\n"
	"a rerun sends only what was not confirmed, and nothing twice. With no FILE, reads NDJSON\n"
	"records {\"file\", \"reference\"?, \"postage\"?} on stdin (records that failed \"check\" or\n"
	"\"scan\" are skipped). Writes each record back with a \"send\" object, one line each.\n"
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

struct input {
	char **files;		/* FILE arguments, or NULL for NDJSON on stdin */
	int n_files, next_file;
	const char *reference;
	const char *postage;	/* the batch's default */
	struct lk_ndjson_reader *reader;
	int status;		/* the worst exit status so far */
	long stopped;		/* letters not sent because the batch stopped */
};

/* A letter's record and its file name (the exact bytes, when the record carried them in file_base64). */
struct pending {
	json_t *rec;
	char *file;
};

/* Untrusted text (file names, references, Notify's messages) for stderr: control characters escaped. */
#define SAFE(s, buf) lk_safe((s), (buf), sizeof (buf))

static void emit(struct input *in, json_t *rec)
{
	if (lk_ndjson_write(stdout, rec) < 0) {
		fprintf(stderr, PROG ": cannot write to standard output\n");
		in->status = LK_EXIT_ERROR;
	}
}

/* Why an earlier stage says this letter must not go, or NULL. */
static const char *skip_reason(json_t *rec, char *buf, size_t size)
{
	json_t *check = json_object_get(rec, "check"), *scan = json_object_get(rec, "scan");
	if (json_is_object(check) && json_is_false(json_object_get(check, "valid"))) {
		const char *m = json_string_value(json_object_get(check, "message"));
		snprintf(buf, size, "check: not valid%s%s", m ? ": " : "", m ? m : "");
		return buf;
	}
	if (json_is_object(scan) && json_is_false(json_object_get(scan, "clean"))) {
		const char *v = json_string_value(json_object_get(scan, "virus"));
		snprintf(buf, size, "scan: not clean%s%s", v ? ": " : "", v ? v : "");
		return buf;
	}
	return NULL;
}

static int bad_record(struct input *in, json_t *rec, const char *msg)
{
	char sm[2048];
	fprintf(stderr, PROG ": %s line %zu: %s\n", "<stdin>", lk_ndjson_line(in->reader), SAFE(msg, sm));
	json_object_set_new(rec, "send", json_pack("{s:s, s:s}", "state", "error", "message", msg));
	emit(in, rec);
	json_decref(rec);
	in->status = lk_exit_worse(in->status, LK_EXIT_ERROR);
	return 0;
}

/* The next record with a letter to send; others are written back at once. */
static int next_letter(void *arg, struct upload_letter *out)
{
	struct input *in = arg;
	char err[1024], why[600];
	/* Stopped (SIGINT, SIGTERM): no letter starts; those in flight finish and are recorded. */
	if (lk_stop_signal())
		return 0;
	struct pending *p = calloc(1, sizeof *p);
	if (!p) {
		fprintf(stderr, PROG ": out of memory\n");
		in->status = LK_EXIT_ERROR;
		return 0;
	}
	if (in->files) {
		if (in->next_file == in->n_files) {
			free(p);
			return 0;
		}
		const char *file = in->files[in->next_file++];
		/* A name that is not UTF-8 goes out as "file" (readable) plus "file_base64" (exact). */
		if (!(p->rec = json_object()) || lk_json_set_path(p->rec, "file", file) < 0) {
			json_decref(p->rec);
			free(p);
			fprintf(stderr, PROG ": out of memory\n");
			in->status = LK_EXIT_ERROR;
			return 0;
		}
		*out = (struct upload_letter){file, in->reference, NULL, p};
		return 1;
	}
	for (;;) {
		json_t *rec = NULL;
		/* Never block on input while letters may be in flight: a caller
		 * that waits for each answer (letterkit watch) would wait forever. */
		if (!lk_input_ready(stdin)) {
			free(p);
			return -1;
		}
		int rc = lk_ndjson_next(in->reader, &rec, err, sizeof err);
		if (rc == 0) {
			free(p);
			return 0;
		}
		if (rc < 0) {
			char se[4200];
			fprintf(stderr, PROG ": %s\n", SAFE(err, se));
			in->status = lk_exit_worse(in->status, LK_EXIT_ERROR);
			continue;
		}
		char *owned = NULL;
		const char *file = lk_json_get_path(rec, "file", &owned);
		json_t *ref = json_object_get(rec, "reference"), *postage = json_object_get(rec, "postage");
		if (!file) {
			bad_record(in, rec, "record has no \"file\" string");
			continue;
		}
		if ((ref && !json_is_string(ref)) || (postage && !json_is_string(postage))) {
			free(owned);
			bad_record(in, rec, "\"reference\" and \"postage\" must be strings");
			continue;
		}
		const char *reason = skip_reason(rec, why, sizeof why);
		if (reason) {
			char sf[4200], sr[2400];
			fprintf(stderr, PROG ": %s: not sent (%s)\n", SAFE(file, sf), SAFE(reason, sr));
			free(owned);
			json_object_set_new(rec, "send", json_pack("{s:s}", "skipped", reason));
			emit(in, rec);
			json_decref(rec);
			in->status = lk_exit_worse(in->status, LK_EXIT_FAIL);
			continue;
		}
		p->rec = rec;
		p->file = owned;
		*out = (struct upload_letter){owned ? owned : file, json_string_value(ref), json_string_value(postage), p};
		return 1;
	}
}

static const char *const result_state[] = {"sent", "already-sent", "refused", "error", "unknown"};

static void letter_done(void *arg, const struct upload_letter *l, const struct upload_outcome *o)
{
	struct input *in = arg;
	struct pending *p = l->user;
	json_t *rec = p->rec, *send = json_object();
	json_object_set_new(send, "reference", json_string(o->reference));
	json_object_set_new(send, "postage", json_string(o->postage));
	json_object_set_new(send, "state", json_string(result_state[o->result]));
	if (o->id[0])
		json_object_set_new(send, "id", json_string(o->id));
	if (o->result == UPLOAD_R_SENT || o->result == UPLOAD_R_ALREADY) {
		/* Exit 0 for both: the letter is with Notify. */
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
			in->stopped++;	/* one line for all of them, at the end */
		else if (o->http)
			fprintf(stderr, PROG ": %s: Notify answered %ld %s: %s%s\n", SAFE(l->file, sf), o->http,
				SAFE(o->error, se), SAFE(o->message, sm), rerun);
		else
			fprintf(stderr, PROG ": %s%s\n", SAFE(o->message, sm), rerun);
		in->status = lk_exit_worse(in->status, o->result == UPLOAD_R_REFUSED ? LK_EXIT_FAIL : LK_EXIT_ERROR);
	}
	json_object_set_new(rec, "send", send);
	emit(in, rec);
	json_decref(rec);
	free(p->file);
	free(p);
}

/*
 * After the batch stopped (the server cannot be reached, the key was
 * refused, the ledger failed): every letter still to come is written back
 * as not sent, with the reason, so that no letter is missing from what
 * follows (run's summary). They stay unsent in the ledger; a rerun sends them.
 */
static void write_unsent(struct input *in)
{
	struct upload_letter l;
	char msg[UPLOAD_MSG_MAX];
	int got;
	while ((got = next_letter(in, &l)) != 0) {
		if (got < 0) {
			/* Input that is not there yet: wait for it (a signal ends the wait). */
			struct pollfd p = {.fd = fileno(stdin), .events = POLLIN};
			poll(&p, 1, -1);
			continue;
		}
		struct upload_outcome o = {.result = UPLOAD_R_ERROR, .code = "batch-stopped"};
		if (l.reference && strlen(l.reference) <= UPLOAD_REFERENCE_MAX)
			snprintf(o.reference, sizeof o.reference, "%s", l.reference);
		else
			upload_reference_from_path(l.file, o.reference, sizeof o.reference);
		snprintf(o.postage, sizeof o.postage, "%s", l.postage && strlen(l.postage) < sizeof o.postage ?
			 l.postage : in->postage);
		snprintf(msg, sizeof msg, "%.300s: not sent: the batch stopped", l.file);
		snprintf(o.message, sizeof o.message, "%s", msg);
		letter_done(in, &l, &o);
	}
}

int upload_send_main(int argc, char **argv)
{
	struct client_opts co;
	struct input in = {0};
	const char *ledger_path = DEFAULT_LEDGER, *postage = "second";
	struct upload_ctx *ctx = NULL;
	struct upload_ledger *ledger = NULL;
	char err[1200];
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
			in.reference = optarg;
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
	if (in.reference && argc - optind != 1)
		return lk_opt_error(&cmd, "--reference needs exactly one FILE", NULL);
	if (optind < argc) {
		in.files = argv + optind;
		in.n_files = argc - optind;
	} else if (!(in.reader = lk_ndjson_reader_new(stdin, "<stdin>", LK_NDJSON_MAX_LINE, NULL, 0))) {
		fprintf(stderr, PROG ": out of memory\n");
		return LK_EXIT_ERROR;
	}
	in.postage = postage;
	lk_stop_catch();
	if (!(ctx = client_open(&co)))
		goto out;
	if (!(ledger = upload_ledger_open(ledger_path, 0, err, sizeof err))) {
		char se[4200];
		fprintf(stderr, PROG ": %s\n", SAFE(err, se));
		goto out;
	}
	struct upload_batch batch = {postage, next_letter, letter_done, &in, in.files ? -1 : fileno(stdin)};
	if (upload_send_batch(ctx, ledger, &batch, err, sizeof err) < 0) {
		char se[4200];
		fprintf(stderr, PROG ": %s\n", SAFE(err, se));
		in.status = LK_EXIT_ERROR;
		write_unsent(&in);
	}
	if (in.stopped)
		fprintf(stderr, PROG ": %ld letter(s) not sent because the batch stopped; they stay queued in "
			"the ledger, and a rerun sends them\n", in.stopped);
	rc = in.status;
	if (lk_stop_signal()) {
		fprintf(stderr, PROG ": stopped by %s before the end of the batch; the letters in flight "
			"were recorded, rerun to send the rest\n", lk_stop_name(lk_stop_signal()));
		rc = LK_EXIT_ERROR;
	}
out:
	upload_ledger_free(ledger);
	upload_ctx_free(ctx);
	lk_ndjson_reader_free(in.reader);
	return rc;
}
