/*
 * test-scan.c: the scan library's API against real libclamav and our test
 * signature database.
 *
 * Environment: SCAN_DB (specimens/clamav), SCAN_PDFS (a directory holding
 * make-pdfs.py's letter.pdf and eicar.pdf), CLAMAV_TESTFILES (Debian's
 * clamav-testfiles, for clam.pdf).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <clamav.h>

#include "scan.h"
#include "test.h"

#define CHECK_HAS(got, want)                                                          \
	do {                                                                          \
		const char *g_ = (got), *w_ = (want);                                 \
		if (!strstr(g_, w_)) {                                                \
			fprintf(stderr, "%s:%d: '%s' lacks '%s'\n", __FILE__, __LINE__, g_, w_); \
			test_failures++;                                              \
		}                                                                     \
	} while (0)

static const char *need_env(const char *name)
{
	const char *v = getenv(name);
	if (!v || !v[0]) {
		fprintf(stderr, "test-scan: %s is not set\n", name);
		exit(99);
	}
	return v;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p)
		exit(99);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Scans path; returns the call's result, the verdict in *res. */
static int scan(struct scan_ctx *sc, const char *path, struct scan_result *res, char *err,
		size_t errlen)
{
	err[0] = '\0';
	return scan_file(sc, path, res, err, errlen);
}

static void test_found_and_clean(struct scan_ctx *sc, const char *pdfs, const char *testfiles)
{
	struct scan_result res;
	char err[512];
	char *clam = join(testfiles, "clam.pdf");
	char *eicar = join(pdfs, "eicar.pdf");
	char *letter = join(pdfs, "letter.pdf");

	CHECK(scan(sc, clam, &res, err, sizeof err) == 0);
	CHECK(!res.clean);
	CHECK_STR(res.virus, "Letterkit.Test.ClamExe.UNOFFICIAL");

	CHECK(scan(sc, eicar, &res, err, sizeof err) == 0);
	CHECK(!res.clean);
	CHECK_STR(res.virus, "Letterkit.Test.Eicar.UNOFFICIAL");

	CHECK(scan(sc, letter, &res, err, sizeof err) == 0);
	CHECK(res.clean);
	CHECK_STR(res.virus, "");

	/* The same engine again, after a clean file: nothing is stale. */
	CHECK(scan(sc, clam, &res, err, sizeof err) == 0);
	CHECK(!res.clean);
	CHECK_STR(res.virus, "Letterkit.Test.ClamExe.UNOFFICIAL");

	free(clam);
	free(eicar);
	free(letter);
}

/* The same verdicts from memory as from the file. */
static void test_buffer(struct scan_ctx *sc, const char *pdfs, const char *testfiles)
{
	static const char *const names[] = {"clam.pdf", "eicar.pdf", "letter.pdf"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *path = join(i == 0 ? testfiles : pdfs, names[i]);
		char err[512], data[64 * 1024];
		struct scan_result from_file, from_memory;
		FILE *f = fopen(path, "rb");
		size_t len = f ? fread(data, 1, sizeof data, f) : 0;
		CHECK(f && feof(f) && len > 0);
		if (f)
			fclose(f);
		CHECK(scan(sc, path, &from_file, err, sizeof err) == 0);
		err[0] = '\0';
		CHECK(scan_buffer(sc, "stdin.pdf", data, len, &from_memory, err, sizeof err) == 0);
		CHECK(from_memory.clean == from_file.clean);
		CHECK_STR(from_memory.virus, from_file.virus);
		free(path);
	}
}

static void test_unscannable(struct scan_ctx *sc, const char *tmp)
{
	struct scan_result res;
	char err[512];
	char *fifo = join(tmp, "fifo.pdf");

	CHECK(scan(sc, "/nonexistent/letter.pdf", &res, err, sizeof err) == -1);
	CHECK_STR(err, "cannot open: No such file or directory");
	CHECK(!res.clean);

	CHECK(scan(sc, tmp, &res, err, sizeof err) == -1);
	CHECK_STR(err, "not a regular file");

	/* A FIFO with no writer must be refused, not waited on. */
	CHECK(mkfifo(fifo, 0600) == 0);
	CHECK(scan(sc, fifo, &res, err, sizeof err) == -1);
	CHECK_STR(err, "not a regular file");
	unlink(fifo);
	free(fifo);
}

/* A file over a limit is reported, not passed as clean. */
static void test_limit(const char *db, const char *pdfs)
{
	char err[512];
	struct scan_result res;
	struct scan_ctx *sc = NULL;
	struct scan_config cfg = {.db_dir = db, .max_filesize = 100};
	char *letter = join(pdfs, "letter.pdf");
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == 0);
	if (sc) {
		CHECK(scan(sc, letter, &res, err, sizeof err) == 0);
		CHECK(!res.clean);
		CHECK_STR(res.virus, "Heuristics.Limits.Exceeded.MaxFileSize");
	}
	scan_ctx_free(sc);
	free(letter);
}

static void test_json(struct scan_ctx *sc)
{
	struct scan_result found = {.clean = 0, .virus = "Letterkit.Test.Eicar.UNOFFICIAL"};
	struct scan_result clean = {.clean = 1};
	char *s, want[256];

	json_t *j = scan_verdict_json(sc, &found, NULL);
	s = json_dumps(j, JSON_COMPACT);
	snprintf(want, sizeof want, "{\"clean\":false,\"virus\":\"Letterkit.Test.Eicar.UNOFFICIAL\","
		 "\"engine\":\"%s\",\"signatures\":2}", cl_retver());
	CHECK_STR(s, want);
	free(s);
	json_decref(j);

	j = scan_verdict_json(sc, &clean, NULL);
	s = json_dumps(j, JSON_COMPACT);
	snprintf(want, sizeof want, "{\"clean\":true,\"virus\":null,\"engine\":\"%s\",\"signatures\":2}",
		 cl_retver());
	CHECK_STR(s, want);
	free(s);
	json_decref(j);

	j = scan_verdict_json(sc, NULL, "cannot open: Permission denied");
	s = json_dumps(j, JSON_COMPACT);
	CHECK_STR(s, "{\"clean\":false,\"virus\":null,\"error\":\"cannot open: Permission denied\"}");
	free(s);
	json_decref(j);
}

/* A database that gives no signature is SCAN_ENOSIGS, never an empty engine. */
static void test_no_signatures(const char *tmp)
{
	char err[512];
	struct scan_ctx *sc = (struct scan_ctx *)&err;   /* must be reset to NULL */
	char *empty = join(tmp, "empty-db");
	char *bad = join(tmp, "bad-db");
	char *bad_ndb = join(bad, "bad.ndb");
	CHECK(mkdir(empty, 0700) == 0);
	CHECK(mkdir(bad, 0700) == 0);
	FILE *f = fopen(bad_ndb, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("this is not a signature\n", f);
		fclose(f);
	}

	struct scan_config cfg = {.db_dir = empty};
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == SCAN_ENOSIGS);
	CHECK(sc == NULL);
	CHECK_HAS(err, "no ClamAV signatures loaded from ");
	CHECK_HAS(err, empty);

	cfg.db_dir = "/nonexistent/clamav";
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == SCAN_ENOSIGS);
	CHECK_HAS(err, "/nonexistent/clamav");

	cfg.db_dir = bad;
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == SCAN_ENOSIGS);
	CHECK(sc == NULL);

	unlink(bad_ndb);
	rmdir(bad);
	rmdir(empty);
	free(bad_ndb);
	free(bad);
	free(empty);
}

static void test_clamd_errors(void)
{
	char err[512];
	struct scan_ctx *sc = NULL;
	struct scan_config cfg = {.clamd = "/nonexistent/clamd.sock"};
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == -1);
	CHECK(sc == NULL);
	CHECK_STR(err, "cannot connect to clamd at /nonexistent/clamd.sock: No such file or directory");

	cfg.clamd = "localhost:0";
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == -1);
	CHECK_HAS(err, "invalid clamd port in 'localhost:0'");
	cfg.clamd = "localhost:33x";
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == -1);
	CHECK_HAS(err, "invalid clamd port");
	cfg.clamd = ":3310";
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == -1);
	CHECK_HAS(err, "no clamd host");
}

int main(void)
{
	const char *db = need_env("SCAN_DB");
	const char *pdfs = need_env("SCAN_PDFS");
	const char *testfiles = need_env("CLAMAV_TESTFILES");
	char tmp[] = "/tmp/test-scan-XXXXXX";
	if (!mkdtemp(tmp))
		return 99;

	char err[512];
	struct scan_ctx *sc = NULL;
	struct scan_config cfg = {.db_dir = db};
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == 0);
	if (!sc) {
		fprintf(stderr, "test-scan: %s\n", err);
		return 1;
	}
	CHECK(scan_signatures(sc) == 2);
	CHECK_STR(scan_engine_version(sc), cl_retver());
	CHECK_STR(scan_db_dir(sc), db);

	test_found_and_clean(sc, pdfs, testfiles);
	test_buffer(sc, pdfs, testfiles);
	test_unscannable(sc, tmp);
	test_json(sc);
	scan_ctx_free(sc);
	scan_ctx_free(NULL);

	/* A second engine in the same process, without the cache, agrees. */
	cfg.no_cache = 1;
	CHECK(scan_ctx_new(&sc, &cfg, err, sizeof err) == 0);
	if (sc)
		test_found_and_clean(sc, pdfs, testfiles);
	scan_ctx_free(sc);

	test_limit(db, pdfs);
	test_no_signatures(tmp);
	test_clamd_errors();
	rmdir(tmp);
	return test_exit("test-scan");
}
