/* lk_file.c: whole-file reads and atomic writes. */
#include "lk_file.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lk_read_stream(FILE *f, const char *name, size_t max, unsigned char **data, size_t *len,
		   char *err, size_t errlen)
{
	size_t cap = 64 * 1024, n = 0;
	unsigned char *buf = malloc(cap + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(buf);
				snprintf(err, errlen, "%s: larger than the limit of %zu bytes", name, max);
				return -1;
			}
			cap *= 2;
			unsigned char *bigger = realloc(buf, cap + 1);
			if (!bigger) {
				free(buf);
				snprintf(err, errlen, "%s: out of memory", name);
				return -1;
			}
			buf = bigger;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		/* Stop at the first end of file: on a terminal, reading again after
		 * Ctrl-D would wait for a second one. */
		if (got == 0 || feof(f) || ferror(f))
			break;
	}
	if (ferror(f)) {
		free(buf);
		snprintf(err, errlen, "%s: read error: %s", name, strerror(errno));
		return -1;
	}
	if (n > max) {
		free(buf);
		snprintf(err, errlen, "%s: larger than the limit of %zu bytes", name, max);
		return -1;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int lk_read_file(const char *path, size_t max, unsigned char **data, size_t *len,
		 char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0)
		return lk_read_stream(stdin, "<stdin>", max, data, len, err, errlen);
	FILE *f = lk_open_input(path, err, errlen);
	if (!f)
		return -1;
	struct stat st;
	int fifo = fstat(fileno(f), &st) == 0 && S_ISFIFO(st.st_mode);
	int rc = lk_read_stream(f, path, max, data, len, err, errlen);
	fclose(f);
	if (rc == 0 && fifo && *len == 0) {
		free(*data);
		*data = NULL;
		snprintf(err, errlen, "%s: a pipe with nothing in it (no program was writing to it)", path);
		return -1;
	}
	return rc;
}

FILE *lk_open_input(const char *path, char *err, size_t errlen)
{
	/* O_NONBLOCK: open() of a FIFO with no writer would wait for one. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	int bad = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
	if (bad) {
		snprintf(err, errlen, "%s: %s", path, bad == EISDIR ? "is a folder, not a file" : strerror(bad));
		close(fd);
		return NULL;
	}
	/* Reads wait for data again; with no writer, a FIFO is at its end. */
	int flags = fcntl(fd, F_GETFL);
	FILE *f = flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb") : NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

int lk_input_ready(FILE *f)
{
#if defined(__GLIBC__)
	if (f->_IO_read_ptr < f->_IO_read_end)
		return 1;
#endif
	struct pollfd p = {.fd = fileno(f), .events = POLLIN};
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP | POLLERR));
}
