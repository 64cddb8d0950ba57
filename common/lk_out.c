/* lk_out.c: output files, written whole or not at all. */
#define _GNU_SOURCE   /* syncfs() */
#include "lk_out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct lk_out {
	char *path, *tmp;
	FILE *f;
	int flags;
	mode_t mode;
};

/* The folder of path ("." when it has none) into buf. */
static void folder_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

static int fsync_folder(const char *path)
{
	char dir[4096];
	folder_of(path, dir, sizeof dir);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	/* Some file systems cannot fsync a folder; the rename is done all the same. */
	if (rc != 0 && (errno == EINVAL || errno == ENOTSUP))
		rc = 0;
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* Removes TARGET.tmp-PID-* of processes that no longer exist. */
static void clean_stale(const char *path)
{
	char dir[4096];
	folder_of(path, dir, sizeof dir);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t blen = strlen(base);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (strncmp(n, base, blen) != 0 || strncmp(n + blen, ".tmp-", 5) != 0)
			continue;
		char *end;
		long pid = strtol(n + blen + 5, &end, 10);
		if (end == n + blen + 5 || *end != '-' || pid <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;   /* alive (or not ours to ask): its file may be in use */
		char full[8192];
		snprintf(full, sizeof full, "%s/%s", dir, n);
		unlink(full);
	}
	closedir(d);
}

struct lk_out *lk_out_open(const char *path, mode_t mode, int flags, char *err, size_t errlen)
{
	struct lk_out *o = calloc(1, sizeof *o);
	size_t plen = strlen(path);
	if (o) {
		o->path = strdup(path);
		o->tmp = malloc(plen + 48);
	}
	if (!o || !o->path || !o->tmp) {
		snprintf(err, errlen, "%s: out of memory", path);
		lk_out_abort(o);
		return NULL;
	}
	o->flags = flags;
	o->mode = mode;
	if (flags & LK_OUT_CLEAN_STALE)
		clean_stale(path);
	/* Same folder as the target, so rename() cannot cross file systems. */
	snprintf(o->tmp, plen + 48, "%s.tmp-%ld-XXXXXX", path, (long)getpid());
	mode_t old = umask(077);   /* mkstemp makes 0600; no wider window for a key file */
	int fd = mkstemp(o->tmp);
	umask(old);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create a file there: %s", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		lk_out_abort(o);
		return NULL;
	}
	if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "wb"))) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		close(fd);
		lk_out_abort(o);
		return NULL;
	}
	return o;
}

FILE *lk_out_stream(struct lk_out *o)
{
	return o->f;
}

int lk_out_commit(struct lk_out *o, char *err, size_t errlen)
{
	int durable = !(o->flags & LK_OUT_LAZY);
	errno = 0;
	int bad = fflush(o->f) != 0 || ferror(o->f) || (durable && fsync(fileno(o->f)) != 0);
	int e = errno;
	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	o->f = NULL;
	if (!bad && rename(o->tmp, o->path) != 0) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		snprintf(err, errlen, "%s: cannot write: %s", o->path, strerror(e ? e : EIO));
		lk_out_abort(o);
		return -1;
	}
	free(o->tmp);
	o->tmp = NULL;   /* renamed: nothing to remove */
	int rc = 0;
	if (durable && fsync_folder(o->path) != 0) {
		snprintf(err, errlen, "%s: written, but its folder could not be synced: %s", o->path,
			 strerror(errno));
		rc = -1;
	}
	lk_out_abort(o);
	return rc;
}

void lk_out_abort(struct lk_out *o)
{
	if (!o)
		return;
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	free(o);
}

int lk_write_file(const char *path, const void *data, size_t len, mode_t mode, int flags,
		  char *err, size_t errlen)
{
	struct lk_out *o = lk_out_open(path, mode, flags, err, errlen);
	if (!o)
		return -1;
	if (len && fwrite(data, 1, len, o->f) != len) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno ? errno : EIO));
		lk_out_abort(o);
		return -1;
	}
	return lk_out_commit(o, err, errlen);
}

int lk_write_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	return lk_write_file(path, data, len, 0644, 0, err, errlen);
}

int lk_sync_folder(const char *folder, char *err, size_t errlen)
{
	int fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) != 0 || (fsync(fd) != 0 && errno != EINVAL)) {
		snprintf(err, errlen, "%s: cannot sync: %s", folder, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int lk_make_folder(const char *folder, char *err, size_t errlen)
{
	char buf[4096];
	int n = snprintf(buf, sizeof buf, "%s", folder);
	if (n <= 0 || (size_t)n >= sizeof buf) {
		snprintf(err, errlen, "%s: the name is too long", folder);
		return -1;
	}
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		struct stat st;
		if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: cannot make the folder %s: %s", folder, buf, strerror(errno));
			return -1;
		}
		if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s: %s is not a folder", folder, buf);
			return -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	return 0;
}

int lk_make_parent(const char *path, char *err, size_t errlen)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;   /* the working folder, or / */
	if ((size_t)(slash - path) >= sizeof dir) {
		snprintf(err, errlen, "%s: the name is too long", path);
		return -1;
	}
	snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	return lk_make_folder(dir, err, errlen);
}

int lk_out_ready(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a folder: name a file in it", path);
		return -1;
	}
	if (lk_make_parent(path, err, errlen) != 0)
		return -1;
	struct lk_out *o = lk_out_open(path, 0644, LK_OUT_LAZY, err, errlen);
	if (!o)
		return -1;
	lk_out_abort(o);
	return 0;
}
