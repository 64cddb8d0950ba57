/*
 * store.c: the letters. All of them stay in memory (an array in creation
 * order plus an id index) so that GETs never touch the disk; with a state
 * directory every change is written to SQLite before it is acknowledged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "lk_file.h"
#include "lk_out.h"

void letter_free(struct letter *l)
{
	if (!l)
		return;
	free(l->reference);
	free(l->detail);
	free(l);
}

/* Appends a letter to memory only (the caller persisted it). */
static int append(struct store *st, struct letter *l)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 1024;
		struct letter **more = realloc(st->items, cap * sizeof *more);
		if (!more)
			return -1;
		st->items = more;
		st->cap = cap;
	}
	size_t *idx = map_slot(st->by_id, l->id);
	size_t *count = map_slot(st->by_reference, l->reference);
	if (!idx || !count)
		return -1;
	*idx = st->n + 1;
	(*count)++;
	st->items[st->n++] = l;
	st->accepted_posts++;
	if (l->seq >= st->next_seq)
		st->next_seq = l->seq + 1;
	return 0;
}

int store_open(struct sandbox *sb, char *err, size_t errlen)
{
	struct store *st = &sb->store;
	st->by_id = map_new();
	st->by_reference = map_new();
	st->next_seq = 1;
	if (!st->by_id || !st->by_reference) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!sb->cfg.state_dir) {
		const char *tmp = getenv("TMPDIR");
		snprintf(sb->letters_dir, sizeof sb->letters_dir, "%s/letterkit-sandbox-XXXXXX",
			 tmp && tmp[0] ? tmp : "/tmp");
		if (!mkdtemp(sb->letters_dir)) {
			snprintf(err, errlen, "cannot make a temporary directory in %s: %s",
				 tmp && tmp[0] ? tmp : "/tmp", strerror(errno));
			return -1;
		}
		sb->letters_dir_is_temp = 1;
		return 0;
	}
	/* Keys and letters: the owner's alone (private.c). A state folder that was
	 * already there keeps its owner's mode; what the sandbox keeps in it is tightened. */
	if (private_folder(sb, sb->cfg.state_dir, 0, err, errlen) < 0)
		return -1;
	snprintf(sb->letters_dir, sizeof sb->letters_dir, "%s/letters", sb->cfg.state_dir);
	if (private_folder(sb, sb->letters_dir, 1, err, errlen) < 0 ||
	    private_files_in(sb, sb->letters_dir, err, errlen) < 0)
		return -1;
	char path[4096 + 32];
	static const char *const sidecars[] = {"-wal", "-shm", "-journal"};
	snprintf(path, sizeof path, "%s/sandbox.db", sb->cfg.state_dir);
	if (private_file(sb, path, 1, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < sizeof sidecars / sizeof sidecars[0]; i++) {
		char side[sizeof path + 16];
		snprintf(side, sizeof side, "%s%s", path, sidecars[i]);
		if (private_file(sb, side, 0, err, errlen) < 0)
			return -1;
	}
	if (db_open(sb, path, err, errlen) < 0)
		return -1;
	return db_load_letters(sb, err, errlen);
}

int store_restore(struct sandbox *sb, struct letter *l)
{
	if (append(&sb->store, l) < 0)
		return -1;
	if (l->key_type == SANDBOX_KEY_LIVE)
		limits_count_daily(sb, l->created_us);
	return 0;
}

void store_close(struct store *st)
{
	for (size_t i = 0; i < st->n; i++)
		letter_free(st->items[i]);
	free(st->items);
	map_free(st->by_id);
	map_free(st->by_reference);
	if (st->db)
		sqlite3_close(st->db);
	memset(st, 0, sizeof *st);
}

struct letter *store_find(struct store *st, const char *id)
{
	size_t *idx = map_lookup(st->by_id, id);
	return idx ? st->items[*idx - 1] : NULL;
}

int store_add(struct sandbox *sb, struct letter *l, char *err, size_t errlen)
{
	struct store *st = &sb->store;
	l->seq = st->next_seq;
	if (st->db && db_insert_letter(sb, l, err, errlen) < 0)
		return -1;
	if (append(st, l) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (l->key_type == SANDBOX_KEY_LIVE)
		limits_count_daily(sb, l->created_us);
	return 0;
}

void store_set_status(struct sandbox *sb, struct letter *l, enum letter_status s, const char *detail)
{
	long long now = now_us();
	l->status = s;
	if (s == ST_ACCEPTED)
		l->sent_us = now;
	if (s != ST_PENDING_VIRUS_CHECK && s != ST_ACCEPTED)
		l->completed_us = now;
	if (detail) {
		free(l->detail);
		l->detail = strdup(detail);
	}
	if (sb->store.db && db_update_letter(sb, l) < 0)
		sb_log(sb, "%s: cannot write status %s to the state: %s", l->id, status_name(s),
		       sqlite3_errmsg(sb->store.db));
}

void letter_pdf_path(const struct sandbox *sb, const char *id, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s.pdf", sb->letters_dir, id);
}

int store_write_pdf(struct sandbox *sb, const char *id, const void *data, size_t len, char *err, size_t errlen)
{
	char path[sizeof sb->letters_dir + 64];
	letter_pdf_path(sb, id, path, sizeof path);
	/* A citizen's letter: 0600 (private.c). With a state the file must survive
	 * anything: temp, fsync, rename. Without one it lives as long as the process,
	 * and nobody reads it before the letter is stored. */
	if (sb->cfg.state_dir)
		return lk_write_file(path, data, len, 0600, 0, err, errlen);
	errno = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (fd >= 0 && !f)
		close(fd);
	int ok = f && fwrite(data, 1, len, f) == len;
	ok = f && fclose(f) == 0 && ok;
	if (!ok) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno ? errno : EIO));
		remove(path);
		return -1;
	}
	return 0;
}
