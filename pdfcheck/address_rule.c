/*
 * address_rule.c: LETTER-SPEC section 5 inside `check`. The words read
 * from page 1's address window (check.c, words.c) are NFKD-normalised, as
 * Notify normalises them, and judged by the postal-address module that
 * `letterkit address` uses: the same verdicts, on page [1].
 */
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "internal.h"

int check_address(const char *window_text, const struct pdfcheck_options *opt,
		  struct pdfcheck_report *rep)
{
	char *text = NULL;
	struct address_result res = {0};
	int rc = -1;
	if (address_nfkd(window_text, strlen(window_text), &text) != 0)
		goto out;
	if (address_check(text, strlen(text), opt->international, &res) != 0)
		goto out;
	rep->address = strdup(res.normalised ? res.normalised : text);
	if (!rep->address)
		goto out;
	if (res.valid) {
		rep->postage_zone = address_zone_name(res.zone);
		rc = 0;
		goto out;
	}
	rep->address_error = res.error;
	static const int page_one[] = {1};
	const struct spec_rect w = spec_address_window;
	const double window_mm[4] = {w.x0, w.y0, w.x1, w.y1};
	const char *why = address_error_message(res.error);
	if (report_set_verdict(rep, res.error, page_one, 1) != 0 ||
	    report_add(rep, res.error, PDFCHECK_SEVERITY_ERROR, 1, window_mm,
		       "page 1: the address in the window %s: %s",
		       res.line_count ? "does not pass Notify's rules" : "is empty",
		       why ? why : res.error) != 0)
		goto out;
	rc = 0;
out:
	address_result_clear(&res);
	free(text);
	return rc;
}
