/*
 * private.c: the state folder is its owner's alone.
 *
 * sandbox.db holds every API key the sandbox accepts and letters/ holds
 * every citizen's letter it was sent, so neither may be readable by group
 * or others, whatever the umask: folders the sandbox makes are 0700, files
 * 0600 (SQLite gives its -wal, -shm and -journal files the database's own
 * mode, so creating the database 0600 covers them). A state written with
 * wider modes (an older sandbox, a `cp -r` under umask 022) is tightened at
 * start-up, and the log says so.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define OTHERS_BITS 077

/*
 * Makes what fd is `want` when group or others have any right to it, saying
 * so unless `quietly`. Returns 1 when it did, 0 when there was no need, -1
 * with a message.
 */
static int tighten(struct sandbox *sb, int fd, const char *path, const struct stat *st, mode_t want,
		   int quietly, char *err, size_t errlen)
{
	if (!(st->st_mode & OTHERS_BITS))
		return 0;
	if (fchmod(fd, want) < 0) {
		snprintf(err, errlen, "%s is mode %04o, open to others, and cannot be made %04o: %s", path,
			 (unsigned)(st->st_mode & 07777), (unsigned)want, strerror(errno));
		return -1;
	}
	if (!quietly)
		sb_log(sb, "%s was mode %04o, open to others; it holds keys or letters: now %04o", path,
		       (unsigned)(st->st_mode & 07777), (unsigned)want);
	return 1;
}

int private_folder(struct sandbox *sb, const char *path, int tighten_existing, char *err, size_t errlen)
{
	int made = mkdir(path, 0700) == 0;
	if (!made && errno != EEXIST) {
		snprintf(err, errlen, "cannot make %s: %s", path, strerror(errno));
		return -1;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int rc = 0;
	/* The umask may have taken the owner's own bits too: exactly 0700. */
	if (made && (st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0) {
		snprintf(err, errlen, "cannot make %s mode 0700: %s", path, strerror(errno));
		rc = -1;
	} else if (!made && tighten_existing) {
		rc = tighten(sb, fd, path, &st, 0700, 0, err, errlen) < 0 ? -1 : 0;
	}
	close(fd);
	return rc;
}

/* private_file, returning 1 when an existing file was tightened (not said when `quietly`). */
static int private_file_as(struct sandbox *sb, const char *path, int create, int quietly, char *err,
			   size_t errlen)
{
	int fd = create ? open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
	int made = fd >= 0;
	if (!made && (!create || errno == EEXIST))
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (!create && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	} else if (made && (st.st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0) {
		snprintf(err, errlen, "cannot make %s mode 0600: %s", path, strerror(errno));
		rc = -1;
	} else if (!made) {
		rc = tighten(sb, fd, path, &st, 0600, quietly, err, errlen);
	}
	close(fd);
	return rc;
}

int private_file(struct sandbox *sb, const char *path, int create, char *err, size_t errlen)
{
	return private_file_as(sb, path, create, 0, err, errlen) < 0 ? -1 : 0;
}

int private_files_in(struct sandbox *sb, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	int rc = 0;
	size_t tightened = 0;
	struct dirent *e;
	char path[4400];
	while (rc >= 0 && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (rc = private_file_as(sb, path, 0, 1, err, errlen)) > 0)
			tightened++;
	}
	closedir(d);
	if (tightened)   /* one line for the folder, not one per letter */
		sb_log(sb, "%zu files in %s were open to others; they hold letters: now 0600", tightened, dir);
	return rc < 0 ? -1 : 0;
}
