/*
 * scan.h: virus-scan letter PDFs, with libclamav in process or with clamd.
 *
 * A struct scan_ctx owns one ClamAV engine: the signatures are loaded and
 * compiled once, when the context is made, and every file of a batch is
 * scanned with it. Loading is the slow part (a full ClamAV database takes
 * seconds), scanning a letter takes milliseconds. Alternatively the
 * context talks to a running clamd (INSTREAM), which has its own database.
 *
 * libclamav is GPL-2.0: only the letterkit-scan executable links this
 * library.
 *
 * Not thread-safe: libclamav's message callback is process-wide, so make
 * one context per process.
 */
#ifndef LETTERKIT_SCAN_SCAN_H
#define LETTERKIT_SCAN_SCAN_H

#include <stddef.h>

#include <jansson.h>

/* Longest detection name kept; ClamAV's are far shorter. */
#define SCAN_VIRUS_MAX 256

/*
 * Limits set on the engine. They are ClamAV 1.4's own defaults, written out
 * so that a verdict here is the verdict of a default clamd (what Notify
 * runs), and so that they cannot change under us with a library update.
 * A file that reaches one of them is reported as found
 * (Heuristics.Limits.Exceeded.*), never silently passed.
 */
#define SCAN_MAX_FILESIZE (100ull * 1024 * 1024)   /* bytes of one file, embedded ones too */
#define SCAN_MAX_SCANSIZE (400ull * 1024 * 1024)   /* bytes read in all, decoded streams too */
#define SCAN_MAX_RECURSION 17u                     /* files inside files inside ... */
#define SCAN_MAX_FILES 10000u                      /* embedded files in one file */
#define SCAN_MAX_SCANTIME_MS 120000u               /* time for one file */

/* scan_ctx_new's return when no signature could be loaded. */
#define SCAN_ENOSIGS (-2)

struct scan_ctx;

struct scan_config {
	/* Signature directory (or one database file); NULL for ClamAV's default. */
	const char *db_dir;
	/* A running clamd, "/path/to/socket" or "HOST:PORT"; NULL to scan in process. */
	const char *clamd;
	/* Turn off libclamav's cache of clean results (for benchmarks). */
	int no_cache;
	/* Bytes of one file, when not SCAN_MAX_FILESIZE (0); tests set a small one. */
	unsigned long long max_filesize;
};

struct scan_result {
	int clean;                     /* 1: nothing found */
	char virus[SCAN_VIRUS_MAX];    /* the detection name when not clean, else "" */
};

/**
 * Makes a scan context as `cfg` says. In process, this loads and compiles
 * the signatures; with clamd it asks the daemon for its version, so an
 * unreachable clamd fails here. Loading no signature at all is an error:
 * an empty engine finds nothing and would call every file clean.
 * Returns 0 and the context in *out (free it with scan_ctx_free()),
 * SCAN_ENOSIGS when no signature loaded (a missing, empty or broken
 * database), or -1 on any other failure, with a message in err.
 */
int scan_ctx_new(struct scan_ctx **out, const struct scan_config *cfg, char *err, size_t errlen);

/** Frees a context; NULL is fine. */
void scan_ctx_free(struct scan_ctx *sc);

/** The ClamAV version that scans ("1.4.6"), borrowed from the context. */
const char *scan_engine_version(const struct scan_ctx *sc);

/** libclamav's version ("1.4.6"). */
const char *scan_library_version(void);

/**
 * The number of signatures in the database folder `dir`, counted without
 * loading an engine (for --version: it initialises libclamav, so call it
 * only in a process that makes no engine), or -1 when none can be read.
 */
long scan_count_signatures(const char *dir);

/** The number of signatures loaded, or -1 when unknown (clamd does not say). */
long scan_signatures(const struct scan_ctx *sc);

/** The signature directory loaded, or NULL with clamd. Borrowed. */
const char *scan_db_dir(const struct scan_ctx *sc);

/**
 * Scans the regular file `path`. Returns 0 with the verdict in *res, or -1
 * when the file could not be scanned (unreadable, not a regular file, a
 * libclamav or clamd error), with a message in err; the message does not
 * repeat the file name, which the caller prints beside it.
 */
int scan_file(struct scan_ctx *sc, const char *path, struct scan_result *res, char *err,
	      size_t errlen);

/**
 * Scans `len` bytes at `data` (a file read into memory, such as a PDF piped
 * to stdin), called `name` in libclamav's view. Returns as scan_file().
 */
int scan_buffer(struct scan_ctx *sc, const char *name, const void *data, size_t len,
		struct scan_result *res, char *err, size_t errlen);

/**
 * The "scan" object of a record: {"clean", "virus", "engine", "signatures"}
 * for a verdict, or {"clean": false, "virus": null, "error"} when `error`
 * is not NULL (res is then unused). "signatures" is null with clamd.
 * Returns a new reference, or NULL when out of memory.
 */
json_t *scan_verdict_json(const struct scan_ctx *sc, const struct scan_result *res,
			  const char *error);

#endif
