/*
 * db.c: the state directory's SQLite database (sandbox.db): the keys and
 * every letter's metadata (the PDFs are files beside it). WAL with
 * synchronous=NORMAL: a committed letter survives the server being killed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"


static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"CREATE TABLE IF NOT EXISTS keys (type TEXT NOT NULL, key TEXT NOT NULL UNIQUE);"
	"CREATE TABLE IF NOT EXISTS letters ("
	" id TEXT PRIMARY KEY, seq INTEGER NOT NULL, service_id TEXT NOT NULL,"
	" reference TEXT NOT NULL, postage TEXT NOT NULL, key_type INTEGER NOT NULL,"
	" status INTEGER NOT NULL, created_us INTEGER NOT NULL, sent_us INTEGER NOT NULL,"
	" completed_us INTEGER NOT NULL, detail TEXT);";

int db_open(struct sandbox *sb, const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	sb->store.db = db;
	return 0;
}

int db_load_keys(struct sandbox *sb, char *err, size_t errlen)
{
	sqlite3_stmt *q = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(sb->store.db, "SELECT type, key FROM keys ORDER BY rowid", -1, &q, NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(q) == SQLITE_ROW) {
		char spec[SANDBOX_KEY_MAX + 16];
		struct sandbox_key k;
		snprintf(spec, sizeof spec, "%s=%s", (const char *)sqlite3_column_text(q, 0),
			 (const char *)sqlite3_column_text(q, 1));
		if (sandbox_key_parse(spec, &k, err, errlen) < 0)
			goto out;
		struct sandbox_key *more = realloc(sb->keys, (sb->n_keys + 1) * sizeof *more);
		if (!more)
			goto out;
		sb->keys = more;
		sb->keys[sb->n_keys++] = k;
	}
	rc = 0;
out:
	if (rc < 0 && !err[0])
		snprintf(err, errlen, "reading keys from the state: %s", sqlite3_errmsg(sb->store.db));
	sqlite3_finalize(q);
	return rc;
}

int db_save_key(struct sandbox *sb, const struct sandbox_key *k, char *err, size_t errlen)
{
	sqlite3_stmt *q = NULL;
	int ok = sqlite3_prepare_v2(sb->store.db, "INSERT OR IGNORE INTO keys (type, key) VALUES (?, ?)",
				    -1, &q, NULL) == SQLITE_OK &&
		 sqlite3_bind_text(q, 1, sandbox_key_type_name(k->type), -1, SQLITE_STATIC) == SQLITE_OK &&
		 sqlite3_bind_text(q, 2, k->text, -1, SQLITE_STATIC) == SQLITE_OK &&
		 sqlite3_step(q) == SQLITE_DONE;
	if (!ok)
		snprintf(err, errlen, "saving a key in the state: %s", sqlite3_errmsg(sb->store.db));
	sqlite3_finalize(q);
	return ok ? 0 : -1;
}

static char *column_strdup(sqlite3_stmt *q, int col)
{
	const unsigned char *s = sqlite3_column_text(q, col);
	return s ? strdup((const char *)s) : NULL;
}

int db_load_letters(struct sandbox *sb, char *err, size_t errlen)
{
	sqlite3_stmt *q = NULL;
	int rc = -1;
	static const char sql[] =
		"SELECT id, seq, service_id, reference, postage, key_type, status, created_us, sent_us,"
		" completed_us, detail FROM letters ORDER BY seq";
	if (sqlite3_prepare_v2(sb->store.db, sql, -1, &q, NULL) != SQLITE_OK)
		goto out;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		struct letter *l = calloc(1, sizeof *l);
		if (!l)
			goto out;
		snprintf(l->id, sizeof l->id, "%s", (const char *)sqlite3_column_text(q, 0));
		l->seq = sqlite3_column_int64(q, 1);
		snprintf(l->service_id, sizeof l->service_id, "%s", (const char *)sqlite3_column_text(q, 2));
		l->reference = column_strdup(q, 3);
		snprintf(l->postage, sizeof l->postage, "%s", (const char *)sqlite3_column_text(q, 4));
		l->key_type = (enum sandbox_key_type)sqlite3_column_int(q, 5);
		l->status = (enum letter_status)sqlite3_column_int(q, 6);
		l->created_us = sqlite3_column_int64(q, 7);
		l->sent_us = sqlite3_column_int64(q, 8);
		l->completed_us = sqlite3_column_int64(q, 9);
		l->detail = column_strdup(q, 10);
		if (!l->reference || (unsigned)l->status >= ST_COUNT || store_restore(sb, l) < 0) {
			letter_free(l);
			goto out;
		}
	}
	rc = step == SQLITE_DONE ? 0 : -1;
out:
	if (rc < 0)
		snprintf(err, errlen, "reading letters from the state: %s", sqlite3_errmsg(sb->store.db));
	sqlite3_finalize(q);
	return rc;
}

int db_insert_letter(struct sandbox *sb, const struct letter *l, char *err, size_t errlen)
{
	sqlite3_stmt *q = NULL;
	static const char sql[] =
		"INSERT INTO letters (id, seq, service_id, reference, postage, key_type, status,"
		" created_us, sent_us, completed_us, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
	int ok = sqlite3_prepare_v2(sb->store.db, sql, -1, &q, NULL) == SQLITE_OK;
	ok = ok && sqlite3_bind_text(q, 1, l->id, -1, SQLITE_STATIC) == SQLITE_OK;
	ok = ok && sqlite3_bind_int64(q, 2, l->seq) == SQLITE_OK;
	ok = ok && sqlite3_bind_text(q, 3, l->service_id, -1, SQLITE_STATIC) == SQLITE_OK;
	ok = ok && sqlite3_bind_text(q, 4, l->reference, -1, SQLITE_STATIC) == SQLITE_OK;
	ok = ok && sqlite3_bind_text(q, 5, l->postage, -1, SQLITE_STATIC) == SQLITE_OK;
	ok = ok && sqlite3_bind_int(q, 6, (int)l->key_type) == SQLITE_OK;
	ok = ok && sqlite3_bind_int(q, 7, (int)l->status) == SQLITE_OK;
	ok = ok && sqlite3_bind_int64(q, 8, l->created_us) == SQLITE_OK;
	ok = ok && sqlite3_bind_int64(q, 9, l->sent_us) == SQLITE_OK;
	ok = ok && sqlite3_bind_int64(q, 10, l->completed_us) == SQLITE_OK;
	ok = ok && sqlite3_bind_text(q, 11, l->detail, -1, SQLITE_STATIC) == SQLITE_OK;
	ok = ok && sqlite3_step(q) == SQLITE_DONE;
	if (!ok)
		snprintf(err, errlen, "saving letter %s in the state: %s", l->id, sqlite3_errmsg(sb->store.db));
	sqlite3_finalize(q);
	return ok ? 0 : -1;
}

int db_update_letter(struct sandbox *sb, const struct letter *l)
{
	sqlite3_stmt *q = NULL;
	static const char sql[] =
		"UPDATE letters SET status = ?, sent_us = ?, completed_us = ?, detail = ? WHERE id = ?";
	int ok = sqlite3_prepare_v2(sb->store.db, sql, -1, &q, NULL) == SQLITE_OK;
	ok = ok && sqlite3_bind_int(q, 1, (int)l->status) == SQLITE_OK;
	ok = ok && sqlite3_bind_int64(q, 2, l->sent_us) == SQLITE_OK;
	ok = ok && sqlite3_bind_int64(q, 3, l->completed_us) == SQLITE_OK;
	ok = ok && sqlite3_bind_text(q, 4, l->detail, -1, SQLITE_STATIC) == SQLITE_OK;
	ok = ok && sqlite3_bind_text(q, 5, l->id, -1, SQLITE_STATIC) == SQLITE_OK;
	ok = ok && sqlite3_step(q) == SQLITE_DONE;
	sqlite3_finalize(q);
	return ok ? 0 : -1;
}
