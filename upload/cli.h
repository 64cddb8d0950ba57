/* cli.h: what the four front ends (send, status, pdf, encode) share. */
#ifndef UPLOAD_CLI_H
#define UPLOAD_CLI_H

#include <getopt.h>

#include "lk_opt.h"
#include "upload.h"

int upload_send_main(int argc, char **argv);
int upload_status_main(int argc, char **argv);
int upload_pdf_main(int argc, char **argv);
int upload_encode_main(int argc, char **argv);

/* The options every command that talks to Notify takes (values from 300 up). */
enum {
	OPT_KEY_FILE = 300, OPT_BASE_URL, OPT_TIMEOUT, OPT_RETRIES, OPT_BACKOFF, OPT_RATE_LIMIT,
	OPT_CLIENT_END,
};
#define CLIENT_OPTIONS \
	{"key-file", required_argument, NULL, OPT_KEY_FILE}, \
	{"base-url", required_argument, NULL, OPT_BASE_URL}, \
	{"timeout", required_argument, NULL, OPT_TIMEOUT}, \
	{"retries", required_argument, NULL, OPT_RETRIES}, \
	{"backoff-ms", required_argument, NULL, OPT_BACKOFF}, \
	{"rate-limit", required_argument, NULL, OPT_RATE_LIMIT}

/* The help text of those options, for each command's help (a string literal, so it joins them). */
#define CLIENT_HELP \
	"Notify:\n" \
	"  --key-file FILE       read the API key from FILE (mode 600); default: $NOTIFY_API_KEY\n" \
	"  --base-url URL        API base URL; default: $NOTIFY_BASE_URL or " UPLOAD_DEFAULT_BASE_URL "\n" \
	"  --timeout S           seconds for one request (1-600, default 30)\n" \
	"  --retries N           tries after the first for 429, 5xx and network errors (0-20, default 5)\n" \
	"  --backoff-ms MS       first retry delay, doubling with jitter (1-60000, default 500)\n" \
	"  --rate-limit N[/S]    stay under N requests per S seconds (default 3000/60, the key's limit)\n" \
	"The key is never printed; only its name is. Proxies: libcurl's usual variables (https_proxy...).\n"

struct client_opts {
	const struct lk_cmd *cmd;
	char prog[64];		/* "letterkit send", for messages */
	const char *key_file;
	const char *base_url;
	struct upload_config cfg;
};

/* Also resets getopt, so a front end can run twice in one process (tests). */
void client_init(struct client_opts *co, const struct lk_cmd *cmd);

/*
 * lk_opt_next that handles the client options itself: returns the next
 * other option, -1 at the end, or LK_OPT_EXIT with *status set (--help,
 * --version, a bad value: already said).
 */
int client_getopt(struct client_opts *co, int argc, char **argv, const char *shortopts,
		  const struct option *options, int *status);

/*
 * Loads the key ($NOTIFY_API_KEY or --key-file), the base URL (--base-url,
 * $NOTIFY_BASE_URL, the default) and makes the client. Prints the problem
 * and returns NULL on failure.
 */
struct upload_ctx *client_open(struct client_opts *co);

/* The library lines of --version for the commands that talk to Notify. */
void client_versions(FILE *out);

#endif
