/*
 * run.c: `letterkit run`, one command for the whole flow: compose (given a
 * template), check, scan, then with --send upload the letters that passed
 * both, then with --wait poll them to their final states. Stages run as
 * separate processes joined by NDJSON pipes (pipeline.h); this process
 * feeds the first, reads the last, shows progress and sums up.
 *
 * Rerunning after an interruption is safe: check and scan are redone (they
 * change nothing), and send's ledger makes sure no letter goes twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lk_buf.h"
#include "lk_exit.h"
#include "pipeline.h"

struct run_options {
	const char *template_path, *data_path, *output_dir, *jobs;
	const char *db, *report, *postage, *ledger, *base_url, *key_file, *parallel, *max_wait, *rate_limit;
	const char *results;
	int international, attachment, send, wait, quiet;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void usage(FILE *out)
{
	fputs("usage: letterkit run [OPTIONS] [FILE... | -]\n"
	      "\n"
	      "Runs the whole flow: compose (with --template), check, scan, then with --send\n"
	      "uploads the letters that passed both, and with --wait polls them until Notify\n"
	      "has finished with them. Letters are PDF FILEs, NDJSON records on standard input\n"
	      "('-'), or made from --template and --data. Each stage is its own process; they\n"
	      "are joined by NDJSON pipes. Shows progress, then a summary per stage and per\n"
	      "failure. Interrupted and rerun, it sends no letter twice (send's ledger).\n"
	      "\n"
	      "letters:\n"
	      "  --template FILE     compose letters from this template (see letterkit compose)\n"
	      "  --data FILE         ... and this CSV or NDJSON data\n"
	      "  --output-dir DIR    where composed letters go (default: letters)\n"
	      "  --jobs N            compose's worker processes\n"
	      "checks:\n"
	      "  --international     international addresses are allowed\n"
	      "  --attachment        the files are letter attachments\n"
	      "  --report FILE       check's HTML report of the batch\n"
	      "  --db DIR            ClamAV signatures for scan\n"
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
	      "  -q, --quiet         no progress\n"
	      "  -h, --help          print this help and exit\n"
	      "\n"
	      "exit status: 0 every letter passed every stage (and, with --wait, reached\n"
	      "accepted or received), 1 some letter did not, 2 usage or system error.\n",
	      out);
}

static int parse(struct run_options *o, int argc, char **argv)
{
	enum { O_TEMPLATE = 256, O_DATA, O_OUTDIR, O_JOBS, O_DB, O_REPORT, O_POSTAGE, O_LEDGER,
	       O_BASE_URL, O_KEY_FILE, O_PARALLEL, O_MAX_WAIT, O_RESULTS, O_INTL, O_ATTACH, O_SEND, O_WAIT,
	       O_RATE_LIMIT };
	static const struct option options[] = {
		{"template", required_argument, NULL, O_TEMPLATE}, {"data", required_argument, NULL, O_DATA},
		{"output-dir", required_argument, NULL, O_OUTDIR}, {"jobs", required_argument, NULL, O_JOBS},
		{"db", required_argument, NULL, O_DB}, {"report", required_argument, NULL, O_REPORT},
		{"postage", required_argument, NULL, O_POSTAGE}, {"ledger", required_argument, NULL, O_LEDGER},
		{"base-url", required_argument, NULL, O_BASE_URL}, {"key-file", required_argument, NULL, O_KEY_FILE},
		{"parallel", required_argument, NULL, O_PARALLEL}, {"max-wait", required_argument, NULL, O_MAX_WAIT},
		{"rate-limit", required_argument, NULL, O_RATE_LIMIT},
		{"results", required_argument, NULL, O_RESULTS}, {"international", no_argument, NULL, O_INTL},
		{"attachment", no_argument, NULL, O_ATTACH}, {"send", no_argument, NULL, O_SEND},
		{"wait", no_argument, NULL, O_WAIT}, {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
		switch (c) {
		case O_TEMPLATE: o->template_path = optarg; break;
		case O_DATA: o->data_path = optarg; break;
		case O_OUTDIR: o->output_dir = optarg; break;
		case O_JOBS: o->jobs = optarg; break;
		case O_DB: o->db = optarg; break;
		case O_REPORT: o->report = optarg; break;
		case O_POSTAGE: o->postage = optarg; break;
		case O_LEDGER: o->ledger = optarg; break;
		case O_BASE_URL: o->base_url = optarg; break;
		case O_KEY_FILE: o->key_file = optarg; break;
		case O_PARALLEL: o->parallel = optarg; break;
		case O_MAX_WAIT: o->max_wait = optarg; break;
		case O_RATE_LIMIT: o->rate_limit = optarg; break;
		case O_RESULTS: o->results = optarg; break;
		case O_INTL: o->international = 1; break;
		case O_ATTACH: o->attachment = 1; break;
		case O_SEND: o->send = 1; break;
		case O_WAIT: o->wait = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(LK_EXIT_OK);
		default: goto bad;
		}
	}
	if (!o->template_path != !o->data_path) {
		fprintf(stderr, "letterkit run: --template and --data go together\n");
		goto bad;
	}
	if (o->template_path && optind < argc) {
		fprintf(stderr, "letterkit run: give files or --template and --data, not both\n");
		goto bad;
	}
	if (o->wait && !o->send) {
		fprintf(stderr, "letterkit run: --wait needs --send\n");
		goto bad;
	}
	return 0;
bad:
	fprintf(stderr, "letterkit run: see 'letterkit run --help'\n");
	return -1;
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

static void build_chain(struct chain *c, const struct run_options *o)
{
	struct stage *s;
	if (o->template_path) {
		s = chain_add(c, "compose");
		opt_arg(s, "--template", o->template_path);
		opt_arg(s, "--output-dir", o->output_dir ? o->output_dir : "letters");
		opt_arg(s, "--jobs", o->jobs);
		if (o->international)
			stage_arg(s, "--international");
		stage_arg(s, o->data_path);
	}
	s = chain_add(c, "check");
	if (o->international)
		stage_arg(s, "--international");
	if (o->attachment)
		stage_arg(s, "--attachment");
	opt_arg(s, "--report", o->report);
	stage_arg(s, "-");
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

/* Queues {"file": F} records for the files on the command line. */
static void queue_files(struct lk_buf *in, int argc, char **argv)
{
	for (int i = optind; i < argc; i++) {
		json_t *rec = json_pack("{s:s}", "file", argv[i]);
		char *line = rec ? json_dumps(rec, JSON_COMPACT) : NULL;
		if (line) {
			lk_buf_puts(in, line);
			lk_buf_puts(in, "\n");
		}
		free(line);
		json_decref(rec);
	}
}

/* Handles each complete line of `out` from the last stage. */
static int take_lines(struct lk_buf *out, struct tally *t, FILE *results, int *status)
{
	size_t start = 0;
	for (size_t i = 0; i < out->len; i++) {
		if (out->data[i] != '\n')
			continue;
		json_error_t jerr;
		json_t *rec = json_loadb(out->data + start, i - start, 0, &jerr);
		if (!rec) {
			fprintf(stderr, "letterkit run: a stage wrote a line that is not JSON: %s\n", jerr.text);
			*status = lk_exit_worse(*status, LK_EXIT_ERROR);
		} else {
			int r = tally_record(t, rec);
			*status = lk_exit_worse(*status, r < 0 ? LK_EXIT_ERROR : r > 0 ? LK_EXIT_FAIL : LK_EXIT_OK);
			json_decref(rec);
		}
		if (results && fwrite(out->data + start, 1, i - start + 1, results) != i - start + 1)
			*status = lk_exit_worse(*status, LK_EXIT_ERROR);
		start = i + 1;
	}
	memmove(out->data, out->data + start, out->len - start);
	out->len -= start;
	return 0;
}

/* Feeds the first stage and reads the last until it ends. */
static int pump(struct chain *c, struct lk_buf *in, struct tally *t, FILE *results, FILE *progress)
{
	int status = LK_EXIT_OK;
	size_t in_pos = 0;
	struct lk_buf out = {0};
	if (c->input_fd >= 0)
		fcntl(c->input_fd, F_SETFL, O_NONBLOCK);
	int sent_term = 0;
	for (;;) {
		if (interrupted && !sent_term) {
			chain_signal(c, SIGTERM);
			sent_term = 1;
		}
		if (c->input_fd >= 0 && (in_pos == in->len || interrupted)) {
			close(c->input_fd);   /* end of input: the stages finish and end */
			c->input_fd = -1;
		}
		struct pollfd fds[2] = {{c->output_fd, POLLIN, 0}, {c->input_fd, POLLOUT, 0}};
		int n = poll(fds, c->input_fd >= 0 ? 2 : 1, 200);
		if (n < 0 && errno != EINTR)
			break;
		if (c->input_fd >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(c->input_fd, in->data + in_pos, in->len - in_pos);
			if (w > 0)
				in_pos += (size_t)w;
			else if (w < 0 && errno != EAGAIN && errno != EINTR)
				in_pos = in->len;   /* the first stage is gone: stop feeding */
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			char buf[65536];
			ssize_t r = read(c->output_fd, buf, sizeof buf);
			if (r == 0)
				break;
			if (r > 0) {
				lk_buf_append(&out, buf, (size_t)r);
				take_lines(&out, t, results, &status);
			}
		}
		if (progress)
			tally_progress(t, progress, 0);
	}
	if (out.len) {
		lk_buf_puts(&out, "\n");
		take_lines(&out, t, results, &status);
	}
	lk_buf_free(&out);
	close(c->output_fd);
	if (c->input_fd >= 0)
		close(c->input_fd);
	return status;
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

int pipeline_run_main(int argc, char **argv)
{
	struct run_options o = {0};
	if (parse(&o, argc, argv) != 0)
		return LK_EXIT_ERROR;
	/* Before any file is made: an interruption from here on is handled. */
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	int from_stdin = !o.template_path && (optind == argc || (argc - optind == 1 && strcmp(argv[optind], "-") == 0));
	struct lk_buf in = {0};
	if (!o.template_path && !from_stdin)
		queue_files(&in, argc, argv);

	FILE *results = NULL;
	char results_tmp[PATH_MAX] = "";
	if (o.results) {
		snprintf(results_tmp, sizeof results_tmp, "%s.tmp-%ld", o.results, (long)getpid());
		results = fopen(results_tmp, "w");
		if (!results) {
			fprintf(stderr, "letterkit run: --results %s: %s\n", o.results, strerror(errno));
			lk_buf_free(&in);
			return LK_EXIT_ERROR;
		}
	} else if (!isatty(STDOUT_FILENO)) {
		results = stdout;
	}
	FILE *talk = results == stdout ? stderr : stdout;   /* progress and summary */

	struct chain c = {0};
	build_chain(&c, &o);
	struct tally t;
	tally_init(&t, isatty(fileno(talk)), o.send, from_stdin || o.template_path ? 0 : (size_t)(argc - optind));
	char err[512];
	int status, finished = 0;
	if (chain_start(&c, !o.template_path && !from_stdin, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit run: %s\n", err);
		chain_signal(&c, SIGTERM);
		chain_wait(&c);
		status = LK_EXIT_ERROR;
	} else {
		status = pump(&c, &in, &t, results, o.quiet ? NULL : talk);
		int stages = chain_wait(&c);
		finished = !interrupted;
		/* A stage's own "some letter failed" (1) is already in the tally. */
		if (stages >= LK_EXIT_ERROR || interrupted)
			status = LK_EXIT_ERROR;
		int compose_status = o.template_path ? c.stages[0].status : 0;
		if (compose_status == LK_EXIT_FAIL)
			status = lk_exit_worse(status, LK_EXIT_FAIL);
		tally_summary(&t, talk, compose_status, interrupted);
		if (o.wait && !interrupted && status < LK_EXIT_ERROR) {
			fflush(talk);
			status = lk_exit_worse(status, wait_for_statuses(&o));
		}
	}
	if (results && results != stdout) {
		int ok = fflush(results) == 0 && fsync(fileno(results)) == 0;
		ok = fclose(results) == 0 && ok;
		if (!finished) {
			/* Never a partial results file: a rerun makes the whole one. */
			unlink(results_tmp);
		} else if (ok && rename(results_tmp, o.results) == 0) {
			if (!o.quiet)
				fprintf(talk, "results: %s\n", o.results);
		} else {
			fprintf(stderr, "letterkit run: cannot write %s: %s\n", o.results, strerror(errno));
			unlink(results_tmp);
			status = LK_EXIT_ERROR;
		}
	}
	if (o.report && !o.quiet)
		fprintf(talk, "report: %s\n", o.report);
	tally_free(&t);
	lk_buf_free(&in);
	return status;
}
