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

enum format { FORMAT_HUMAN, FORMAT_JSON, FORMAT_GITHUB };

struct cli {
	struct pdfcheck_ctx *pc;
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
		html_report_add(cli->html, l);
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
 * Checks one PDF held in memory and writes its result everywhere but, for
 * a record, standard output (the caller adds it to the record). Fills
 * *check with the JSON for a record when check is not NULL. read_error:
 * why there is no PDF, said on stderr already.
 */
static int check_one(struct cli *cli, const char *name, const unsigned char *pdf, size_t len,
		     const char *read_error, json_t **check)
{
	struct pdfcheck_report rep = {0};
	struct letter l = {.name = name, .pdf = pdf, .len = len, .error = read_error};
	double start = now_seconds();
	if (!read_error) {
		if (pdfcheck_buffer(cli->pc, pdf, len, name, &cli->opt, &rep) == 0) {
			l.rep = &rep;
		} else {
			l.error = pdfcheck_error(cli->pc);
			say(cli, l.error);
		}
	}
	l.seconds = now_seconds() - start;
	int status = l.rep ? (rep.valid ? LK_EXIT_OK : LK_EXIT_FAIL) : LK_EXIT_ERROR;
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
	pdfcheck_report_clear(&rep);
	return status;
}

static int check_path(struct cli *cli, const char *path, json_t **check)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	char err[512];
	int readable = lk_read_file(path, MAX_PDF_BYTES, &pdf, &len, err, sizeof err) == 0;
	if (!readable)
		say(cli, err);
	int status = check_one(cli, path, pdf, len, readable ? NULL : err, check);
	free(pdf);
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
 * One letter from lk_input: a file, a PDF on standard input, or a record
 * (written back with a "check" object added, when records go out). A
 * letter with no file (a bad line, a record without "file", a folder that
 * cannot be read) was said on stderr by lk_input: it is an error in the
 * summary and, when it came as a record, in its "check" object.
 */
static int check_letter(struct cli *cli, const struct lk_letter *l)
{
	json_t **check = NULL, *own = NULL;
	if (l->record && records_out(cli))
		check = &own;
	int status;
	if (!l->path) {
		lk_summary_error(&cli->summary);
		own = json_pack("{s:s}", "error", l->error);
		status = LK_EXIT_ERROR;
	} else if (!l->record && (l->data || l->error)) {
		status = check_one(cli, "-", l->data, l->len, l->error, check);   /* a PDF on stdin */
	} else {
		status = check_path(cli, l->path, check);
	}
	if (check) {
		json_object_del(l->record, "check");
		if (write_check_record(l->record, "check", own) != 0)
			status = LK_EXIT_ERROR;
	}
	json_decref(own);
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
		LK_OPT_COMMON,
	};
	cli->opt.max_seconds = DEFAULT_MAX_SECONDS;
	cli->opt.max_memory = (size_t)DEFAULT_MAX_MEMORY_MB << 20;
	static const char *const formats[] = {"human", "json", "github", NULL};
	int c, status, i;
	long mb;
	while ((c = lk_opt_next(&cmd, argc, argv, "q", options, &status)) != -1) {
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
	if ((cli.junit_path && !(cli.junit = junit_new())) ||
	    (cli.report_path && !(cli.html = html_report_new(cli.pc, &cli.opt)))) {
		fprintf(stderr, "letterkit check: out of memory\n");
		status = LK_EXIT_ERROR;
		goto out;
	}
	/* The progress line counts files; records on stdin and folders are of unknown number. */
	lk_progress_start(&cli.progress, "letterkit check", "checked", lk_input_total(in));
	struct lk_letter l;
	while (lk_input_next(in, &l)) {
		status = lk_exit_worse(status, check_letter(&cli, &l));
		json_decref(l.record);
	}
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
	lk_input_free(in);
	lk_summary_free(&cli.summary);
	junit_free(cli.junit);
	html_report_free(cli.html);
	pdfcheck_ctx_free(cli.pc);
	return status;
}
