/* cli_pdf.c: `letterkit pdf`, a sent letter's PDF as Notify has it. */
#include <stdio.h>
#include <string.h>

#include "lk_exit.h"
#include "cli.h"

#define PROG "letterkit pdf"

static const struct lk_cmd cmd = {"pdf",
	"usage: letterkit pdf [OPTIONS] ID -o FILE\n"
	"\n"
	"Fetches the PDF of notification ID (GET /v2/notifications/ID/pdf) and writes it to FILE\n"
	"atomically (FILE is never left half-written). Notify has the PDF only after its checks:\n"
	"until then it answers PDFNotReadyError, which is retried with backoff.\n"
	"\n"
	"  -o, --output FILE     where to write the PDF (required)\n"
	"  --max-wait S          wait at most S seconds for the PDF to be ready (0-86400, default 120)\n"
	"  --help                show this help\n"
	"  --version             print the versions of letterkit and its libraries and exit\n"
	"\n"
	CLIENT_HELP
	"\n"
	"Exit status: 0 written, 1 Notify has no PDF for it (a virus, a technical failure, an\n"
	"unknown id), 2 usage, system or network error, or not ready within --max-wait.\n",
	client_versions};

enum { OPT_OUTPUT = 'o', OPT_MAX_WAIT = 1 };

static const struct option options[] = {
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"max-wait", required_argument, NULL, OPT_MAX_WAIT},
	CLIENT_OPTIONS,
	LK_OPT_COMMON,
};

int upload_pdf_main(int argc, char **argv)
{
	struct client_opts co;
	const char *output = NULL;
	long max_wait = 120;
	char err[1200];
	int opt, status, rc = LK_EXIT_ERROR;

	client_init(&co, &cmd);
	while ((opt = client_getopt(&co, argc, argv, "o:", options, &status)) != -1) {
		switch (opt) {
		case LK_OPT_EXIT:
			return status;
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_MAX_WAIT:
			if (lk_opt_long(&cmd, "--max-wait", optarg, 0, 86400, &max_wait) < 0)
				return LK_EXIT_ERROR;
			break;
		}
	}
	if (argc - optind != 1)
		return lk_opt_error(&cmd, "needs exactly one notification ID", NULL);
	if (!output)
		return lk_opt_error(&cmd, "needs -o FILE", NULL);
	if (!lk_uuid_valid(argv[optind]))
		return lk_opt_error(&cmd, "the notification ID must be a UUID, not", argv[optind]);
	struct upload_ctx *ctx = client_open(&co);
	if (!ctx)
		return LK_EXIT_ERROR;
	enum upload_rc r = upload_pdf_fetch(ctx, argv[optind], output, max_wait * 1000, err, sizeof err);
	if (r == UPLOAD_OK)
		rc = LK_EXIT_OK;
	else {
		fprintf(stderr, PROG ": %s\n", err);
		rc = r == UPLOAD_REFUSED ? LK_EXIT_FAIL : LK_EXIT_ERROR;
	}
	upload_ctx_free(ctx);
	return rc;
}
