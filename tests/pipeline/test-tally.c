/* test-tally.c: how run's tally counts send's records (pipeline/tally.c): by "state" first. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "test.h"

/* One letter that passed check and scan, with send's object from JSON text: tally_record's answer. */
static int outcome(struct tally *t, const char *send)
{
	char text[1024], why[256];
	snprintf(text, sizeof text, "{\"file\":\"a.pdf\",\"check\":{\"valid\":true},\"scan\":{\"clean\":true},\"send\":%s}",
		 send);
	json_t *rec = json_loads(text, 0, NULL);
	CHECK(rec != NULL);
	int rc = tally_record(t, rec, why, sizeof why);
	json_decref(rec);
	return rc;
}

int main(void)
{
	struct tally t;
	tally_init(&t, 0, 1, 0);
	CHECK_INT(outcome(&t, "{\"state\":\"sent\",\"id\":\"x\"}"), 0);
	CHECK_INT(outcome(&t, "{\"state\":\"already-sent\"}"), 0);
	/* Notify's 4xx: "refused" with the HTTP answer as an "error" object is the letter's failure */
	CHECK_INT(outcome(&t, "{\"state\":\"refused\",\"reason\":\"refused-by-notify\",\"message\":\"m\","
			  "\"error\":{\"status_code\":400,\"error\":\"BadRequestError\",\"message\":\"m\"}}"), 1);
	CHECK_INT(outcome(&t, "{\"state\":\"refused\",\"reason\":\"invalid-postage\",\"message\":\"m\"}"), 1);
	CHECK_INT((long long)t.failed[TALLY_SEND], 2);
	/* not the letter's fault: errors (exit 2), with send's reason as the code */
	CHECK_INT(outcome(&t, "{\"state\":\"error\",\"reason\":\"key-refused\",\"error\":{\"status_code\":403,"
			  "\"error\":\"AuthError\",\"message\":\"m\"}}"), -1);
	CHECK_INT(outcome(&t, "{\"state\":\"unknown\",\"reason\":\"ledger-failed\"}"), -1);
	CHECK_INT(outcome(&t, "{\"error\":{\"reason\":\"bad-record\"}}"), -1);
	CHECK_INT((long long)t.errors[TALLY_SEND], 3);
	CHECK_INT(outcome(&t, "{\"skipped\":\"check: not valid\"}"), 1);   /* check and scan passed, send skipped */
	int found = 0;
	for (int i = 0; i < t.n_codes; i++)
		found += !strcmp(t.codes[i].code, "refused-by-notify") || !strcmp(t.codes[i].code, "key-refused");
	CHECK_INT(found, 2);
	/* the summary table gives each code's short form */
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	tally_summary(&t, out, 0, 0);
	fclose(out);
	CHECK(strstr(text, "refused-by-notify") && strstr(text, "Notify refused the letter"));
	CHECK(strstr(text, "Notify refused the API key"));
	free(text);
	tally_free(&t);

	/* run --fix: a letter fix fixed (check's verdict dropped) passed; one it could not fix
	 * failed at check with fix's reason; one check passed skipped fix */
	tally_init(&t, 0, 0, 0);
	t.fixing = 1;
	char why[512];
	json_t *rec = json_loads("{\"file\":\"fixed/a.pdf\",\"fix\":{\"valid\":true,\"changed\":true,\"from\":\"a.pdf\"},"
				 "\"scan\":{\"clean\":true}}", 0, NULL);
	CHECK_INT(tally_record(&t, rec, why, sizeof why), 0);
	json_decref(rec);
	rec = json_loads("{\"file\":\"b.pdf\",\"check\":{\"valid\":false,\"message\":\"letter-too-long\"},"
			 "\"fix\":{\"valid\":false,\"pages\":[],\"notes\":[\"not fixable: 12 pages\"]},\"scan\":{\"clean\":true}}",
			 0, NULL);
	CHECK_INT(tally_record(&t, rec, why, sizeof why), 1);
	CHECK(strcmp(why, "check: letter-too-long (not fixed: not fixable: 12 pages)") == 0);
	json_decref(rec);
	rec = json_loads("{\"file\":\"c.pdf\",\"check\":{\"valid\":true},\"scan\":{\"clean\":true}}", 0, NULL);
	CHECK_INT(tally_record(&t, rec, why, sizeof why), 0);
	json_decref(rec);
	CHECK_INT((long long)t.failed[TALLY_CHECK], 2);
	CHECK_INT((long long)t.passed[TALLY_FIX], 1);
	CHECK_INT((long long)t.failed[TALLY_FIX], 1);
	CHECK_INT((long long)t.skipped[TALLY_FIX], 1);
	CHECK_INT((long long)t.fully_passed, 2);
	CHECK_INT((long long)t.fully_passed_fixed, 1);
	CHECK_INT(t.n_codes, 1);   /* letter-too-long only: the fixed letter's failure is not a reason */
	tally_free(&t);
	return test_exit("test-tally");
}
