/*
 * sandbox.h: a local server that speaks the letter part of GOV.UK Notify's
 * v2 API, for tests, demos and CI.
 *
 * A letter POSTed to /v2/notifications/letter goes through the life Notify
 * gives it: pending-virus-check, a virus scan (letterkit-scan, run as a child
 * process), a check against the letter specification (letterkit-check,
 * likewise), then accepted and received; or virus-scan-failed,
 * validation-failed or technical-failure. With a state directory the keys
 * and every letter survive restarts (SQLite).
 *
 * The library never prints: it reports through the log callback of its
 * configuration, and returns 0/-1 with a message in a caller's buffer.
 */
#ifndef SANDBOX_SANDBOX_H
#define SANDBOX_SANDBOX_H

#include <stddef.h>

#include "lk_jwt.h"

enum sandbox_key_type { SANDBOX_KEY_LIVE, SANDBOX_KEY_TEAM, SANDBOX_KEY_TEST };
#define SANDBOX_KEY_TYPES 3

/* The longest key we accept: name, '-', two UUIDs and a '-'. */
#define SANDBOX_KEY_MAX (LK_API_KEY_NAME_MAX + 2 * LK_UUID_LEN + 2)

/** An API key the server accepts. `text` is the whole key, a secret. */
struct sandbox_key {
	enum sandbox_key_type type;
	struct lk_api_key parts;
	char text[SANDBOX_KEY_MAX + 1];
};

/** Fault injection, settable at start and through POST /_sandbox/faults. */
struct sandbox_faults {
	double fail_rate;	/* fraction of /v2 requests answered with fail_status */
	int fail_status;	/* 500 (default), 429 or 503 */
	long slow_ms;		/* delay before every /v2 answer */
	double drop_rate;	/* fraction of accepted letter POSTs whose connection is dropped */
	long fail_next;		/* the next N /v2 requests fail (then fail_rate applies again) */
	long drop_next;		/* the next N accepted letter POSTs are dropped */
};

struct sandbox_config {
	const char *listen_addr;	/* numeric IPv4 or IPv6 address */
	int port;			/* 0: the system picks one */
	const char *state_dir;		/* NULL: keep nothing across restarts */
	const char *scan_exe;		/* letterkit-scan */
	const char *check_exe;		/* letterkit-check */
	const char *clamav_db;		/* NULL: letterkit-scan's own default */
	long scan_delay_ms, check_delay_ms, receive_delay_ms;
	long rate_limit, rate_interval_s;	/* POSTs per key per interval */
	long daily_limit;		/* letters per service per day (live keys) */
	size_t max_body;		/* request bodies above this get 413 */
	unsigned connection_timeout_s;	/* idle connections are closed after this */
	unsigned max_connections;	/* open at once, from anywhere */
	unsigned max_connections_per_ip;	/* open at once from one address */
	int workers;			/* letters processed at once */
	int control;			/* serve /_sandbox/ (counters, faults) */
	unsigned long seed;		/* for fail_rate and drop_rate */
	struct sandbox_faults faults;
	const struct sandbox_key *keys;	/* given keys (--key), may be none */
	size_t n_keys;
	/* Messages for people (status changes, child failures); may be NULL. */
	void (*log)(void *log_ctx, const char *msg);
	void *log_ctx;
};

/** Fills cfg with the defaults (loopback, Notify's limits, a few seconds per letter). */
void sandbox_config_init(struct sandbox_config *cfg);

struct sandbox;

/**
 * Opens the state (when cfg->state_dir is set), loads or creates the keys
 * and the letters, and checks the configuration. Does not listen yet.
 * Keys: those in cfg, plus those kept in the state; when there are none a
 * live, a team and a test key are generated (sandbox_keys_generated() says
 * so). Returns NULL with a message in err. Free with sandbox_free().
 */
struct sandbox *sandbox_new(const struct sandbox_config *cfg, char *err, size_t errlen);

/** Starts listening and processing. Returns 0, or -1 with a message (e.g. port in use). */
int sandbox_start(struct sandbox *sb, char *err, size_t errlen);

/** The base URL clients use, e.g. "http://127.0.0.1:6011" (valid after sandbox_start). */
const char *sandbox_base_url(const struct sandbox *sb);

/** The keys the server accepts (borrowed, valid until sandbox_free), and their number. */
const struct sandbox_key *sandbox_keys(const struct sandbox *sb, size_t *n);

/** 1 when sandbox_new() generated the keys (they should be shown once). */
int sandbox_keys_generated(const struct sandbox *sb);

/**
 * Stops taking connections, lets requests in progress finish, waits for
 * the letters being scanned or checked, and flushes the state. Letters not
 * yet processed are picked up again at the next start with the same state.
 */
void sandbox_stop(struct sandbox *sb);

/** Stops (if needed) and frees everything. Accepts NULL. */
void sandbox_free(struct sandbox *sb);

/** "live", "team" or "test"; the parse returns -1 for anything else. */
const char *sandbox_key_type_name(enum sandbox_key_type t);
int sandbox_key_type_parse(const char *s, enum sandbox_key_type *t);

/**
 * Parses "TYPE=KEY" (TYPE live, team or test). Returns 0, or -1 with a
 * message that does not quote the key.
 */
int sandbox_key_parse(const char *spec, struct sandbox_key *key, char *err, size_t errlen);

#endif
