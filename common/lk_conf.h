/*
 * lk_conf.h: letterkit.conf, the site's defaults for the shared options.
 *
 * The format (documented in letterkit.conf(5)) is git-config-like:
 *
 *	# a comment
 *	[shared]                 # every command that has the option
 *	postage = second
 *	db = /var/lib/clamav
 *	[check]                  # only `letterkit check`
 *	strict = yes
 *
 * A key is the name of the long option it sets (`db` sets --db, and the
 * sandbox's --clamav-db). Files are read in order (/etc, the user's, then
 * --config FILE); a later file wins, and within one file a command's own
 * section wins over [shared]. lk_opt delivers the winning values to the
 * command as if they came first on its command line, so the command line
 * wins; a key whose environment variable is set is left to the environment.
 *
 * A library: reads the files it is given, never prints, exits or reads the
 * environment (lk_opt does that).
 */
#ifndef LK_CONF_H
#define LK_CONF_H

#include <stddef.h>

enum lk_conf_type {
	LK_CONF_BOOL,    /* yes/no, true/false, on/off, 1/0: a flag option given or not */
	LK_CONF_COUNT,   /* a whole number 0 to 1000000 (the command checks its own range) */
	LK_CONF_TEXT,    /* a value the command checks (postage, a URL, a rate) */
	LK_CONF_PATH,    /* a file or folder; relative to the configuration file's folder */
};

struct lk_conf_key {
	const char *name;          /* "db" */
	enum lk_conf_type type;
	const char *env;           /* the environment variable that overrides it, or NULL */
	int env_secret;            /* the variable holds a secret: never print it */
	const char *options[3];    /* the long options it sets, in whichever command has one */
	const char *about;         /* for `letterkit config` and letterkit.conf(5) */
};

/** Every key a configuration file may set, in the order `letterkit config` lists them. */
extern const struct lk_conf_key lk_conf_keys[];
extern const size_t lk_conf_n_keys;

/** The key named `name`, or NULL. */
const struct lk_conf_key *lk_conf_key(const char *name);

#define LK_CONF_MAX_KEYS 32

/* A key's winning value and where it came from. */
struct lk_conf_setting {
	char *value;     /* NULL: not set by any file */
	char *file;      /* the file that set it */
	int line;
	int rank;        /* 2 * file number + 1 in the command's own section */
};

struct lk_conf {
	const char *command;     /* whose section applies ("check") */
	int files;               /* files read so far (the next one's number) */
	struct lk_conf_setting set[LK_CONF_MAX_KEYS];   /* by index in lk_conf_keys */
};

/** An empty configuration for `command` (the string must outlive it). */
void lk_conf_init(struct lk_conf *c, const char *command);
void lk_conf_free(struct lk_conf *c);

/*
 * Whether [name] is a section: "shared", or a command. The front end decides
 * (it finds the command's executable), so that a new stage needs no entry here.
 */
typedef int (*lk_conf_section_fn)(const char *name);

/**
 * Reads the file at `path` into c. A missing file is nothing (returns 0)
 * unless `required`. Returns 0, or -1 with "PATH:LINE: what" (or "PATH:
 * what") in err, for a syntax error, an unknown section or key, a bad value,
 * or the API key itself.
 */
int lk_conf_read(struct lk_conf *c, const char *path, int required, lk_conf_section_fn is_section,
		 char *err, size_t errlen);

/** As lk_conf_read, for text already in memory (NUL-terminated), named `path`. */
int lk_conf_parse(struct lk_conf *c, const char *path, const char *text,
		  lk_conf_section_fn is_section, char *err, size_t errlen);

/** A BOOL value: 1 or 0, or -1 when it is not one. */
int lk_conf_bool(const char *value);

#endif
