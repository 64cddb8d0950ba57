/* cli_status.c: `letterkit status`, where sent letters have got to. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lk_exit.h"
#include "lk_text.h"
#include "cli.h"

#define PROG "letterkit status"
/* Notify's words and the ledger's for a person: control characters escaped. */
#define SAFE(s, buf) lk_safe((s), (buf), sizeof (buf))

static const struct lk_cmd cmd = {"status",
	"usage: letterkit status [OPTIONS] [ID...]\n"
	"\n"
	"With IDs, prints the status of each notification. Without, polls every letter of the\n"
	"ledger that was sent and is not yet in a final status (received, cancelled,\n"
	"virus-scan-failed, validation-failed, technical-failure, permanent-failure), records what\n"
	"Notify says, and prints a summary table of the ledger by status.\n"
	"\n"
	"  --ledger FILE         the ledger (default ./letterkit-ledger.sqlite)\n"
	"  --wait                poll again, with backoff, until every letter is final\n"
	"  --max-wait S          give up waiting after S seconds (1-604800, default 3600)\n"
	"  --json                print JSON for machines instead of tables\n"
	"  --help                show this help\n"
	"  --version             print the versions of letterkit and its libraries and exit\n"
	"\n"
	CLIENT_HELP
	"\n"
	"Exit status: 0 no letter failed, 1 some letter failed (validation-failed,\n"
	"virus-scan-failed, technical-failure, permanent-failure, cancelled), 2 usage, system or\n"
	"network error, or letters still not final when --wait gave up.\n",
	client_versions};

enum { OPT_LEDGER = 1, OPT_WAIT, OPT_MAX_WAIT, OPT_JSON };

static const struct option options[] = {
	{"ledger", required_argument, NULL, OPT_LEDGER},
	{"wait", no_argument, NULL, OPT_WAIT},
	{"max-wait", required_argument, NULL, OPT_MAX_WAIT},
	{"json", no_argument, NULL, OPT_JSON},
	CLIENT_OPTIONS,
	LK_OPT_COMMON,
};

static int by_ids(struct upload_ctx *ctx, char **ids, int n, int json)
{
	char status[32], err[1200], safe[4800];
	int rc = LK_EXIT_OK;
	for (int i = 0; i < n; i++) {
		if (upload_status_fetch(ctx, ids[i], status, sizeof status, err, sizeof err) < 0) {
			fprintf(stderr, PROG ": %s\n", SAFE(err, safe));
			rc = LK_EXIT_ERROR;
			continue;
		}
		if (json) {
			/* A status cut at 32 bytes may end inside a character: jansson would refuse it. */
			char *readable = lk_utf8_readable(status);
			json_t *o = json_pack("{s:s, s:s}", "id", ids[i], "status", readable ? readable : "");
			free(readable);
			char *s = json_dumps(o, JSON_COMPACT);
			if (s)
				puts(s);
			free(s);
			json_decref(o);
		} else {
			printf("%s  %s\n", ids[i], SAFE(status, safe));
		}
		if (upload_status_failed(status))
			rc = lk_exit_worse(rc, LK_EXIT_FAIL);
	}
	return rc;
}

/* The summary: 1 when some letter failed. */
static int print_summary(json_t *sum, json_t *seen, long open, int json)
{
	int failed = 0;
	const char *state, *status;
	json_t *by, *n;
	json_object_foreach(sum, state, by)
		json_object_foreach(by, status, n)
			failed |= upload_status_failed(status);
	if (json) {
		json_t *letters = json_array(), *l;
		const char *id;
		json_object_foreach(seen, id, l)
			json_array_append(letters, l);
		json_t *o = json_pack("{s:O, s:o, s:I}", "summary", sum, "polled", letters, "open", (json_int_t)open);
		char *s = json_dumps(o, JSON_COMPACT);
		if (s)
			puts(s);
		free(s);
		json_decref(o);
		return failed;
	}
	char s1[64], s2[160];
	printf("%-10s %-22s %8s\n", "state", "status", "letters");
	json_object_foreach(sum, state, by)
		json_object_foreach(by, status, n)
			printf("%-10s %-22s %8lld\n", SAFE(state, s1), SAFE(status, s2), (long long)json_integer_value(n));
	return failed;
}

static int from_ledger(struct upload_ctx *ctx, const char *path, int wait, long max_wait, int json)
{
	char err[1200], safe[4800];
	struct stat st;
	struct upload_ledger *ledger = NULL;
	json_t *seen = json_object(), *sum = NULL;
	int rc = LK_EXIT_ERROR;
	long open;
	if (stat(path, &st) < 0) {
		fprintf(stderr, PROG ": no ledger at %s (use --ledger FILE, or give notification IDs)\n", SAFE(path, safe));
		goto out;
	}
	if (!(ledger = upload_ledger_open(path, 1, err, sizeof err))) {
		fprintf(stderr, PROG ": %s\n", SAFE(err, safe));
		goto out;
	}
	time_t give_up = time(NULL) + max_wait;
	for (int round = 1;; round++) {
		open = upload_status_poll(ctx, ledger, seen, err, sizeof err);
		if (open < 0) {
			fprintf(stderr, PROG ": %s\n", SAFE(err, safe));
			goto out;
		}
		if (!wait || open == 0)
			break;
		if (time(NULL) >= give_up) {
			fprintf(stderr, PROG ": %ld letter(s) still not final after %ld s\n", open, max_wait);
			break;
		}
		/* 1, 2, 4 ... 30 s between rounds: letters take minutes to hours at Notify. */
		long pause = round < 6 ? 1L << (round - 1) : 30;
		long left = (long)(give_up - time(NULL));
		sleep((unsigned)(pause < left ? pause : left > 0 ? left : 1));
	}
	if (!(sum = upload_ledger_summary(ledger, err, sizeof err))) {
		fprintf(stderr, PROG ": %s\n", SAFE(err, safe));
		goto out;
	}
	rc = print_summary(sum, seen, open, json) ? LK_EXIT_FAIL : LK_EXIT_OK;
	if (wait && open > 0)
		rc = LK_EXIT_ERROR;
out:
	json_decref(sum);
	json_decref(seen);
	upload_ledger_free(ledger);
	return rc;
}

int upload_status_main(int argc, char **argv)
{
	struct client_opts co;
	const char *ledger = "letterkit-ledger.sqlite";
	int wait = 0, json = 0, opt, status, rc;
	long max_wait = 3600;

	client_init(&co, &cmd);
	while ((opt = client_getopt(&co, argc, argv, "", options, &status)) != -1) {
		switch (opt) {
		case LK_OPT_EXIT:
			return status;
		case OPT_LEDGER:
			ledger = optarg;
			break;
		case OPT_WAIT:
			wait = 1;
			break;
		case OPT_MAX_WAIT:
			if (lk_opt_long(&cmd, "--max-wait", optarg, 1, 604800, &max_wait) < 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_JSON:
			json = 1;
			break;
		}
	}
	for (int i = optind; i < argc; i++)
		if (!lk_uuid_valid(argv[i]))
			return lk_opt_error(&cmd, "a notification ID must be a UUID, not", argv[i]);
	struct upload_ctx *ctx = client_open(&co);
	if (!ctx)
		return LK_EXIT_ERROR;
	if (optind < argc)
		rc = by_ids(ctx, argv + optind, argc - optind, json);
	else
		rc = from_ledger(ctx, ledger, wait, max_wait, json);
	upload_ctx_free(ctx);
	return rc;
}
