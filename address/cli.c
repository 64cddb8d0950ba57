/*
 * cli.c: `letterkit address`, the front end of the address module.
 *
 * One address on stdin gives a verdict for a person (or one JSON object with
 * --json); --ndjson checks a stream of records and --csv a mail-merge file,
 * as a print room does before a merge. Exit 0 when every address is valid,
 * 1 when some is not, 2 on a usage or input error (the batch goes on).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "address.h"
#include "csv.h"
#include "record.h"
#include "lk_exit.h"
#include "lk_file.h"
#include "lk_ndjson.h"

/* One address is a few hundred bytes; refuse to read a runaway input whole. */
#define MAX_ADDRESS_INPUT (1024u * 1024)
#define MAX_CSV_RECORD (1024u * 1024)

enum mode { MODE_TEXT, MODE_JSON, MODE_NDJSON, MODE_CSV };

struct options {
	enum mode mode;
	int international;
	const char *path;    /* "-" for stdin */
};

static const char usage_text[] =
	"usage: letterkit address [--international] [--json | --ndjson | --csv] [FILE]\n"
	"\n"
	"Checks postal addresses as GOV.UK Notify does: reads FILE (default: standard\n"
	"input) and reports whether the address is valid, Notify's error code if not,\n"
	"the normalised lines, the UK postcode, the country and the postage zone.\n"
	"\n"
	"  -i, --international  allow addresses outside the UK (Notify's\n"
	"                       allow_international_letters)\n"
	"      --json           one address in, one JSON object out: valid, error,\n"
	"                       normalised, postcode, bfpo, zone, country\n"
	"      --ndjson         one JSON object per line in, each with an \"address\"\n"
	"                       string and optionally \"international\": true|false;\n"
	"                       each written back with the fields of --json added\n"
	"      --csv            a CSV file with a header row naming address_line_1 ...\n"
	"                       address_line_7 and/or postcode columns (Notify's\n"
	"                       spreadsheet columns); one JSON object per row out,\n"
	"                       with \"row\" (its row in the sheet) and \"address\"\n"
	"  -h, --help           show this help\n"
	"\n"
	"Exit status: 0 every address is valid, 1 some address is not, 2 usage or\n"
	"input error.\n";

/* Bad usage: a one-line hint on stderr, exit 2. */
static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "letterkit address: %s%s%s%s (see 'letterkit address --help')\n", what,
		arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
	return LK_EXIT_ERROR;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"international", no_argument, NULL, 'i'},
		{"json", no_argument, NULL, 'j'},
		{"ndjson", no_argument, NULL, 'n'},
		{"csv", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int modes = 0, opt;
	o->mode = MODE_TEXT;
	o->international = 0;
	o->path = "-";
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":ih", longopts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			o->international = 1;
			break;
		case 'j':
			o->mode = MODE_JSON, modes++;
			break;
		case 'n':
			o->mode = MODE_NDJSON, modes++;
			break;
		case 'c':
			o->mode = MODE_CSV, modes++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		default:
			return usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (modes > 1)
		return usage_error("use only one of --json, --ndjson and --csv", NULL);
	if (argc - optind > 1)
		return usage_error("more than one FILE given; extra", argv[optind + 1]);
	if (optind < argc)
		o->path = argv[optind];
	return 0;
}

/* Adds the verdict's fields to obj. Returns 0, or -1 when out of memory. */
static json_t *string_or_null(const char *s)
{
	/* address_check() returns valid UTF-8 only: skip jansson's second check. */
	return s ? json_string_nocheck(s) : json_null();
}

static int add_fields(json_t *obj, const struct address_result *r)
{
	int rc = 0;
	rc |= json_object_set_new_nocheck(obj, "valid", json_boolean(r->valid));
	rc |= json_object_set_new_nocheck(obj, "error", string_or_null(r->error));
	rc |= json_object_set_new_nocheck(obj, "normalised", string_or_null(r->normalised));
	rc |= json_object_set_new_nocheck(obj, "postcode", string_or_null(r->postcode));
	rc |= json_object_set_new_nocheck(obj, "bfpo", string_or_null(r->bfpo));
	rc |= json_object_set_new_nocheck(obj, "zone", json_string_nocheck(address_zone_name(r->zone)));
	rc |= json_object_set_new_nocheck(obj, "country", string_or_null(r->country));
	return rc ? -1 : 0;
}

static int status_of(const struct address_result *r)
{
	return r->valid ? LK_EXIT_OK : LK_EXIT_FAIL;
}

/* The verdict for a person: first line the verdict, then the address as Notify prints it. */
static void print_verdict(const struct address_result *r)
{
	if (r->valid)
		printf("valid: %s address (postage zone %s)\n",
		       r->zone == ADDRESS_ZONE_UNITED_KINGDOM ? "UK" : r->country,
		       address_zone_name(r->zone));
	else
		printf("invalid: %s: %s\n", r->error, address_error_message(r->error));
	if (r->postcode)
		printf("postcode: %s\n", r->postcode);
	if (r->bfpo)
		printf("BFPO: %s\n", r->bfpo);
	printf("country: %s\n", r->country);
	printf("normalised address:\n");
	for (const char *s = r->normalised; *s;) {
		const char *end = strchr(s, '\n');
		int n = end ? (int)(end - s) : (int)strlen(s);
		printf("  %.*s\n", n, s);
		s = end ? end + 1 : s + n;
	}
}

static int run_one(const struct options *o)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char err[512];
	struct address_result r = {0};
	int status = LK_EXIT_ERROR;
	json_t *obj = NULL;

	if (lk_read_file(o->path, MAX_ADDRESS_INPUT, &data, &len, err, sizeof err) < 0) {
		fprintf(stderr, "letterkit address: %s\n", err);
		goto out;
	}
	if (address_check((const char *)data, len, o->international, &r) < 0) {
		fprintf(stderr, "letterkit address: %s: %s\n",
			strcmp(o->path, "-") ? o->path : "<stdin>", address_error_message(r.error));
		goto out;
	}
	if (o->mode == MODE_JSON) {
		obj = json_object();
		if (!obj || add_fields(obj, &r) < 0 || lk_ndjson_write(stdout, obj) < 0) {
			fprintf(stderr, "letterkit address: cannot write the result: %s\n", strerror(errno));
			goto out;
		}
	} else {
		print_verdict(&r);
		if (fflush(stdout) != 0) {
			fprintf(stderr, "letterkit address: cannot write the result: %s\n", strerror(errno));
			goto out;
		}
	}
	status = status_of(&r);
out:
	json_decref(obj);
	address_result_clear(&r);
	free(data);
	return status;
}

/* Checks one NDJSON record in place. Returns its exit status. */
static int check_record(json_t *rec, int international, const char *name, size_t line)
{
	struct address_result r = {0};
	json_t *addr = json_object_get(rec, "address");
	json_t *intl = json_object_get(rec, "international");
	if (!json_is_string(addr)) {
		fprintf(stderr, "letterkit address: %s: line %zu: no \"address\" string; record passed on unchecked\n",
			name, line);
		return LK_EXIT_ERROR;
	}
	if (intl && !json_is_boolean(intl)) {
		fprintf(stderr, "letterkit address: %s: line %zu: \"international\" must be true or false; "
			"record passed on unchecked\n", name, line);
		return LK_EXIT_ERROR;
	}
	if (intl)
		international = json_is_true(intl);
	if (address_check(json_string_value(addr), json_string_length(addr), international, &r) < 0 ||
	    add_fields(rec, &r) < 0) {
		fprintf(stderr, "letterkit address: %s: line %zu: %s\n", name, line,
			r.error ? address_error_message(r.error) : "out of memory");
		address_result_clear(&r);
		return LK_EXIT_ERROR;
	}
	int status = status_of(&r);
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
	FILE *f = fopen(path, "rb");
	if (!f)
		fprintf(stderr, "letterkit address: cannot open %s: %s\n", path, strerror(errno));
	return f;
}

/*
 * Output of a stream of records. Through a pipe each record is flushed at
 * once, so that the next stage sees it; when the input is a regular file,
 * whose reads never wait, records are written in large blocks.
 */
struct output {
	struct address_buf buf;
	int flush_each;
};

static int emit(struct output *out)
{
	if (fwrite(out->buf.s, 1, out->buf.len, stdout) != out->buf.len)
		return -1;
	out->buf.len = 0;
	return out->flush_each ? fflush(stdout) : 0;
}

/* A record from the JSON library's tree, as one compact line. */
static int emit_json(struct output *out, const json_t *rec)
{
	size_t n = json_dumpb(rec, NULL, 0, JSON_COMPACT);
	if (n == 0)
		return -1;
	out->buf.len = 0;
	if (address_buf_reserve(&out->buf, n + 1) < 0)
		return -1;
	json_dumpb(rec, out->buf.s, n, JSON_COMPACT);
	out->buf.s[n] = '\n';
	out->buf.len = n + 1;
	return emit(out);
}

static int output_failed(void)
{
	fprintf(stderr, "letterkit address: cannot write to standard output: %s\n", strerror(errno));
	return LK_EXIT_ERROR;
}

/* The full path: jansson parses the record, checks it, writes it back. */
static int slow_record(struct lk_ndjson_reader *rd, const char *line, size_t len,
		       const struct options *o, const char *name, struct output *out)
{
	char err[512];
	json_t *rec = NULL;
	if (lk_ndjson_parse(rd, line, len, &rec, err, sizeof err) < 0) {
		fprintf(stderr, "letterkit address: %s\n", err);
		return LK_EXIT_ERROR;
	}
	int status = check_record(rec, o->international, name, lk_ndjson_line(rd));
	if (emit_json(out, rec) < 0)
		status = output_failed();
	json_decref(rec);
	return status;
}

/* The fast path (record.c): a plain record, its bytes written back with the verdict added. */
static int fast_record(struct address_record *rec, const char *line, const struct options *o,
		       const char *name, size_t line_no, struct output *out)
{
	struct address_result r = {0};
	int intl = rec->international < 0 ? o->international : rec->international;
	int status;
	if (address_check(rec->address.s, rec->address.len, intl, &r) < 0) {
		fprintf(stderr, "letterkit address: %s: line %zu: %s; record passed on unchecked\n", name,
			line_no, address_error_message(r.error));
		out->buf.len = 0;
		if (address_buf_add(&out->buf, line, strlen(line)) < 0 ||
		    address_buf_add(&out->buf, "\n", 1) < 0 || emit(out) < 0)
			output_failed();
		address_result_clear(&r);
		return LK_EXIT_ERROR;
	}
	out->buf.len = 0;
	status = status_of(&r);
	if (address_record_write(line, rec, &r, &out->buf) < 0 || emit(out) < 0)
		status = output_failed();
	address_result_clear(&r);
	return status;
}

static int regular_file(FILE *f)
{
	struct stat st;
	return fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
}

static int run_ndjson(const struct options *o)
{
	const char *name;
	FILE *f = open_input(o->path, &name);
	struct lk_ndjson_reader *rd = NULL;
	struct output out = {.flush_each = 0};
	struct address_record rec = {.has_address = 0};
	int status = LK_EXIT_OK;
	char err[512];

	if (!f)
		return LK_EXIT_ERROR;
	out.flush_each = !regular_file(f);
	rd = lk_ndjson_reader_new(f, name, LK_NDJSON_MAX_LINE, NULL, 0);
	if (!rd) {
		fprintf(stderr, "letterkit address: out of memory\n");
		status = LK_EXIT_ERROR;
		goto out;
	}
	for (;;) {
		const char *line;
		size_t len;
		int got = lk_ndjson_next_line(rd, &line, &len, err, sizeof err);
		if (got == 0)
			break;
		if (got < 0) {
			fprintf(stderr, "letterkit address: %s\n", err);
			status = LK_EXIT_ERROR;
			continue;
		}
		int fast = address_record_scan(line, len, &rec);
		int s;
		if (fast > 0 && rec.has_address)
			s = fast_record(&rec, line, o, name, lk_ndjson_line(rd), &out);
		else
			s = slow_record(rd, line, len, o, name, &out);
		status = lk_exit_worse(status, s);
		if (ferror(stdout))
			break;
	}
out:
	if (fflush(stdout) != 0 && status != LK_EXIT_ERROR)
		status = output_failed();
	address_buf_free(&out.buf);
	address_buf_free(&rec.address);
	lk_ndjson_reader_free(rd);
	if (f != stdin)
		fclose(f);
	return status;
}

/*
 * Notify matches spreadsheet columns ignoring case, spaces, '_' and '-', so
 * "Address line 1" is address_line_1. Returns the column's key, lower-cased.
 */
static void column_key(const char *name, char *key, size_t size)
{
	size_t n = 0;
	for (; *name && n + 1 < size; name++) {
		if (*name == ' ' || *name == '_' || *name == '-')
			continue;
		key[n++] = (*name >= 'A' && *name <= 'Z') ? (char)(*name + 32) : *name;
	}
	key[n] = '\0';
}

/* Columns of lines 1-6, then line 7 or the postcode (-1 when absent). */
struct columns {
	long col[7];
};

static int find_columns(char **fields, size_t n, struct columns *c)
{
	long postcode = -1, line7 = -1;
	int any = 0;
	for (int i = 0; i < 7; i++)
		c->col[i] = -1;
	for (size_t i = 0; i < n; i++) {
		char key[64];
		column_key(fields[i], key, sizeof key);
		if (strcmp(key, "postcode") == 0) {
			postcode = (long)i, any = 1;
		} else if (strncmp(key, "addressline", 11) == 0 && key[11] >= '1' && key[11] <= '7' &&
			   key[12] == '\0') {
			c->col[key[11] - '1'] = (long)i, any = 1;
			if (key[11] == '7')
				line7 = (long)i;
		}
	}
	/* As Notify: with an address_line_7 column the postcode column is not read. */
	c->col[6] = line7 >= 0 ? line7 : postcode;
	return any ? 0 : -1;
}

static char *join_columns(const struct columns *c, char **fields, size_t n)
{
	size_t len = 0;
	for (int i = 0; i < 7; i++)
		if (c->col[i] >= 0 && (size_t)c->col[i] < n)
			len += strlen(fields[c->col[i]]);
	char *s = malloc(len + 8);
	if (!s)
		return NULL;
	size_t k = 0;
	for (int i = 0; i < 7; i++) {
		if (i)
			s[k++] = '\n';
		if (c->col[i] >= 0 && (size_t)c->col[i] < n) {
			size_t m = strlen(fields[c->col[i]]);
			memcpy(s + k, fields[c->col[i]], m);
			k += m;
		}
	}
	s[k] = '\0';
	return s;
}

static int csv_row(const struct options *o, const struct columns *cols, char **fields, size_t n,
		   const char *name, size_t line)
{
	struct address_result r = {0};
	json_t *rec = NULL;
	char *raw = join_columns(cols, fields, n);
	int status = LK_EXIT_ERROR;

	if (!raw) {
		fprintf(stderr, "letterkit address: out of memory\n");
		goto out;
	}
	if (address_check(raw, strlen(raw), o->international, &r) < 0) {
		fprintf(stderr, "letterkit address: %s: line %zu: %s\n", name, line,
			address_error_message(r.error));
		goto out;
	}
	rec = json_object();
	if (!rec || json_object_set_new(rec, "row", json_integer((json_int_t)line)) ||
	    json_object_set_new(rec, "address", json_string(raw)) || add_fields(rec, &r) < 0) {
		fprintf(stderr, "letterkit address: out of memory\n");
		goto out;
	}
	if (lk_ndjson_write(stdout, rec) < 0) {
		fprintf(stderr, "letterkit address: cannot write to standard output: %s\n", strerror(errno));
		goto out;
	}
	status = status_of(&r);
out:
	json_decref(rec);
	address_result_clear(&r);
	free(raw);
	return status;
}

static int run_csv(const struct options *o)
{
	const char *name;
	FILE *f = open_input(o->path, &name);
	struct address_csv *csv = NULL;
	struct columns cols;
	int status = LK_EXIT_OK, got;
	char err[512];
	char **fields;
	size_t n;

	if (!f)
		return LK_EXIT_ERROR;
	csv = address_csv_new(f, MAX_CSV_RECORD);
	if (!csv) {
		fprintf(stderr, "letterkit address: out of memory\n");
		status = LK_EXIT_ERROR;
		goto out;
	}
	got = address_csv_next(csv, &fields, &n, err, sizeof err);
	if (got <= 0 || find_columns(fields, n, &cols) < 0) {
		fprintf(stderr, "letterkit address: %s: %s\n", name,
			got < 0 ? err : got == 0 ? "empty file, no header row"
				: "the header row names no address_line_1 ... address_line_7 or postcode column");
		status = LK_EXIT_ERROR;
		goto out;
	}
	while ((got = address_csv_next(csv, &fields, &n, err, sizeof err)) != 0) {
		if (got < 0) {
			fprintf(stderr, "letterkit address: %s: %s\n", name, err);
			status = LK_EXIT_ERROR;
			continue;
		}
		if (n == 1 && fields[0][0] == '\0')
			continue;   /* a blank line */
		int s = csv_row(o, &cols, fields, n, name, address_csv_line(csv));
		status = lk_exit_worse(status, s);
	}
out:
	address_csv_free(csv);
	if (f != stdin)
		fclose(f);
	return status;
}

int address_main(int argc, char **argv)
{
	struct options o;
	int rc = parse_options(argc, argv, &o);
	if (rc != 0)
		return rc < 0 ? LK_EXIT_OK : rc;
	switch (o.mode) {
	case MODE_NDJSON:
		return run_ndjson(&o);
	case MODE_CSV:
		return run_csv(&o);
	case MODE_TEXT:
	case MODE_JSON:
	default:
		return run_one(&o);
	}
}
