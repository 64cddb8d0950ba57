/*
 * csv.h: a streaming CSV reader (RFC 4180), for mail-merge address files.
 *
 * Fields may be quoted ("a, b", "say ""hi""") and quoted fields may hold line
 * breaks; records end with "\n" or "\r\n". A UTF-8 byte-order mark at the
 * start is skipped, as spreadsheets write one. compose and `address --csv`
 * both read their CSV through it. The first record is the header row: its
 * fields are kept to name columns in messages.
 */
#ifndef ADDRESS_CSV_H
#define ADDRESS_CSV_H

#include <stddef.h>
#include <stdio.h>

struct address_csv;

/* A reader of f (not closed by it). NULL when out of memory. */
struct address_csv *address_csv_new(FILE *f, size_t max_record);
void address_csv_free(struct address_csv *c);

/*
 * Reads the next record: 1 with its fields in *fields (NUL-terminated, owned
 * by the reader until the next call) and their count in *nfields, 0 at the end
 * of the input, -1 on a bad record (a quote left open, a record longer than
 * max_record bytes, a NUL byte in a field, out of memory) with a message in
 * err that starts "row R (line L)" and names the column of a NUL byte. A bad
 * record still counts as a row, and the next call goes on after it.
 */
int address_csv_next(struct address_csv *c, char ***fields, size_t *nfields, char *err,
		     size_t errlen);

/* The 1-based line on which the record last read started. */
size_t address_csv_line(const struct address_csv *c);

/*
 * The row of the record last read, as a spreadsheet numbers it: the header
 * is row 1, the first data row 2. A quoted field's line breaks stay in its
 * row, and a blank line is a row (an empty one), as in a spreadsheet.
 */
size_t address_csv_row(const struct address_csv *c);

/* 1 when every field of a record is empty: a blank row, which makes no letter. */
int address_csv_blank(char *const *fields, size_t nfields);

#endif
