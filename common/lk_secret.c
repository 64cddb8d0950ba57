/* lk_secret.c: reading a file that holds a secret. */
#define _DEFAULT_SOURCE   /* explicit_bzero() */
#include "lk_secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void lk_secret_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

int lk_secret_read(const char *path, char *buf, size_t max, size_t *len, char *err, size_t errlen)
{
	/* O_NONBLOCK: a FIFO with no writer must not hang us before fstat refuses it. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	size_t n = 0;
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s: group or others may read it, and it holds a secret (chmod 600 %s)",
			 path, path);
		goto fail;
	}
	for (;;) {
		ssize_t got = read(fd, buf + n, max + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			snprintf(err, errlen, "%s: larger than %zu bytes, too big for a key file", path, max);
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return 0;
fail:
	close(fd);
	lk_secret_wipe(buf, n < max + 1 ? n : max + 1);
	return -1;
}
