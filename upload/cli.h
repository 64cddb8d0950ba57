/* cli.h: what the four front ends (send, status, pdf, encode) share. */
#ifndef UPLOAD_CLI_H
#define UPLOAD_CLI_H

#include <getopt.h>

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

/* The help text of those options. */
extern const char client_help[];

struct client_opts {
	const char *prog;	/* "letterkit send" */
	const char *key_file;
	const char *base_url;
	struct upload_config cfg;
};

/* Also resets getopt, so a front end can run twice in one process (tests). */
void client_init(struct client_opts *co, const char *prog);

/*
 * getopt_long that handles the client options itself: returns the next
 * other option, -1 at the end, or CLIENT_BAD after printing why a client
 * option's value is wrong.
 */
#define CLIENT_BAD (-2)
int client_getopt(struct client_opts *co, int argc, char **argv, const char *shortopts,
		  const struct option *options);

/* Handles a client option: 1 done, 0 not a client option, -1 bad value (message printed). */
int client_option(struct client_opts *co, int opt, const char *name, const char *arg);

/*
 * Loads the key ($NOTIFY_API_KEY or --key-file), the base URL (--base-url,
 * $NOTIFY_BASE_URL, the default) and makes the client. Prints the problem
 * and returns NULL on failure.
 */
struct upload_ctx *client_open(struct client_opts *co);

/* strtol with its end pointer and range; prints "invalid --NAME value" and returns -1. */
int parse_long(const char *prog, const char *name, const char *s, long lo, long hi, long *out);

/* The long name of option `val` in a table (for messages). */
const char *option_name(const struct option *table, int val);


#endif
