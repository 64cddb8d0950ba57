/* test-kit.c: the front-end kit: lk_opt (options), lk_input (letters in), lk_secret, lk_out. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lk_exit.h"
#include "lk_input.h"
#include "lk_opt.h"
#include "lk_out.h"
#include "lk_secret.h"
#include "lk_tty.h"
#include "test.h"

static const struct lk_cmd cmd = {"demo", "usage: letterkit demo [OPTIONS]\n", NULL};

enum { OPT_COUNT = 256, OPT_JSON };
static const struct option options[] = {
	{"count", required_argument, NULL, OPT_COUNT},
	{"json", no_argument, NULL, OPT_JSON},
	{"quiet", no_argument, NULL, 'q'},
	LK_OPT_COMMON,
};

/* Parses argv; returns the status of LK_OPT_EXIT, or -1 when parsing ended normally. */
static int parse(int argc, char **argv, int *quiet, const char **count)
{
	int opt, status;
	optind = 1;
	while ((opt = lk_opt_next(&cmd, argc, argv, "qc:", options, &status)) != -1) {
		switch (opt) {
		case LK_OPT_EXIT: return status;
		case 'q': *quiet = 1; break;
		case 'c': case OPT_COUNT: *count = optarg; break;
		case OPT_JSON: break;
		default: return 99;   /* lk_opt_next never returns an option not in the table */
		}
	}
	return -1;
}

static void test_opt(void)
{
	int quiet = 0;
	const char *count = NULL;
	char *a1[] = {"demo", "-q", "--count", "3", "file.pdf", NULL};
	CHECK_INT(parse(5, a1, &quiet, &count), -1);
	CHECK_INT(quiet, 1);
	CHECK_STR(count, "3");
	CHECK_INT(optind, 4);
	char *a2[] = {"demo", "--bogus", NULL};
	CHECK_INT(parse(2, a2, &quiet, &count), LK_EXIT_ERROR);
	char *a3[] = {"demo", "--count", NULL};
	CHECK_INT(parse(2, a3, &quiet, &count), LK_EXIT_ERROR);
	char *a4[] = {"demo", "-z", NULL};
	CHECK_INT(parse(2, a4, &quiet, &count), LK_EXIT_ERROR);
	char *a5[] = {"demo", "--json=yes", NULL};
	CHECK_INT(parse(2, a5, &quiet, &count), LK_EXIT_ERROR);
	char *a6[] = {"demo", "-qz", NULL};
	CHECK_INT(parse(2, a6, &quiet, &count), LK_EXIT_ERROR);

	long v, n, s;
	double d;
	int i;
	CHECK_INT(lk_opt_long(&cmd, "--n", "42", 0, 100, &v), 0);
	CHECK_INT(v, 42);
	CHECK_INT(lk_opt_long(&cmd, "--n", "101", 0, 100, &v), -1);
	CHECK_INT(lk_opt_long(&cmd, "--n", "4x", 0, 100, &v), -1);
	CHECK_INT(lk_opt_long(&cmd, "--n", "", 0, 100, &v), -1);
	CHECK_INT(lk_opt_long(&cmd, "--n", "99999999999999999999", 0, 100, &v), -1);
	CHECK_INT(lk_opt_int(&cmd, "--n", "-3", -5, 5, &i), 0);
	CHECK_INT(i, -3);
	CHECK_INT(lk_opt_double(&cmd, "--s", "2.5", 0, 10, &d), 0);
	CHECK_NEAR(d, 2.5, 1e-12);
	CHECK_INT(lk_opt_double(&cmd, "--s", "nan", 0, 10, &d), -1);
	CHECK_INT(lk_opt_double(&cmd, "--s", "1e3", 0, 10, &d), -1);
	static const char *const formats[] = {"human", "json", "github", NULL};
	CHECK_INT(lk_opt_choice(&cmd, "--format", "github", formats, &i), 0);
	CHECK_INT(i, 2);
	CHECK_INT(lk_opt_choice(&cmd, "--format", "xml", formats, &i), -1);
	CHECK_INT(lk_opt_rate(&cmd, "--rate-limit", "3000", 1000000, 60, &n, &s), 0);
	CHECK_INT(n, 3000);
	CHECK_INT(s, 60);
	CHECK_INT(lk_opt_rate(&cmd, "--rate-limit", "10/1", 1000000, 60, &n, &s), 0);
	CHECK_INT(n, 10);
	CHECK_INT(s, 1);
	CHECK_INT(lk_opt_rate(&cmd, "--rate-limit", "10/", 1000000, 60, &n, &s), -1);
	CHECK_INT(lk_opt_rate(&cmd, "--rate-limit", "0/5", 1000000, 60, &n, &s), -1);
	CHECK_INT(lk_opt_rate(&cmd, "--rate-limit", "5/-1", 1000000, 60, &n, &s), -1);
	CHECK_INT(lk_opt_rate(&cmd, "--rate-limit", "5/2x", 1000000, 60, &n, &s), -1);
}

static void touch(const char *path)
{
	char err[256];
	CHECK_INT(lk_write_atomic(path, "%PDF-1.4\n", 9, err, sizeof err), 0);
}

static void test_input_folders(const char *top)
{
	char p[512];
	snprintf(p, sizeof p, "%s/in/sub/deeper", top);
	char err[512];
	CHECK_INT(lk_make_folder(p, err, sizeof err), 0);
	const char *names[] = {"in/b.pdf", "in/a.PDF", "in/sub/c.pdf", "in/sub/deeper/d.pdf",
			       "in/notes.txt", "in/.hidden.pdf", "in/sub/x.pdf.tmp-1-abc"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(p, sizeof p, "%s/%s", top, names[i]);
		touch(p);
	}
	char dir[512], named[512];
	snprintf(dir, sizeof dir, "%s/in", top);
	snprintf(named, sizeof named, "%s/in/notes.txt", top);   /* named, so taken whatever its name */
	char *ops[] = {dir, named, "missing.pdf"};
	struct lk_input *in = lk_input_new(&cmd, 3, ops, 1, 1 << 20);
	CHECK(in != NULL);
	CHECK_INT(lk_input_total(in), -1);   /* a folder: its letters are not counted ahead */
	struct lk_letter l;
	const char *want[] = {"/in/a.PDF", "/in/b.pdf", "/in/sub/c.pdf", "/in/sub/deeper/d.pdf",
			      "/in/notes.txt", NULL};
	for (int i = 0; want[i]; i++) {
		CHECK_INT(lk_input_next(in, &l), 1);
		snprintf(p, sizeof p, "%s%s", top, want[i]);
		CHECK_STR(l.path, p);
		CHECK(l.record == NULL && l.error == NULL);
	}
	CHECK_INT(lk_input_next(in, &l), 1);
	CHECK_STR(l.path, "missing.pdf");   /* the stage reports it when it cannot read it */
	CHECK_INT(lk_input_next(in, &l), 0);
	CHECK(!lk_input_records(in));
	lk_input_free(in);

	/* Files only: as many letters as operands, missing ones too. */
	char *files[] = {named, "missing.pdf"};
	in = lk_input_new(&cmd, 2, files, 1, 1 << 20);
	CHECK_INT(lk_input_total(in), 2);
	lk_input_free(in);
}

static void test_input_records(const char *top)
{
	char path[512], err[256];
	snprintf(path, sizeof path, "%s/records.ndjson", top);
	const char *text = "{\"file\":\"a.pdf\",\"id\":1}\n"
			   "not json\n"
			   "\n"
			   "{\"id\":3}\n"
			   "{\"file\":\"x\\ufffd.pdf\",\"file_base64\":\"eP4ucGRm\"}\n";
	CHECK_INT(lk_write_atomic(path, text, strlen(text), err, sizeof err), 0);
	CHECK(freopen(path, "rb", stdin) != NULL);
	struct lk_input *in = lk_input_new(&cmd, 0, NULL, 1, 1 << 20);
	CHECK(in != NULL);
	if (!in)
		return;
	struct lk_letter l;
	CHECK_INT(lk_input_next(in, &l), 1);
	CHECK(lk_input_records(in));
	CHECK_STR(l.path, "a.pdf");
	CHECK_INT(l.line, 1);
	CHECK_INT(json_integer_value(json_object_get(l.record, "id")), 1);
	json_decref(l.record);
	CHECK_INT(lk_input_next(in, &l), 1);   /* the bad line is a letter with an error */
	CHECK(l.path == NULL && l.error != NULL);
	CHECK_INT(json_integer_value(json_object_get(l.record, "line")), 2);
	json_decref(l.record);
	CHECK_INT(lk_input_next(in, &l), 1);   /* a record without "file" too */
	CHECK(l.path == NULL && l.error != NULL && strstr(l.error, "line 4:") != NULL);
	CHECK_INT(json_integer_value(json_object_get(l.record, "id")), 3);
	json_decref(l.record);
	CHECK_INT(lk_input_next(in, &l), 1);   /* a name that is not UTF-8, exactly */
	CHECK_STR(l.path, "x\xFE.pdf");
	json_decref(l.record);
	CHECK_INT(lk_input_next(in, &l), 0);
	lk_input_free(in);

	/* A PDF on standard input is one letter called "-". */
	snprintf(path, sizeof path, "%s/letter.pdf", top);
	CHECK_INT(lk_write_atomic(path, "%PDF-1.7\nbody", 13, err, sizeof err), 0);
	CHECK(freopen(path, "rb", stdin) != NULL);
	char *dash[] = {"-"};
	in = lk_input_new(&cmd, 1, dash, 1, 1 << 20);
	CHECK_INT(lk_input_total(in), -1);   /* standard input: unknown ahead */
	CHECK_INT(lk_input_next(in, &l), 1);
	CHECK_STR(l.path, "-");
	CHECK_INT(l.len, 13);
	CHECK(l.data && memcmp(l.data, "%PDF-1.7\nbody", 13) == 0);
	CHECK_INT(lk_input_next(in, &l), 0);
	lk_input_free(in);

	/* A stage that takes no PDF there (send): one letter with the error, the
	 * rest unread; the message hides the progress line first. */
	CHECK(freopen(path, "rb", stdin) != NULL);
	in = lk_input_new(&cmd, 0, NULL, 0, 1 << 20);
	struct lk_progress progress = {.shown = 1};
	lk_input_progress(in, &progress);
	CHECK(lk_input_at_hand(in));   /* a file: never waits */
	CHECK_INT(lk_input_next(in, &l), 1);
	CHECK(l.path == NULL && l.record == NULL && l.error && strstr(l.error, "holds a PDF"));
	CHECK_INT(progress.shown, 0);
	CHECK_INT(lk_input_next(in, &l), 0);
	lk_input_free(in);
}

/* lk_input_at_hand: a pipe with nothing in it yet is not at hand; operands always are. */
static void test_input_at_hand(void)
{
	int fds[2];
	CHECK_INT(pipe(fds), 0);
	CHECK(freopen("/dev/null", "rb", stdin) != NULL);   /* nothing buffered from the tests before */
	CHECK(dup2(fds[0], STDIN_FILENO) == STDIN_FILENO);
	clearerr(stdin);
	char *ops[] = {"a.pdf", "-"};
	struct lk_input *in = lk_input_new(&cmd, 2, ops, 0, 1 << 20);
	struct lk_letter l;
	CHECK(lk_input_at_hand(in));   /* a.pdf comes first */
	CHECK_INT(lk_input_next(in, &l), 1);
	CHECK_STR(l.path, "a.pdf");
	CHECK(!lk_input_at_hand(in));   /* then "-": the pipe is empty and open */
	const char *rec = "{\"file\":\"b.pdf\"}\n";
	CHECK_INT(write(fds[1], rec, strlen(rec)), (long)strlen(rec));
	CHECK(lk_input_at_hand(in));
	CHECK_INT(lk_input_next(in, &l), 1);
	CHECK_STR(l.path, "b.pdf");
	json_decref(l.record);
	CHECK(!lk_input_at_hand(in));
	close(fds[1]);
	CHECK(lk_input_at_hand(in));   /* the end is at hand too */
	CHECK_INT(lk_input_next(in, &l), 0);
	lk_input_free(in);
	close(fds[0]);
}

static void test_secret(const char *top)
{
	char path[512], err[512], buf[65];
	size_t len;
	snprintf(path, sizeof path, "%s/key", top);
	CHECK_INT(lk_write_file(path, "secret\n", 7, 0600, 0, err, sizeof err), 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_INT(lk_secret_read(path, buf, 64, &len, err, sizeof err), 0);
	CHECK_STR(buf, "secret\n");
	chmod(path, 0640);
	CHECK_INT(lk_secret_read(path, buf, 64, &len, err, sizeof err), -1);
	CHECK(strstr(err, "chmod 600") != NULL && strstr(err, "secret\n") == NULL);
	CHECK_INT(lk_secret_read(top, buf, 64, &len, err, sizeof err), -1);   /* a folder */
	CHECK_INT(lk_write_file(path, "0123456789", 10, 0600, 0, err, sizeof err), 0);
	CHECK_INT(lk_secret_read(path, buf, 5, &len, err, sizeof err), -1);   /* too big */
}

int main(void)
{
	char top[] = "/tmp/lk-test-kit-XXXXXX";
	if (!mkdtemp(top))
		return 2;
	test_opt();
	test_input_folders(top);
	test_input_records(top);
	test_input_at_hand();
	test_secret(top);
	char cmdline[600];
	snprintf(cmdline, sizeof cmdline, "rm -rf '%s'", top);
	if (system(cmdline) != 0)
		return 2;
	return test_exit("test-kit");
}
