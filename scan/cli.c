/*
 * cli.c: `letterkit scan`, the front end of the scan library.
 *
 * Loads the engine once, then scans the letters lk_input gives: files and
 * folders named on the command line (one line or one NDJSON record each),
 * a PDF on stdin, or the "file" of each NDJSON record read from stdin
 * (written back with a "scan" object added).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk_exit.h"
#include "lk_input.h"
#include "lk_opt.h"
#include "lk_stop.h"
#include "lk_summary.h"
#include "lk_text.h"
#include "lk_tty.h"
#include "scan.h"

#define PROG "letterkit scan"
#define DB_ENV "LETTERKIT_CLAMAV_DB"

int scan_main(int argc, char **argv);

struct options {
	int json;
	int no_cache;
	const char *db;
	const char *clamd;
};

enum { OPT_NO_CACHE = 256 };

/* What the batch's outputs share: the summary, the progress line, colour. */
struct batch {
	int json;
	int colour;              /* CLEAN/FOUND in colour: stdout is a terminal, NO_COLOR unset */
	struct lk_summary summary;
	struct lk_progress progress;
};

/* A message on stderr, made safe: it may hold a file name. */

static const struct option long_options[] = {
	{"json", no_argument, NULL, 'j'},
	{"db", required_argument, NULL, 'd'},
	{"clamd", required_argument, NULL, 'c'},
	{"no-cache", no_argument, NULL, OPT_NO_CACHE},
	LK_OPT_COMMON,
};

static void versions(FILE *out);

static const struct lk_cmd cmd = {"scan",
		"usage: letterkit scan [--json] [--db DIR | --clamd SOCKET|HOST:PORT] [FILE...]\n"
		"\n"
		"Scans letter PDFs for viruses with libclamav, loading the signatures\n"
		"once for the whole batch. Prints one line per file:\n"
		"  CLEAN file | FOUND file: Virus.Name | ERROR file: why\n"
		"A folder FILE is scanned for its PDFs, recursed, in path order.\n"
		"With no FILE, or FILE '-', reads NDJSON records with a \"file\" field from\n"
		"stdin and writes each back with a \"scan\" object added; or, when stdin\n"
		"starts with %PDF-, scans that one PDF as the file '-'.\n"
		"\n"
		"options:\n"
		"  -j, --json          one NDJSON record per file: {\"file\", \"scan\": {\"clean\",\n"
		"                      \"virus\", \"engine\", \"signatures\"}}\n"
		"  -d, --db DIR        signature directory (default $" DB_ENV ",\n"
		"                      else ClamAV's, /var/lib/clamav)\n"
		"  -c, --clamd ADDR    send the files to a running clamd (unix socket path or\n"
		"                      HOST:PORT) instead; clamd uses its own database\n"
		"      --no-cache      do not cache clean results (for benchmarks)\n"
		"  -h, --help          print this help\n"
		"      --version       print the versions of letterkit and libclamav, and the\n"
		"                      number of signatures in the default database, and exit\n"
		"\n"
		"Exit status: 0 all clean, 1 something found, 2 an error (a file that\n"
		"cannot be scanned is 2 and the batch goes on; no signatures is fatal).\n",
	versions};

static void versions(FILE *out)
{
	const char *env = getenv(DB_ENV);
	const char *dir = env && env[0] ? env : "/var/lib/clamav";
	long n = scan_count_signatures(dir);
	fprintf(out, "libclamav %s\n", scan_library_version());
	if (n > 0)
		fprintf(out, "%ld signatures in %s\n", n, dir);
	else
		fprintf(out, "0 signatures in %s: none found (run freshclam)\n", dir);
}

/* LK_OPT_GO_ON, or the exit status to stop with. */
static int parse_args(int argc, char **argv, struct options *o)
{
	int c, status;
	while ((c = lk_opt_next(&cmd, argc, argv, "jd:c:", long_options, &status)) != -1) {
		switch (c) {
		case LK_OPT_EXIT:
			return status;
		case 'j':
			o->json = 1;
			break;
		case 'd':
			if (!optarg[0])
				return lk_opt_error(&cmd, "--db needs a folder", NULL);
			o->db = optarg;
			break;
		case 'c':
			if (!optarg[0])
				return lk_opt_error(&cmd, "--clamd needs a socket path or HOST:PORT", NULL);
			o->clamd = optarg;
			break;
		case OPT_NO_CACHE:
			o->no_cache = 1;
			break;
		}
	}
	if (o->db && o->clamd)
		return lk_opt_error(&cmd, "--db and --clamd do not go together: clamd loads its own database",
				    NULL);
	return LK_OPT_GO_ON;
}


static void count(struct batch *b, int scan_rc, const struct scan_result *res)
{
	if (scan_rc != 0)
		lk_summary_error(&b->summary);
	else if (res->clean)
		lk_summary_pass(&b->summary);
	else
		lk_summary_fail(&b->summary, res->virus);
}

/* The status of one verdict: 2 could not scan, 1 found, 0 clean. */
static int status_of(int scan_rc, const struct scan_result *res)
{
	return scan_rc != 0 ? LK_EXIT_ERROR : res->clean ? LK_EXIT_OK : LK_EXIT_FAIL;
}

/*
 * Prints the verdict on `name` (scan_rc and err from scan_file/scan_buffer):
 * a line, or with json a record (a name that is not UTF-8 as "file" and
 * "file_base64", lk_json_set_path). Returns 0, or -1 when stdout failed.
 */
static int report(struct scan_ctx *sc, struct batch *b, const char *name, int scan_rc,
		  const struct scan_result *res, const char *err)
{
	int st = status_of(scan_rc, res);
	count(b, scan_rc, res);
	lk_progress_hide(&b->progress);
	if (b->json) {
		json_t *rec = json_object();
		json_t *verdict = scan_verdict_json(sc, res, scan_rc ? err : NULL);
		int wrc = -1;
		if (rec && verdict && lk_json_set_path(rec, "file", name) == 0 &&
		    json_object_set(rec, "scan", verdict) == 0)
			wrc = lk_input_write_record(&cmd, rec);
		else
			lk_say(&b->progress, PROG, "%s: no record written: out of memory", name);
		json_decref(verdict);
		json_decref(rec);
		lk_progress_step(&b->progress);
		return wrc;
	}
	char safe[2048], virus[2 * SCAN_VIRUS_MAX];
	lk_safe(name, safe, sizeof safe);
	if (st == LK_EXIT_ERROR) {
		lk_tty_word(stdout, b->colour, LK_RED, "ERROR");
		printf(" %s: %s\n", safe, lk_safe(err, virus, sizeof virus));
	} else if (st == LK_EXIT_FAIL) {
		lk_tty_word(stdout, b->colour, LK_RED, "FOUND");
		printf(" %s: %s\n", safe, lk_safe(res->virus, virus, sizeof virus));
	} else {
		lk_tty_word(stdout, b->colour, LK_GREEN, "CLEAN");
		printf(" %s\n", safe);
	}
	errno = 0;
	if (fflush(stdout) != 0) {
		lk_output_failed_now(&cmd);
		return -1;
	}
	lk_progress_step(&b->progress);
	return 0;
}

/*
 * One letter from lk_input: a file scanned by path, a PDF on stdin from
 * memory, or a record (written back with a "scan" object added). A letter
 * with no file (a bad line, a record without "file", a folder that cannot
 * be read) was said on stderr by lk_input: it is an error in the summary
 * and, when it came as a record, in its "scan" object. Returns its status,
 * or -1 when standard output failed (the batch stops).
 */
static int scan_letter(struct scan_ctx *sc, struct batch *b, const struct lk_letter *l)
{
	char err[512] = "";
	struct scan_result res = {0};
	int rc = -1;
	if (l->error)
		snprintf(err, sizeof err, "%s", l->error);
	else if (l->data)
		rc = scan_buffer(sc, "stdin.pdf", l->data, l->len, &res, err, sizeof err);
	else
		rc = scan_file(sc, l->path, &res, err, sizeof err);
	if (rc != 0 && !l->error)
		lk_say(&b->progress, PROG, "%s: %s", l->path, err);
	if (!l->record) {
		if (l->path)
			return report(sc, b, l->path, rc, &res, err) == 0 ? status_of(rc, &res) : -1;
		count(b, rc, &res);   /* a folder that cannot be read: no name to print it under */
		lk_progress_step(&b->progress);
		return LK_EXIT_ERROR;
	}
	count(b, rc, &res);
	lk_progress_step(&b->progress);
	json_t *verdict = scan_verdict_json(sc, &res, rc ? err : NULL);
	if (!verdict || json_object_set_new(l->record, "scan", verdict) != 0) {
		lk_say(&b->progress, PROG, "<stdin>: line %zu: no record written: out of memory", l->line);
		return -1;
	}
	return lk_input_write_record(&cmd, l->record) == 0 ? status_of(rc, &res) : -1;
}

int scan_main(int argc, char **argv)
{
	struct options o = {0};
	int stop = parse_args(argc, argv, &o);
	if (stop != LK_OPT_GO_ON)
		return stop;
	struct scan_config cfg = {.clamd = o.clamd, .no_cache = o.no_cache};
	if (!o.clamd) {
		const char *env = getenv(DB_ENV);
		cfg.db_dir = o.db ? o.db : env && env[0] ? env : NULL;
	}
	/* Standard input a terminal is refused before the signatures are loaded (seconds). */
	struct lk_input *in = lk_input_new(&cmd, argc - optind, argv + optind, 1, SCAN_MAX_FILESIZE);
	if (!in)
		return LK_EXIT_ERROR;
	char err[1024];
	struct scan_ctx *sc = NULL;
	/* From here SIGINT/SIGTERM stop the batch between letters (exit 2), as in check. */
	lk_stop_catch();
	int rc = scan_ctx_new(&sc, &cfg, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, PROG ": %s\n", err);
		if (rc == SCAN_ENOSIGS)
			fprintf(stderr, PROG ": run freshclam to download ClamAV's signatures, "
					"or pass --db DIR (or set " DB_ENV ")\n");
		lk_input_free(in);
		return LK_EXIT_ERROR;
	}
	struct batch b = {.json = o.json, .colour = !o.json && lk_tty_colour(stdout)};
	/* The progress line counts files; records on stdin and folders are of unknown number. */
	lk_progress_start(&b.progress, PROG, "scanned", lk_input_total(in));
	int status = LK_EXIT_OK;
	struct lk_letter l;
	while (lk_input_next(in, &l)) {
		int st = scan_letter(sc, &b, &l);
		json_decref(l.record);
		if (st < 0) {
			status = LK_EXIT_ERROR;
			break;
		}
		status = lk_exit_worse(status, st);
	}
	int from_records = lk_input_records(in);
	lk_input_free(in);
	scan_ctx_free(sc);
	lk_progress_hide(&b.progress);
	/* On stderr, as check's: stdout holds one line or record per letter and
	 * nothing else. Records in and out make scan a stage in a pipe, whose
	 * end sums the batch up: no line then. */
	if (!from_records && !lk_stop_signal()) {
		static const struct lk_summary_words words = {"clean", "infected", "could not be scanned"};
		lk_summary_print(stderr, PROG, &b.summary, &words);
	}
	lk_summary_free(&b.summary);
	if (lk_stop_signal()) {
		fprintf(stderr, PROG ": stopped by %s before the end of the batch\n", lk_stop_name(lk_stop_signal()));
		fflush(stdout);
		return LK_EXIT_ERROR;
	}
	return status;
}
