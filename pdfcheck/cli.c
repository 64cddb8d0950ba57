/*
 * cli.c: `letterkit check`, the front end of pdfcheck. Parses options,
 * feeds files or NDJSON records to the library, and hands each letter's
 * result to the outputs (outputs.h): standard output for a person, NDJSON
 * or GitHub annotations, overlay pictures, JUnit XML, an HTML report.
 * Picks the exit status: 0 all valid, 1 some letter failed, 2 usage or
 * system error.
 */
/* realpath() (XSI): the full path an overlay picture is named after. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "lk_exit.h"
#include "lk_file.h"
#include "lk_input.h"
#include "lk_opt.h"
#include "lk_out.h"
#include "lk_pool.h"
#include "lk_stop.h"
#include "lk_summary.h"
#include "lk_text.h"
#include "lk_tty.h"
#include "outputs.h"
#include "pdfcheck.h"

/* The most we read of one file: far beyond any letter (Notify's limit is 2 MiB). */
#define MAX_PDF_BYTES (256u << 20)
#define OVERLAY_DPI 100
#define DEFAULT_MAX_SECONDS 10.0
#define DEFAULT_MAX_MEMORY_MB 512
#define MAX_JOBS 64
/* Letters in flight per worker: enough to keep it busy while the outputs are written. */
#define QUEUE_PER_WORKER 4

enum format { FORMAT_HUMAN, FORMAT_JSON, FORMAT_GITHUB };

struct cli {
	struct pdfcheck_ctx *pc;          /* the outputs' (pictures); worker 0's too with --jobs 1 */
	struct pdfcheck_ctx **workers;    /* one per worker: MuPDF contexts share nothing, need no locks */
	int jobs;
	struct pdfcheck_options opt;
	enum format format;
	int format_given;   /* --format or --json was given: records print it too */
	int from_records;   /* standard input held NDJSON records */
	int quiet;
	int debug;          /* --debug: the reports' JSON says how much was rendered */
	int colour;         /* PASS/FAIL in colour: stdout is a terminal, NO_COLOR unset */
	struct lk_summary summary;
	struct lk_progress progress;
	const char *overlay_dir;
	const char *junit_path;
	const char *report_path;
	struct junit *junit;
	struct html_report *html;
};

static void versions(FILE *out);

static const struct lk_cmd cmd = {"check",
	"usage: letterkit check [OPTIONS] [FILE...]\n"
	      "\n"
	      "Checks letter PDFs against GOV.UK Notify's precompiled letter specification and\n"
	      "says what Notify would: the same error code and pages, in Notify's order.\n"
	      "A folder FILE is checked for its PDFs, recursed, in path order.\n"
	      "With no FILE, or FILE '-', reads standard input: NDJSON records with a \"file\"\n"
	      "field (written back with a \"check\" object added; with --format human or\n"
	      "github, printed in that form instead), or one PDF.\n"
	      "\n"
	      "options:\n"
	      "  --json            one JSON object per file (NDJSON) instead of lines for a person\n"
	      "  --format FORMAT   human (the default), json, or github (workflow annotations)\n"
	      "  --attachment      check a letter attachment: no address page, every page is a\n"
	      "                    later page, and a NOTIFY tag on page 1 fails\n"
	      "  --international   international addresses are allowed (the service sends abroad)\n"
	      "  --strict          accepted for old scripts (a file over 2 MiB fails without it)\n"
	      "  --overlay DIR     for each failing letter, PNG pictures of its failing pages in\n"
	      "                    DIR (made when missing), NAME-HASH-page-N.png: forbidden\n"
	      "                    areas red, offending marks blue, address green\n"
	      "  --report FILE     a self-contained HTML report of the batch, with pictures\n"
	      "  --junit FILE      JUnit XML, one test case per letter, for CI\n"
	      "  -j, --jobs N      check N letters at once, 1 to 64 (default: the number of\n"
	      "                    online cores); every output stays in the input's order\n"
	      "  -q, --quiet       print only letters that fail (--json too; records read from\n"
	      "                    stdin are all written back)\n"
	      "  --max-seconds N   time allowed to check one file (default 10; 0 for no limit)\n"
	      "  --max-memory MB   memory allowed to check one file (default 512; 0 for no limit)\n"
	      "                    a file over either limit fails with resource-limit-exceeded\n"
	      "  --full-raster     render every page in full at 200 dpi instead of proving most\n"
	      "                    pages from their marks (slow; the same verdicts)\n"
	      "  --debug           add \"debug\": {\"pixels_rendered\": N} to each letter's JSON\n"
	      "  -h, --help        print this help and exit\n"
	      "      --version     print the version of letterkit and of MuPDF and exit\n"
	      "\n"
	      "exit status: 0 every letter is valid, 1 some letter failed a check,\n"
	      "2 usage or system error (a missing file; the other files are still checked).\n",
	versions};

/* `rec` with check's own JSON in it (under key, or merged when key is NULL). */
static int write_check_record(json_t *rec, const char *key, const json_t *own)
{
	errno = 0;
	if (check_json_write(stdout, rec, key, own) == 0)
		return 0;
	lk_output_failed_now(&cmd);
	return -1;
}

/* A message on stderr, made safe: it may hold a file name or a letter's text. */
static void say_early(const char *msg)
{
	lk_say(NULL, "letterkit check", "%s", msg);
}

/* The same during the batch, with the progress line out of the way. */
static void say(struct cli *cli, const char *msg)
{
	lk_say(&cli->progress, "letterkit check", "%s", msg);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The pictures written of one letter. */
struct pictures {
	char path[PDFCHECK_MAX_PAGES][PATH_MAX];
	const char *list[PDFCHECK_MAX_PAGES];
	int n;
};

/* FNV-1a, 32 bits: a short name for a path, the same on every run. */
static uint32_t path_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/*
 * DIR/STEM-HASH-page-N.png: STEM is the name without its folder and .pdf,
 * HASH eight hex digits of the letter's full path (resolved when it
 * exists), so that two letters called x.pdf in different folders never
 * overwrite each other's pictures and a letter gets the same names on
 * every run. A PDF on standard input makes DIR/stdin-page-N.png, which no
 * file's picture can be called (they all have a HASH).
 */
static int picture_path(const struct cli *cli, const char *name, int page, char *out, size_t size)
{
	if (strcmp(name, "-") == 0)
		return snprintf(out, size, "%s/stdin-page-%d.png", cli->overlay_dir, page) < (int)size ? 0 : -1;
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	size_t stem = strlen(base);
	if (stem > 4 && strcmp(base + stem - 4, ".pdf") == 0)
		stem -= 4;
	char *full = realpath(name, NULL);
	uint32_t h = path_hash(full ? full : name);
	free(full);
	int n = snprintf(out, size, "%s/%.*s-%08x-page-%d.png", cli->overlay_dir, (int)stem, base,
			 (unsigned)h, page);
	return n >= 0 && (size_t)n < size ? 0 : -1;
}

/* The overlay pictures of each pictured page, atomically, into pics. */
static int write_overlays(struct cli *cli, const struct letter *l, struct pictures *pics)
{
	int pages[PDFCHECK_MAX_PAGES];
	int n = pictured_pages(l->rep, pages, PDFCHECK_MAX_PAGES);
	for (int i = 0; i < n; i++) {
		unsigned char *png;
		size_t len;
		char err[PATH_MAX + 256];
		char *path = pics->path[pics->n];
		if (picture_path(cli, l->name, pages[i], path, PATH_MAX) != 0) {
			snprintf(err, sizeof err, "%s: the picture's name would be too long in --overlay %s",
				 l->name, cli->overlay_dir);
			say(cli, err);
			return -1;
		}
		if (pdfcheck_overlay_png(cli->pc, l->pdf, l->len, pages[i], &cli->opt, l->rep, OVERLAY_DPI,
					 &png, &len) != 0) {
			snprintf(err, sizeof err, "%s: %s", l->name, pdfcheck_error(cli->pc));
			say(cli, err);
			return -1;
		}
		int rc = lk_write_atomic(path, png, len, err, sizeof err);
		free(png);
		if (rc != 0) {
			say(cli, err);
			return -1;
		}
		pics->list[pics->n++] = path;
	}
	return 0;
}

/* Everything but standard output's record: the side files. */
static int side_outputs(struct cli *cli, struct letter *l, struct pictures *pics)
{
	int status = LK_EXIT_OK;
	if (cli->overlay_dir && l->rep && !l->rep->valid && l->pdf && write_overlays(cli, l, pics) != 0)
		status = LK_EXIT_ERROR;
	l->pictures = pics->list;
	l->n_pictures = pics->n;
	if (cli->junit)
		junit_add(cli->junit, l);
	if (cli->html)
		html_report_add(cli->html, l, NULL);
	return status;
}

/* Check's JSON of a letter: its report's, or the error that left it unchecked. */
static json_t *letter_json(const struct cli *cli, const struct letter *l)
{
	if (!l->rep)
		return json_pack("{s:s}", "error", l->error);
	json_t *o = pdfcheck_report_json(l->rep);
	if (o && cli->debug)
		pdfcheck_report_json_debug(o, l->rep);
	return o;
}

/*
 * The JSON of a letter on standard output, with "file" first: a name that
 * is not UTF-8 goes as "file" (readable) and "file_base64" (its bytes).
 */
static int write_letter_json(const struct cli *cli, const struct letter *l)
{
	json_t *o = json_object();
	json_t *own = letter_json(cli, l);
	int rc = -1;
	if (o && own && lk_json_set_path(o, "file", l->name) == 0)
		rc = write_check_record(o, NULL, own);
	else
		lk_output_failed_now(&cmd);
	json_decref(o);
	json_decref(own);
	return rc;
}

static void count(struct cli *cli, const struct letter *l)
{
	if (!l->rep)
		lk_summary_error(&cli->summary);
	else if (l->rep->valid)
		lk_summary_pass(&cli->summary);
	else
		lk_summary_fail(&cli->summary, l->rep->message);
}

/*
 * One letter on its way through the pool: what lk_input gave (copied, as
 * lk_input's strings last only until its next letter), then what a worker
 * found. Workers only read the PDF and check it; everything that is
 * written (stderr included) is written by the main thread, in input order.
 */
struct job {
	char *name;              /* the file, "-" for a PDF on stdin, NULL when there is no letter */
	json_t *record;          /* the record it came in (owned), or NULL */
	char *input_error;       /* lk_input's reason for no letter or no PDF (said already) */
	unsigned char *pdf;      /* its bytes, once read */
	size_t len;
	int from_stdin;          /* a PDF on standard input (pdf already holds it) */
	char read_error[512];    /* why the file could not be read (to be said) */
	struct pdfcheck_report rep;
	int checked;             /* rep holds a verdict */
	char *check_error;       /* why it could not be checked (to be said) */
	double seconds;
};

static void job_free(struct job *j)
{
	if (!j)
		return;
	free(j->name);
	json_decref(j->record);
	free(j->input_error);
	free(j->pdf);
	free(j->check_error);
	pdfcheck_report_clear(&j->rep);
	free(j);
}

static char *copy(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A job for letter l, taking its record; NULL when out of memory. */
static struct job *job_new(const struct lk_letter *l)
{
	struct job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->record = l->record;
	int ok = 1;
	if (l->path) {
		ok = (j->name = strdup(l->path)) != NULL;
		j->from_stdin = !l->record && (l->data || l->error);
	}
	if (l->error && !(j->input_error = strdup(l->error)))
		ok = 0;
	if (ok && j->from_stdin && l->data) {
		ok = (j->pdf = malloc(l->len ? l->len : 1)) != NULL;
		if (ok)
			memcpy(j->pdf, l->data, l->len);
		j->len = l->len;
	}
	if (!ok) {
		j->record = NULL;   /* still the caller's */
		job_free(j);
		return NULL;
	}
	return j;
}

/* In a worker: reads the letter's file and checks it. */
static void run_job(void *p, int worker, void *arg)
{
	struct job *j = p;
	const struct cli *cli = arg;
	struct pdfcheck_ctx *pc = cli->workers[worker];
	if (!j->name || j->input_error)
		return;
	if (!j->from_stdin && lk_read_file(j->name, MAX_PDF_BYTES, &j->pdf, &j->len, j->read_error,
					   sizeof j->read_error) != 0)
		return;
	double start = now_seconds();
	if (pdfcheck_buffer(pc, j->pdf, j->len, j->name, &cli->opt, &j->rep) == 0) {
		j->checked = 1;
	} else {
		j->check_error = copy(pdfcheck_error(pc));
		if (!j->check_error)
			j->check_error = copy("out of memory");
	}
	j->seconds = now_seconds() - start;
}

/*
 * Writes a checked PDF's result everywhere but, for a record, standard
 * output (the caller adds it to the record). Fills *check with the JSON for
 * a record when check is not NULL.
 */
static int finish_one(struct cli *cli, struct job *j, json_t **check)
{
	const char *read_error = j->read_error[0] ? j->read_error : j->input_error;
	if (j->read_error[0])
		say(cli, j->read_error);
	struct letter l = {.name = j->name, .pdf = read_error ? NULL : j->pdf, .len = j->len,
			   .error = read_error, .seconds = j->seconds};
	if (!read_error) {
		if (j->checked) {
			l.rep = &j->rep;
		} else {
			l.error = j->check_error ? j->check_error : "out of memory";
			say(cli, l.error);
		}
	}
	int status = l.rep ? (j->rep.valid ? LK_EXIT_OK : LK_EXIT_FAIL) : LK_EXIT_ERROR;
	lk_progress_hide(&cli->progress);

	/* The side files first, so that the lines for a person say where the pictures went. */
	struct pictures pics;
	pics.n = 0;
	status = lk_exit_worse(status, side_outputs(cli, &l, &pics));
	if (check) {
		*check = letter_json(cli, &l);
	} else if (cli->format == FORMAT_JSON) {
		/* --quiet keeps only the letters that did not pass (failed or not checked). */
		if (!(cli->quiet && l.rep && l.rep->valid) && write_letter_json(cli, &l) != 0)
			status = LK_EXIT_ERROR;
	} else if (cli->format == FORMAT_GITHUB) {
		print_github(stdout, &l);
	} else {
		print_human(stdout, &l, cli->quiet, cli->colour);
	}
	count(cli, &l);
	lk_progress_step(&cli->progress);
	return status;
}

/*
 * Records in give records out, the pipe between stages, unless --format
 * (or --json) was given: then human and github print their lines instead.
 * A record is never dropped from a pipe, --quiet or not.
 */
static int records_out(const struct cli *cli)
{
	return !cli->format_given || cli->format == FORMAT_JSON;
}

/*
 * The outputs of one letter from lk_input, in input order: a file, a PDF on
 * standard input, or a record (written back with a "check" object added,
 * when records go out). A letter with no file (a bad line, a record without
 * "file", a folder that cannot be read) was said on stderr by lk_input: it
 * is an error in the summary and, when it came as a record, in its "check"
 * object.
 */
static int finish_letter(struct cli *cli, struct job *j)
{
	json_t **check = NULL, *own = NULL;
	if (j->record && records_out(cli))
		check = &own;
	int status;
	if (!j->name) {
		lk_summary_error(&cli->summary);
		own = json_pack("{s:s}", "error", j->input_error ? j->input_error : "no letter");
		status = LK_EXIT_ERROR;
	} else {
		status = finish_one(cli, j, check);
	}
	if (check) {
		json_object_del(j->record, "check");
		if (write_check_record(j->record, "check", own) != 0)
			status = LK_EXIT_ERROR;
	}
	json_decref(own);
	return status;
}

/*
 * The batch: letters from lk_input go to the pool as they come, and their
 * outputs are written as the oldest is done, so the outputs keep the input's
 * order whatever order the workers finish in. Before lk_input would wait
 * for standard input, every letter in flight is finished and written, so a
 * pipe's records are answered as they come. After a stop signal lk_input
 * gives no more letters, and those in flight are finished.
 */
/* Writes the outputs of the oldest letter in flight, once it is done; 0 when none is in flight. */
static int finish_oldest(struct cli *cli, struct lk_pool *pool, int *status)
{
	struct job *j = lk_pool_take(pool);
	if (!j)
		return 0;
	*status = lk_exit_worse(*status, finish_letter(cli, j));
	job_free(j);
	return 1;
}

static int check_batch(struct cli *cli, struct lk_input *in, struct lk_pool *pool)
{
	int status = LK_EXIT_OK;
	struct lk_letter l;
	for (;;) {
		/* Before waiting for standard input, the letters in flight go out:
		 * whoever writes the records may wait for their answers (watch does). */
		if (!lk_input_at_hand(in))
			while (finish_oldest(cli, pool, &status))
				;
		if (!lk_input_next(in, &l))
			break;
		struct job *job = job_new(&l);
		if (!job) {
			json_decref(l.record);
			say(cli, "out of memory");
			status = LK_EXIT_ERROR;
			break;
		}
		while (lk_pool_full(pool) && finish_oldest(cli, pool, &status))
			;
		lk_pool_submit(pool, job);
	}
	while (finish_oldest(cli, pool, &status))
		;
	return status;
}

static int parse_options(struct cli *cli, int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_FORMAT, OPT_ATTACHMENT, OPT_INTERNATIONAL, OPT_STRICT,
	       OPT_FULL_RASTER, OPT_DEBUG, OPT_OVERLAY, OPT_REPORT, OPT_JUNIT, OPT_MAX_SECONDS, OPT_MAX_MEMORY };
	static const struct option options[] = {
		{"json", no_argument, NULL, OPT_JSON},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"attachment", no_argument, NULL, OPT_ATTACHMENT},
		{"international", no_argument, NULL, OPT_INTERNATIONAL},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"full-raster", no_argument, NULL, OPT_FULL_RASTER},
		{"debug", no_argument, NULL, OPT_DEBUG},
		{"overlay", required_argument, NULL, OPT_OVERLAY},
		{"report", required_argument, NULL, OPT_REPORT},
		{"junit", required_argument, NULL, OPT_JUNIT},
		{"max-seconds", required_argument, NULL, OPT_MAX_SECONDS},
		{"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
		{"quiet", no_argument, NULL, 'q'},
		{"jobs", required_argument, NULL, 'j'},
		LK_OPT_COMMON,
	};
	cli->opt.max_seconds = DEFAULT_MAX_SECONDS;
	cli->opt.max_memory = (size_t)DEFAULT_MAX_MEMORY_MB << 20;
	static const char *const formats[] = {"human", "json", "github", NULL};
	int c, status, i;
	long mb;
	cli->jobs = lk_online_cores(MAX_JOBS);
	while ((c = lk_opt_next(&cmd, argc, argv, "qj:", options, &status)) != -1) {
		switch (c) {
		case LK_OPT_EXIT: return status;
		case OPT_JSON: cli->format = FORMAT_JSON; cli->format_given = 1; break;
		case OPT_FORMAT:
			cli->format_given = 1;
			if (lk_opt_choice(&cmd, "--format", optarg, formats, &i) != 0)
				return LK_EXIT_ERROR;
			cli->format = i == 0 ? FORMAT_HUMAN : i == 1 ? FORMAT_JSON : FORMAT_GITHUB;
			break;
		case OPT_ATTACHMENT: cli->opt.attachment = 1; break;
		case OPT_INTERNATIONAL: cli->opt.international = 1; break;
		case OPT_STRICT: cli->opt.strict = 1; break;
		case OPT_FULL_RASTER: cli->opt.full_raster = 1; break;
		case OPT_DEBUG: cli->debug = 1; break;
		case OPT_OVERLAY: cli->overlay_dir = optarg; break;
		case OPT_REPORT: cli->report_path = optarg; break;
		case OPT_JUNIT: cli->junit_path = optarg; break;
		case OPT_MAX_SECONDS:
			if (lk_opt_double(&cmd, "--max-seconds", optarg, 0, 86400, &cli->opt.max_seconds) != 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_MAX_MEMORY:
			if (lk_opt_long(&cmd, "--max-memory", optarg, 0, 1048576, &mb) != 0)
				return LK_EXIT_ERROR;
			cli->opt.max_memory = (size_t)mb << 20;
			break;
		case 'q': cli->quiet = 1; break;
		case 'j':
			if (lk_opt_long(&cmd, "--jobs", optarg, 1, MAX_JOBS, &mb) != 0)
				return LK_EXIT_ERROR;
			cli->jobs = (int)mb;
			break;
		}
	}
	return LK_OPT_GO_ON;
}

/* The folder of `path` made when missing, and the file writable there (lk_out_ready). */
static int prepare_file(const char *option, const char *path)
{
	char err[PATH_MAX + 256], msg[2 * PATH_MAX + 256];
	if (lk_out_ready(path, err, sizeof err) == 0)
		return 0;
	snprintf(msg, sizeof msg, "%s: %s", option, err);   /* err names the path */
	say_early(msg);
	return -1;
}

/*
 * The output files and folders, made ready before the batch: a path that
 * cannot be used is refused now (exit 2), not after every letter was checked.
 */
static int prepare_outputs(const struct cli *cli)
{
	char err[PATH_MAX + 256], msg[2 * PATH_MAX + 256];
	if (cli->overlay_dir) {
		if (lk_make_folder(cli->overlay_dir, err, sizeof err) != 0) {
			snprintf(msg, sizeof msg, "--overlay: %s", err);   /* err names the folder */
			say_early(msg);
			return -1;
		}
		/* access() also says EROFS for a read-only file system, even to root. */
		if (access(cli->overlay_dir, W_OK | X_OK) != 0) {
			snprintf(msg, sizeof msg, "--overlay %s: cannot write pictures there: %s",
				 cli->overlay_dir, strerror(errno));
			say_early(msg);
			return -1;
		}
	}
	if (cli->report_path && prepare_file("--report", cli->report_path) != 0)
		return -1;
	if (cli->junit_path && prepare_file("--junit", cli->junit_path) != 0)
		return -1;
	return 0;
}

/* Writes the batch files; returns the worse status. */
static int finish_outputs(struct cli *cli, int status)
{
	char err[512];
	if (cli->junit && junit_write(cli->junit, cli->junit_path, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit check: %s\n", err);
		status = LK_EXIT_ERROR;
	}
	if (cli->html && html_report_write(cli->html, cli->report_path, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit check: %s\n", err);
		status = LK_EXIT_ERROR;
	}
	lk_progress_hide(&cli->progress);
	/* The summary goes to stderr in every format: standard output holds one
	 * item per letter (a line, a record, an annotation) and nothing else, so
	 * whatever reads it never meets a line that is not about a letter. With
	 * records in and records out, check is a stage in a pipe, and the pipe's
	 * end (run, or whoever reads it) sums the batch up: no line then. */
	if (!(cli->from_records && records_out(cli))) {
		static const struct lk_summary_words words = {"passed", "failed", "could not be checked"};
		lk_summary_print(stderr, "letterkit check", &cli->summary, &words);
	}
	if (lk_output_finish(&cmd) != 0)
		status = LK_EXIT_ERROR;
	return status;
}

/* A checking context per worker; worker 0 shares the outputs' with --jobs 1. */
static int make_workers(struct cli *cli, char *err, size_t errlen)
{
	err[0] = '\0';
	cli->workers = calloc((size_t)cli->jobs, sizeof *cli->workers);
	if (!cli->workers) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (cli->jobs == 1) {
		cli->workers[0] = cli->pc;
		return 0;
	}
	for (int i = 0; i < cli->jobs; i++)
		if (!(cli->workers[i] = pdfcheck_ctx_new(err, errlen)))
			return -1;
	return 0;
}

static void free_workers(struct cli *cli)
{
	if (cli->workers && cli->jobs > 1)
		for (int i = 0; i < cli->jobs; i++)
			pdfcheck_ctx_free(cli->workers[i]);
	free(cli->workers);
}

static void versions(FILE *out)
{
	fprintf(out, "MuPDF %s\n", pdfcheck_mupdf_version());
}

int pdfcheck_main(int argc, char **argv)
{
	struct cli cli = {0};
	int rc = parse_options(&cli, argc, argv);
	if (rc != LK_OPT_GO_ON)
		return rc;
	/* Standard input a terminal is refused here, before any output folder is made. */
	struct lk_input *in = lk_input_new(&cmd, argc - optind, argv + optind, 1, MAX_PDF_BYTES);
	if (!in)
		return LK_EXIT_ERROR;
	if (prepare_outputs(&cli) != 0) {
		lk_input_free(in);
		return LK_EXIT_ERROR;
	}
	cli.colour = cli.format == FORMAT_HUMAN && lk_tty_colour(stdout);
	lk_stop_catch();
	char err[512];
	cli.pc = pdfcheck_ctx_new(err, sizeof err);
	if (!cli.pc) {
		fprintf(stderr, "letterkit check: %s\n", err);
		lk_input_free(in);
		return LK_EXIT_ERROR;
	}
	int status = LK_EXIT_OK;
	struct lk_pool *pool = NULL;
	if (make_workers(&cli, err, sizeof err) != 0 ||
	    !(pool = lk_pool_new(cli.jobs, (size_t)cli.jobs * QUEUE_PER_WORKER, run_job, &cli))) {
		fprintf(stderr, "letterkit check: %s\n", pool || err[0] ? err : "cannot start the workers");
		status = LK_EXIT_ERROR;
		goto out;
	}
	if ((cli.junit_path && !(cli.junit = junit_new())) ||
	    (cli.report_path && !(cli.html = html_report_new(cli.pc, &cli.opt, "letterkit check")))) {
		fprintf(stderr, "letterkit check: out of memory\n");
		status = LK_EXIT_ERROR;
		goto out;
	}
	/* The progress line counts files; records on stdin and folders are of unknown number. */
	lk_progress_start(&cli.progress, "letterkit check", "checked", lk_input_total(in));
	status = lk_exit_worse(status, check_batch(&cli, in, pool));
	cli.from_records = lk_input_records(in);
	if (lk_stop_signal()) {
		/* A report of part of the batch would pass for the whole: none is
		 * written, and one from an earlier run stays as it was. */
		lk_progress_hide(&cli.progress);
		fprintf(stderr, "letterkit check: stopped by %s before the end of the batch%s\n",
			lk_stop_name(lk_stop_signal()), cli.junit || cli.html ? "; no report written" : "");
		fflush(stdout);
		status = LK_EXIT_ERROR;
		goto out;
	}
	status = finish_outputs(&cli, status);
out:
	lk_pool_free(pool);
	free_workers(&cli);
	lk_input_free(in);
	lk_summary_free(&cli.summary);
	junit_free(cli.junit);
	html_report_free(cli.html);
	pdfcheck_ctx_free(cli.pc);
	return status;
}
