/*
 * batch.c: `letterkit address --ndjson` and `--csv`, many addresses a run.
 *
 * Records are checked one by one and written back as they are read; a bad
 * record is reported (file and line) and the stream goes on, and the run
 * exits with the worst status. Plain NDJSON records take record.c's fast
 * path; anything else goes through jansson.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "address.h"
#include "cli.h"
#include "csv.h"
#include "lk_buf.h"
#include "lk_file.h"
#include "lk_exit.h"
#include "lk_input.h"
#include "lk_ndjson.h"
#include "record.h"

/* A CSV row of a mail merge is small; this bounds a runaway quoted field. */
#define MAX_CSV_RECORD (1024u * 1024)

/*
 * Codes of our own (beside address.h's "not-valid-utf-8"...), in "error" of a
 * record that could not be checked at all: "valid" is false and the other
 * members are null. Every record read is written back, so none vanishes
 * from the stream; the run's status is 2.
 */
#define ERR_NO_ADDRESS "no-address-string"
#define ERR_INTERNATIONAL "international-not-true-or-false"
#define ERR_BAD_LINE "not-a-json-record"

/* Says why the record at `line` could not be checked, as lk_input says it. */
static void say_unchecked(const char *name, size_t line, const char *why)
{
	fprintf(stderr, "letterkit address: %s: line %zu: %s\n", name, line, why);
}

/* Checks one NDJSON record in place. Returns its exit status. */
static int check_record(json_t *rec, int international, const char *name, size_t line)
{
	struct address_result r = {0};
	json_t *addr = json_object_get(rec, "address");
	json_t *intl = json_object_get(rec, "international");
	const char *why = NULL;
	if (!json_is_string(addr)) {
		r.error = ERR_NO_ADDRESS;
		why = "the record has no \"address\" string to check";
	} else if (intl && !json_is_boolean(intl)) {
		r.error = ERR_INTERNATIONAL;
		why = "\"international\" must be true or false";
	} else if (address_check(json_string_value(addr), json_string_length(addr),
				 intl ? json_is_true(intl) : international, &r) < 0) {
		why = address_error_message(r.error);
	}
	if (why)
		say_unchecked(name, line, why);
	int status = why ? LK_EXIT_ERROR : address_cli_status(&r);
	if (address_cli_add_fields(rec, &r) < 0) {
		say_unchecked(name, line, "out of memory");
		status = LK_EXIT_ERROR;
	}
	address_result_clear(&r);
	return status;
}

static FILE *open_input(const char *path, const char **name)
{
	if (strcmp(path, "-") == 0) {
		*name = "<stdin>";
		return stdin;
	}
	*name = path;
	char err[600];
	FILE *f = lk_open_input(path, err, sizeof err);   /* a FIFO with no writer: no wait */
	if (!f)
		fprintf(stderr, "letterkit address: cannot open %s\n", err);
	return f;
}

/*
 * Output of a stream of records, written in blocks. In a pipeline the next
 * stage must see each record without waiting for more input, so before the
 * reader could wait for input (it is not a regular file and none is ready)
 * what has been written is flushed; while input keeps coming, nothing is
 * held back longer than it takes to fill stdout's buffer.
 */
struct output {
	struct lk_buf buf;   /* the record being written */
	int may_wait;    /* the input is a pipe or terminal, whose reads can wait */
	int pending;     /* written since the last flush */
};

static int emit(struct output *out)
{
	if (out->buf.oom || fwrite(out->buf.data, 1, out->buf.len, stdout) != out->buf.len)
		return -1;
	out->buf.len = 0;
	out->pending = 1;
	return 0;
}

/* Flushes stdout when reading the next record from f might wait. */
static int flush_before_wait(struct output *out, FILE *f)
{
	if (!out->may_wait || !out->pending || lk_input_ready(f))
		return 0;   /* more input is at hand: reading will not wait */
	out->pending = 0;
	return fflush(stdout);
}

/* A record from the JSON library's tree, as one compact line. */
static int emit_json(struct output *out, const json_t *rec)
{
	char *s = json_dumps(rec, LK_NDJSON_DUMP_FLAGS);
	if (!s)
		return -1;
	out->buf.len = 0;
	lk_buf_puts(&out->buf, s);
	lk_buf_append(&out->buf, "\n", 1);
	free(s);
	return emit(out);
}

static int output_failed(void)
{
	lk_output_failed_now(&address_cli_command);
	return LK_EXIT_ERROR;
}

/*
 * A line that is not a record (not JSON, too long...), already said on
 * stderr: written as {"line": N} with the members of an unchecked record,
 * so that it is still in the output, where it was.
 */
static int bad_line(size_t line_no, struct output *out)
{
	struct address_result r = {.error = ERR_BAD_LINE};
	json_t *rec = json_pack("{s:I}", "line", (json_int_t)line_no);
	if (!rec || address_cli_add_fields(rec, &r) < 0 || emit_json(out, rec) < 0)
		output_failed();
	json_decref(rec);
	return LK_EXIT_ERROR;
}

/* The full path: jansson parses the record, checks it, writes it back. */
static int slow_record(struct lk_ndjson_reader *rd, const char *line, size_t len,
		       int international, const char *name, struct output *out)
{
	char err[512];
	json_t *rec = NULL;
	int status;
	if (lk_ndjson_parse(rd, line, len, &rec, err, sizeof err) < 0) {
		fprintf(stderr, "letterkit address: %s\n", err);
		return bad_line(lk_ndjson_line(rd), out);
	}
	status = check_record(rec, international, name, lk_ndjson_line(rd));
	if (emit_json(out, rec) < 0)
		status = output_failed();
	json_decref(rec);
	return status;
}

/* The fast path (record.c): a plain record, its bytes written back with the verdict added. */
static int fast_record(struct address_record *rec, const char *line, int international,
		       const char *name, size_t line_no, struct output *out)
{
	struct address_result r = {0};
	int intl = rec->international < 0 ? international : rec->international;
	int status;
	if (address_check(rec->address.data, rec->address.len, intl, &r) < 0) {
		/* Unreadable text: r says why (its code, the rest null), and it is written back so. */
		say_unchecked(name, line_no, address_error_message(r.error));
		status = LK_EXIT_ERROR;
	} else {
		status = address_cli_status(&r);
	}
	out->buf.len = 0;
	if (address_record_write(line, rec, &r, &out->buf) < 0 || emit(out) < 0)
		status = output_failed();
	address_result_clear(&r);
	return status;
}

/* The end of a batch: the last output flushed, the input closed. Returns the status. */
static int end_run(struct output *out, FILE *f, int status)
{
	if (fflush(stdout) != 0 && status != LK_EXIT_ERROR)
		status = output_failed();
	lk_buf_free(&out->buf);
	if (f != stdin)
		fclose(f);
	return status;
}

static int regular_file(FILE *f)
{
	struct stat st;
	return fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
}

int address_cli_ndjson(const char *path, int international)
{
	const char *name;
	FILE *f = open_input(path, &name);
	struct lk_ndjson_reader *rd = NULL;
	struct output out = {.may_wait = 0};
	struct address_record rec = {.has_address = 0};
	int status = LK_EXIT_OK;
	char err[512];

	if (!f)
		return LK_EXIT_ERROR;
	out.may_wait = !regular_file(f);
	rd = lk_ndjson_reader_new(f, name, LK_NDJSON_MAX_LINE, NULL, 0);
	if (!rd) {
		fprintf(stderr, "letterkit address: out of memory\n");
		status = LK_EXIT_ERROR;
		goto out;
	}
	for (;;) {
		const char *line;
		size_t len;
		if (flush_before_wait(&out, f) != 0) {
			status = output_failed();
			break;
		}
		int got = lk_ndjson_next_line(rd, &line, &len, err, sizeof err);
		if (got == 0)
			break;
		if (got < 0) {   /* too long to hold: still a record in the output */
			fprintf(stderr, "letterkit address: %s\n", err);
			status = lk_exit_worse(status, bad_line(lk_ndjson_line(rd), &out));
			continue;
		}
		int fast = address_record_scan(line, len, &rec);
		int s;
		if (fast > 0 && rec.has_address)
			s = fast_record(&rec, line, international, name, lk_ndjson_line(rd), &out);
		else
			s = slow_record(rd, line, len, international, name, &out);
		status = lk_exit_worse(status, s);
		if (ferror(stdout))
			break;
	}
out:
	lk_buf_free(&rec.address);
	lk_ndjson_reader_free(rd);
	return end_run(&out, f, status);
}

/*
 * One row: {"row": N, "address": the joined text} with the verdict added;
 * N is the row as a spreadsheet numbers it (csv.h), as in compose's manifest.
 */
static int csv_row(int international, const struct address_columns *cols, char **fields, size_t n,
		   const char *name, size_t row, struct output *out)
{
	struct address_result r = {0};
	struct lk_buf rec_text = {0};
	struct address_record rec = {.has_address = 1};
	char *raw = address_columns_join(cols, (const char *const *)fields, n);
	int status = LK_EXIT_ERROR;

	if (!raw) {
		fprintf(stderr, "letterkit address: out of memory\n");
		goto out;
	}
	if (address_check(raw, strlen(raw), international, &r) < 0) {
		fprintf(stderr, "letterkit address: %s: row %zu: %s\n", name, row,
			address_error_message(r.error));
		goto out;
	}
	lk_buf_printf(&rec_text, "{\"row\":%zu,\"address\":", row);
	address_json_string(&rec_text, raw);
	lk_buf_append(&rec_text, "}", 1);
	if (rec_text.oom) {
		fprintf(stderr, "letterkit address: out of memory\n");
		goto out;
	}
	rec.close = rec_text.len - 1;
	out->buf.len = 0;
	if (address_record_write(rec_text.data, &rec, &r, &out->buf) < 0 || emit(out) < 0) {
		output_failed();
		goto out;
	}
	status = address_cli_status(&r);
out:
	lk_buf_free(&rec_text);
	address_result_clear(&r);
	free(raw);
	return status;
}

int address_cli_csv(const char *path, int international)
{
	const char *name;
	FILE *f = open_input(path, &name);
	struct address_csv *csv = NULL;
	struct output out = {.may_wait = 0};
	struct address_columns cols;
	int status = LK_EXIT_OK, got;
	char err[512];
	char **fields;
	size_t n;

	if (!f)
		return LK_EXIT_ERROR;
	out.may_wait = !regular_file(f);
	csv = address_csv_new(f, MAX_CSV_RECORD);
	if (!csv) {
		fprintf(stderr, "letterkit address: out of memory\n");
		status = LK_EXIT_ERROR;
		goto out;
	}
	got = address_csv_next(csv, &fields, &n, err, sizeof err);
	if (got <= 0 || address_columns_find((const char *const *)fields, n, &cols) < 0) {
		fprintf(stderr, "letterkit address: %s: %s\n", name,
			got < 0 ? err : got == 0 ? "empty file, no header row"
				: "the header row needs at least 3 of Notify's address columns (address_line_1 ... address_line_7, postcode), or one address column");
		status = LK_EXIT_ERROR;
		goto out;
	}
	for (;;) {
		if (flush_before_wait(&out, f) != 0) {
			status = output_failed();
			break;
		}
		got = address_csv_next(csv, &fields, &n, err, sizeof err);
		if (got == 0)
			break;
		if (got < 0) {
			fprintf(stderr, "letterkit address: %s: %s\n", name, err);
			status = LK_EXIT_ERROR;
			continue;
		}
		if (address_csv_blank(fields, n))
			continue;   /* a blank row */
		int s = csv_row(international, &cols, fields, n, name, address_csv_row(csv), &out);
		status = lk_exit_worse(status, s);
		if (ferror(stdout))
			break;
	}
out:
	address_csv_free(csv);
	return end_run(&out, f, status);
}

