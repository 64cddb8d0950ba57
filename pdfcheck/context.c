/* context.c: the checking context, one MuPDF context per process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* MuPDF reports errors it recovers from (a repaired xref, a broken stream)
 * through these; keep the last one for a finding's detail instead of
 * letting it interleave with the report on stderr. */
static void keep_message(void *user, const char *message)
{
	struct pdfcheck_ctx *pc = user;
	snprintf(pc->mupdf_msg, sizeof pc->mupdf_msg, "%s", message);
}

/* The store caches decoded images and fonts within a file; 64 MB keeps a
 * batch's peak memory well under 200 MB. */
#define STORE_BYTES (64u << 20)

struct pdfcheck_ctx *pdfcheck_ctx_new(char *err, size_t errlen)
{
	struct pdfcheck_ctx *pc = calloc(1, sizeof *pc);
	if (!pc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	limits_allocator(&pc->limits, &pc->alloc);
	pc->fz = fz_new_context(&pc->alloc, NULL, STORE_BYTES);
	if (!pc->fz) {
		free(pc);
		snprintf(err, errlen, "cannot make a MuPDF context (out of memory)");
		return NULL;
	}
	if (limits_timer_init(&pc->limits) != 0) {
		fz_drop_context(pc->fz);
		free(pc);
		snprintf(err, errlen, "cannot make a timer for the time limit");
		return NULL;
	}
	font_metrics_init(pc->fz, &pc->fonts);
	fz_set_error_callback(pc->fz, keep_message, pc);
	fz_set_warning_callback(pc->fz, keep_message, pc);
	return pc;
}

void pdfcheck_ctx_free(struct pdfcheck_ctx *pc)
{
	if (!pc)
		return;
	limits_timer_free(&pc->limits);
	font_metrics_free(&pc->fonts);
	fz_drop_context(pc->fz);
	free(pc->pixels);
	free(pc);
}

const char *pdfcheck_error(const struct pdfcheck_ctx *pc)
{
	return pc->err;
}
