/* cli_encode.c: `letterkit encode`, the exact POST body send would use. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lk_exit.h"
#include "lk_input.h"
#include "cli.h"

#define PROG "letterkit encode"

static const struct lk_cmd cmd = {"encode",
	"usage: letterkit encode [--reference R] [--postage P] FILE\n"
	"\n"
	"Prints the body of POST /v2/notifications/letter for FILE, exactly as letterkit send\n"
	"makes it: {\"reference\", \"content\" (base64 of the PDF), \"postage\"}, for people who\n"
	"post letters with their own HTTP tools. Needs no key and makes no request.\n"
	"\n"
	"  --reference R         the reference (default: the file name without .pdf)\n"
	"  --postage P           first, second (default) or economy\n"
	"  --help                show this help\n"
	"  --version             print the versions of letterkit and its libraries and exit\n"
	"\n"
	"Exit status: 0 printed, 1 the letter would be refused (too big, a reference that looks\n"
	"like personal data), 2 usage or system error (a missing file, a folder).\n",
	client_versions};   /* encode links what send links: its body is made by the same code */

enum { OPT_REFERENCE = 1, OPT_POSTAGE };

static const struct option options[] = {
	{"reference", required_argument, NULL, OPT_REFERENCE},
	{"postage", required_argument, NULL, OPT_POSTAGE},
	LK_OPT_COMMON,
};

int upload_encode_main(int argc, char **argv)
{
	const char *reference = NULL, *postage = "second";
	char ref[UPLOAD_REFERENCE_MAX + 1], err[1200];
	struct upload_body body = {0};
	int opt, status;
	optind = 1;
	while ((opt = lk_opt_next(&cmd, argc, argv, "", options, &status)) != -1) {
		switch (opt) {
		case LK_OPT_EXIT:
			return status;
		case OPT_REFERENCE:
			reference = optarg;
			break;
		case OPT_POSTAGE:
			if (!upload_postage_valid(optarg))
				return lk_opt_error(&cmd, "--postage must be first, second or economy, not", optarg);
			postage = optarg;
			break;
		}
	}
	if (argc - optind != 1)
		return lk_opt_error(&cmd, "needs exactly one FILE", NULL);
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
		lk_output_failed_now(&cmd);
		return LK_EXIT_ERROR;
	}
	return LK_EXIT_OK;
}
