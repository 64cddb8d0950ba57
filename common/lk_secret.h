/*
 * lk_secret.h: reading a file that holds a secret (an API key, the
 * sandbox's keys), the one way: the file is opened once and checked on the
 * descriptor it was read from (no stat-then-open race), it must be a
 * regular file that neither group nor others may read, and what was read is
 * wiped from memory by the caller with lk_secret_wipe() once used.
 */
#ifndef LK_SECRET_H
#define LK_SECRET_H

#include <stddef.h>

/**
 * Reads all of `path` (at most max bytes) into buf (size max + 1; gets a
 * NUL after the data) and sets *len. Refuses a file group or others may
 * read ("chmod 600 PATH"), anything but a regular file, and a file larger
 * than max. Returns 0, or -1 with a message naming the file in err (it
 * never quotes the file's contents). buf is wiped on failure.
 */
int lk_secret_read(const char *path, char *buf, size_t max, size_t *len, char *err, size_t errlen);

/** Overwrites n bytes at p with zeros in a way the compiler may not drop. */
void lk_secret_wipe(void *p, size_t n);

#endif
