/*
 * cli.c: `letterkit address`, the front end of the address module.
 *
 * One address on stdin gives a verdict for a person (or one JSON object with
 * --json); --ndjson checks a stream of records and --csv a mail-merge file,
 * as a print room does before a merge (batch.c). Exit 0 when every address
 * is valid, 1 when some is not, 2 on a usage or input error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "address.h"
#include "cli.h"
#include "lk_exit.h"
#include "lk_file.h"
#include "lk_input.h"
#include "lk_ndjson.h"
#include "lk_opt.h"
#include "lk_text.h"

/* One address is a few hundred bytes; refuse to read a runaway input whole. */
#define MAX_ADDRESS_INPUT (1024u * 1024)

enum mode { MODE_TEXT, MODE_JSON, MODE_NDJSON, MODE_CSV };

struct options {
	enum mode mode;
	int international;
	const char *path;    /* "-" for stdin */
};

static void versions(FILE *out)
{
	fprintf(out, "jansson %s\n", jansson_version_str());
}

const struct lk_cmd address_cli_command = {"address",
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
	"      --version        print the version and exit\n"
	"\n"
	"Exit status: 0 every address is valid, 1 some address is not, 2 usage or\n"
	"input error.\n",
	versions};

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"international", no_argument, NULL, 'i'},
		{"json", no_argument, NULL, 'j'},
		{"ndjson", no_argument, NULL, 'n'},
		{"csv", no_argument, NULL, 'c'},
		LK_OPT_COMMON,
	};
	int modes = 0, opt, status;
	o->mode = MODE_TEXT;
	o->international = 0;
	o->path = "-";
	while ((opt = lk_opt_next(&address_cli_command, argc, argv, "i", longopts, &status)) != -1) {
		switch (opt) {
		case LK_OPT_EXIT:
			return status;
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
		}
	}
	if (modes > 1)
		return lk_opt_error(&address_cli_command, "use only one of --json, --ndjson and --csv", NULL);
	if (argc - optind > 1)
		return lk_opt_error(&address_cli_command, "more than one FILE given; extra", argv[optind + 1]);
	if (optind < argc)
		o->path = argv[optind];
	return LK_OPT_GO_ON;
}

int address_cli_status(const struct address_result *r)
{
	return r->valid ? LK_EXIT_OK : LK_EXIT_FAIL;
}

static json_t *string_or_null(const char *s)
{
	/* address_check() returns valid UTF-8 only: skip jansson's second check. */
	return s ? json_string_nocheck(s) : json_null();
}

int address_cli_add_fields(json_t *obj, const struct address_result *r)
{
	int rc = 0;
	rc |= json_object_set_new_nocheck(obj, "valid", json_boolean(r->valid));
	rc |= json_object_set_new_nocheck(obj, "error", string_or_null(r->error));
	rc |= json_object_set_new_nocheck(obj, "normalised", string_or_null(r->normalised));
	rc |= json_object_set_new_nocheck(obj, "postcode", string_or_null(r->postcode));
	rc |= json_object_set_new_nocheck(obj, "bfpo", string_or_null(r->bfpo));
	rc |= json_object_set_new_nocheck(obj, "zone", string_or_null(address_result_zone(r)));
	rc |= json_object_set_new_nocheck(obj, "country", string_or_null(r->country));
	return rc ? -1 : 0;
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
	/* Control characters from the address are shown escaped, never sent to the terminal. */
	fputs(*r->normalised ? "  " : "  (no lines)", stdout);
	for (const char *line = r->normalised; *line;) {
		size_t n = strcspn(line, "\n");
		char *one = strndup(line, n);
		lk_put_safe(stdout, one ? one : "?", 0);
		free(one);
		line += n;
		if (*line == '\n') {
			fputs("\n  ", stdout);
			line++;
		}
	}
	putchar('\n');
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
		if (!obj || address_cli_add_fields(obj, &r) < 0) {
			fprintf(stderr, "letterkit address: out of memory\n");
			goto out;
		}
		if (lk_input_write_record(&address_cli_command, obj) < 0)
			goto out;
	} else {
		print_verdict(&r);
		if (lk_output_finish(&address_cli_command) != 0)
			goto out;
	}
	status = address_cli_status(&r);
out:
	json_decref(obj);
	address_result_clear(&r);
	free(data);
	return status;
}

/*
 * Standard input a terminal: one address is a fair thing for a person to
 * type, so it is read, after a hint (no silent wait); a batch is not, so it
 * is refused as lk_input refuses it. Returns LK_OPT_GO_ON or the status.
 */
static int terminal_input(const struct options *o)
{
	if (strcmp(o->path, "-") != 0 || !isatty(STDIN_FILENO))
		return LK_OPT_GO_ON;
	if (o->mode == MODE_NDJSON || o->mode == MODE_CSV)
		return lk_opt_error(&address_cli_command, "no addresses: name a FILE, or pipe records into standard "
				    "input; standard input is a terminal", NULL);
	fputs("letterkit address: type the address, then Ctrl-D\n", stderr);
	return LK_OPT_GO_ON;
}

int address_main(int argc, char **argv)
{
	struct options o;
	int rc = parse_options(argc, argv, &o);
	if (rc == LK_OPT_GO_ON)
		rc = terminal_input(&o);
	if (rc != LK_OPT_GO_ON)
		return rc;
	switch (o.mode) {
	case MODE_NDJSON:
		return address_cli_ndjson(o.path, o.international);
	case MODE_CSV:
		return address_cli_csv(o.path, o.international);
	case MODE_TEXT:
	case MODE_JSON:
	default:
		return run_one(&o);
	}
}
