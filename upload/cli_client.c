/* cli_client.c: key, base URL and request options shared by send, status and pdf. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "lk_exit.h"
#include "lk_text.h"
#include "cli.h"

const char client_help[] =
	"Notify:\n"
	"  --key-file FILE       read the API key from FILE (mode 600); default: $NOTIFY_API_KEY\n"
	"  --base-url URL        API base URL; default: $NOTIFY_BASE_URL or " UPLOAD_DEFAULT_BASE_URL "\n"
	"  --timeout S           seconds for one request (1-600, default 30)\n"
	"  --retries N           tries after the first for 429, 5xx and network errors (0-20, default 5)\n"
	"  --backoff-ms MS       first retry delay, doubling with jitter (1-60000, default 500)\n"
	"  --rate-limit N[/S]    stay under N requests per S seconds (default 3000/60, the key's limit)\n"
	"The key is never printed; only its name is. Proxies: libcurl's usual variables (https_proxy...).\n";

void client_init(struct client_opts *co, const char *prog)
{
	memset(co, 0, sizeof *co);
	co->prog = prog;
	upload_config_init(&co->cfg);
	opterr = 0;
	optind = 1;
}

int client_getopt(struct client_opts *co, int argc, char **argv, const char *shortopts,
		  const struct option *options)
{
	int opt, c;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		c = client_option(co, opt, option_name(options, opt), optarg);
		if (c < 0)
			return CLIENT_BAD;
		if (c == 0)
			return opt;
	}
	return -1;
}

int parse_long(const char *prog, const char *name, const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "%s: invalid --%s value '%s' (use %ld through %ld)\n", prog, name, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

const char *option_name(const struct option *table, int val)
{
	for (; table->name; table++)
		if (table->val == val)
			return table->name;
	return "?";
}


int client_option(struct client_opts *co, int opt, const char *name, const char *arg)
{
	long v;
	switch (opt) {
	case OPT_KEY_FILE:
		co->key_file = arg;
		return 1;
	case OPT_BASE_URL:
		co->base_url = arg;
		return 1;
	case OPT_TIMEOUT:
		if (parse_long(co->prog, name, arg, 1, 600, &v) < 0)
			return -1;
		co->cfg.timeout_ms = v * 1000;
		return 1;
	case OPT_RETRIES:
		if (parse_long(co->prog, name, arg, 0, 20, &v) < 0)
			return -1;
		co->cfg.retries = (int)v;
		return 1;
	case OPT_BACKOFF:
		if (parse_long(co->prog, name, arg, 1, 60000, &v) < 0)
			return -1;
		co->cfg.backoff_ms = v;
		return 1;
	case OPT_RATE_LIMIT: {
		char num[32];
		long per = 60;
		const char *slash = strchr(arg, '/');
		snprintf(num, sizeof num, "%.*s", (int)(slash ? (size_t)(slash - arg) : strlen(arg)), arg);
		if (parse_long(co->prog, name, num, 1, 1000000000, &v) < 0 ||
		    (slash && parse_long(co->prog, name, slash + 1, 1, 86400, &per) < 0))
			return -1;
		co->cfg.rate_limit = (double)v;
		co->cfg.rate_interval_s = (double)per;
		return 1;
	}
	}
	return 0;
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
