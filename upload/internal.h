/* internal.h: what upload's source files share; not part of its API. */
#ifndef UPLOAD_INTERNAL_H
#define UPLOAD_INTERNAL_H

#include <sys/stat.h>

#include <curl/curl.h>

#include "upload.h"

/*
 * An answer is held in an lk_buf limited to ANSWER_MAX: past it the transfer
 * is stopped (a server that never stops sending cannot fill the memory) and
 * `over` set. buf_reset() empties it and sets the limit.
 */
#include "lk_buf.h"
#define ANSWER_MAX (8u * 1024 * 1024)

/* A POST body as libcurl reads it. */
struct upload_src {
	const char *data;
	size_t len, pos;
	int rewind_refused;	/* libcurl wanted to send it again (see request_setup) */
};

/* A token bucket that keeps us under the key's limit (Notify: 3000 per 60 s). */
struct limiter {
	double per_ms;		/* tokens added per millisecond */
	double tokens, cap;
	long long last_ms;
};

/* A base URL as libcurl parses it (base_url.c). */
struct base_url {
	char url[1024];		/* normalized by libcurl, without a trailing '/' */
	char host[256];		/* the host libcurl connects to ("[::1]" for IPv6) */
	long port;
	int plain;		/* http://, allowed only to a loopback host */
	int loopback;		/* the host is this machine */
};

/*
 * Parses and checks a base URL: https to any host, http only to 127.0.0.0/8,
 * [::1] or localhost; no user name, query or fragment. 0, or -1 with a
 * message naming the URL and its host.
 */
int base_url_parse(const char *text, struct base_url *out, char *err, size_t errlen);

struct upload_ctx {
	struct upload_config cfg;
	struct base_url base;
	char base_url[1024];
	CURL *easy;		/* for blocking requests (status, pdf, lookups of encode-free tools) */
	struct limiter limiter;
	unsigned long long rng;
};

long long now_ms(void);
void sleep_ms(long long ms);

/* Milliseconds to wait before a request may go (0: take the token now). */
long long limiter_take(struct limiter *lim, long long now);

/* The delay before try number `tries` + 1 (tries >= 1): doubling, capped, with jitter. */
long long backoff_ms(struct upload_ctx *ctx, int tries);

/*
 * Sets up `h` for one request: URL (base + path), a fresh token, headers,
 * the body (borrowed, read through `upload`: both must live until the request
 * ends; NULL for none), the answer into
 * `answer`, timeouts. *headers gets the list to free after the request.
 */
int request_setup(struct upload_ctx *ctx, CURL *h, const char *method, const char *path, const char *body,
		  size_t body_len, struct upload_src *upload, struct lk_buf *answer, char *errbuf,
		  struct curl_slist **headers, char *err, size_t errlen);

/*
 * Fills r from a finished request: the curl result, the HTTP status and
 * Notify's errors. A server that cannot be reached (refused, unknown host,
 * no connection in time, TLS failed) sets r->unreachable with a message
 * naming the host and what to check.
 */
void reply_fill(const struct upload_ctx *ctx, struct upload_reply *r, CURL *h, CURLcode cc, const char *errbuf,
		struct lk_buf *answer, int is_post);

/* reply.c: what an answer's bytes mean (no network; fuzzed by fuzz/fuzz-api-reply.c). */
void upload_reply_parse(struct upload_reply *r, long http, const char *data, size_t len, int is_post);
/* A lookup answer's letter with this reference, oldest first sent: 1 with *id (and
 * *status, maybe NULL) pointing into answer, 0 when none, -1 when the answer has no list. */
int upload_find_by_reference(const json_t *answer, const char *reference, const char **id,
			     const char **status);
/* The id of a 201 answer when it is a UUID, else NULL. */
const char *upload_created_id(const json_t *answer);

void buf_reset(struct lk_buf *b);

/* Opens a regular file for reading: the fd (st filled), or -1 with a message naming it. */
int open_regular(const char *path, struct stat *st, char *err, size_t errlen);

/* Reads from fd until EOF or `cap` bytes: 0 with *len, or -1 with errno. */
int read_all(int fd, void *buf, size_t cap, size_t *len);

#endif
