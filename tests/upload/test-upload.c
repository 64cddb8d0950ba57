/* test-upload.c: unit tests of upload's library: keys, references, bodies, ledger. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "upload.h"

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); \
	failures++; } } while (0)

/* A made-up key: name with dashes, service id, secret. Not a real key. */
#define SERVICE "26785a09-ab16-4eb0-8407-a37497a57506"
#define SECRET "3d844edf-8d35-48ac-975b-e847b4f122b0"
#define KEY "my-test-key-" SERVICE "-" SECRET

static char dir[] = "/tmp/test-upload-XXXXXX";

static void write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(99);
	}
	chmod(path, mode);
}

static void test_keys(void)
{
	struct lk_api_key k;
	char err[512], path[256];
	CHECK(upload_key_parse(KEY, &k, err, sizeof err) == 0);
	CHECK(!strcmp(k.name, "my-test-key") && !strcmp(k.service_id, SERVICE) && !strcmp(k.secret, SECRET));
	CHECK(upload_key_parse("", &k, err, sizeof err) < 0 && strstr(err, "empty"));
	CHECK(upload_key_parse("name-" SERVICE "-not-a-uuid-at-all-000000000000000", &k, err, sizeof err) < 0);
	CHECK(strstr(err, "malformed") && !strstr(err, SERVICE));
	CHECK(upload_key_parse(SECRET, &k, err, sizeof err) < 0);

	snprintf(path, sizeof path, "%s/key", dir);
	write_file(path, KEY "\n", strlen(KEY) + 1, 0600);
	CHECK(upload_key_read_file(path, &k, err, sizeof err) == 0 && !strcmp(k.secret, SECRET));
	chmod(path, 0640);
	CHECK(upload_key_read_file(path, &k, err, sizeof err) < 0 && strstr(err, "group or others"));
	CHECK(!strstr(err, SECRET));
	chmod(path, 0604);
	CHECK(upload_key_read_file(path, &k, err, sizeof err) < 0);
	snprintf(path, sizeof path, "%s/absent", dir);
	CHECK(upload_key_read_file(path, &k, err, sizeof err) < 0 && strstr(err, "No such file"));
	CHECK(upload_key_read_file(dir, &k, err, sizeof err) < 0 && strstr(err, "not a regular file"));
}

static void test_references(void)
{
	char ref[UPLOAD_REFERENCE_MAX + 1], err[512];
	upload_reference_from_path("/a/b/letter-0001.pdf", ref, sizeof ref);
	CHECK(!strcmp(ref, "letter-0001"));
	upload_reference_from_path("plain.PDF", ref, sizeof ref);
	CHECK(!strcmp(ref, "plain"));
	upload_reference_from_path("noext", ref, sizeof ref);
	CHECK(!strcmp(ref, "noext"));
	const char *good[] = {"letter-0001", "invoice 2024/17", "batch-7-page-2", "A1", "case 12 of 40",
			      "SW1A", "ref-abc1def"};
	const char *bad[] = {"SW1A 1AA", "letter-sw1a1aa", "to M1 1AE", "EC1A1BB", "12 High Street",
			     "Flat 3, 4a Mill Lane", "10 downing street", "", "tab\there"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int rc = upload_reference_check(good[i], err, sizeof err);
		if (rc != 0)
			fprintf(stderr, "good reference '%s' refused: %s\n", good[i], err);
		CHECK(rc == 0);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = upload_reference_check(bad[i], err, sizeof err);
		if (rc == 0)
			fprintf(stderr, "bad reference '%s' accepted\n", bad[i]);
		CHECK(rc < 0);
	}
	CHECK(upload_postage_valid("first") && upload_postage_valid("second") && upload_postage_valid("economy"));
	CHECK(!upload_postage_valid("europe") && !upload_postage_valid("rest-of-world") && !upload_postage_valid(NULL));
}

static void test_body(void)
{
	char path[256], err[1200];
	struct upload_body b;
	snprintf(path, sizeof path, "%s/l.pdf", dir);
	write_file(path, "%PDF-1.4\n", 9, 0644);
	CHECK(upload_body_make(path, "r\"1", "first", &b, err, sizeof err) == UPLOAD_OK);
	CHECK(b.json && !strcmp(b.json, "{\"reference\":\"r\\\"1\",\"content\":\"JVBERi0xLjQK\",\"postage\":\"first\"}"));
	CHECK(b.len == strlen(b.json) && b.pdf_size == 9);
	/* sha256 of "%PDF-1.4\n" */
	CHECK(!strcmp(b.sha256, "e5c62df5dab5c87b6a015ef3d43597074d1eec433b15f51aec63b8582d0e4ab4"));
	upload_body_clear(&b);
	upload_body_clear(&b);
	CHECK(upload_body_make(path, "r", "europe", &b, err, sizeof err) == UPLOAD_REFUSED && strstr(err, "postage"));
	CHECK(upload_body_make(path, "SW1A 1AA", "first", &b, err, sizeof err) == UPLOAD_REFUSED);
	snprintf(path, sizeof path, "%s/absent.pdf", dir);
	CHECK(upload_body_make(path, "r", "first", &b, err, sizeof err) == UPLOAD_ERROR && strstr(err, "absent.pdf"));
	snprintf(path, sizeof path, "%s/big.pdf", dir);
	FILE *f = fopen(path, "wb");
	CHECK(f && ftruncate(fileno(f), UPLOAD_MAX_PDF + 1) == 0);
	fclose(f);
	CHECK(upload_body_make(path, "r", "first", &b, err, sizeof err) == UPLOAD_REFUSED && strstr(err, "2 MiB"));
	/* Exactly 2 MiB is allowed; the body is its base64 plus the fields. */
	f = fopen(path, "r+b");
	CHECK(f && ftruncate(fileno(f), UPLOAD_MAX_PDF) == 0);
	fclose(f);
	CHECK(upload_body_make(path, "r", "first", &b, err, sizeof err) == UPLOAD_OK);
	CHECK(b.len == strlen("{\"reference\":\"r\",\"content\":\"\",\"postage\":\"first\"}") + 2796204);
	upload_body_clear(&b);
}

static void test_ledger(void)
{
	char path[256], err[512];
	struct upload_row row = {0}, got;
	snprintf(path, sizeof path, "%s/ledger.sqlite", dir);
	struct upload_ledger *l = upload_ledger_open(path, 0, err, sizeof err);
	CHECK(l != NULL);
	if (!l)
		return;
	/* A second batch on the same ledger is refused while the first holds it. */
	struct upload_ledger *l2 = upload_ledger_open(path, 0, err, sizeof err);
	CHECK(!l2 && strstr(err, "in use"));
	CHECK(upload_ledger_find(l, "r1", &got, err, sizeof err) == 0);
	snprintf(row.reference, sizeof row.reference, "r1");
	snprintf(row.file, sizeof row.file, "r1.pdf");
	snprintf(row.sha256, sizeof row.sha256, "%064d", 0);
	snprintf(row.postage, sizeof row.postage, "second");
	row.state = UPLOAD_SENDING;
	row.run = upload_ledger_run(l);
	CHECK(upload_ledger_begin(l, 1, err, sizeof err) == 0);
	CHECK(upload_ledger_put(l, &row, err, sizeof err) == 0);
	CHECK(upload_ledger_commit(l, err, sizeof err) == 0);
	CHECK(upload_ledger_find(l, "r1", &got, err, sizeof err) == 1 && got.state == UPLOAD_SENDING && !got.id[0]);
	row.state = UPLOAD_SENT;
	snprintf(row.id, sizeof row.id, SERVICE);
	CHECK(upload_ledger_put(l, &row, err, sizeof err) == 0);
	CHECK(upload_ledger_find(l, "r1", &got, err, sizeof err) == 1 && got.state == UPLOAD_SENT);
	CHECK(!strcmp(got.id, SERVICE) && got.run == upload_ledger_run(l));
	CHECK(upload_ledger_set_status(l, SERVICE, "accepted", err, sizeof err) == 0);
	json_t *sum = upload_ledger_summary(l, err, sizeof err);
	CHECK(sum && json_integer_value(json_object_get(json_object_get(sum, "sent"), "accepted")) == 1);
	json_decref(sum);
	upload_ledger_free(l);
	upload_ledger_free(NULL);
	/* Reopened: the row is still there, under a new run. */
	l = upload_ledger_open(path, 1, err, sizeof err);
	CHECK(l && upload_ledger_find(l, "r1", &got, err, sizeof err) == 1 && got.run != upload_ledger_run(l));
	upload_ledger_free(l);
}

static void test_ctx(void)
{
	struct upload_config cfg;
	char err[512];
	upload_config_init(&cfg);
	cfg.base_url = "http://example.com";
	CHECK(!upload_ctx_new(&cfg, err, sizeof err) && strstr(err, "https://"));
	/* Plain http is decided on the host libcurl would connect to, not on the text after http://. */
	static const char *const refused[] = {
		"http://127.0.0.1@otherhost:8080", "http://localhost:6011@otherhost", "http://127.example.org",
		"http://localhost.example.org", "http://[::2]:6011", "http://[::ffff:127.0.0.1]", "http://128.0.0.1",
		"http://127.0.0.1:6011?x=@other", "http://127.0.0.1#@other", "ftp://127.0.0.1", "127.0.0.1:6011",
		"https://user:pw@api.example.org", "https://127.0.0.1@example.org",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		cfg.base_url = refused[i];
		struct upload_ctx *bad = upload_ctx_new(&cfg, err, sizeof err);
		CHECK(!bad);
		upload_ctx_free(bad);
	}
	cfg.base_url = "http://127.0.0.1@otherhost:8080";
	CHECK(!upload_ctx_new(&cfg, err, sizeof err) && strstr(err, "host 'otherhost'"));
	static const char *const allowed[] = {
		"http://127.0.0.1:6011/", "http://127.1.2.3", "http://localhost:6011", "http://LOCALHOST/x/",
		"http://[::1]:6011", "https://api.notifications.service.gov.uk"
	};
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		cfg.base_url = allowed[i];
		struct upload_ctx *good = upload_ctx_new(&cfg, err, sizeof err);
		if (!good)
			fprintf(stderr, "%s: %s\n", allowed[i], err);
		CHECK(good != NULL);
		upload_ctx_free(good);
	}
	cfg.base_url = "http://127.0.0.1:6011/";
	struct upload_ctx *ctx = upload_ctx_new(&cfg, err, sizeof err);
	CHECK(ctx != NULL);
	upload_ctx_free(ctx);
	upload_ctx_free(NULL);
	CHECK(upload_status_terminal("received") && !upload_status_terminal("accepted"));
	CHECK(upload_status_failed("validation-failed") && !upload_status_failed("received"));
}

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	test_keys();
	test_references();
	test_body();
	test_ledger();
	test_ctx();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
