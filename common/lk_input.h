/*
 * lk_input.h: the letters a command is given, the one way every stage reads them.
 *
 * A stage that works on letter files (check, scan, send) is given, in its
 * operands after the options:
 *   - files, each one letter whatever its name;
 *   - folders, recursed, each PDF in them (a name ending in .pdf, any case,
 *     not starting with '.') in byte order of its path, so `check DIR` works;
 *   - nothing or "-": standard input, which holds either one PDF (it starts
 *     with "%PDF-"; the letter is called "-") or NDJSON records, each naming
 *     its letter in "file" (or "file" plus "file_base64", lk_text.h).
 * Every input gives a letter, so no input can vanish from a batch's output:
 *   - a bad NDJSON line (too long, not JSON, not an object) is a letter with
 *     no file, whose record is {"line": N}, and l->error says why;
 *   - a record without its "file" string is a letter with no file, its
 *     record as read, and l->error says why;
 *   - a folder that cannot be read is a letter with that error;
 *   - for a stage that takes no PDF on stdin (stdin_pdf 0: send needs a
 *     file name), a PDF there is one letter with no file and no record,
 *     and that error; the rest of standard input is not read (it is not
 *     taken for a stream of bad lines).
 * Such errors have been said on stderr already ("letterkit check: <stdin>
 * line 3: ..."); the stage records them in its own object of the record
 * ({"check": {"error": ...}}) as it records a file it cannot read, and its
 * exit status is 2.
 *
 * Standard input that is a terminal is refused with a usage message rather
 * than waited on in silence. A stop signal (lk_stop.h) ends the letters.
 */
#ifndef LK_INPUT_H
#define LK_INPUT_H

#include <stddef.h>

#include <jansson.h>

#include "lk_opt.h"

struct lk_input;

struct lk_letter {
	const char *path;   /* the file, or "-" for a PDF on stdin (data holds it), or NULL (error says why) */
	json_t *record;     /* the NDJSON record it came in (yours: json_decref it), or NULL for an operand */
	size_t line;        /* the record's line on stdin, or 0 */
	const unsigned char *data;   /* a PDF read from stdin (valid until the next call), else NULL */
	size_t len;
	const char *error;  /* why there is no letter to read: already said on stderr, else NULL */
};

/**
 * The input of `cmd` from its n operands. stdin_pdf: a PDF on standard
 * input is one letter (max_stdin bytes at most); without it, standard
 * input holds records only. Returns NULL after saying why on stderr
 * (standard input is a terminal, out of memory): exit 2.
 */
struct lk_input *lk_input_new(const struct lk_cmd *cmd, int n, char **operands, int stdin_pdf,
			      size_t max_stdin);

/**
 * The next letter into *l: returns 1, or 0 at the end of the input or once
 * a stop signal arrived (lk_stop_signal() tells which). The strings in *l
 * are valid until the next call.
 */
int lk_input_next(struct lk_input *in, struct lk_letter *l);

/**
 * How many letters the operands give, when that is known before the first
 * (files only: the total of a progress line), else -1 (standard input or a
 * folder among them).
 */
long lk_input_total(const struct lk_input *in);

/**
 * 1 when lk_input_next() would not wait for standard input: the next letter
 * comes from an operand, or standard input has bytes (or its end) at hand.
 * For a stage that must not block while work is in flight (send feeding
 * libcurl, under `letterkit watch` which waits for each answer): when 0, it
 * polls fileno(stdin) along with its own work and asks again. A record
 * whose line has only partly arrived is still waited for.
 */
int lk_input_at_hand(const struct lk_input *in);

struct lk_progress;
/** The progress line (lk_tty.h) to hide before the input says something on stderr. */
void lk_input_progress(struct lk_input *in, struct lk_progress *p);

/** 1 when the letters came as NDJSON records (the stage writes each record back). */
int lk_input_records(const struct lk_input *in);

void lk_input_free(struct lk_input *in);

/**
 * Writes rec as one NDJSON line on standard output and flushes. On failure
 * says once on stderr why standard output cannot be written, and returns -1
 * (and every later call too).
 */
int lk_input_write_record(const struct lk_cmd *cmd, const json_t *rec);

/** 1 when standard output could not be written at some point (the batch's status is then 2). */
int lk_output_failed(void);

/**
 * For a command's own writes to standard output: notes that one failed and
 * says once on stderr why ("letterkit C: cannot write the standard output:
 * No space left on device"), errno being the write's.
 */
void lk_output_failed_now(const struct lk_cmd *cmd);

/**
 * At the end of a batch: flushes standard output. Returns 0, or -1 when that
 * or any earlier write failed (said once).
 */
int lk_output_finish(const struct lk_cmd *cmd);

#endif
