/*
 * fuzz-markup.c: Notify's letter markup, parsed and laid out into a PDF.
 *
 * The input is a template body, then optionally NUL bytes each starting the
 * value of the next column (name, paid, x), so that both the markup and the
 * data put into it are mutated. The letter settings (fonts, logo, sender)
 * are the bundled example's, loaded once.
 *
 * Invariants: a parse that fails says why; a letter made is a PDF of 1 to
 * 10 pages; a letter refused names its error and says why.
 */
#include <string.h>

#include "compose-imp.h"
#include "fuzz.h"

#define FONT_DIR "/usr/share/fonts/truetype/liberation2"

static struct compose_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct compose_date date = {2026, 11, 23};
	char err[512];
	(void)argc;
	(void)argv;
	ctx = compose_ctx_new(FUZZ_SOURCE_ROOT "/specimens/compose/letter.conf", FONT_DIR, &date, err, sizeof err);
	if (!ctx) {
		fprintf(stderr, "fuzz-markup: %s\n", err);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"address_line_1", "address_line_2", "address_line_3", "name", "paid", "x",
	};
	const char *values[] = {"A Person", "1 Example Street", "SW1A 1AA", "", "", ""};
	char err[512];
	char *copy = fuzz_strndup(data, size);
	size_t body_len = strlen(copy);
	/* The pieces after the body, at each NUL, are the values of name, paid, x. */
	for (size_t i = 3, at = body_len; i < 6 && at < size; i++) {
		values[i] = copy + at + 1;
		at += 1 + strlen(copy + at + 1);
	}

	struct markup *m = compose_markup_parse(copy, body_len, "fuzz", 1, err, sizeof err);
	if (!m) {
		FUZZ_ASSERT(err[0] != '\0');
		free(copy);
		return 0;
	}
	struct markup *saved = ctx->body;
	ctx->body = m;
	struct compose_row row = {6, names, values, 1};
	struct compose_result res = {0};
	compose_letter(ctx, &row, &res);
	if (res.pdf) {
		FUZZ_ASSERT(!res.error);
		FUZZ_ASSERT(res.pages >= 1 && res.pages <= COMPOSE_MAX_PAGES);
		FUZZ_ASSERT(res.pdf_len > 5 && memcmp(res.pdf, "%PDF-", 5) == 0);
	} else {
		FUZZ_ASSERT(res.error && res.message[0]);
	}
	compose_result_clear(&res);
	ctx->body = saved;
	compose_markup_free(m);
	free(copy);
	return 0;
}
