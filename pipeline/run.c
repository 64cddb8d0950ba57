/*
 * run.c: `letterkit run`, one command for the whole flow: compose (given a
 * template), check, scan, then with --send upload the letters that passed
 * both, then with --wait poll them to their final states. Stages run as
 * separate processes joined by NDJSON pipes (pipeline.h); this process
 * feeds the first, reads the last, shows progress and sums up.
 *
 * Rerunning after an interruption is safe: check and scan are redone (they
 * change nothing), and send's ledger makes sure no letter goes twice.
 *
 * With --fix, fix runs between check and scan: it fixes the letters check
 * failed (taking check's verdicts at their word: the letters check passed go
 * through as they came) into --fix-dir, and the fixed copies go on.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "lk_exit.h"
#include "lk_fixups.h"
#include "lk_input.h"
#include "lk_ndjson.h"
#include "lk_opt.h"
#include "lk_out.h"
#include "lk_stop.h"
#include "lk_text.h"
#include "pipeline.h"

struct run_options {
	const char *template_path, *data_path, *output_dir, *jobs, *name_column, *date;
	const char *db, *report, *overlay, *junit, *postage, *ledger, *base_url, *key_file, *parallel,
		*max_wait, *rate_limit;
	const char *results, *format, *fix_dir, *fix_only, *fix_min_scale;
	int international, attachment, strict, fix, send, wait, quiet;
};

static volatile sig_atomic_t interrupted;
/* The stages' pids, for the signal handler to pass a stop on (0: none or reaped). */
static volatile sig_atomic_t stage_pids[2 * PIPELINE_MAX_STAGES];

/* Runs in lk_stop's handler: the stop is passed on to the stages. */
static void stop_stages(int sig)
{
	(void)sig;
	interrupted = 1;
	for (size_t i = 0; i < sizeof stage_pids / sizeof stage_pids[0]; i++)
		if (stage_pids[i] > 0)
			kill((pid_t)stage_pids[i], SIGTERM);
}

static const struct lk_cmd cmd = {"run",
	"usage: letterkit run [OPTIONS] [FILE... | -]\n"
	      "\n"
	      "Runs the whole flow: compose (with --template), check, (with --fix) fix, scan,\n"
	      "then with --send uploads the letters that passed, and with --wait polls them\n"
	      "until Notify has finished with them. Letters are PDF FILEs, NDJSON records on\n"
	      "standard input ('-'), or made from --template and --data. Each stage is its own\n"
	      "process; they are joined by NDJSON pipes. Shows progress, then a summary per\n"
	      "stage and per failure. Interrupted and rerun, it sends no letter twice (send's\n"
	      "ledger).\n"
	      "\n"
	      "letters:\n"
	      "  --template FILE     compose letters from this template (see letterkit compose)\n"
	      "  --data FILE         ... and this CSV or NDJSON data\n"
	      "  --output-dir DIR    where composed letters go (default: letters)\n"
	      "  --jobs N            compose's worker processes\n"
	      "  --name-column COL   compose's column that names each letter's file\n"
	      "  --date DATE         compose's date for the letters\n"
	      "checks:\n"
	      "  --international     international addresses are allowed\n"
	      "  --attachment        the files are letter attachments\n"
	      "  --strict            check's warnings fail the letter\n"
	      "  --report FILE       check's HTML report of the batch (with --fix, fix's: each\n"
	      "                      letter as it ended, the fixed ones before and after)\n"
	      "  --overlay DIR       check's pictures of each failing page\n"
	      "  --junit FILE        check's JUnit XML of the batch\n"
	      "  --db DIR            ClamAV signatures for scan\n"
	      "  --fix               letterkit fix the letters check failed; fixed ones go on\n"
	      "                      to scan and send as the fixed copy\n"
	      "  --fix-dir DIR       where fix writes the fixed letters (default: fixed)\n"
	      "  --fix-only NAMES    only these fixups (fix's --only), e.g. scale-to-fit,a4\n"
	      "  --fix-min-scale N   the smallest scale fix may give a page (fix's --min-scale)\n"
	      "sending:\n"
	      "  --send              upload the letters that passed (API key from $NOTIFY_API_KEY\n"
	      "                      or --key-file)\n"
	      "  --postage P         first, second (default) or economy\n"
	      "  --ledger FILE       send's ledger (default: letterkit-ledger.sqlite)\n"
	      "  --base-url URL      the API (default: $NOTIFY_BASE_URL or Notify's)\n"
	      "  --key-file FILE     the API key, in a file only you can read\n"
	      "  --parallel N        concurrent uploads\n"
	      "  --rate-limit N[/S]  stay under N requests per S seconds (default: the key's\n"
	      "                      limit, 3000 a minute)\n"
	      "  --wait              then poll every letter to a final state\n"
	      "  --max-wait SECONDS  how long --wait may take\n"
	      "output:\n"
	      "  --results FILE      every letter's final NDJSON record (default: standard\n"
	      "                      output when it is not a terminal)\n"
	      "  --format FORMAT     human (the default), json (every record on standard\n"
	      "                      output) or github (an ::error annotation for each letter\n"
	      "                      that did not pass)\n"
	      "  -q, --quiet         no progress\n"
	      "  -h, --help          print this help and exit\n"
	      "      --version       print the version and exit\n"
	      "\n"
	      "exit status: 0 every letter passed every stage (and, with --wait, reached\n"
	      "accepted or received), 1 some letter did not, 2 usage or system error.\n",
	NULL};

/* The letters of the operands into f, in order: files, and the PDFs of folders. */
static int feed_operands(struct feed *f, int n, char **operands)
{
	struct lk_input *in = lk_input_new(&cmd, n, operands, 0, 0);
	if (!in)
		return -1;
	struct lk_letter l;
	int rc = 0;
	while (rc == 0 && lk_input_next(in, &l))
		rc = l.path ? feed_add_file(f, l.path) : feed_add_error(f, l.error);
	lk_input_free(in);
	return rc;
}

static int parse(struct run_options *o, int argc, char **argv)
{
	enum { O_TEMPLATE = 256, O_DATA, O_OUTDIR, O_JOBS, O_DB, O_REPORT, O_POSTAGE, O_LEDGER,
	       O_BASE_URL, O_KEY_FILE, O_PARALLEL, O_MAX_WAIT, O_RESULTS, O_INTL, O_ATTACH, O_SEND, O_WAIT,
	       O_RATE_LIMIT, O_NAME_COLUMN, O_DATE, O_STRICT, O_OVERLAY, O_JUNIT, O_FORMAT, O_FIX, O_FIX_DIR,
	       O_FIX_ONLY, O_FIX_MIN_SCALE };
	static const struct option options[] = {
		{"template", required_argument, NULL, O_TEMPLATE}, {"data", required_argument, NULL, O_DATA},
		{"output-dir", required_argument, NULL, O_OUTDIR}, {"jobs", required_argument, NULL, O_JOBS},
		{"db", required_argument, NULL, O_DB}, {"report", required_argument, NULL, O_REPORT},
		{"postage", required_argument, NULL, O_POSTAGE}, {"ledger", required_argument, NULL, O_LEDGER},
		{"base-url", required_argument, NULL, O_BASE_URL}, {"key-file", required_argument, NULL, O_KEY_FILE},
		{"parallel", required_argument, NULL, O_PARALLEL}, {"max-wait", required_argument, NULL, O_MAX_WAIT},
		{"rate-limit", required_argument, NULL, O_RATE_LIMIT},
		{"name-column", required_argument, NULL, O_NAME_COLUMN}, {"date", required_argument, NULL, O_DATE},
		{"strict", no_argument, NULL, O_STRICT}, {"overlay", required_argument, NULL, O_OVERLAY},
		{"junit", required_argument, NULL, O_JUNIT}, {"format", required_argument, NULL, O_FORMAT},
		{"results", required_argument, NULL, O_RESULTS}, {"international", no_argument, NULL, O_INTL},
		{"attachment", no_argument, NULL, O_ATTACH}, {"send", no_argument, NULL, O_SEND},
		{"wait", no_argument, NULL, O_WAIT}, {"quiet", no_argument, NULL, 'q'},
		{"fix", no_argument, NULL, O_FIX}, {"fix-dir", required_argument, NULL, O_FIX_DIR},
		{"fix-only", required_argument, NULL, O_FIX_ONLY},
		{"fix-min-scale", required_argument, NULL, O_FIX_MIN_SCALE},
		LK_OPT_COMMON,
	};
	static const char *const formats[] = {"human", "json", "github", NULL};
	int c, status, i;
	long v, per;
	unsigned bits;
	double scale;
	/* The stages take these as text: they are checked here, so that a bad
	 * value is a usage error before anything runs, and passed on as given. */
	while ((c = lk_opt_next(&cmd, argc, argv, "q", options, &status)) != -1) {
		switch (c) {
		case LK_OPT_EXIT: return status;
		case O_TEMPLATE: o->template_path = optarg; break;
		case O_DATA: o->data_path = optarg; break;
		case O_OUTDIR: o->output_dir = optarg; break;
		case O_JOBS:
			if (lk_opt_long(&cmd, "--jobs", optarg, 1, 64, &v) != 0)
				return LK_EXIT_ERROR;
			o->jobs = optarg;
			break;
		case O_DB: o->db = optarg; break;
		case O_REPORT: o->report = optarg; break;
		case O_POSTAGE: o->postage = optarg; break;
		case O_LEDGER: o->ledger = optarg; break;
		case O_BASE_URL: o->base_url = optarg; break;
		case O_KEY_FILE: o->key_file = optarg; break;
		case O_PARALLEL:
			if (lk_opt_long(&cmd, "--parallel", optarg, 1, 64, &v) != 0)
				return LK_EXIT_ERROR;
			o->parallel = optarg;
			break;
		case O_MAX_WAIT:
			if (lk_opt_long(&cmd, "--max-wait", optarg, 1, 604800, &v) != 0)
				return LK_EXIT_ERROR;
			o->max_wait = optarg;
			break;
		case O_RATE_LIMIT:
			if (lk_opt_rate(&cmd, "--rate-limit", optarg, 1000000000, 60, &v, &per) != 0)
				return LK_EXIT_ERROR;
			o->rate_limit = optarg;
			break;
		case O_NAME_COLUMN: o->name_column = optarg; break;
		case O_DATE: o->date = optarg; break;
		case O_STRICT: o->strict = 1; break;
		case O_OVERLAY: o->overlay = optarg; break;
		case O_JUNIT: o->junit = optarg; break;
		case O_FORMAT:
			if (lk_opt_choice(&cmd, "--format", optarg, formats, &i) != 0)
				return LK_EXIT_ERROR;
			o->format = optarg;
			break;
		case O_RESULTS: o->results = optarg; break;
		case O_INTL: o->international = 1; break;
		case O_ATTACH: o->attachment = 1; break;
		case O_SEND: o->send = 1; break;
		case O_FIX: o->fix = 1; break;
		case O_FIX_DIR: o->fix_dir = optarg; break;
		case O_FIX_ONLY:
			if (lk_fixups_parse(&cmd, "--fix-only", optarg, &bits) != 0)
				return LK_EXIT_ERROR;
			o->fix_only = optarg;
			break;
		case O_FIX_MIN_SCALE:
			if (lk_fix_min_scale_parse(&cmd, "--fix-min-scale", optarg, &scale) != 0)
				return LK_EXIT_ERROR;
			o->fix_min_scale = optarg;
			break;
		case O_WAIT: o->wait = 1; break;
		case 'q': o->quiet = 1; break;
		}
	}
	if (!o->template_path != !o->data_path)
		return lk_opt_error(&cmd, "--template and --data go together", NULL);
	if (o->template_path && optind < argc)
		return lk_opt_error(&cmd, "give files or --template and --data, not both", NULL);
	if ((o->name_column || o->date) && !o->template_path)
		return lk_opt_error(&cmd, "--name-column and --date are compose's: they need --template", NULL);
	if (o->wait && !o->send)
		return lk_opt_error(&cmd, "--wait needs --send", NULL);
	if (o->fix_dir && !o->fix)
		return lk_opt_error(&cmd, "--fix-dir needs --fix", NULL);
	if ((o->fix_only || o->fix_min_scale) && !o->fix)
		return lk_opt_error(&cmd, o->fix_only ? "--fix-only needs --fix" : "--fix-min-scale needs --fix", NULL);
	return LK_OPT_GO_ON;
}

static void opt_arg(struct stage *s, const char *flag, const char *value)
{
	if (value) {
		stage_arg(s, flag);
		stage_arg(s, value);
	}
}

/* Client options shared by send and status. */
static void client_args(struct stage *s, const struct run_options *o)
{
	opt_arg(s, "--ledger", o->ledger);
	opt_arg(s, "--base-url", o->base_url);
	opt_arg(s, "--key-file", o->key_file);
}

/* compose, alone: run reads its records and feeds them to check (feed.c). */
static void build_compose(struct chain *c, const struct run_options *o)
{
	struct stage *s = chain_add(c, "compose");
	opt_arg(s, "--template", o->template_path);
	opt_arg(s, "--output-dir", o->output_dir ? o->output_dir : "letters");
	opt_arg(s, "--jobs", o->jobs);
	opt_arg(s, "--name-column", o->name_column);
	opt_arg(s, "--date", o->date);
	if (o->international)
		stage_arg(s, "--international");
	stage_arg(s, o->data_path);
}

static const char *fix_dir(const struct run_options *o)
{
	return o->fix_dir ? o->fix_dir : "fixed";
}

/* check [| fix] | scan [| send], fed by run. check's --format is not passed: its
 * standard output is the pipe; run prints the chosen format itself. */
static void build_chain(struct chain *c, const struct run_options *o)
{
	struct stage *s = chain_add(c, "check");
	if (o->international)
		stage_arg(s, "--international");
	if (o->attachment)
		stage_arg(s, "--attachment");
	if (o->strict)
		stage_arg(s, "--strict");
	opt_arg(s, "--report", o->fix ? NULL : o->report);   /* with --fix, fix's report tells the end */
	opt_arg(s, "--overlay", o->overlay);
	opt_arg(s, "--junit", o->junit);
	stage_arg(s, "-");
	if (o->fix) {
		/* check's verdicts taken at their word: only the letters it failed are fixed */
		s = chain_add(c, "fix");
		stage_arg(s, "--trust-check");
		opt_arg(s, "--output-dir", fix_dir(o));
		opt_arg(s, "--only", o->fix_only);
		opt_arg(s, "--min-scale", o->fix_min_scale);
		opt_arg(s, "--report", o->report);
		if (o->international)
			stage_arg(s, "--international");
		if (o->attachment)
			stage_arg(s, "--attachment");
		stage_arg(s, "-");
	}
	s = chain_add(c, "scan");
	opt_arg(s, "--db", o->db);
	stage_arg(s, "-");
	if (o->send) {
		s = chain_add(c, "send");
		opt_arg(s, "--postage", o->postage);
		opt_arg(s, "--parallel", o->parallel);
		opt_arg(s, "--rate-limit", o->rate_limit);
		client_args(s, o);   /* with no FILE, send reads records on stdin */
	}
}

/* Where records and people's output go. */
struct outputs {
	struct lk_out *results;   /* --results, written whole or not at all */
	FILE *records;            /* standard output, when the records go there too */
	FILE *talk;               /* progress, summary, annotations */
	int github;
};

/* One record line as the stage wrote it (or as run made it) to the record outputs. */
static void put_record(struct outputs *o, const char *line, size_t len)
{
	if (o->results) {
		FILE *f = lk_out_stream(o->results);
		fwrite(line, 1, len, f);
		fputc('\n', f);   /* a failed write shows at lk_out_commit */
	}
	if (o->records) {
		fwrite(line, 1, len, o->records);
		fputc('\n', o->records);
		fflush(o->records);   /* each record at once, for the next command of a pipe */
	}
}

static void put_json(struct outputs *o, const json_t *rec)
{
	char *line = json_dumps(rec, LK_NDJSON_DUMP_FLAGS);
	if (line)
		put_record(o, line, strlen(line));
	free(line);
}

/* A GitHub workflow command's text: %, CR and LF (and in a property : and ,) encoded. */
static void put_github(FILE *out, const char *s, int property)
{
	char safe[2048];
	for (const char *p = lk_safe(s, safe, sizeof safe); *p; p++) {
		if (*p == '%' || (property && (*p == ':' || *p == ',')))
			fprintf(out, "%%%02X", (unsigned char)*p);
		else
			fputc(*p, out);
	}
}

static void annotate(struct outputs *o, const struct letter *l, const char *why)
{
	if (!o->github)
		return;
	fputs("::error file=", o->talk);
	put_github(o->talk, l->readable ? l->readable : "-", 1);
	fputs("::", o->talk);
	put_github(o->talk, why, 0);
	fputc('\n', o->talk);
}

/* Reads the last stage's records (bounded lines) until it ends, matching each to its letter. */
static int read_answers(struct chain *c, struct feed *f, struct tally *t, struct outputs *o, FILE *progress)
{
	int status = LK_EXIT_OK;
	FILE *in = fdopen(c->output_fd, "r");
	struct lk_ndjson_reader *r = in ? lk_ndjson_reader_new(in, "the last stage's output", LK_NDJSON_MAX_LINE,
							      NULL, 0) : NULL;
	if (!r) {
		fprintf(stderr, "letterkit run: out of memory\n");
		if (in)
			fclose(in);
		else
			close(c->output_fd);
		c->output_fd = -1;
		return LK_EXIT_ERROR;
	}
	for (;;) {
		const char *line;
		size_t len;
		char err[512], safe[1024], why[512];
		json_t *rec = NULL;
		int got = lk_ndjson_next_line(r, &line, &len, err, sizeof err);
		if (got == 0)
			break;
		if (got < 0 || lk_ndjson_parse(r, line, len, &rec, err, sizeof err) < 0) {
			fprintf(stderr, "letterkit run: %s\n", lk_safe(err, safe, sizeof safe));
			tally_stray(t);
			status = LK_EXIT_ERROR;
			continue;
		}
		struct letter *l = feed_match(f, rec);
		if (!l) {
			/* e.g. a stage's own error record for a line it could not read */
			const char *e = json_string_value(json_object_get(rec, "error"));
			fprintf(stderr, "letterkit run: a stage wrote a record for no letter run gave it: %s\n",
				lk_safe(e ? e : line, safe, sizeof safe));
			tally_stray(t);
			put_record(o, line, len);
			status = LK_EXIT_ERROR;
		} else {
			int verdict = tally_record(t, rec, why, sizeof why);
			status = lk_exit_worse(status, verdict < 0 ? LK_EXIT_ERROR : verdict > 0 ? LK_EXIT_FAIL : LK_EXIT_OK);
			put_record(o, line, len);
			if (verdict)
				annotate(o, l, why);
		}
		json_decref(rec);
		if (progress)
			tally_progress(t, progress, 0);
	}
	lk_ndjson_reader_free(r);
	fclose(in);
	c->output_fd = -1;
	return status;
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGKILL: return "SIGKILL";
	case SIGTERM: return "SIGTERM";
	case SIGINT: return "SIGINT";
	case SIGSEGV: return "SIGSEGV";
	case SIGABRT: return "SIGABRT";
	case SIGBUS: return "SIGBUS";
	case SIGPIPE: return "SIGPIPE";
	default: return "a signal";
	}
}

/*
 * Why letters that went in never came out: the first stage that a signal
 * not of ours ended; else an interruption; else the last stage that ended
 * with an error (earlier ones often follow it, writing into its closed pipe).
 * `stage` gets its name (NULL when none is to blame).
 */
static void unreached_reason(const struct chain *const chains[], int n_chains, char *why, size_t whylen,
			     const char **stage)
{
	const struct stage *errored = NULL;
	*stage = NULL;
	for (int k = 0; k < n_chains; k++) {
		for (int i = 0; i < chains[k]->n; i++) {
			const struct stage *s = &chains[k]->stages[i];
			if (s->signo && !(interrupted && (s->signo == SIGTERM || s->signo == SIGINT))) {
				snprintf(why, whylen, "%s stopped (killed by %s)", s->name, signal_name(s->signo));
				*stage = s->name;
				return;
			}
			if (s->status >= LK_EXIT_ERROR && !s->signo)
				errored = s;
		}
	}
	if (interrupted) {
		snprintf(why, whylen, "run was interrupted");
	} else if (errored) {
		snprintf(why, whylen, "%s ended with exit status %d (its message is above)", errored->name,
			 errored->status);
		*stage = errored->name;
	} else {
		snprintf(why, whylen, "no stage answered");
	}
}

/* The letters that went in and did not come out, and input lines that were no record. */
static int account_rest(struct feed *f, struct tally *t, struct outputs *o, const struct chain *const chains[],
			int n_chains)
{
	char reason[256], code[300], why[320], safe[1024];
	const char *stage;
	int status = LK_EXIT_OK;
	unreached_reason(chains, n_chains, reason, sizeof reason, &stage);
	snprintf(code, sizeof code, "not reached: %s", reason);
	snprintf(why, sizeof why, "%s before this letter", reason);
	for (size_t i = 0; i < f->n; i++) {
		struct letter *l = &f->v[i];
		if (l->error) {
			fprintf(stderr, "letterkit run: %s\n", lk_safe(l->error, safe, sizeof safe));
			tally_input_error(t);
			json_t *rec = json_pack("{s:I,s:s}", "line", (json_int_t)l->line, "error", l->error);
			if (rec)
				put_json(o, rec);
			json_decref(rec);
			status = LK_EXIT_ERROR;
		} else if (!l->answered) {
			tally_not_reached(t, code);
			json_t *rec = json_deep_copy(l->rec);
			json_t *fate = json_pack("{s:b,s:s?,s:s}", "reached", 0, "stage", stage, "reason", why);
			if (rec && fate && json_object_set_new(rec, "run", fate) == 0)
				put_json(o, rec);
			else
				json_decref(fate);
			json_decref(rec);
			annotate(o, l, why);
			status = LK_EXIT_ERROR;
		}
	}
	if (t->not_reached)
		fprintf(stderr, "letterkit run: %zu letters not reached: %s; rerun them (send's ledger sends none twice)\n",
			t->not_reached, reason);
	return status;
}

static void track_pids(const struct chain *c, int base)
{
	for (int i = 0; i < c->n; i++)
		stage_pids[base + i] = c->stages[i].pid;
}

static void untrack_pids(void)
{
	for (size_t i = 0; i < sizeof stage_pids / sizeof stage_pids[0]; i++)
		stage_pids[i] = 0;
}

/* `letterkit status --wait` on the ledger: Notify's final word on each letter. */
static int wait_for_statuses(const struct run_options *o)
{
	struct chain w = {0};
	struct stage *s = chain_add(&w, "status");
	stage_arg(s, "--wait");
	opt_arg(s, "--max-wait", o->max_wait);
	client_args(s, o);
	char err[512];
	fflush(stdout);
	if (chain_start(&w, 0, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit run: %s\n", err);
		return LK_EXIT_ERROR;
	}
	/* status's table goes to our standard error, with the rest of the summary. */
	char buf[4096];
	ssize_t r;
	while ((r = read(w.output_fd, buf, sizeof buf)) > 0)
		fwrite(buf, 1, (size_t)r, stderr);
	close(w.output_fd);
	return chain_wait(&w);
}

/* Opens --results (refused before the batch when it cannot be made) and picks where output goes. */
static int open_outputs(const struct run_options *o, struct outputs *out)
{
	memset(out, 0, sizeof *out);
	out->github = o->format && strcmp(o->format, "github") == 0;
	int json = o->format && strcmp(o->format, "json") == 0;
	if (o->results) {
		char err[PATH_MAX + 256], safe[PATH_MAX + 256];
		/* A run killed by SIGKILL could not remove its temporary file: the next one does. */
		if (lk_make_parent(o->results, err, sizeof err) == 0)
			out->results = lk_out_open(o->results, 0644, LK_OUT_CLEAN_STALE, err, sizeof err);
		if (!out->results) {
			fprintf(stderr, "letterkit run: --results %s\n", lk_safe(err, safe, sizeof safe));
			return -1;
		}
	}
	if (o->fix) {
		/* fix would refuse it only once started: refused here, before the first letter */
		char err[PATH_MAX + 256], safe[PATH_MAX + 256];
		if (lk_make_folder(fix_dir(o), err, sizeof err) != 0) {
			fprintf(stderr, "letterkit run: --fix-dir: %s\n", lk_safe(err, safe, sizeof safe));
			if (out->results)
				lk_out_abort(out->results);
			return -1;
		}
	}
	if (json || (!o->results && !out->github && !isatty(STDOUT_FILENO)))
		out->records = stdout;
	out->talk = out->records ? stderr : stdout;   /* progress and summary */
	return 0;
}

/* Finishes --results: whole when the batch finished, else none (a rerun makes the whole one). */
static int close_outputs(const struct run_options *o, struct outputs *out, int finished)
{
	if (!out->results)
		return LK_EXIT_OK;
	char err[PATH_MAX + 256], safe[PATH_MAX + 256];
	if (!finished) {
		lk_out_abort(out->results);
		return LK_EXIT_OK;
	}
	if (lk_out_commit(out->results, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit run: cannot write --results %s\n", lk_safe(err, safe, sizeof safe));
		return LK_EXIT_ERROR;
	}
	if (!o->quiet)
		fprintf(out->talk, "results: %s\n", lk_safe(o->results, safe, sizeof safe));
	return LK_EXIT_OK;
}

int pipeline_run_main(int argc, char **argv)
{
	struct run_options o = {0};
	int rc = parse(&o, argc, argv);
	if (rc != LK_OPT_GO_ON)
		return rc;
	/* Before any file is made: an interruption from here on is handled. SA_RESTART:
	 * the reads go on, and the stages, stopped by the handler, end them. */
	lk_stop_catch_then(1, stop_stages);
	signal(SIGPIPE, SIG_IGN);
	int from_stdin = !o.template_path && (optind == argc || (argc - optind == 1 && strcmp(argv[optind], "-") == 0));

	struct outputs out;
	if (open_outputs(&o, &out) != 0)
		return LK_EXIT_ERROR;
	struct chain pre = {0}, c = {0};
	if (o.template_path)
		build_compose(&pre, &o);
	build_chain(&c, &o);
	char err[512];
	int status = LK_EXIT_OK, finished = 0;
	struct feed f;
	feed_init(&f, -1, "", -1, &interrupted);
	/* The letters named, folders expanded as every command expands them (lk_input). */
	if (!o.template_path && !from_stdin && feed_operands(&f, argc - optind, argv + optind) != 0) {
		fprintf(stderr, "letterkit run: out of memory\n");
		return LK_EXIT_ERROR;
	}
	struct tally t;
	tally_init(&t, isatty(fileno(out.talk)), o.send, from_stdin || o.template_path ? 0 : f.n);
	t.fixing = o.fix;
	if (o.template_path && chain_start(&pre, 0, err, sizeof err) != 0)
		goto start_failed;
	if (chain_start(&c, 1, err, sizeof err) != 0)
		goto start_failed;
	track_pids(&pre, 0);
	track_pids(&c, PIPELINE_MAX_STAGES);
	f.src_fd = o.template_path ? pre.output_fd : from_stdin ? STDIN_FILENO : -1;
	f.src_name = o.template_path ? "compose's output" : "standard input";
	f.out_fd = c.input_fd;   /* the feeder's now */
	c.input_fd = -1;
	if (feed_start(&f) != 0) {
		snprintf(err, sizeof err, "cannot start the feeder: %s", strerror(errno));
		goto start_failed;
	}
	status = read_answers(&c, &f, &t, &out, o.quiet ? NULL : out.talk);
	feed_finish(&f);
	untrack_pids();   /* reaped pids may be reused: no more signals to them */
	int stages = chain_wait(&pre);
	stages = lk_exit_worse(stages, chain_wait(&c));
	const struct chain *const chains[] = {&pre, &c};
	status = lk_exit_worse(status, account_rest(&f, &t, &out, chains, 2));
	finished = !interrupted;
	/* A stage's own "some letter failed" (1) is already in the tally. */
	if (stages >= LK_EXIT_ERROR || interrupted)
		status = LK_EXIT_ERROR;
	int compose_status = o.template_path ? pre.stages[0].status : 0;
	if (compose_status == LK_EXIT_FAIL)
		status = lk_exit_worse(status, LK_EXIT_FAIL);
	tally_summary(&t, out.talk, compose_status, interrupted);
	status = lk_exit_worse(status, close_outputs(&o, &out, finished));
	if (o.wait && !interrupted && status < LK_EXIT_ERROR) {
		fflush(out.talk);
		status = lk_exit_worse(status, wait_for_statuses(&o));
	}
	goto done;
start_failed:
	fprintf(stderr, "letterkit run: %s\n", err);
	if (f.out_fd < 0 && c.input_fd >= 0)
		close(c.input_fd);
	if (f.out_fd >= 0)
		close(f.out_fd);
	if (pre.output_fd >= 0)
		close(pre.output_fd);   /* the feeder, which would have read it, never started */
	chain_signal(&pre, SIGTERM);
	chain_signal(&c, SIGTERM);
	untrack_pids();
	chain_wait(&pre);
	chain_wait(&c);
	close_outputs(&o, &out, 0);
	status = LK_EXIT_ERROR;
done:
	if (o.report && !o.quiet && finished) {
		char safe[PATH_MAX + 16];
		fprintf(out.talk, "report: %s\n", lk_safe(o.report, safe, sizeof safe));
	}
	if (o.fix && !o.quiet && finished && t.passed[TALLY_FIX]) {
		char safe[PATH_MAX + 16];
		fprintf(out.talk, "fixed letters: %s\n", lk_safe(fix_dir(&o), safe, sizeof safe));
	}
	tally_free(&t);
	feed_free(&f);
	return status;
}
