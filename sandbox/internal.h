/* internal.h: what the sandbox's source files share; not part of its API. */
#ifndef SANDBOX_INTERNAL_H
#define SANDBOX_INTERNAL_H

#include <pthread.h>
#include <stddef.h>

#include <jansson.h>
#include <sqlite3.h>

#include "sandbox.h"

#define PAGE_SIZE_LIST 250
#define JWT_LEEWAY_S 30
#define CHILD_TIMEOUT_MS 120000

enum letter_status {
	ST_PENDING_VIRUS_CHECK,
	ST_VIRUS_SCAN_FAILED,
	ST_VALIDATION_FAILED,
	ST_ACCEPTED,
	ST_RECEIVED,
	ST_TECHNICAL_FAILURE,
	ST_COUNT
};
const char *status_name(enum letter_status s);

/* One notification. Allocated once, never moved or freed before the store. */
struct letter {
	char id[LK_UUID_LEN + 1];
	char service_id[LK_UUID_LEN + 1];
	char *reference;
	char postage[8];
	enum sandbox_key_type key_type;
	enum letter_status status;
	long long seq;			/* creation order */
	long long created_us, sent_us, completed_us;	/* epoch microseconds, 0: not yet */
	char *detail;			/* why it failed (check's message), or NULL */
};

/* A string -> size_t hash map (open addressing), for ids and references. */
struct map;
struct map *map_new(void);
void map_free(struct map *m);
/* Returns a pointer to the value of key, adding it (value 0) when absent; NULL when out of memory. */
size_t *map_slot(struct map *m, const char *key);
/* Returns a pointer to the value, or NULL when the key is absent. */
size_t *map_lookup(const struct map *m, const char *key);

/* The letters, in memory and (with a state) in SQLite. Guarded by sb->lock. */
struct store {
	struct letter **items;
	size_t n, cap;
	struct map *by_id;		/* id -> index + 1 */
	struct map *by_reference;	/* reference -> accepted POSTs */
	long long next_seq;
	long long accepted_posts;
	sqlite3 *db;			/* NULL without a state directory */
};

struct bucket {
	double tokens;
	long long last_us;
};

struct job {
	long long due_us;
	struct letter *letter;
	int step;			/* STEP_* in process.c */
};

struct sandbox {
	struct sandbox_config cfg;
	char letters_dir[4096];		/* where the PDFs live */
	int letters_dir_is_temp;
	char base_url[128];
	struct sandbox_key *keys;
	size_t n_keys;
	int keys_generated;
	struct bucket *buckets;		/* one per key */
	long daily_count;		/* live letters today */
	long long daily_day;		/* the day daily_count counts (days since the epoch) */

	pthread_mutex_t lock;		/* store, buckets, daily count, faults, counters */
	struct store store;
	struct sandbox_faults faults;
	unsigned long long rng;
	long long requests, failed_injected, dropped_injected, slowed_injected;

	/* processing: a min-heap of jobs served by worker threads */
	pthread_mutex_t qlock;
	pthread_cond_t qcond;
	struct job *jobs;
	size_t n_jobs, cap_jobs;
	pthread_t *threads;
	int n_threads;
	int stopping;

	struct MHD_Daemon *daemon;
	int started;
};

/* Logging through the configured callback (printf-like). */
void sb_log(struct sandbox *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

long long now_us(void);
/* Notify's time format: 2019-11-05T09:45:32.576870Z; "" for 0. */
void format_time(long long us, char *buf, size_t size);
/* A random version 4 UUID. Returns 0, or -1 when the system has no randomness. */
int uuid_v4(char out[LK_UUID_LEN + 1]);
/* Uniform in [0, 1), from the seeded generator (call under sb->lock). */
double sb_random(struct sandbox *sb);

/* store.c (call with sb->lock held unless said otherwise) */
int store_open(struct sandbox *sb, char *err, size_t errlen);	/* before threads start */
void store_close(struct store *st);
struct letter *store_find(struct store *st, const char *id);
/* Adds a letter (takes ownership), persisting it first. 0, or -1 with err. */
int store_add(struct sandbox *sb, struct letter *l, char *err, size_t errlen);
/* Sets a letter's status, times and detail, persisting the change. */
void store_set_status(struct sandbox *sb, struct letter *l, enum letter_status s, const char *detail);
void letter_free(struct letter *l);
/* Where a letter's PDF lives. */
void letter_pdf_path(const struct sandbox *sb, const char *id, char *buf, size_t size);
/* Writes a letter's PDF before the letter is stored (durably with a state). 0, or -1 with err. */
int store_write_pdf(struct sandbox *sb, const char *id, const void *data, size_t len, char *err, size_t errlen);
/* Adds a letter read back from the state (db.c, at start-up). */
int store_restore(struct sandbox *sb, struct letter *l);

/*
 * private.c: folders 0700 and files 0600 in the state (see there).
 * private_folder makes path when missing, and tightens it when it was there
 * only if tighten_existing. private_file creates path when create (else a
 * missing one is fine) and tightens it when it was there. private_files_in
 * tightens every file in dir. Each returns 0, or -1 with a message in err.
 */
int private_folder(struct sandbox *sb, const char *path, int tighten_existing, char *err, size_t errlen);
int private_file(struct sandbox *sb, const char *path, int create, char *err, size_t errlen);
int private_files_in(struct sandbox *sb, const char *dir, char *err, size_t errlen);

/* db.c: the SQLite half of the store. */
int db_open(struct sandbox *sb, const char *path, char *err, size_t errlen);
int db_load_keys(struct sandbox *sb, char *err, size_t errlen);
int db_save_key(struct sandbox *sb, const struct sandbox_key *k, char *err, size_t errlen);
int db_load_letters(struct sandbox *sb, char *err, size_t errlen);
int db_insert_letter(struct sandbox *sb, const struct letter *l, char *err, size_t errlen);
int db_update_letter(struct sandbox *sb, const struct letter *l);

/* keys.c */
int keys_setup(struct sandbox *sb, char *err, size_t errlen);
int key_generate(enum sandbox_key_type t, const char *service_id, struct sandbox_key *k);

/* auth.c: checks an Authorization header; returns the key's index, or -1 with an error reply. */
struct reply;
int auth_check(struct sandbox *sb, const char *header, struct reply *r);

/* limits.c (take sb->lock themselves): 0 when allowed, else -1 with a 429 reply. */
int limits_rate(struct sandbox *sb, int key, struct reply *r);
int limits_daily(struct sandbox *sb, int key, struct reply *r);
void limits_count_daily(struct sandbox *sb, long long created_us);
/* Under sb->lock: 1 when today's live letters reached the daily limit. */
int limits_daily_reached(struct sandbox *sb);
void limits_daily_reply(struct sandbox *sb, struct reply *r);

/* An answer: JSON, or raw bytes (a PDF). drop: close the connection instead. */
struct reply {
	int status;
	json_t *json;
	unsigned char *raw;
	size_t raw_len;
	const char *content_type;
	int drop;
};
void reply_error(struct reply *r, int status, const char *error, const char *message);
/* Appends one more {"error", "message"} to an error reply (Notify lists all schema errors). */
void reply_add_error(struct reply *r, const char *error, const char *message);
void reply_clear(struct reply *r);

/* A parsed request, as the API functions see it. */
struct request {
	const char *method;
	const char *path;
	const char *authorization;
	const char *body;
	size_t body_len;
	/* query arguments, in order (repeated names allowed) */
	const char **arg_names, **arg_values;
	size_t n_args;
};

/* letter_body.c: a POST body as Notify reads it (fuzzed by fuzz/fuzz-sandbox-body.c).
 * letter_body_parse: the JSON object, or NULL with Notify's 400 (every schema error) in r.
 * letter_body_pdf: its content decoded (malloc'd, *len bytes), or NULL with a 400 in r.
 * letter_body_load: the body as json_loadb reads it (NULL when it is not JSON), faster. */
json_t *letter_body_load(const char *bytes, size_t len);
json_t *letter_body_parse(const char *bytes, size_t len, struct reply *r);
unsigned char *letter_body_pdf(const json_t *body, size_t *len, struct reply *r);

/* api.c */
void api_handle(struct sandbox *sb, const struct request *rq, struct reply *r);
/* api_list.c */
void api_list(struct sandbox *sb, int key, const struct request *rq, struct reply *r);
json_t *letter_json(const struct sandbox *sb, const struct letter *l);
/* control.c: /_sandbox/ endpoints */
void control_handle(struct sandbox *sb, const struct request *rq, struct reply *r);

/* process.c */
int process_start(struct sandbox *sb, char *err, size_t errlen);
void process_stop(struct sandbox *sb);
/* Queues the next step for a letter in state pending-virus-check or accepted. */
void process_enqueue(struct sandbox *sb, struct letter *l);

/* child.c: runs argv[0] with argv, capturing stdout; -1 when it could not be run. */
struct child_result {
	int exit_code;			/* -1 when killed by a signal or timed out */
	char *out;			/* stdout, NUL-terminated; free() it */
	char err_tail[512];		/* the end of its stderr */
};
int child_run(char *const argv[], long timeout_ms, struct child_result *res, char *err, size_t errlen);
/* The last JSON object the child printed (read with the bounded NDJSON reader), or NULL. */
json_t *child_last_record(const struct child_result *res, const char *exe);

/* server.c */
/* listen.c: a socket listening on addr:port (port 0: any free one). Returns 0, or
 * -1 with a message ("port P is already in use ..."). */
struct listener {
	int fd;
	int port;	/* the port bound */
	int is_v6;
};
int listen_socket(const char *addr, int port, struct listener *l, char *err, size_t errlen);
int server_start(struct sandbox *sb, char *err, size_t errlen);
void server_stop(struct sandbox *sb);

#endif
