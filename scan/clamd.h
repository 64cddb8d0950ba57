/*
 * clamd.h: a client of a running clamd (private to the scan library).
 *
 * Each file goes over a new connection with clamd's INSTREAM command
 * (the file's bytes in length-prefixed chunks), so clamd needs no access
 * to our files and nothing is left open between files.
 */
#ifndef LETTERKIT_SCAN_CLAMD_H
#define LETTERKIT_SCAN_CLAMD_H

#include <stddef.h>

#include "scan.h"

struct scan_clamd;

/**
 * A client of the clamd at `addr`: a unix socket path (anything with a '/'
 * or without a ':'), "HOST:PORT" or "[IPV6]:PORT". Asks clamd for its
 * version, so an unreachable clamd fails here. Returns 0 and the client in
 * *out (free with scan_clamd_free()), or -1 with a message in err.
 */
int scan_clamd_new(struct scan_clamd **out, const char *addr, char *err, size_t errlen);
void scan_clamd_free(struct scan_clamd *cd);

/** clamd's ClamAV version ("1.4.6"), borrowed. */
const char *scan_clamd_version(const struct scan_clamd *cd);

/**
 * Streams the open file `fd` (read to its end, not closed) to clamd.
 * Returns 0 with the verdict in *res, or -1 with a message in err.
 */
int scan_clamd_fd(struct scan_clamd *cd, int fd, struct scan_result *res, char *err, size_t errlen);

/** As scan_clamd_fd, for `len` bytes at `data`. */
int scan_clamd_buffer(struct scan_clamd *cd, const void *data, size_t len, struct scan_result *res,
		      char *err, size_t errlen);

#endif
