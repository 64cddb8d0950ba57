/* cli_encode.c: `letterkit encode`, the exact POST body send would use. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lk_exit.h"
#include "cli.h"

#define PROG "letterkit encode"

static const char usage_text[] =
	"usage: letterkit encode [--reference R] [--postage P] FILE\n"
	"\n"
	"Prints the body of POST /v2/notifications/letter for FILE, exactly as letterkit send\n"
	"makes it: {\"reference\", \"content\" (base64 of the PDF), \"postage\"}, for people who\n"
	"post letters with their own HTTP tools. Needs no key and makes no request.\n"
	"\n"
	"  --reference R         the reference (default: the file name without .pdf)\n"
	"  --postage P           first, second (default) or economy\n"
	"  --help                show this help\n"
	"\n"
	"Exit status: 0 printed, 1 the letter would be refused (too big, a reference that looks\n"
	"like personal data), 2 usage or system error (a missing file).\n";

enum { OPT_REFERENCE = 1, OPT_POSTAGE, OPT_HELP };

static const struct option options[] = {
	{"reference", required_argument, NULL, OPT_REFERENCE},
	{"postage", required_argument, NULL, OPT_POSTAGE},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

int upload_encode_main(int argc, char **argv)
{
	const char *reference = NULL, *postage = "second";
	char ref[UPLOAD_REFERENCE_MAX + 1], err[1200];
	struct upload_body body = {0};
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case OPT_REFERENCE:
			reference = optarg;
			break;
		case OPT_POSTAGE:
			if (!upload_postage_valid(optarg))
				return lk_usage_error(PROG, "--postage must be first, second or economy, not", optarg);
			postage = optarg;
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			return LK_EXIT_OK;
		default:
			return lk_usage_error(PROG, "unknown option or missing value:", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return lk_usage_error(PROG, "needs exactly one FILE", NULL);
	if (!reference) {
		upload_reference_from_path(argv[optind], ref, sizeof ref);
		reference = ref;
	}
	enum upload_rc rc = upload_body_make(argv[optind], reference, postage, &body, err, sizeof err);
	if (rc != UPLOAD_OK) {
		fprintf(stderr, PROG ": %s\n", err);
		return rc == UPLOAD_REFUSED ? LK_EXIT_FAIL : LK_EXIT_ERROR;
	}
	errno = 0;
	int bad = fwrite(body.json, 1, body.len, stdout) != body.len || putchar('\n') == EOF || fflush(stdout);
	upload_body_clear(&body);
	if (bad) {
		fprintf(stderr, PROG ": cannot write to standard output: %s\n", strerror(errno ? errno : EIO));
		return LK_EXIT_ERROR;
	}
	return LK_EXIT_OK;
}
