/* cli_pdf.c: `letterkit pdf`, a sent letter's PDF as Notify has it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lk_exit.h"
#include "lk_input.h"
#include "lk_out.h"
#include "lk_text.h"
#include "cli.h"

#define PROG "letterkit pdf"

static const struct lk_cmd cmd = {"pdf",
	"usage: letterkit pdf [OPTIONS] ID -o FILE\n"
	"\n"
	"Fetches the PDF of notification ID (GET /v2/notifications/ID/pdf) and writes it to FILE\n"
	"atomically (FILE is never left half-written; its folder is made when missing). Notify has\n"
	"the PDF only after its checks: until then it answers PDFNotReadyError, which is retried\n"
	"with backoff.\n"
	"\n"
	"  -o, --output FILE     where to write the PDF (required); - for standard output\n"
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

/*
 * A path that cannot be written is refused before Notify is asked: its
 * folder is made when missing, and a file is started there and given up
 * (the writer is not held open through the request, which can wait minutes
 * for the PDF: a Ctrl-C then would leave its temporary file behind).
 * Returns 0, or -1 after saying why.
 */
static int output_usable(const char *output)
{
	char err[4200], safe[4800];
	if (!strcmp(output, "-")) {
		if (!isatty(STDOUT_FILENO))
			return 0;
		lk_opt_error(&cmd, "-o - writes the PDF to standard output, which is a terminal: "
				   "redirect it (> x.pdf) or give -o FILE", NULL);
		return -1;
	}
	if (lk_out_ready(output, err, sizeof err) != 0) {
		fprintf(stderr, PROG ": %s\n", lk_safe(err, safe, sizeof safe));
		return -1;
	}
	return 0;
}

/* The PDF to FILE (atomically) or to standard output. Returns 0, or -1 after saying why. */
static int write_pdf(const char *output, const char *pdf, size_t len)
{
	char err[4200], safe[4800];
	if (strcmp(output, "-") != 0) {
		if (lk_write_atomic(output, pdf, len, err, sizeof err) == 0)
			return 0;
		fprintf(stderr, PROG ": %s\n", lk_safe(err, safe, sizeof safe));
		return -1;
	}
	errno = 0;
	if (fwrite(pdf, 1, len, stdout) == len && fflush(stdout) == 0)
		return 0;
	lk_output_failed_now(&cmd);
	return -1;
}

int upload_pdf_main(int argc, char **argv)
{
	struct client_opts co;
	const char *output = NULL;
	long max_wait = 120;
	char err[1200], safe[4800];
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
		return lk_opt_error(&cmd, "needs -o FILE (or -o - for standard output)", NULL);
	if (!lk_uuid_valid(argv[optind]))
		return lk_opt_error(&cmd, "the notification ID must be a UUID, not", argv[optind]);
	struct upload_ctx *ctx = client_open(&co);
	if (!ctx)
		return LK_EXIT_ERROR;
	if (output_usable(output) < 0)
		goto out;
	char *pdf;
	size_t len;
	enum upload_rc r = upload_pdf_fetch(ctx, argv[optind], &pdf, &len, max_wait * 1000, err, sizeof err);
	if (r != UPLOAD_OK) {
		fprintf(stderr, PROG ": %s\n", lk_safe(err, safe, sizeof safe));
		rc = r == UPLOAD_REFUSED ? LK_EXIT_FAIL : LK_EXIT_ERROR;
	} else {
		rc = write_pdf(output, pdf, len) == 0 ? LK_EXIT_OK : LK_EXIT_ERROR;
		free(pdf);
	}
out:
	upload_ctx_free(ctx);
	return rc;
}
