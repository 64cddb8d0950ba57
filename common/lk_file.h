/* lk_file.h: whole-file reads and atomic writes. */
#ifndef LK_FILE_H
#define LK_FILE_H

#include <stddef.h>
#include <stdio.h>

/**
 * Reads all of `path` ("-" for standard input) into a new buffer.
 * Refuses files larger than `max` bytes, folders, and a FIFO that gives
 * nothing (it has no writer). The buffer gets one extra NUL byte
 * after the data. Returns 0, or -1 with a message (naming the file) in
 * err. The caller frees *data with free().
 */
int lk_read_file(const char *path, size_t max, unsigned char **data, size_t *len,
		 char *err, size_t errlen);

/**
 * Opens `path` for reading, as fopen(path, "rb") would, but never waits: a
 * FIFO with no writer opens at once and reads as empty (where fopen would
 * block until a writer came). A folder is refused. Returns the stream, or
 * NULL with a message (naming the file) in err.
 */
FILE *lk_open_input(const char *path, char *err, size_t errlen);

/** As lk_read_file, for an open stream, whose name is used in messages. */
int lk_read_stream(FILE *f, const char *name, size_t max, unsigned char **data, size_t *len,
		   char *err, size_t errlen);

/**
 * 1 when reading from f cannot wait: its buffer holds input, or its file
 * descriptor is readable or at its end. 0 when a read could block. (The
 * buffer is looked into on glibc, as gnulib's freadahead() does; elsewhere
 * poll() alone decides.)
 */
int lk_input_ready(FILE *f);

/* Output files (written whole or not at all) are lk_out.h's. */
#include "lk_out.h"

#endif
