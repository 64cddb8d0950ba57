/* cli_client.c: key, base URL and request options shared by send, status and pdf. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include "lk_exit.h"
#include "lk_text.h"
#include "cli.h"

void client_init(struct client_opts *co, const struct lk_cmd *cmd)
{
	memset(co, 0, sizeof *co);
	co->cmd = cmd;
	snprintf(co->prog, sizeof co->prog, "letterkit %s", cmd->name);
	upload_config_init(&co->cfg);
	optind = 1;
}

/* Handles a client option: 1 done, 0 not a client option, -1 bad value (said). */
static int client_option(struct client_opts *co, int opt, const char *arg)
{
	long v, per;
	switch (opt) {
	case OPT_KEY_FILE:
		co->key_file = arg;
		return 1;
	case OPT_BASE_URL:
		co->base_url = arg;
		return 1;
	case OPT_TIMEOUT:
		if (lk_opt_long(co->cmd, "--timeout", arg, 1, 600, &v) < 0)
			return -1;
		co->cfg.timeout_ms = v * 1000;
		return 1;
	case OPT_RETRIES:
		if (lk_opt_long(co->cmd, "--retries", arg, 0, 20, &v) < 0)
			return -1;
		co->cfg.retries = (int)v;
		return 1;
	case OPT_BACKOFF:
		if (lk_opt_long(co->cmd, "--backoff-ms", arg, 1, 60000, &v) < 0)
			return -1;
		co->cfg.backoff_ms = v;
		return 1;
	case OPT_RATE_LIMIT:
		if (lk_opt_rate(co->cmd, "--rate-limit", arg, 1000000000, 60, &v, &per) < 0)
			return -1;
		co->cfg.rate_limit = (double)v;
		co->cfg.rate_interval_s = (double)per;
		return 1;
	}
	return 0;
}

int client_getopt(struct client_opts *co, int argc, char **argv, const char *shortopts,
		  const struct option *options, int *status)
{
	int opt;
	while ((opt = lk_opt_next(co->cmd, argc, argv, shortopts, options, status)) != -1) {
		if (opt == LK_OPT_EXIT)
			return opt;
		int c = client_option(co, opt, optarg);
		if (c < 0) {
			*status = LK_EXIT_ERROR;
			return LK_OPT_EXIT;
		}
		if (c == 0)
			return opt;
	}
	return -1;
}

void client_versions(FILE *out)
{
	const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
	/* jansson's line is lk_opt's, as for every command. */
	fprintf(out, "libcurl %s (%s)\nSQLite %s\n%s\n", curl->version,
		curl->ssl_version ? curl->ssl_version : "no TLS", sqlite3_libversion(),
		OpenSSL_version(OPENSSL_VERSION));
}

struct upload_ctx *client_open(struct client_opts *co)
{
	char err[1200], safe[4800];
	struct upload_ctx *ctx = NULL;
	if (co->key_file) {
		if (upload_key_read_file(co->key_file, &co->cfg.key, err, sizeof err) < 0) {
			fprintf(stderr, "%s: --key-file %s\n", co->prog, lk_safe(err, safe, sizeof safe));
			goto out;
		}
	} else {
		const char *text = getenv("NOTIFY_API_KEY");
		if (!text || !*text) {
			fprintf(stderr, "%s: no API key: set NOTIFY_API_KEY or use --key-file FILE\n", co->prog);
			goto out;
		}
		if (upload_key_parse(text, &co->cfg.key, err, sizeof err) < 0) {
			fprintf(stderr, "%s: NOTIFY_API_KEY: %s\n", co->prog, err);
			goto out;
		}
	}
	const char *url = co->base_url ? co->base_url : getenv("NOTIFY_BASE_URL");
	co->cfg.base_url = url && *url ? url : UPLOAD_DEFAULT_BASE_URL;
	/* For tests of Notify's 30-second clock check only: pretend the clock is off. */
	const char *skew = getenv("LETTERKIT_TEST_CLOCK_OFFSET");
	if (skew && *skew)
		co->cfg.clock_offset_s = strtoll(skew, NULL, 10);
	ctx = upload_ctx_new(&co->cfg, err, sizeof err);
	if (!ctx)
		fprintf(stderr, "%s: %s\n", co->prog, lk_safe(err, safe, sizeof safe));
out:
	OPENSSL_cleanse(&co->cfg.key, sizeof co->cfg.key);
	return ctx;
}
