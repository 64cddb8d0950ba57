/*
 * compose.h: letters from a template and rows of data, laid out to Notify's
 * letter specification with libharu.
 *
 * A struct compose_ctx is made once per process from the letter settings (a
 * settings file or a bare body in Notify's markup): it holds the parsed
 * template, the fonts (read once; glyph coverage and widths come from our own
 * reading of the TTF, not from libharu) and the logo. compose_letter() then
 * turns one row of data into one PDF in memory. Library code never prints or
 * exits: failures come back as a code and a message.
 */
#ifndef LETTERKIT_COMPOSE_COMPOSE_H
#define LETTERKIT_COMPOSE_COMPOSE_H

#include <stddef.h>

/* Notify's page limit; a row whose letter needs more pages fails. */
#define COMPOSE_MAX_PAGES 10

/* Row error codes of our own (address errors use Notify's codes). */
#define COMPOSE_ERR_PLACEHOLDER "unknown-placeholder"
#define COMPOSE_ERR_GLYPH "missing-glyph"
#define COMPOSE_ERR_TOO_LONG "letter-too-long"
#define COMPOSE_ERR_ADDRESS_FIT "address-does-not-fit"
#define COMPOSE_ERR_TEXT "invalid-text"
#define COMPOSE_ERR_PDF "pdf-error"
/* Two rows whose --name-column values name the same file: the later makes no letter. */
#define COMPOSE_ERR_SAME_NAME "same-file-name"

enum compose_language { COMPOSE_ENGLISH, COMPOSE_WELSH };

/** One row of data: parallel arrays of column names and values (UTF-8). */
struct compose_row {
	size_t n;
	const char *const *names;
	const char *const *values;
	size_t number;       /* the row in its file, for messages (rows.h: a CSV row as a
	                        spreadsheet numbers it, an NDJSON row by its line) */
};

/** The outcome of one letter. Zero it before first use. */
struct compose_result {
	unsigned char *pdf;  /* malloc'd PDF bytes, NULL when the row failed */
	size_t pdf_len;
	int pages;
	char *address;       /* malloc'd normalised address, lines joined by '\n' */
	const char *zone;    /* "united-kingdom", "europe" or "rest-of-world" */
	const char *error;   /* static code when the row failed, else NULL */
	char message[512];   /* a sentence for a person when the row failed */
};

/** The date printed on every letter. */
struct compose_date {
	int year, month, day;  /* month 1-12 */
};

struct compose_ctx;

/**
 * Reads the template at `path`: a settings file (first line "[letter]") or
 * a bare body in Notify's markup. Relative paths in it (body, logo, fonts)
 * are taken from the settings file's folder. `font_dir` is where the
 * default fonts (Liberation Sans) are looked for. `date` is printed under
 * the sender block. Returns the context, or NULL with a message naming the
 * file and line in err. Free with compose_ctx_free().
 */
struct compose_ctx *compose_ctx_new(const char *path, const char *font_dir,
				    const struct compose_date *date, char *err, size_t errlen);
void compose_ctx_free(struct compose_ctx *ctx);

/** Allow addresses outside the UK (Notify's allow_international_letters). */
void compose_set_international(struct compose_ctx *ctx, int allow);

/**
 * Makes the letter for one row. Returns 0 when the letter was made (result
 * holds the PDF) or when the row failed (result->error and message set);
 * -1 only when out of memory or libharu failed outright, with a message in
 * result->message. Clear the result with compose_result_clear().
 */
int compose_letter(struct compose_ctx *ctx, const struct compose_row *row,
		   struct compose_result *result);

/**
 * The template's placeholders that none of the n column names matches (as
 * Notify matches names: address_column_key), listed " ((a)), ((b))" in out
 * (cut to outlen). Returns how many, 0 when every placeholder has a column,
 * or (size_t)-1 when out of memory. For a CSV header: a missing column is one
 * error for the whole file, not one per row.
 */
size_t compose_missing_columns(const struct compose_ctx *ctx, const char *const *names, size_t n,
			       char *out, size_t outlen);

/** Frees what a result holds and zeroes it. NULL-safe. */
void compose_result_clear(struct compose_result *result);

/** The month name in the language, e.g. "Tachwedd"; NULL out of range. */
const char *compose_month_name(enum compose_language lang, int month);

/**
 * `letterkit compose`: the command's main (cli.c). Exit 0 every letter
 * made, 1 some row failed, 2 usage, template or system error.
 */
/** The version of libharu the letters are made with ("2.3.0"). */
const char *compose_libharu_version(void);

int compose_main(int argc, char **argv);

#endif
