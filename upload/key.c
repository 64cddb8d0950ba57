/* key.c: API keys from text or a private file, checked before any request. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "lk_secret.h"

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
	size_t n = 0;
	int rc = -1;
	if (lk_secret_read(path, buf, KEY_FILE_MAX, &n, err, errlen) < 0)
		return -1;
	char *s = buf, *e = buf + n;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	if (upload_key_parse(s, key, why, sizeof why) < 0)
		snprintf(err, errlen, "%s: %s", path, why);
	else
		rc = 0;
	/* The key was on our stack: do not leave it there. */
	lk_secret_wipe(buf, sizeof buf);
	return rc;
}
