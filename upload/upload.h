/*
 * upload.h: the GOV.UK Notify API client behind `letterkit send`, `status`,
 * `pdf` and `encode`.
 *
 * A letter goes to Notify as POST /v2/notifications/letter with the body
 * {"reference", "content" (standard base64 of the PDF), "postage"}, signed
 * by a fresh HS256 token (lk_jwt.h) for every request. A SQLite ledger
 * records every letter before and after its POST, so a batch can be rerun
 * (or resumed after a crash) without sending any letter twice: a letter
 * whose POST outcome is unknown is looked up by reference before it is
 * sent again.
 *
 * The library never prints, exits or reads the environment: it returns
 * 0/-1 with a message in the caller's buffer, or reports per letter
 * through callbacks. No message ever contains the API key's secret.
 */
#ifndef UPLOAD_UPLOAD_H
#define UPLOAD_UPLOAD_H

#include <stddef.h>

#include <jansson.h>

#include "lk_jwt.h"

/* Notify refuses letters over 2 MiB; we refuse them before the upload. */
#define UPLOAD_MAX_PDF (2u * 1024 * 1024)
#define UPLOAD_DEFAULT_BASE_URL "https://api.notifications.service.gov.uk"
#define UPLOAD_REFERENCE_MAX 255
#define UPLOAD_MSG_MAX 1024

/* ------------------------------------------------------------------ keys */

/**
 * Parses an API key `{key_name}-{service_id}-{secret}`. The message on
 * failure (-1) never quotes the key.
 */
int upload_key_parse(const char *text, struct lk_api_key *key, char *err, size_t errlen);

/**
 * Reads and parses a key file: one key, surrounding white space ignored.
 * Refuses a file that group or others may read, or that is not a regular
 * file. Returns 0, or -1 with a message naming the file.
 */
int upload_key_read_file(const char *path, struct lk_api_key *key, char *err, size_t errlen);

/* ------------------------------------------------------- letters, bodies */

/** 1 when s is first, second or economy (the values a client may send). */
int upload_postage_valid(const char *s);

/**
 * The reference for a file: its base name without a ".pdf" extension,
 * bytes that are not UTF-8 as U+FFFD, cut to UPLOAD_REFERENCE_MAX bytes on
 * a character boundary. Always NUL-terminates out.
 */
void upload_reference_from_path(const char *path, char *out, size_t outsize);

/**
 * Checks a reference: not empty, at most UPLOAD_REFERENCE_MAX bytes, no
 * control characters, and not personal data: a UK postcode or something
 * that reads like an address line ("12 High Street") is refused, because
 * references show in Notify's dashboard and reports. Returns 0, or -1 with
 * the reason in err.
 */
int upload_reference_check(const char *reference, char *err, size_t errlen);

/** A request body ready to POST, and what the ledger records about it. */
struct upload_body {
	char *json;		/* {"reference","content","postage"}, compact */
	size_t len;
	char sha256[65];	/* of the PDF, lower-case hex */
	size_t pdf_size;
	const char *refusal;	/* when refused: "file-too-big", "invalid-postage" or "invalid-reference" */
};

enum upload_rc {
	UPLOAD_OK = 0,
	UPLOAD_REFUSED = 1,	/* the letter itself is wrong (too big, bad postage...): exit 1 */
	UPLOAD_ERROR = 2,	/* could not do it (missing file, no memory...): exit 2 */
};

/**
 * Reads `path` and makes the POST body, holding at most the file and the
 * body at once (the file is freed before returning). Files over
 * UPLOAD_MAX_PDF are refused without reading them. Returns UPLOAD_OK with
 * body filled (free with upload_body_clear), or another upload_rc with a
 * message naming the file in err.
 */
enum upload_rc upload_body_make(const char *path, const char *reference, const char *postage,
				struct upload_body *body, char *err, size_t errlen);

/** Frees what upload_body_make allocated; accepts a zeroed body. */
void upload_body_clear(struct upload_body *body);

/* --------------------------------------------------------------- ledger */

struct upload_ledger;

enum upload_state { UPLOAD_QUEUED, UPLOAD_SENDING, UPLOAD_SENT, UPLOAD_FAILED };
const char *upload_state_name(enum upload_state s);

/** One letter as the ledger knows it. */
struct upload_row {
	char reference[UPLOAD_REFERENCE_MAX + 1];
	char file[4096];
	char sha256[65];
	char postage[16];
	enum upload_state state;
	char id[LK_UUID_LEN + 1];	/* notification id, "" until sent */
	char status[32];		/* last status from Notify, "" until polled */
	char reason[512];		/* why it failed, "" otherwise */
	long long run;			/* the run that last touched it */
	int attempts;
};

/**
 * Opens (creating when needed) the ledger at `path`, and takes an exclusive
 * lock on the database file itself (whatever the path's spelling) so that
 * two batches never share one; with `shared` set the lock is shared
 * (status), so readers can run beside each other but not beside a batch.
 * A file with several hard links is refused (see ledger.c). Returns NULL
 * with a message in err. Free with upload_ledger_free().
 */
struct upload_ledger *upload_ledger_open(const char *path, int shared, char *err, size_t errlen);
void upload_ledger_free(struct upload_ledger *l);

/** An id for this run (the time in microseconds), stored with each letter it touches. */
long long upload_ledger_run(const struct upload_ledger *l);

/**
 * Transactions: changes between begin and commit happen together. With
 * `durable` the commit returns only once they are on disk (fsync); without,
 * they survive a crash of the process but maybe not of the machine, and
 * reach the disk with the next durable commit at the latest. A letter must
 * be `sending` durably before its POST; its result need not be (a lost
 * `sent` leaves `sending`, which is looked up, never resent blindly).
 */
int upload_ledger_begin(struct upload_ledger *l, int durable, char *err, size_t errlen);
int upload_ledger_commit(struct upload_ledger *l, char *err, size_t errlen);

/** Finds a letter by reference: 1 found (row filled), 0 not found, -1 error. */
int upload_ledger_find(struct upload_ledger *l, const char *reference, struct upload_row *row,
		       char *err, size_t errlen);

/** Inserts or replaces the letter `row->reference` with all of row's fields. */
int upload_ledger_put(struct upload_ledger *l, const struct upload_row *row, char *err, size_t errlen);

/** Records a Notify status for notification `id`. */
int upload_ledger_set_status(struct upload_ledger *l, const char *id, const char *status,
			     char *err, size_t errlen);

/**
 * Calls fn for each sent letter whose status is not terminal (or not yet
 * known), in reference order; fn returns 0 to go on, -1 to stop (which
 * makes this return -1). Returns 0, or -1 with a message.
 */
int upload_ledger_each_open(struct upload_ledger *l, int (*fn)(void *arg, const struct upload_row *row),
			    void *arg, char *err, size_t errlen);

/** Counts letters by state and status into a new JSON object {"sent": {"received": 3, ...}, ...}. */
json_t *upload_ledger_summary(struct upload_ledger *l, char *err, size_t errlen);

/* ----------------------------------------------------------- the client */

struct upload_config {
	const char *base_url;		/* default UPLOAD_DEFAULT_BASE_URL */
	struct lk_api_key key;
	long timeout_ms;		/* one request, start to end (default 30 s) */
	long connect_timeout_ms;	/* default 10 s */
	int retries;			/* tries after the first for 429, 5xx, network (default 5) */
	long backoff_ms;		/* first retry delay; doubles, with jitter (default 500) */
	long backoff_max_ms;		/* the longest delay (default 30 s) */
	double rate_limit;		/* requests per rate_interval_s (default 3000 per 60) */
	double rate_interval_s;
	int parallel;			/* letters in flight at once (default 1) */
	long long clock_offset_s;	/* added to iat (tests of clock skew) */
	const char *user_agent;
};

/** Fills cfg with the defaults; the caller sets the key. */
void upload_config_init(struct upload_config *cfg);

struct upload_ctx;

/**
 * A client: curl handles (reused, so connections are kept), the rate
 * limiter and a copy of cfg. Checks the base URL: https, or http only to a
 * loopback address (tests and the sandbox). Returns NULL with a message.
 * Free with upload_ctx_free().
 */
struct upload_ctx *upload_ctx_new(const struct upload_config *cfg, char *err, size_t errlen);
void upload_ctx_free(struct upload_ctx *ctx);

/** A finished API request: the HTTP status (0: none) and Notify's first error. */
struct upload_reply {
	long http;			/* 0 when no answer came */
	int unknown;			/* a POST whose outcome is unknown (no or a 5xx answer) */
	int retryable;			/* 429, 5xx, a network error after the connection was made */
	const char *unreachable;	/* NULL, or why there was no connection: "unreachable" (refused,
					   unknown host, none in time) or "tls-failed"; not retried, a
					   batch stops */
	char error[64];			/* Notify's "error" (e.g. ValidationError), or "" */
	char message[UPLOAD_MSG_MAX];	/* Notify's messages joined by "; ", or curl's error */
	json_t *json;			/* the parsed answer, or NULL */
};

void upload_reply_clear(struct upload_reply *r);

/* ------------------------------------------------------------ send */

/** One letter to send, as the caller's input gives it. */
struct upload_letter {
	const char *file;
	const char *reference;	/* NULL: from the file name */
	const char *postage;	/* NULL: the batch default */
	void *user;		/* the caller's, handed back with the outcome */
};

enum upload_result {
	UPLOAD_R_SENT,		/* accepted by Notify now */
	UPLOAD_R_ALREADY,	/* sent before (ledger or found by reference) */
	UPLOAD_R_REFUSED,	/* Notify (or our pre-checks) refused the letter: exit 1 */
	UPLOAD_R_ERROR,		/* not sent, for a reason that is not the letter's: exit 2 */
	UPLOAD_R_UNKNOWN,	/* may or may not have been sent; a rerun will find out: exit 2 */
};

struct upload_outcome {
	enum upload_result result;
	/* Why it was not sent, for machines (NULL when it was): e.g. "unreachable"
	 * (no connection to the server), "batch-stopped", "file-too-big",
	 * "refused-by-notify", "retries-exhausted", "ledger-failed". */
	const char *code;
	char reference[UPLOAD_REFERENCE_MAX + 1];
	char postage[16];
	char id[LK_UUID_LEN + 1];
	long http;
	char error[64];
	char message[UPLOAD_MSG_MAX];
	int tries;
};

struct upload_batch {
	const char *default_postage;
	/* Gives the next letter: 1 with *out filled, 0 at the end, -1 when no
	 * letter is at hand and reading on could wait (then the batch services
	 * the letters in flight and asks again when input_fd is readable), -2
	 * when the caller will hold no more letters now (the batch services the
	 * letters in flight and asks again after the next done()).
	 * Strings must stay valid until done() is called for the letter. */
	int (*next)(void *arg, struct upload_letter *out);
	/* Called once for every letter next() gave. */
	void (*done)(void *arg, const struct upload_letter *letter, const struct upload_outcome *o);
	void *arg;
	int input_fd;	/* where next() reads from, for -1; -1 when it never returns -1 */
};

/**
 * Sends every letter next() gives, cfg.parallel at a time, recording each
 * in the ledger, and calls done() for each. Stops taking new letters after
 * a fatal answer (403: a wrong key, a team key, a clock off by more than
 * 30 s). Returns 0, or -1 with a message when the batch had to stop (the
 * ledger failed, or a fatal answer); letters given so far still get done().
 */
int upload_send_batch(struct upload_ctx *ctx, struct upload_ledger *ledger, const struct upload_batch *b,
		      char *err, size_t errlen);

/* ------------------------------------------------------ status, pdf */

/**
 * GET path (e.g. "/v2/notifications/ID") with retries for 429, 5xx and
 * network errors. Returns 0 with r filled (any HTTP status), or -1 when no
 * answer came after the retries (r->message says why).
 */
int upload_get(struct upload_ctx *ctx, const char *path, struct upload_reply *r);

/** 1 for a status that will not change again (LETTER-SPEC section 7). */
int upload_status_terminal(const char *status);
/** 1 for a terminal status that means the letter will not be printed. */
int upload_status_failed(const char *status);

/**
 * One round of polling: GET /v2/notifications/{id} for every sent letter
 * of the ledger whose status is not terminal, recording each status (one
 * transaction for the round). Sets each polled letter's latest
 * {"id", "reference", "status"} in `seen` (an object keyed by id). Returns
 * the number of letters still not terminal, or -1 with a message when
 * Notify could not be asked (after retries) or the ledger failed.
 */
long upload_status_poll(struct upload_ctx *ctx, struct upload_ledger *ledger, json_t *seen,
			char *err, size_t errlen);

/**
 * GET /v2/notifications/{id}: 0 with the letter's status in `status`,
 * or -1 with a message (Notify's, for 400/404).
 */
int upload_status_fetch(struct upload_ctx *ctx, const char *id, char *status, size_t size,
			char *err, size_t errlen);

/**
 * Fetches the PDF of notification `id` into *pdf (*len bytes; the caller
 * frees it), retrying PDFNotReadyError with backoff for up to max_wait_ms.
 * Returns UPLOAD_OK, UPLOAD_REFUSED (Notify has no PDF for it: a virus,
 * a technical failure, unknown id) or UPLOAD_ERROR, with a message.
 */
enum upload_rc upload_pdf_fetch(struct upload_ctx *ctx, const char *id, char **pdf, size_t *len,
				long max_wait_ms, char *err, size_t errlen);

#endif
