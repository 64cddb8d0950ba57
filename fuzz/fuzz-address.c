/*
 * fuzz-address.c: the postal-address rules (address_check) and NFKD on any
 * bytes, in both modes (UK only and international).
 *
 * Invariants beyond "no crash": a valid verdict has 3 to 7 lines, a postage
 * zone, a country, and UK-only mode never gives a non-UK zone; an invalid
 * verdict always names its error; the normalised text can itself be checked.
 *
 * Not an invariant, as this harness first assumed: that the normalised text
 * gets the same verdict again. Notify strips one country line and moves a
 * BFPO line last, so "...\nKe\nNorthern Ireland" is a UK address whose
 * normalised form ends in "Ke", which is then read as Kenya
 * (tests/fuzz/regressions/address/normalised-not-idempotent).
 */
#include <string.h>

#include "address.h"
#include "fuzz.h"

static void check_mode(const uint8_t *data, size_t size, int international)
{
	struct address_result res = {0}, again = {0};
	int rc = address_check((const char *)data, size, international, &res);
	if (rc < 0) {
		FUZZ_ASSERT(!res.valid && res.error && !res.normalised);
		address_result_clear(&res);
		return;
	}
	if (res.valid) {
		FUZZ_ASSERT(!res.error && res.normalised && res.country);
		FUZZ_ASSERT(res.line_count >= ADDRESS_MIN_LINES && res.line_count <= ADDRESS_MAX_LINES);
		FUZZ_ASSERT(international || res.zone == ADDRESS_ZONE_UNITED_KINGDOM);
		FUZZ_ASSERT(address_check(res.normalised, strlen(res.normalised), international, &again) == 0);
		FUZZ_ASSERT(again.valid || again.error);
		address_result_clear(&again);
	} else {
		FUZZ_ASSERT(res.error != NULL);
	}
	FUZZ_ASSERT(address_zone_name(res.zone) != NULL);
	address_result_clear(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *nfkd = NULL;
	check_mode(data, size, 0);
	check_mode(data, size, 1);
	if (address_nfkd((const char *)data, size, &nfkd) == 0) {
		FUZZ_ASSERT(nfkd != NULL);
		free(nfkd);
	}
	return 0;
}
