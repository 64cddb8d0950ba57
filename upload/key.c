/* key.c: API keys from text or a private file, checked before any request. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "internal.h"

/* A key file is tiny; anything bigger is not a key file. */
#define KEY_FILE_MAX 4096

int upload_key_parse(const char *text, struct lk_api_key *key, char *err, size_t errlen)
{
	char why[256];
	if (!text || !*text) {
		snprintf(err, errlen, "the API key is empty");
		return -1;
	}
	if (lk_api_key_parse(text, key, why, sizeof why) < 0) {
		/* lk_api_key_parse never quotes the key; neither do we. */
		snprintf(err, errlen, "the API key is malformed: %s (expected {key_name}-{service_id}-{secret})",
			 why);
		return -1;
	}
	return 0;
}

int upload_key_read_file(const char *path, struct lk_api_key *key, char *err, size_t errlen)
{
	char buf[KEY_FILE_MAX + 1], why[300];
	struct stat st;
	int rc = -1;
	size_t n = 0;
	int fd = open_regular(path, &st, err, errlen);
	if (fd < 0)
		goto out;
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s: group or others may read it; an API key is a secret "
			 "(chmod 600 %s)", path, path);
		goto out;
	}
	if (read_all(fd, buf, sizeof buf - 1, &n) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (n == sizeof buf - 1) {
		snprintf(err, errlen, "%s: too big for a key file", path);
		goto out;
	}
	buf[n] = '\0';
	char *s = buf, *e = buf + n;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	if (upload_key_parse(s, key, why, sizeof why) < 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto out;
	}
	rc = 0;
out:
	/* The key was on our stack: do not leave it there. */
	OPENSSL_cleanse(buf, sizeof buf);
	if (fd >= 0)
		close(fd);
	return rc;
}
