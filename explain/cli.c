/*
 * cli.c: `letterkit explain [CODE...]`, what a code means and how to fix it,
 * from the one table in common/lk_explain.c. Links no stage library.
 */
#include <stdio.h>
#include <string.h>

#include "lk_exit.h"
#include "lk_explain.h"
#include "lk_input.h"
#include "lk_opt.h"

int explain_main(int argc, char **argv);

static const struct lk_cmd cmd = {"explain",
	"usage: letterkit explain [--short] [CODE...]\n"
	"\n"
	"Says in plain English what a code that check, address, scan, send, status,\n"
	"run or watch prints means, and how to fix the letter in Word, LibreOffice or\n"
	"a case-management system's PDF export. With no CODE, every code.\n"
	"\n"
	"  -s, --short    one line per code: the code and its short form\n"
	"  -h, --help     this help\n"
	"      --version  the version\n"
	"\n"
	"Exit status: 0, or 2 when a CODE is not known (the others are still explained).\n"
	"Example: letterkit explain content-outside-printable-area\n",
	NULL};

static void show(FILE *out, const struct lk_explanation *e, int brief)
{
	if (brief) {
		fprintf(out, "%-34s %s\n", e->code, e->short_text);
		return;
	}
	fprintf(out, "%s (%s)\n  %s.\n\n", e->code, e->who, e->short_text);
	/* the long form, indented two spaces, blank lines kept blank */
	for (const char *p = e->long_text; *p;) {
		size_t n = strcspn(p, "\n");
		fprintf(out, n ? "  %.*s\n" : "\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

int explain_main(int argc, char **argv)
{
	static const struct option options[] = {{"short", no_argument, NULL, 's'}, LK_OPT_COMMON};
	int opt, status = LK_EXIT_OK, brief = 0;
	while ((opt = lk_opt_next(&cmd, argc, argv, "s", options, &status)) != -1) {
		if (opt == LK_OPT_EXIT)
			return status;
		if (opt == 's')
			brief = 1;
	}
	size_t n;
	const struct lk_explanation *all = lk_explain_all(&n);
	if (optind == argc) {
		for (size_t i = 0; i < n; i++) {
			if (i && !brief)
				putchar('\n');
			show(stdout, &all[i], brief);
		}
	}
	for (int i = optind; i < argc; i++) {
		const struct lk_explanation *e = lk_explain(argv[i]);
		if (!e) {
			fflush(stdout);
			status = lk_opt_error(&cmd, "no explanation for the code", argv[i]);
			continue;
		}
		if (i > optind && !brief)
			putchar('\n');
		show(stdout, e, brief);
	}
	return lk_output_finish(&cmd) != 0 ? LK_EXIT_ERROR : status;
}
