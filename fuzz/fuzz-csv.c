/*
 * fuzz-csv.c: the CSV reader of mail-merge files (address/csv.c), alone
 * with a small record limit, and as compose reads rows through it.
 *
 * The first input byte sets the reader's record limit (8 to 2048 bytes) so
 * that the too-long path is reached. Invariants: each call consumes input,
 * so the reader ends within (bytes + 2) calls; a record has at least one
 * field, every field is a string and together they are within the record
 * limit; start lines never go back; every bad record has a message.
 */
#include <string.h>

#include "csv.h"
#include "fuzz.h"
#include "fuzz-rows.h"

static void reader(const uint8_t *data, size_t size, size_t max_record)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return;	/* glibc refuses an empty buffer */
	struct address_csv *c = address_csv_new(f, max_record);
	FUZZ_ASSERT(c != NULL);
	char err[512], **fields;
	size_t n, calls = 0, last_line = 0;
	int rc;
	while ((rc = address_csv_next(c, &fields, &n, err, sizeof err)) != 0) {
		FUZZ_ASSERT(++calls <= size + 2);
		FUZZ_ASSERT(address_csv_line(c) >= last_line);
		last_line = address_csv_line(c);
		if (rc < 0) {
			FUZZ_ASSERT(err[0] != '\0');
			continue;
		}
		FUZZ_ASSERT(n >= 1);
		size_t bytes = 0;
		for (size_t i = 0; i < n; i++) {
			FUZZ_ASSERT(fields[i] != NULL);
			bytes += strlen(fields[i]);
		}
		/* The limit holds: a record's fields never add up to more than it. */
		FUZZ_ASSERT(bytes <= max_record);
	}
	address_csv_free(c);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t max_record = 8 + (size_t)data[0] * 8;
	reader(data + 1, size - 1, max_record);
	fuzz_compose_rows(data + 1, size - 1, ROWS_CSV, size + 1);
	return 0;
}
