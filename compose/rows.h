/*
 * rows.h: rows of letter data from CSV (a header row, then one letter per
 * record) or NDJSON (one JSON object per line, values strings or numbers).
 */
#ifndef COMPOSE_ROWS_H
#define COMPOSE_ROWS_H

#include <stddef.h>
#include <stdio.h>

#include "compose.h"

enum rows_format { ROWS_CSV, ROWS_NDJSON };

struct rows;

/**
 * A reader of f (not closed by it), named `name` in messages. For CSV the
 * header is read here: NULL with a message when it is missing, unreadable,
 * or has no address columns (address_line_1 ... or address).
 */
struct rows *compose_rows_new(FILE *f, const char *name, enum rows_format format, char *err, size_t errlen);
void compose_rows_free(struct rows *r);

/**
 * The next row: 1 with *row filled (valid until the next call), 0 at the
 * end, -1 for a bad row (a malformed CSV record, a NUL byte in a field, a
 * wrong field count, a line that is not a JSON object) with a message naming
 * the file and row in err, and row->number set; the next call goes on after
 * it. row->number is the row as a person finds it in the file: a CSV row as
 * a spreadsheet numbers it (the header is row 1, so the first letter is row
 * 2; csv.h), an NDJSON row by its line. Blank CSV rows are passed over.
 */
int compose_rows_next(struct rows *r, struct compose_row *row, char *err, size_t errlen);

/** The CSV header's column names in *names, and their count; 0 for NDJSON, which has no header. */
size_t compose_rows_header(const struct rows *r, const char *const **names);

#endif
