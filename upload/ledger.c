/*
 * ledger.c: the SQLite record of every letter a batch sends.
 *
 * A letter is written as `sending` (and committed, with a full sync) before
 * its POST goes out, and as `sent` with its notification id, or `failed`
 * with the reason, after the answer. A letter left in `sending` had a POST
 * whose outcome is unknown (a crash, a timeout, a dropped connection): the
 * next run looks it up by reference at Notify before sending it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "upload.h"

struct upload_ledger {
	sqlite3 *db;
	int lock_fd;
	long long run;
	int durable;		/* the synchronous setting in force: 1 FULL, 0 NORMAL */
	sqlite3_stmt *find, *put, *status;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS letters (\n"
	"  reference TEXT PRIMARY KEY,\n"
	"  file TEXT NOT NULL,\n"
	"  sha256 TEXT NOT NULL,\n"
	"  postage TEXT NOT NULL,\n"
	"  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),\n"
	"  notification_id TEXT UNIQUE,\n"
	"  status TEXT,\n"
	"  reason TEXT,\n"
	"  attempts INTEGER NOT NULL DEFAULT 0,\n"
	"  run INTEGER NOT NULL,\n"
	"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),\n"
	"  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),\n"
	"  status_at TEXT\n"
	");\n"
	"CREATE INDEX IF NOT EXISTS letters_open ON letters (state, status);\n"
	"PRAGMA user_version = 1;\n";

static const char *const state_names[] = {"queued", "sending", "sent", "failed"};

const char *upload_state_name(enum upload_state s)
{
	return (unsigned)s < 4 ? state_names[s] : "?";
}

/* Names the ledger's file: "database or disk is full" alone leaves a person guessing which disk. */
static int db_error(struct upload_ledger *l, const char *what, char *err, size_t errlen)
{
	const char *file = sqlite3_db_filename(l->db, "main");
	snprintf(err, errlen, "ledger %s: %s: %s", file && *file ? file : "(unnamed)", what,
		 sqlite3_errmsg(l->db));
	return -1;
}

/*
 * The lock is on the database file itself (flock on its descriptor, which
 * locks the inode), so every spelling of its path, a symlink, `./` or an
 * absolute path, meets the same lock. flock locks are apart from the fcntl
 * locks SQLite takes on the same file, and this descriptor stays open until
 * SQLite has closed (closing any descriptor of the file would drop SQLite's
 * fcntl locks). A file with more than one hard link is refused: SQLite keeps
 * its -wal and -shm files beside the name it was given, so a run through
 * another name would not see what a crashed run left in the WAL, and could
 * send those letters again.
 */
static int take_lock(struct upload_ledger *l, const char *path, int shared, char *err, size_t errlen)
{
	struct stat st;
	l->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (l->lock_fd < 0) {
		snprintf(err, errlen, "ledger %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(l->lock_fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "ledger %s: not a regular file", path);
		return -1;
	}
	if (flock(l->lock_fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
		snprintf(err, errlen, "ledger %s is in use by another letterkit send or status (under this or "
			 "another name)%s", path, errno == EWOULDBLOCK ? "; wait for it to finish" : "");
		return -1;
	}
	if (st.st_nlink > 1) {
		snprintf(err, errlen, "ledger %s has %ju hard links: SQLite keeps its journal beside the name it is "
			 "opened by, so use one name (a symbolic link is fine) and remove the other links", path,
			 (uintmax_t)st.st_nlink);
		return -1;
	}
	return 0;
}

/* SQLite opened the file we locked (not one renamed into its place meanwhile). */
static int same_file(struct upload_ledger *l, char *err, size_t errlen)
{
	struct stat locked, opened;
	const char *file = sqlite3_db_filename(l->db, "main");
	if (fstat(l->lock_fd, &locked) < 0 || !file || stat(file, &opened) < 0 ||
	    locked.st_dev != opened.st_dev || locked.st_ino != opened.st_ino) {
		snprintf(err, errlen, "ledger %s was replaced while it was opened; try again", file ? file : "?");
		return -1;
	}
	return 0;
}

struct upload_ledger *upload_ledger_open(const char *path, int shared, char *err, size_t errlen)
{
	struct upload_ledger *l = calloc(1, sizeof *l);
	struct timeval tv;
	if (!l) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->lock_fd = -1;
	gettimeofday(&tv, NULL);
	l->run = (long long)tv.tv_sec * 1000000 + tv.tv_usec;
	if (take_lock(l, path, shared, err, errlen) < 0)
		goto fail;
	if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "ledger %s: %s", path, l->db ? sqlite3_errmsg(l->db) : "out of memory");
		goto fail;
	}
	if (same_file(l, err, errlen) < 0)
		goto fail;
	sqlite3_busy_timeout(l->db, 5000);
	/* WAL with full sync: a commit is durable before the POST it allows goes out. */
	l->durable = 1;
	if (sqlite3_exec(l->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", NULL, NULL, NULL) ||
	    sqlite3_exec(l->db, schema, NULL, NULL, NULL)) {
		db_error(l, "open", err, errlen);
		goto fail;
	}
	if (sqlite3_prepare_v2(l->db,
			       "SELECT reference, file, sha256, postage, state, notification_id, status, reason, "
			       "run, attempts FROM letters WHERE reference = ?", -1, &l->find, NULL) ||
	    sqlite3_prepare_v2(l->db,
			       "INSERT INTO letters (reference, file, sha256, postage, state, notification_id, "
			       "status, reason, run, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
			       "ON CONFLICT (reference) DO UPDATE SET file = excluded.file, sha256 = excluded.sha256, "
			       "postage = excluded.postage, state = excluded.state, "
			       "notification_id = excluded.notification_id, status = excluded.status, "
			       "reason = excluded.reason, run = excluded.run, attempts = excluded.attempts, "
			       "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", -1, &l->put, NULL) ||
	    sqlite3_prepare_v2(l->db,
			       "UPDATE letters SET status = ?, status_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
			       "WHERE notification_id = ?", -1, &l->status, NULL)) {
		db_error(l, "prepare", err, errlen);
		goto fail;
	}
	return l;
fail:
	upload_ledger_free(l);
	return NULL;
}

void upload_ledger_free(struct upload_ledger *l)
{
	if (!l)
		return;
	sqlite3_finalize(l->find);
	sqlite3_finalize(l->put);
	sqlite3_finalize(l->status);
	sqlite3_close(l->db);
	if (l->lock_fd >= 0)
		close(l->lock_fd);	/* releases the lock */
	free(l);
}

long long upload_ledger_run(const struct upload_ledger *l)
{
	return l->run;
}

int upload_ledger_begin(struct upload_ledger *l, int durable, char *err, size_t errlen)
{
	/* In WAL mode NORMAL skips the fsync at commit; a later FULL commit syncs the
	 * log up to itself, so the order of what reaches the disk is kept. */
	if (durable != l->durable) {
		if (sqlite3_exec(l->db, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
				 NULL, NULL, NULL))
			return db_error(l, "synchronous", err, errlen);
		l->durable = durable;
	}
	return sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ? db_error(l, "begin", err, errlen) : 0;
}

int upload_ledger_commit(struct upload_ledger *l, char *err, size_t errlen)
{
	return sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) ? db_error(l, "commit", err, errlen) : 0;
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	snprintf(out, size, "%s", s ? (const char *)s : "");
}

static enum upload_state state_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, state_names[i]))
			return (enum upload_state)i;
	return UPLOAD_SENDING;	/* unreadable: the careful choice is "look it up" */
}

static void read_row(sqlite3_stmt *st, struct upload_row *row)
{
	char state[16];
	copy_col(st, 0, row->reference, sizeof row->reference);
	copy_col(st, 1, row->file, sizeof row->file);
	copy_col(st, 2, row->sha256, sizeof row->sha256);
	copy_col(st, 3, row->postage, sizeof row->postage);
	copy_col(st, 4, state, sizeof state);
	row->state = state_parse(state);
	copy_col(st, 5, row->id, sizeof row->id);
	copy_col(st, 6, row->status, sizeof row->status);
	copy_col(st, 7, row->reason, sizeof row->reason);
	row->run = sqlite3_column_int64(st, 8);
	row->attempts = sqlite3_column_int(st, 9);
}

int upload_ledger_find(struct upload_ledger *l, const char *reference, struct upload_row *row,
		       char *err, size_t errlen)
{
	sqlite3_reset(l->find);
	sqlite3_bind_text(l->find, 1, reference, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(l->find);
	if (rc == SQLITE_ROW) {
		read_row(l->find, row);
		sqlite3_reset(l->find);
		return 1;
	}
	sqlite3_reset(l->find);
	return rc == SQLITE_DONE ? 0 : db_error(l, "find", err, errlen);
}

static void bind_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int upload_ledger_put(struct upload_ledger *l, const struct upload_row *row, char *err, size_t errlen)
{
	sqlite3_stmt *st = l->put;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, row->reference, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, row->file, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, row->sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, row->postage, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, upload_state_name(row->state), -1, SQLITE_STATIC);
	bind_or_null(st, 6, row->id);
	bind_or_null(st, 7, row->status);
	bind_or_null(st, 8, row->reason);
	sqlite3_bind_int64(st, 9, row->run);
	sqlite3_bind_int(st, 10, row->attempts);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(l, "write", err, errlen);
}

int upload_ledger_set_status(struct upload_ledger *l, const char *id, const char *status, char *err, size_t errlen)
{
	sqlite3_reset(l->status);
	sqlite3_bind_text(l->status, 1, status, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(l->status, 2, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(l->status);
	sqlite3_reset(l->status);
	return rc == SQLITE_DONE ? 0 : db_error(l, "status", err, errlen);
}

int upload_ledger_each_open(struct upload_ledger *l, int (*fn)(void *arg, const struct upload_row *row),
			    void *arg, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	struct upload_row *row = malloc(sizeof *row);
	int rc = -1, step;
	if (!row) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (sqlite3_prepare_v2(l->db,
			       "SELECT reference, file, sha256, postage, state, notification_id, status, reason, "
			       "run, attempts FROM letters WHERE state = 'sent' AND (status IS NULL OR status NOT IN "
			       "('received', 'cancelled', 'virus-scan-failed', 'validation-failed', "
			       "'technical-failure', 'permanent-failure')) ORDER BY reference", -1, &st, NULL)) {
		db_error(l, "select", err, errlen);
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, row);
		if (fn(arg, row) < 0) {
			snprintf(err, errlen, "stopped");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		db_error(l, "select", err, errlen);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	free(row);
	return rc;
}

json_t *upload_ledger_summary(struct upload_ledger *l, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	json_t *sum = json_object();
	int step;
	if (!sum || sqlite3_prepare_v2(l->db,
				       "SELECT state, COALESCE(status, ''), COUNT(*) FROM letters GROUP BY 1, 2 ORDER BY 1, 2",
				       -1, &st, NULL)) {
		db_error(l, "summary", err, errlen);
		goto fail;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(st, 0);
		const char *status = (const char *)sqlite3_column_text(st, 1);
		json_t *by = json_object_get(sum, state);
		if (!by) {
			by = json_object();
			json_object_set_new(sum, state, by);
		}
		json_object_set_new(by, status && *status ? status : strcmp(state, "sent") ? "-" : "not-polled", json_integer(sqlite3_column_int64(st, 2)));
	}
	if (step != SQLITE_DONE) {
		db_error(l, "summary", err, errlen);
		goto fail;
	}
	sqlite3_finalize(st);
	return sum;
fail:
	sqlite3_finalize(st);
	json_decref(sum);
	return NULL;
}
