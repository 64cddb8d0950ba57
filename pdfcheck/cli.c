/*
 * cli.c: `letterkit check`, the front end of pdfcheck. Parses options,
 * feeds files or NDJSON records to the library, prints, and picks the
 * exit status (0 all valid, 1 some letter failed, 2 usage or system error).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lk_exit.h"
#include "lk_file.h"
#include "lk_ndjson.h"
#include "pdfcheck.h"

#define STDIN_PDF_MAX (256u << 20)

struct cli {
	struct pdfcheck_ctx *pc;
	struct pdfcheck_options opt;
	int json;
	int quiet;
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
	      "  --attachment      check a letter attachment: no address page, every page is a\n"
	      "                    later page, and a NOTIFY tag on page 1 fails\n"
	      "  --international   international addresses are allowed (the service sends abroad)\n"
	      "  --strict          warnings Notify may act on (a file over 2 MiB) fail the letter\n"
	      "  -q, --quiet       print only letters that fail\n"
	      "  --full-raster     render every page in full at 200 dpi instead of proving most\n"
	      "                    pages from their marks (slow; the same verdicts)\n"
	      "  -h, --help        print this help and exit\n"
	      "\n"
	      "exit status: 0 every letter is valid, 1 some letter failed a check,\n"
	      "2 usage or system error (a missing file; the other files are still checked).\n",
	      out);
}

static void print_pages(const struct pdfcheck_report *rep)
{
	printf(" on page%s ", rep->n_invalid_pages > 1 ? "s" : "");
	for (int i = 0; i < rep->n_invalid_pages; i++)
		printf("%s%d", i ? ", " : "", rep->invalid_pages[i]);
}

/* One line for the verdict, then one line per finding. */
static void print_human(const struct cli *cli, const char *file, const struct pdfcheck_report *rep)
{
	if (rep->valid && cli->quiet)
		return;
	if (rep->valid) {
		printf("PASS %s\n", file);
	} else {
		printf("FAIL %s: %s", file, rep->message);
		if (rep->invalid_pages)
			print_pages(rep);
		putchar('\n');
	}
	for (size_t i = 0; i < rep->n_findings; i++) {
		const struct pdfcheck_finding *f = &rep->findings[i];
		printf("  %s%s\n", f->severity == PDFCHECK_SEVERITY_WARNING ? "warning: " : "", f->detail);
	}
	/* When the address failed, show it as read: the usual fix is to see it. */
	if (rep->address_error) {
		fputs("  address as read: ", stdout);
		if (!rep->address || !*rep->address)
			fputs("(nothing)", stdout);
		for (const char *p = rep->address; p && *p; p++) {
			if (*p == '\n')
				fputs(" / ", stdout);
			else
				putchar(*p);
		}
		putchar('\n');
	}
}

/* The JSON of a report, with "file" first. */
static json_t *file_report_json(const char *file, const struct pdfcheck_report *rep)
{
	json_t *o = json_pack("{s:s}", "file", file);
	json_object_update_new(o, pdfcheck_report_json(rep));
	return o;
}

static int report_status(const struct pdfcheck_report *rep)
{
	return rep->valid ? LK_EXIT_OK : LK_EXIT_FAIL;
}

/* A file named on the command line. */
static int check_path(struct cli *cli, const char *path)
{
	struct pdfcheck_report rep = {0};
	if (pdfcheck_file(cli->pc, path, &cli->opt, &rep) != 0) {
		fprintf(stderr, "letterkit check: %s\n", pdfcheck_error(cli->pc));
		if (cli->json) {
			json_t *o = json_pack("{s:s, s:s}", "file", path, "error", pdfcheck_error(cli->pc));
			lk_ndjson_write(stdout, o);
			json_decref(o);
		}
		return LK_EXIT_ERROR;
	}
	if (cli->json) {
		json_t *o = file_report_json(path, &rep);
		lk_ndjson_write(stdout, o);
		json_decref(o);
	} else {
		print_human(cli, path, &rep);
	}
	int status = report_status(&rep);
	pdfcheck_report_clear(&rep);
	return status;
}

/* A PDF given on standard input. */
static int check_stdin_pdf(struct cli *cli, const unsigned char *head, size_t head_len)
{
	unsigned char *rest = NULL, *all = NULL;
	size_t rest_len = 0;
	char err[512];
	if (lk_read_stream(stdin, "<stdin>", STDIN_PDF_MAX, &rest, &rest_len, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit check: %s\n", err);
		return LK_EXIT_ERROR;
	}
	all = malloc(head_len + rest_len + 1);
	if (!all) {
		free(rest);
		fprintf(stderr, "letterkit check: <stdin>: out of memory\n");
		return LK_EXIT_ERROR;
	}
	memcpy(all, head, head_len);
	memcpy(all + head_len, rest, rest_len);
	free(rest);
	struct pdfcheck_report rep = {0};
	int status;
	if (pdfcheck_buffer(cli->pc, all, head_len + rest_len, "-", &cli->opt, &rep) != 0) {
		fprintf(stderr, "letterkit check: %s\n", pdfcheck_error(cli->pc));
		status = LK_EXIT_ERROR;
	} else if (cli->json) {
		json_t *o = file_report_json("-", &rep);
		lk_ndjson_write(stdout, o);
		json_decref(o);
		status = report_status(&rep);
	} else {
		print_human(cli, "-", &rep);
		status = report_status(&rep);
	}
	pdfcheck_report_clear(&rep);
	free(all);
	return status;
}

/* One NDJSON record: checks its "file" and adds a "check" object. */
static int check_record(struct cli *cli, json_t *rec)
{
	const char *file = json_string_value(json_object_get(rec, "file"));
	json_t *check;
	int status;
	struct pdfcheck_report rep = {0};
	if (!file) {
		check = json_pack("{s:s}", "error", "the record has no \"file\" string");
		status = LK_EXIT_ERROR;
	} else if (pdfcheck_file(cli->pc, file, &cli->opt, &rep) != 0) {
		fprintf(stderr, "letterkit check: %s\n", pdfcheck_error(cli->pc));
		check = json_pack("{s:s}", "error", pdfcheck_error(cli->pc));
		status = LK_EXIT_ERROR;
	} else {
		check = pdfcheck_report_json(&rep);
		status = report_status(&rep);
	}
	pdfcheck_report_clear(&rep);
	json_object_set_new(rec, "check", check);
	if (lk_ndjson_write(stdout, rec) != 0)
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
	while ((got = lk_ndjson_next(r, &rec, err, sizeof err)) != 0) {
		if (got < 0) {
			/* Say so on both streams: nothing may vanish from a pipe unnoticed. */
			fprintf(stderr, "letterkit check: %s\n", err);
			json_t *o = json_pack("{s:I, s:s}", "line", (json_int_t)lk_ndjson_line(r), "error", err);
			lk_ndjson_write(stdout, o);
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

int pdfcheck_main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_ATTACHMENT, OPT_INTERNATIONAL, OPT_STRICT, OPT_FULL_RASTER };
	static const struct option options[] = {
		{"json", no_argument, NULL, OPT_JSON},
		{"attachment", no_argument, NULL, OPT_ATTACHMENT},
		{"international", no_argument, NULL, OPT_INTERNATIONAL},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"full-raster", no_argument, NULL, OPT_FULL_RASTER},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli = {0};
	int c;
	while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON: cli.json = 1; break;
		case OPT_ATTACHMENT: cli.opt.attachment = 1; break;
		case OPT_INTERNATIONAL: cli.opt.international = 1; break;
		case OPT_STRICT: cli.opt.strict = 1; break;
		case OPT_FULL_RASTER: cli.opt.full_raster = 1; break;
		case 'q': cli.quiet = 1; break;
		case 'h': usage(stdout); return LK_EXIT_OK;
		default:
			fprintf(stderr, "letterkit check: see 'letterkit check --help'\n");
			return LK_EXIT_ERROR;
		}
	}
	char err[512];
	cli.pc = pdfcheck_ctx_new(err, sizeof err);
	if (!cli.pc) {
		fprintf(stderr, "letterkit check: %s\n", err);
		return LK_EXIT_ERROR;
	}
	int status = LK_EXIT_OK;
	if (optind == argc) {
		status = check_stdin(&cli);
	} else {
		for (int i = optind; i < argc; i++)
			status = lk_exit_worse(status, strcmp(argv[i], "-") == 0 ? check_stdin(&cli)
								      : check_path(&cli, argv[i]));
	}
	pdfcheck_ctx_free(cli.pc);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "letterkit check: cannot write the output\n");
		status = LK_EXIT_ERROR;
	}
	return status;
}
