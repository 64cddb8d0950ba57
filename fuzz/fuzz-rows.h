/* fuzz-rows.h: compose's row reader under a harness (fuzz-csv.c, fuzz-ndjson.c). */
#ifndef LETTERKIT_FUZZ_ROWS_H
#define LETTERKIT_FUZZ_ROWS_H

#include "fuzz.h"
#include "rows.h"

/*
 * Reads every row of data[0..size) in `format`. Invariants: the reader ends
 * within max_calls calls (each consumes input); every row's names and
 * values are strings; every bad row and a refused header have a message.
 */
void fuzz_compose_rows(const uint8_t *data, size_t size, enum rows_format format, size_t max_calls);

#endif
