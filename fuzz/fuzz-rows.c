/* fuzz-rows.c: compose's rows over a fuzzed stream, shared by fuzz-csv and fuzz-ndjson. */
#include "fuzz-rows.h"

void fuzz_compose_rows(const uint8_t *data, size_t size, enum rows_format format, size_t max_calls)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return;	/* glibc refuses an empty buffer */
	char err[512];
	struct rows *rows = compose_rows_new(f, "fuzz", format, err, sizeof err);
	if (!rows) {
		FUZZ_ASSERT(err[0] != '\0');
	} else {
		struct compose_row row;
		size_t calls = 0;
		int rc;
		while ((rc = compose_rows_next(rows, &row, err, sizeof err)) != 0) {
			FUZZ_ASSERT(++calls <= max_calls);
			if (rc > 0)
				for (size_t i = 0; i < row.n; i++)
					FUZZ_ASSERT(row.names[i] && row.values[i]);
			else
				FUZZ_ASSERT(err[0] != '\0');
		}
		compose_rows_free(rows);
	}
	fclose(f);
}
