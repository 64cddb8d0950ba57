/*
 * fuzz-pdfcheck.c: the whole PDF check (MuPDF and our rules) on any bytes,
 * seeded with the specimen letters, then the overlay picture of the first
 * failing page.
 *
 * Limits are the command's defaults but tighter in time (2 s a file), so a
 * slow input shows as a resource-limit finding rather than a libFuzzer
 * timeout. Invariants: a file is either checked (0) or refused with a
 * message (-1); a valid letter has 1 to 10 pages and no error finding; an
 * invalid one names Notify's code; invalid pages and findings' pages lie
 * within the document.
 */
#include <string.h>

#include "fuzz.h"
#include "pdfcheck.h"

static struct pdfcheck_ctx *pc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	(void)argc;
	(void)argv;
	pc = pdfcheck_ctx_new(err, sizeof err);
	if (!pc) {
		fprintf(stderr, "fuzz-pdfcheck: %s\n", err);
		abort();
	}
	return 0;
}

static void check_report(const struct pdfcheck_report *rep)
{
	int errors = 0;
	if (rep->valid) {
		FUZZ_ASSERT(rep->message == NULL);
		FUZZ_ASSERT(rep->page_count >= 1 && rep->page_count <= PDFCHECK_MAX_PAGES);
	} else {
		FUZZ_ASSERT(rep->message != NULL && rep->message[0]);
	}
	for (int i = 0; i < rep->n_invalid_pages; i++)
		FUZZ_ASSERT(rep->invalid_pages[i] >= 1 && rep->invalid_pages[i] <= rep->page_count);
	for (size_t i = 0; i < rep->n_findings; i++) {
		const struct pdfcheck_finding *f = &rep->findings[i];
		FUZZ_ASSERT(f->code && f->code[0]);
		FUZZ_ASSERT(memchr(f->detail, '\0', sizeof f->detail) != NULL);
		FUZZ_ASSERT(f->page >= 0 && (f->page == 0 || f->page <= rep->page_count));
		errors += f->severity == PDFCHECK_SEVERITY_ERROR;
	}
	FUZZ_ASSERT(!rep->valid || errors == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdfcheck_options opt = {0};
	struct pdfcheck_report rep = {0};
	opt.max_seconds = 2;
	opt.max_memory = 512u * 1024 * 1024;
	if (pdfcheck_buffer(pc, data, size, "fuzz.pdf", &opt, &rep) < 0) {
		FUZZ_ASSERT(pdfcheck_error(pc) && pdfcheck_error(pc)[0]);
		pdfcheck_report_clear(&rep);
		return 0;
	}
	check_report(&rep);
	/* The picture of the first page a finding names, at a small size. */
	for (size_t i = 0; i < rep.n_findings; i++) {
		if (rep.findings[i].page > 0) {
			unsigned char *png = NULL;
			size_t png_len = 0;
			if (pdfcheck_overlay_png(pc, data, size, rep.findings[i].page, &opt, &rep, 12, &png,
						 &png_len) == 0)
				FUZZ_ASSERT(png && png_len > 8 && memcmp(png, "\x89PNG", 4) == 0);
			free(png);
			break;
		}
	}
	pdfcheck_report_clear(&rep);
	return 0;
}
