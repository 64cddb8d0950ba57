/*
 * cli.c: `letterkit compose`, the front end of the compose library.
 *
 * Reads the template and the data, writes one PDF per row into the output
 * folder (atomically: never a partial file) and prints the manifest, one
 * NDJSON record per letter, ready for `letterkit check`. A bad row is
 * reported on stderr and skipped; the batch goes on.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compose.h"
#include "jobs.h"
#include <jansson.h>

#include "lk_exit.h"
#include "lk_file.h"
#include "lk_opt.h"
#include "lk_out.h"
#include "lk_pool.h"
#include "lk_stop.h"
#include "lk_summary.h"
#include "lk_tty.h"

#define DEFAULT_FONT_DIR "/usr/share/fonts/truetype/liberation2"
#define MAX_DATA_BYTES (1024u * 1024 * 1024)

struct options {
	const char *template_path;
	const char *data_path;
	const char *out_dir;
	const char *font_dir;
	int format;   /* -1: from the file name */
	int international;
	struct compose_date date;
	struct batch batch;
};

static void versions(FILE *out)
{
	fprintf(out, "libharu %s\njansson %s\n", compose_libharu_version(), jansson_version_str());
}

static const struct lk_cmd cmd = {"compose",
	"usage: letterkit compose --template FILE --output-dir DIR [options] DATA\n"
	"\n"
	"Makes one letter PDF per row of DATA (CSV with a header row, or NDJSON;\n"
	"\"-\" for standard input) from a template in Notify's letter markup, laid\n"
	"out to pass `letterkit check`, and prints one NDJSON record per letter:\n"
	"{\"file\", \"reference\", \"row\", \"pages\", \"address\", \"postage_zone\"}.\n"
	"\n"
	"  -t, --template FILE       letter settings file (first line \"[letter]\") or a\n"
	"                            bare body in Notify's markup\n"
	"  -o, --output-dir DIR      where the PDFs go (made if missing)\n"
	"      --csv | --ndjson      the data's format (default: from its name;\n"
	"                            .ndjson and .jsonl are NDJSON, anything else CSV)\n"
	"  -n, --name-column COL     name each PDF from this column (default: the row\n"
	"                            number, letter-000002.pdf for CSV row 2)\n"
	"  -r, --reference-column COL  the manifest's \"reference\" (default: reference)\n"
	"  -d, --date YYYY-MM-DD     the date on the letters (default: today)\n"
	"  -i, --international       allow addresses outside the UK\n"
	"  -j, --jobs N              worker processes, 1 to 64 (default: the number\n"
	"                            of online cores; 1 for standard input or a pipe,\n"
	"                            which --jobs reads into memory to share out)\n"
	"      --font-dir DIR        where the default fonts are (default\n"
	"                            " DEFAULT_FONT_DIR ")\n"
	"  -h, --help                show this help\n"
	"      --version             print the versions of letterkit and libharu and exit\n"
	"\n"
	"Exit status: 0 every letter made, 1 some row failed (reported on stderr and\n"
	"skipped), 2 usage, template, data or system error.\n",
	versions};

static int usage_error(const char *what, const char *arg)
{
	return lk_opt_error(&cmd, what, arg);
}

static int parse_date(const char *s, struct compose_date *d)
{
	char *end;
	errno = 0;
	long y = strtol(s, &end, 10);
	if (errno || end != s + 4 || *end != '-')
		return -1;
	long m = strtol(end + 1, &end, 10);
	if (errno || *end != '-' || m < 1 || m > 12)
		return -1;
	const char *ds = end + 1;
	long day = strtol(ds, &end, 10);
	if (errno || *end || end == ds || day < 1)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (day > mdays[m - 1] || (m == 2 && day == 29 && !leap) || y < 1900)
		return -1;
	*d = (struct compose_date){(int)y, (int)m, (int)day};
	return 0;
}

static int today(struct compose_date *d)
{
	time_t now = time(NULL);
	struct tm tm;
	if (now == (time_t)-1 || !localtime_r(&now, &tm))
		return -1;
	*d = (struct compose_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* Returns -1 to go on, or the exit status. */
static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_CSV = 256, OPT_NDJSON, OPT_FONT_DIR };
	static const struct option longopts[] = {
		{"template", required_argument, NULL, 't'},
		{"output-dir", required_argument, NULL, 'o'},
		{"csv", no_argument, NULL, OPT_CSV},
		{"ndjson", no_argument, NULL, OPT_NDJSON},
		{"name-column", required_argument, NULL, 'n'},
		{"reference-column", required_argument, NULL, 'r'},
		{"date", required_argument, NULL, 'd'},
		{"international", no_argument, NULL, 'i'},
		{"jobs", required_argument, NULL, 'j'},
		{"font-dir", required_argument, NULL, OPT_FONT_DIR},
		LK_OPT_COMMON,
	};
	int opt, status, have_date = 0, have_jobs = 0;
	o->format = -1;
	o->font_dir = DEFAULT_FONT_DIR;
	o->batch.reference_column = "reference";
	o->batch.jobs = lk_online_cores(COMPOSE_MAX_JOBS);
	while ((opt = lk_opt_next(&cmd, argc, argv, "t:o:n:r:d:ij:", longopts, &status)) != -1) {
		switch (opt) {
		case LK_OPT_EXIT: return status;
		case 't': o->template_path = optarg; break;
		case 'o': o->out_dir = optarg; break;
		case OPT_CSV: o->format = ROWS_CSV; break;
		case OPT_NDJSON: o->format = ROWS_NDJSON; break;
		case 'n': o->batch.name_column = optarg; break;
		case 'r': o->batch.reference_column = optarg; break;
		case 'i': o->international = 1; break;
		case OPT_FONT_DIR: o->font_dir = optarg; break;
		case 'd':
			if (parse_date(optarg, &o->date) < 0)
				return usage_error("--date must be a real date as YYYY-MM-DD, not", optarg);
			have_date = 1;
			break;
		case 'j':
			if (lk_opt_int(&cmd, "--jobs", optarg, 1, COMPOSE_MAX_JOBS, &o->batch.jobs) != 0)
				return LK_EXIT_ERROR;
			have_jobs = 1;
			break;
		}
	}
	if (!o->template_path)
		return usage_error("--template is required", NULL);
	if (!o->out_dir)
		return usage_error("--output-dir is required", NULL);
	if (optind != argc - 1)
		return usage_error(optind < argc ? "one DATA file only, not also" : "a DATA file is needed",
				   optind < argc ? argv[optind + 1] : NULL);
	o->data_path = argv[optind];
	/*
	 * Workers cannot each read standard input or a pipe: it would be read
	 * whole into memory first. Unless asked with --jobs, such data is
	 * streamed by one process instead, in flat memory.
	 */
	struct stat st;
	if (!have_jobs && (!strcmp(o->data_path, "-") ||
			   (stat(o->data_path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))))
		o->batch.jobs = 1;
	if (o->format < 0)
		o->format = ends_with(o->data_path, ".ndjson") || ends_with(o->data_path, ".jsonl")
			? ROWS_NDJSON : ROWS_CSV;
	if (!have_date && today(&o->date) < 0)
		return usage_error("cannot read today's date; give --date", NULL);
	return LK_OPT_GO_ON;
}

/* 0 with errno set for a folder, which opens but cannot be read. */
static int readable(FILE *f)
{
	struct stat st;
	if (fstat(fileno(f), &st) != 0)
		return 0;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return 0;
	}
	return 1;
}

/*
 * The output folder as an absolute path (the working directory put in
 * front of a relative one, trailing '/' dropped), so that the manifest's
 * "file" paths work for a stage run from another folder. NULL with a
 * message when it cannot be made.
 */
static char *absolute_dir(const char *dir)
{
	char cwd[4096];
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (dir[0] == '/')
		return strndup(dir, n);
	if (!getcwd(cwd, sizeof cwd)) {
		fprintf(stderr, "letterkit compose: --output-dir %s: cannot read the working directory: %s\n", dir,
			strerror(errno));
		return NULL;
	}
	char *abs = malloc(strlen(cwd) + n + 2);
	if (!abs) {
		fprintf(stderr, "letterkit compose: out of memory\n");
		return NULL;
	}
	sprintf(abs, "%s/%.*s", strcmp(cwd, "/") ? cwd : "", (int)n, dir);
	return abs;
}

int compose_main(int argc, char **argv)
{
	struct options o;
	memset(&o, 0, sizeof o);
	int rc = parse_options(argc, argv, &o);
	if (rc != LK_OPT_GO_ON)
		return rc;
	lk_stop_catch();
	/* The libharu document lives from letter to letter (render.c), below
	 * each letter's allocations; without this glibc hands the heap's top
	 * back to the kernel after every letter and takes it again (some 30
	 * brk calls a letter, a third of compose's time in the kernel). */
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	char err[1024];
	unsigned char *data = NULL;
	size_t len = 0;
	FILE *f = NULL;
	char *out_dir = NULL;
	static const struct lk_summary_words words = {"made", "failed", "could not be made"};
	struct lk_summary summary = {0};
	struct lk_progress progress = {0};
	struct compose_ctx *ctx = compose_ctx_new(o.template_path, o.font_dir, &o.date, err, sizeof err);
	if (!ctx) {
		fprintf(stderr, "letterkit compose: %s\n", err);
		return LK_EXIT_ERROR;
	}
	compose_set_international(ctx, o.international);
	rc = LK_EXIT_ERROR;
	int from_stdin = !strcmp(o.data_path, "-");
	if (from_stdin && isatty(STDIN_FILENO)) {   /* no silent wait for rows a person would type */
		rc = lk_opt_error(&cmd, "no data: name a DATA file, or pipe rows into standard input; "
				  "standard input is a terminal", NULL);
		goto out;
	}
	struct stat st;
	/* A FIFO (or <(...)) is read once, like standard input: workers could
	 * not each open it, and opening one that has no writer would wait. */
	int pipe_data = !from_stdin && stat(o.data_path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
	if ((from_stdin && (o.batch.jobs > 1 || o.batch.name_column)) || pipe_data) {
		/* Standard input read more than once (by each worker, or to find
		 * repeated names first) is kept in memory, up to MAX_DATA_BYTES. */
		if (lk_read_file(o.data_path, MAX_DATA_BYTES, &data, &len, err, sizeof err) < 0) {
			fprintf(stderr, "letterkit compose: %s\n", err);
			goto out;
		}
	} else if (!from_stdin && (!(f = fopen(o.data_path, "r")) || !readable(f))) {
		fprintf(stderr, "letterkit compose: %s: %s\n", o.data_path, strerror(errno));
		goto out;
	}
	if (f)
		fclose(f);   /* rows are streamed: each worker opens the file itself */
	f = NULL;
	if (lk_make_folder(o.out_dir, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit compose: --output-dir %s\n", err);
		goto out;
	}
	if (!(out_dir = absolute_dir(o.out_dir)))
		goto out;
	o.batch.ctx = ctx;
	o.batch.data_name = from_stdin ? "<stdin>" : o.data_path;
	o.batch.data_path = o.data_path;
	o.batch.data = data;
	o.batch.data_len = len;
	o.batch.format = (enum rows_format)o.format;
	o.batch.out_dir = out_dir;
	o.batch.summary = &summary;
	o.batch.progress = &progress;
	lk_progress_start(&progress, "letterkit compose", "made", -1);
	rc = compose_jobs_run(&o.batch);
	lk_progress_hide(&progress);
	if (lk_stop_signal()) {
		fprintf(stderr, "letterkit compose: stopped by %s before the end of the batch; the letters "
			"listed are whole, rerun to make the rest\n", lk_stop_name(lk_stop_signal()));
		rc = LK_EXIT_ERROR;
	}
	/* Stderr, so that standard output is the manifest and nothing else; not
	 * after an error that kept every row from being read (it was said). */
	if (summary.letters > 0 || rc != LK_EXIT_ERROR)
		lk_summary_print(stderr, "letterkit compose", &summary, &words);
out:
	lk_summary_free(&summary);
	if (f)
		fclose(f);
	free(data);
	free(out_dir);
	compose_ctx_free(ctx);
	return rc;
}
