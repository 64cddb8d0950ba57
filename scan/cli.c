/*
 * cli.c: `letterkit scan`, the front end of the scan library.
 *
 * Loads the engine once, then scans the files named on the command line
 * (one line or one NDJSON record each) or the "file" of each NDJSON record
 * read from stdin (written back with a "scan" object added).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk_exit.h"
#include "lk_ndjson.h"
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

static const struct option long_options[] = {
	{"json", no_argument, NULL, 'j'},
	{"db", required_argument, NULL, 'd'},
	{"clamd", required_argument, NULL, 'c'},
	{"no-cache", no_argument, NULL, OPT_NO_CACHE},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: letterkit scan [--json] [--db DIR | --clamd SOCKET|HOST:PORT] [FILE...]\n"
		"\n"
		"Scans letter PDFs for viruses with libclamav, loading the signatures\n"
		"once for the whole batch. Prints one line per file:\n"
		"  CLEAN file | FOUND file: Virus.Name | ERROR file: why\n"
		"With no FILE, or FILE '-', reads NDJSON records with a \"file\" field from\n"
		"stdin and writes each back with a \"scan\" object added.\n"
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
		"\n"
		"Exit status: 0 all clean, 1 something found, 2 an error (a file that\n"
		"cannot be scanned is 2 and the batch goes on; no signatures is fatal).\n");
}

static int bad_usage(const char *msg, const char *arg)
{
	fprintf(stderr, PROG ": %s%s%s (try 'letterkit scan --help')\n", msg, arg ? " " : "",
		arg ? arg : "");
	return LK_EXIT_ERROR;
}

/* 0 to go on, else 1 + the exit status to stop with. */
static int parse_args(int argc, char **argv, struct options *o)
{
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jd:c:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = 1;
			break;
		case 'd':
			if (!optarg[0])
				return 1 + bad_usage("--db needs a directory", NULL);
			o->db = optarg;
			break;
		case 'c':
			if (!optarg[0])
				return 1 + bad_usage("--clamd needs a socket path or HOST:PORT", NULL);
			o->clamd = optarg;
			break;
		case OPT_NO_CACHE:
			o->no_cache = 1;
			break;
		case 'h':
			usage(stdout);
			return 1 + LK_EXIT_OK;
		default:
			if (optopt == 'd')
				return 1 + bad_usage("--db needs a directory", NULL);
			if (optopt == 'c')
				return 1 + bad_usage("--clamd needs a socket path or HOST:PORT", NULL);
			return 1 + bad_usage("unknown option", argv[optind - 1]);
		}
	}
	if (o->db && o->clamd)
		return 1 + bad_usage("--db and --clamd do not go together: clamd loads its own database", NULL);
	for (int i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && argc - optind > 1)
			return 1 + bad_usage("'-' (records on stdin) cannot be mixed with files", NULL);
	return 0;
}

/* Scans one file: the "scan" object in *obj (NULL when out of memory) and the status. */
static int scan_one(struct scan_ctx *sc, const char *path, json_t **obj, struct scan_result *res,
		    char *err, size_t errlen)
{
	if (scan_file(sc, path, res, err, errlen) != 0) {
		*obj = scan_verdict_json(sc, res, err);
		return LK_EXIT_ERROR;
	}
	*obj = scan_verdict_json(sc, res, NULL);
	return res->clean ? LK_EXIT_OK : LK_EXIT_FAIL;
}

static int write_record(json_t *rec)
{
	if (lk_ndjson_write(stdout, rec) != 0) {
		perror(PROG ": cannot write a record");
		return -1;
	}
	return 0;
}

static int run_files(struct scan_ctx *sc, char **files, int n, int json)
{
	int status = LK_EXIT_OK;
	for (int i = 0; i < n; i++) {
		char err[512] = "";
		struct scan_result res;
		json_t *obj = NULL;
		int st = scan_one(sc, files[i], &obj, &res, err, sizeof err);
		status = lk_exit_worse(status, st);
		if (json) {
			json_t *rec = json_pack("{s:s, s:o}", "file", files[i], "scan", obj);
			int wrc = rec ? write_record(rec) : -1;
			json_decref(rec);
			if (wrc != 0)
				return LK_EXIT_ERROR;
			continue;
		}
		json_decref(obj);
		if (st == LK_EXIT_ERROR)
			printf("ERROR %s: %s\n", files[i], err);
		else if (st == LK_EXIT_FAIL)
			printf("FOUND %s: %s\n", files[i], res.virus);
		else
			printf("CLEAN %s\n", files[i]);
		if (fflush(stdout) != 0) {
			perror(PROG ": cannot write");
			return LK_EXIT_ERROR;
		}
	}
	return status;
}

static int run_stdin(struct scan_ctx *sc)
{
	int status = LK_EXIT_OK;
	struct lk_ndjson_reader *r = lk_ndjson_reader_new(stdin, "stdin", LK_NDJSON_MAX_LINE, NULL, 0);
	if (!r) {
		fprintf(stderr, PROG ": out of memory\n");
		return LK_EXIT_ERROR;
	}
	for (;;) {
		char err[512] = "";
		json_t *rec = NULL, *obj = NULL;
		struct scan_result res;
		int got = lk_ndjson_next(r, &rec, err, sizeof err);
		if (got == 0)
			break;
		if (got < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			status = LK_EXIT_ERROR;
			continue;
		}
		const char *path = json_string_value(json_object_get(rec, "file"));
		int st;
		if (path) {
			st = scan_one(sc, path, &obj, &res, err, sizeof err);
		} else {
			fprintf(stderr, PROG ": stdin: line %zu: the record has no \"file\" string\n",
				lk_ndjson_line(r));
			obj = scan_verdict_json(sc, NULL, "the record has no \"file\" string");
			st = LK_EXIT_ERROR;
		}
		status = lk_exit_worse(status, st);
		int wrc = obj && json_object_set_new(rec, "scan", obj) == 0 ? write_record(rec) : -1;
		json_decref(rec);
		if (wrc != 0) {
			status = LK_EXIT_ERROR;
			break;
		}
	}
	lk_ndjson_reader_free(r);
	return status;
}

int scan_main(int argc, char **argv)
{
	struct options o = {0};
	int stop = parse_args(argc, argv, &o);
	if (stop)
		return stop - 1;
	struct scan_config cfg = {.clamd = o.clamd, .no_cache = o.no_cache};
	if (!o.clamd) {
		const char *env = getenv(DB_ENV);
		cfg.db_dir = o.db ? o.db : env && env[0] ? env : NULL;
	}
	char err[1024];
	struct scan_ctx *sc = NULL;
	int rc = scan_ctx_new(&sc, &cfg, err, sizeof err);
	if (rc == SCAN_ENOSIGS) {
		fprintf(stderr, PROG ": %s\n" PROG ": run freshclam to download ClamAV's signatures, "
				"or pass --db DIR (or set " DB_ENV ")\n", err);
		return LK_EXIT_ERROR;
	}
	if (rc != 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return LK_EXIT_ERROR;
	}
	int files = argc - optind;
	int status = files == 0 || strcmp(argv[optind], "-") == 0
			     ? run_stdin(sc)
			     : run_files(sc, argv + optind, files, o.json);
	scan_ctx_free(sc);
	return status;
}
