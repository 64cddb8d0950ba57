/* lk_conf.c: letterkit.conf, the site's defaults for the shared options. */
#include "lk_conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lk_file.h"

const struct lk_conf_key lk_conf_keys[] = {
	{"db", LK_CONF_PATH, "LETTERKIT_CLAMAV_DB", 0, {"db", "clamav-db"},
	 "ClamAV signature folder (scan, run, watch; the sandbox's --clamav-db)"},
	{"international", LK_CONF_BOOL, NULL, 0, {"international"}, "letters may go abroad"},
	{"strict", LK_CONF_BOOL, NULL, 0, {"strict"}, "warnings fail a letter (check, run)"},
	{"attachment", LK_CONF_BOOL, NULL, 0, {"attachment"}, "check letters as attachments"},
	{"postage", LK_CONF_TEXT, NULL, 0, {"postage"}, "first, second, economy, europe or rest-of-world"},
	{"base-url", LK_CONF_TEXT, "NOTIFY_BASE_URL", 0, {"base-url"}, "Notify API base URL"},
	{"key-file", LK_CONF_PATH, "NOTIFY_API_KEY", 1, {"key-file"},
	 "file holding the API key (never the key itself)"},
	{"ledger", LK_CONF_PATH, NULL, 0, {"ledger"}, "SQLite ledger of letters sent"},
	{"jobs", LK_CONF_COUNT, NULL, 0, {"jobs"}, "letters worked on at once"},
	{"parallel", LK_CONF_COUNT, NULL, 0, {"parallel"}, "requests in flight to Notify"},
	{"rate-limit", LK_CONF_TEXT, NULL, 0, {"rate-limit"}, "requests per second, N or N/S"},
	{"overlay", LK_CONF_PATH, NULL, 0, {"overlay"}, "folder for the failed letters' overlays"},
	{"settle-ms", LK_CONF_COUNT, NULL, 0, {"settle-ms"},
	 "hot folder: milliseconds a file must stay unchanged"},
	{"font-dir", LK_CONF_PATH, NULL, 0, {"font-dir"}, "compose: folder of fonts"},
	{"max-seconds", LK_CONF_TEXT, NULL, 0, {"max-seconds"}, "check: time limit per letter"},
	{"max-memory", LK_CONF_TEXT, NULL, 0, {"max-memory"}, "check: memory limit per letter"},
	{"max-wait", LK_CONF_TEXT, NULL, 0, {"max-wait"}, "status, pdf, run: seconds to wait"},
	{"quiet", LK_CONF_BOOL, NULL, 0, {"quiet"}, "say less"},
};
const size_t lk_conf_n_keys = sizeof lk_conf_keys / sizeof lk_conf_keys[0];

_Static_assert(sizeof lk_conf_keys / sizeof lk_conf_keys[0] <= LK_CONF_MAX_KEYS,
	       "raise LK_CONF_MAX_KEYS");

/* Names that mean the API key itself, which must never be written into a file. */
static const char *const key_itself[] = {"key", "api-key", "notify-api-key", "secret", NULL};

const struct lk_conf_key *lk_conf_key(const char *name)
{
	for (size_t i = 0; i < lk_conf_n_keys; i++)
		if (strcmp(lk_conf_keys[i].name, name) == 0)
			return &lk_conf_keys[i];
	return NULL;
}

void lk_conf_init(struct lk_conf *c, const char *command)
{
	memset(c, 0, sizeof *c);
	c->command = command;
}

void lk_conf_free(struct lk_conf *c)
{
	for (size_t i = 0; i < LK_CONF_MAX_KEYS; i++) {
		free(c->set[i].value);
		free(c->set[i].file);
	}
	memset(c->set, 0, sizeof c->set);
}

int lk_conf_bool(const char *v)
{
	static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0)
			return 1;
		if (strcmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

static int fail(char *err, size_t errlen, const char *path, int line, const char *what, const char *arg)
{
	snprintf(err, errlen, "%s:%d: %s%s%.200s%s", path, line, what, arg ? " '" : "",
		 arg ? arg : "", arg ? "'" : "");
	return -1;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int is_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return 0;
	return 1;
}

/* Why `v` is not a value of type t, or NULL when it is. */
static const char *bad_value(enum lk_conf_type t, const char *v)
{
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "control character in value";
	switch (t) {
	case LK_CONF_BOOL:
		return lk_conf_bool(v) < 0 ? "must be yes or no (true/false, on/off, 1/0), not" : NULL;
	case LK_CONF_COUNT: {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		return errno || end == v || *end || !isdigit((unsigned char)v[0]) || n > 1000000
			? "must be a whole number from 0 to 1000000, not" : NULL;
	}
	case LK_CONF_TEXT:
	case LK_CONF_PATH:
		break;
	}
	return NULL;
}

/* A relative path in a file is relative to the file's folder, as in systemd or git. */
static char *resolve(const char *path, enum lk_conf_type t, const char *v)
{
	const char *slash = strrchr(path, '/');
	if (t != LK_CONF_PATH || v[0] == '/' || !slash)
		return strdup(v);
	size_t dir = (size_t)(slash - path), n = dir + 1 + strlen(v) + 1;
	char *out = malloc(n);
	if (out)
		snprintf(out, n, "%.*s/%s", (int)dir, path, v);
	return out;
}

static int set(struct lk_conf *c, size_t k, int rank, const char *path, int line, const char *v,
	       char *err, size_t errlen)
{
	struct lk_conf_setting *s = &c->set[k];
	if (s->value && s->rank > rank)
		return 0;   /* the command's own section of this file already set it */
	char *value = resolve(path, lk_conf_keys[k].type, v), *file = strdup(path);
	if (!value || !file) {
		free(value);
		free(file);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	free(s->value);
	free(s->file);
	*s = (struct lk_conf_setting){value, file, line, rank};
	return 0;
}

int lk_conf_parse(struct lk_conf *c, const char *path, const char *text,
		  lk_conf_section_fn is_section, char *err, size_t errlen)
{
	int file_no = c->files++, line_no = 0;
	int section = -1;   /* -1 none yet, 0 another command's, 1 [shared], 2 this command's */
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		line_no++;
		char buf[4096];
		if (len >= sizeof buf)
			return fail(err, errlen, path, line_no, "line longer than 4095 bytes", NULL);
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (p[len] == '\n');
		char *s = trim(buf);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || *trim(end + 1))
				return fail(err, errlen, path, line_no, "a section is [name] alone on its line, not", s);
			*end = '\0';
			char *name = trim(s + 1);
			if (strcmp(name, "shared") == 0)
				section = 1;
			else if (is_name(name) && is_section(name))
				section = c->command && strcmp(name, c->command) == 0 ? 2 : 0;
			else
				return fail(err, errlen, path, line_no,
					    "unknown section (use [shared] or [COMMAND]):", name);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq)
			return fail(err, errlen, path, line_no, "expected 'key = value', not", s);
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		for (size_t i = 0; key_itself[i]; i++)
			if (strcmp(key, key_itself[i]) == 0)
				return fail(err, errlen, path, line_no,
					    "the API key never goes in a configuration file: name the file that "
					    "holds it with key-file, not", key);
		const struct lk_conf_key *k = lk_conf_key(key);
		if (!k)
			return fail(err, errlen, path, line_no, "unknown key", key);
		if (section < 0)
			return fail(err, errlen, path, line_no, "key before any section ([shared] or [COMMAND]):", key);
		if (!*value)
			return fail(err, errlen, path, line_no, "no value for", key);
		const char *why = bad_value(k->type, value);
		if (why) {
			char what[160];
			snprintf(what, sizeof what, "%s %s", key, why);
			return fail(err, errlen, path, line_no, what, value);
		}
		if (section == 0)
			continue;   /* checked, but another command's */
		if (set(c, (size_t)(k - lk_conf_keys), 2 * file_no + (section == 2), path, line_no, value,
			err, errlen) != 0)
			return -1;
	}
	return 0;
}

int lk_conf_read(struct lk_conf *c, const char *path, int required, lk_conf_section_fn is_section,
		 char *err, size_t errlen)
{
	unsigned char *data;
	size_t len;
	struct stat st;
	/* A site or user file that is not there is no configuration; nor is one
	 * behind a folder this user may not search (EACCES from stat: a service
	 * user with another's XDG_CONFIG_HOME, a test run under setpriv). One
	 * that is there but unreadable is an error. */
	if (!required && stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR || errno == EACCES))
		return 0;
	FILE *f = lk_open_input(path, err, errlen);   /* refuses a folder */
	if (!f)
		return -1;
	int rc = lk_read_stream(f, path, 1 << 20, &data, &len, err, errlen);
	fclose(f);
	if (rc != 0)
		return -1;
	if (memchr(data, '\0', len)) {
		free(data);
		snprintf(err, errlen, "%s: NUL byte in file (not a configuration file)", path);
		return -1;
	}
	rc = lk_conf_parse(c, path, (const char *)data, is_section, err, errlen);
	free(data);
	return rc;
}
