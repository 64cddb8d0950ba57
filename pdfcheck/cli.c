/*
 * cli.c: `letterkit check`, the front end of pdfcheck. Parses options,
 * feeds files or NDJSON records to the library, and hands each letter's
 * result to the outputs (outputs.h): standard output for a person, NDJSON
 * or GitHub annotations, overlay pictures, JUnit XML, an HTML report.
 * Picks the exit status: 0 all valid, 1 some letter failed, 2 usage or
 * system error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "json.h"
#include "lk_exit.h"
#include "lk_file.h"
#include "lk_ndjson.h"
#include "lk_stop.h"
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
	int quiet;
	const char *overlay_dir;
	const char *junit_path;
	const char *report_path;
	struct junit *junit;
	struct html_report *html;
};

static void usage(FILE *out)
{
	fputs("usage: letterkit check [OPTIONS] [FILE...]\n"
	      "\n"
	      "Checks letter PDFs against GOV.UK Notify's precompiled letter specification and\n"
	      "says what Notify would: the same error code and pages, in Notify's order.\n"
	      "With no FILE, or FILE '-', reads standard input: NDJSON records with a \"file\"\n"
	      "field (written back with a \"check\" object added), or one PDF.\n"
	      "\n"
	      "options:\n"
	      "  --json            one JSON object per file (NDJSON) instead of lines for a person\n"
	      "  --format FORMAT   human (the default), json, or github (workflow annotations)\n"
	      "  --attachment      check a letter attachment: no address page, every page is a\n"
	      "                    later page, and a NOTIFY tag on page 1 fails\n"
	      "  --international   international addresses are allowed (the service sends abroad)\n"
	      "  --strict          accepted for old scripts (a file over 2 MiB fails without it)\n"
	      "  --overlay DIR     for each failing letter, PNG pictures of its failing pages in\n"
	      "                    DIR: forbidden areas red, offending marks blue, address green\n"
	      "  --report FILE     a self-contained HTML report of the batch, with pictures\n"
	      "  --junit FILE      JUnit XML, one test case per letter, for CI\n"
	      "  -q, --quiet       print only letters that fail\n"
	      "  --max-seconds N   time allowed to check one file (default 10; 0 for no limit)\n"
	      "  --max-memory MB   memory allowed to check one file (default 512; 0 for no limit)\n"
	      "                    a file over either limit fails with resource-limit-exceeded\n"
	      "  --full-raster     render every page in full at 200 dpi instead of proving most\n"
	      "                    pages from their marks (slow; the same verdicts)\n"
	      "  -h, --help        print this help and exit\n"
	      "\n"
	      "exit status: 0 every letter is valid, 1 some letter failed a check,\n"
	      "2 usage or system error (a missing file; the other files are still checked).\n",
	      out);
}

/*
 * Standard output could not be written (a full disk, a closed pipe): said
 * once, with the reason, when it happens (the next write may clobber errno).
 */
static int stdout_failed;

static int write_record(json_t *rec)
{
	if (lk_ndjson_write(stdout, rec) == 0)
		return 0;
	if (!stdout_failed)
		fprintf(stderr, "letterkit check: cannot write the standard output: %s\n",
			strerror(errno ? errno : EIO));
	stdout_failed = 1;
	return -1;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* DIR/<name without .pdf>-page-N.png for each pictured page, atomically. */
static int write_overlays(struct cli *cli, const struct letter *l)
{
	int pages[PDFCHECK_MAX_PAGES];
	int n = pictured_pages(l->rep, pages, PDFCHECK_MAX_PAGES);
	const char *base = strrchr(l->name, '/');
	base = base ? base + 1 : l->name;
	size_t stem = strlen(base);
	if (stem > 4 && strcmp(base + stem - 4, ".pdf") == 0)
		stem -= 4;
	for (int i = 0; i < n; i++) {
		unsigned char *png;
		size_t len;
		char path[4096], err[512];
		if (pdfcheck_overlay_png(cli->pc, l->pdf, l->len, pages[i], &cli->opt, l->rep, OVERLAY_DPI,
					 &png, &len) != 0) {
			fprintf(stderr, "letterkit check: %s: %s\n", l->name, pdfcheck_error(cli->pc));
			return -1;
		}
		snprintf(path, sizeof path, "%s/%.*s-page-%d.png", cli->overlay_dir, (int)stem,
			 stem ? base : "stdin", pages[i]);
		int rc = lk_write_atomic(path, png, len, err, sizeof err);
		free(png);
		if (rc != 0) {
			fprintf(stderr, "letterkit check: %s\n", err);
			return -1;
		}
	}
	return 0;
}

/* Everything but standard output's record: the side files. */
static int side_outputs(struct cli *cli, const struct letter *l)
{
	int status = LK_EXIT_OK;
	if (cli->overlay_dir && l->rep && !l->rep->valid && l->pdf && write_overlays(cli, l) != 0)
		status = LK_EXIT_ERROR;
	if (cli->junit)
		junit_add(cli->junit, l);
	if (cli->html)
		html_report_add(cli->html, l);
	return status;
}

/* The JSON of a letter, with "file" first. */
static json_t *letter_json(const struct letter *l)
{
	json_t *o = json_pack("{s:s}", "file", l->name);
	if (l->rep)
		json_object_update_new(o, pdfcheck_report_json(l->rep));
	else
		json_object_set_new(o, "error", json_string(l->error));
	return o;
}

/*
 * Checks one PDF held in memory and writes its result everywhere but, for
 * a record, standard output (the caller adds it to the record). Fills
 * *check with the JSON for a record when check is not NULL.
 */
static int check_one(struct cli *cli, const char *name, const unsigned char *pdf, size_t len,
		     const char *read_error, json_t **check)
{
	struct pdfcheck_report rep = {0};
	struct letter l = {.name = name, .pdf = pdf, .len = len, .error = read_error};
	double start = now_seconds();
	if (!read_error) {
		if (pdfcheck_buffer(cli->pc, pdf, len, name, &cli->opt, &rep) == 0)
			l.rep = &rep;
		else
			l.error = pdfcheck_error(cli->pc);
	}
	l.seconds = now_seconds() - start;
	int status = l.rep ? (rep.valid ? LK_EXIT_OK : LK_EXIT_FAIL) : LK_EXIT_ERROR;
	if (l.error)
		fprintf(stderr, "letterkit check: %s\n", l.error);

	if (check) {
		*check = l.rep ? pdfcheck_report_json(l.rep) : json_pack("{s:s}", "error", l.error);
	} else if (cli->format == FORMAT_JSON) {
		json_t *o = letter_json(&l);
		if (write_record(o) != 0)
			status = LK_EXIT_ERROR;
		json_decref(o);
	} else if (cli->format == FORMAT_GITHUB) {
		print_github(stdout, &l);
	} else {
		print_human(stdout, &l, cli->quiet);
	}
	status = lk_exit_worse(status, side_outputs(cli, &l));
	pdfcheck_report_clear(&rep);
	return status;
}

static int check_path(struct cli *cli, const char *path, json_t **check)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	char err[512];
	int readable = lk_read_file(path, MAX_PDF_BYTES, &pdf, &len, err, sizeof err) == 0;
	int status = check_one(cli, path, pdf, len, readable ? NULL : err, check);
	free(pdf);
	return status;
}

/* A PDF given on standard input, whose first bytes were already read. */
static int check_stdin_pdf(struct cli *cli, const unsigned char *head, size_t head_len)
{
	unsigned char *rest = NULL, *all = NULL;
	size_t rest_len = 0;
	char err[512];
	if (lk_read_stream(stdin, "<stdin>", MAX_PDF_BYTES, &rest, &rest_len, err, sizeof err) != 0)
		return check_one(cli, "-", NULL, 0, err, NULL);
	all = malloc(head_len + rest_len + 1);
	if (!all) {
		free(rest);
		return check_one(cli, "-", NULL, 0, "<stdin>: out of memory", NULL);
	}
	memcpy(all, head, head_len);
	memcpy(all + head_len, rest, rest_len);
	free(rest);
	int status = check_one(cli, "-", all, head_len + rest_len, NULL, NULL);
	free(all);
	return status;
}

/* One NDJSON record: checks its "file" and adds a "check" object. */
static int check_record(struct cli *cli, json_t *rec)
{
	const char *file = json_string_value(json_object_get(rec, "file"));
	json_t *check = NULL;
	int status;
	if (!file) {
		check = json_pack("{s:s}", "error", "the record has no \"file\" string");
		status = LK_EXIT_ERROR;
	} else {
		status = check_path(cli, file, &check);
	}
	json_object_set_new(rec, "check", check);
	if (write_record(rec) != 0)
		status = LK_EXIT_ERROR;
	return status;
}

static int check_stdin(struct cli *cli)
{
	unsigned char head[5];
	size_t n = fread(head, 1, sizeof head, stdin);
	if (n == sizeof head && memcmp(head, "%PDF-", 5) == 0)
		return check_stdin_pdf(cli, head, n);

	struct lk_ndjson_reader *r = lk_ndjson_reader_new(stdin, "<stdin>", LK_NDJSON_MAX_LINE, head, n);
	if (!r) {
		fprintf(stderr, "letterkit check: out of memory\n");
		return LK_EXIT_ERROR;
	}
	int status = LK_EXIT_OK, got;
	json_t *rec;
	char err[512];
	while (!lk_stop_signal() && (got = lk_ndjson_next(r, &rec, err, sizeof err)) != 0) {
		if (got < 0 && lk_stop_signal())
			break;   /* the read was interrupted: not a bad record */
		if (got < 0) {
			/* Say so on both streams: nothing may vanish from a pipe unnoticed. */
			fprintf(stderr, "letterkit check: %s\n", err);
			json_t *o = json_pack("{s:I, s:s}", "line", (json_int_t)lk_ndjson_line(r), "error", err);
			write_record(o);
			json_decref(o);
			status = lk_exit_worse(status, LK_EXIT_ERROR);
			continue;
		}
		status = lk_exit_worse(status, check_record(cli, rec));
		json_decref(rec);
	}
	lk_ndjson_reader_free(r);
	return status;
}

static int parse_options(struct cli *cli, int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_FORMAT, OPT_ATTACHMENT, OPT_INTERNATIONAL, OPT_STRICT,
	       OPT_FULL_RASTER, OPT_OVERLAY, OPT_REPORT, OPT_JUNIT, OPT_MAX_SECONDS, OPT_MAX_MEMORY };
	static const struct option options[] = {
		{"json", no_argument, NULL, OPT_JSON},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"attachment", no_argument, NULL, OPT_ATTACHMENT},
		{"international", no_argument, NULL, OPT_INTERNATIONAL},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"full-raster", no_argument, NULL, OPT_FULL_RASTER},
		{"overlay", required_argument, NULL, OPT_OVERLAY},
		{"report", required_argument, NULL, OPT_REPORT},
		{"junit", required_argument, NULL, OPT_JUNIT},
		{"max-seconds", required_argument, NULL, OPT_MAX_SECONDS},
		{"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli->opt.max_seconds = DEFAULT_MAX_SECONDS;
	cli->opt.max_memory = (size_t)DEFAULT_MAX_MEMORY_MB << 20;
	int c;
	while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON: cli->format = FORMAT_JSON; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "human") == 0)
				cli->format = FORMAT_HUMAN;
			else if (strcmp(optarg, "json") == 0)
				cli->format = FORMAT_JSON;
			else if (strcmp(optarg, "github") == 0)
				cli->format = FORMAT_GITHUB;
			else {
				fprintf(stderr, "letterkit check: invalid --format '%s' (use human, json or github)\n", optarg);
				return -1;
			}
			break;
		case OPT_ATTACHMENT: cli->opt.attachment = 1; break;
		case OPT_INTERNATIONAL: cli->opt.international = 1; break;
		case OPT_STRICT: cli->opt.strict = 1; break;
		case OPT_FULL_RASTER: cli->opt.full_raster = 1; break;
		case OPT_OVERLAY: cli->overlay_dir = optarg; break;
		case OPT_REPORT: cli->report_path = optarg; break;
		case OPT_JUNIT: cli->junit_path = optarg; break;
		case OPT_MAX_SECONDS: {
			char *end;
			errno = 0;
			double v = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(v >= 0 && v <= 86400)) {
				fprintf(stderr, "letterkit check: invalid --max-seconds '%s' (use 0 to 86400)\n", optarg);
				return -1;
			}
			cli->opt.max_seconds = v;
			break;
		}
		case OPT_MAX_MEMORY: {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' || v > 1048576) {
				fprintf(stderr, "letterkit check: invalid --max-memory '%s' (use 0 to 1048576 MB)\n", optarg);
				return -1;
			}
			cli->opt.max_memory = (size_t)v << 20;
			break;
		}
		case 'q': cli->quiet = 1; break;
		case 'h': usage(stdout); exit(LK_EXIT_OK);
		default:
			fprintf(stderr, "letterkit check: see 'letterkit check --help'\n");
			return -1;
		}
	}
	struct stat st;
	errno = 0;
	if (cli->overlay_dir && (stat(cli->overlay_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "letterkit check: --overlay %s: %s\n", cli->overlay_dir,
			errno ? strerror(errno) : "not a directory");
		return -1;
	}
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
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && !stdout_failed) {
		fprintf(stderr, "letterkit check: cannot write the standard output: %s\n",
			strerror(errno ? errno : EIO));
		status = LK_EXIT_ERROR;
	} else if (stdout_failed) {
		status = LK_EXIT_ERROR;
	}
	return status;
}

int pdfcheck_main(int argc, char **argv)
{
	struct cli cli = {0};
	if (parse_options(&cli, argc, argv) != 0)
		return LK_EXIT_ERROR;
	lk_stop_catch();
	char err[512];
	cli.pc = pdfcheck_ctx_new(err, sizeof err);
	if (!cli.pc) {
		fprintf(stderr, "letterkit check: %s\n", err);
		return LK_EXIT_ERROR;
	}
	int status = LK_EXIT_OK;
	if ((cli.junit_path && !(cli.junit = junit_new())) ||
	    (cli.report_path && !(cli.html = html_report_new(cli.pc, &cli.opt)))) {
		fprintf(stderr, "letterkit check: out of memory\n");
		status = LK_EXIT_ERROR;
		goto out;
	}
	if (optind == argc) {
		status = check_stdin(&cli);
	} else {
		for (int i = optind; i < argc && !lk_stop_signal(); i++)
			status = lk_exit_worse(status, strcmp(argv[i], "-") == 0 ? check_stdin(&cli)
								      : check_path(&cli, argv[i], NULL));
	}
	if (lk_stop_signal()) {
		/* A report of part of the batch would pass for the whole: none is
		 * written, and one from an earlier run stays as it was. */
		fprintf(stderr, "letterkit check: stopped by %s before the end of the batch%s\n",
			lk_stop_name(lk_stop_signal()), cli.junit || cli.html ? "; no report written" : "");
		fflush(stdout);
		status = LK_EXIT_ERROR;
		goto out;
	}
	status = finish_outputs(&cli, status);
out:
	junit_free(cli.junit);
	html_report_free(cli.html);
	pdfcheck_ctx_free(cli.pc);
	return status;
}
