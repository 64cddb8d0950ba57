/* notify.c: status values and the letter PDF endpoint. */
#include <stdio.h>
#include <string.h>

#include "lk_file.h"
#include "internal.h"

static const char *const terminal[] = {
	"received", "cancelled", "virus-scan-failed", "validation-failed", "technical-failure",
	"permanent-failure",
};

int upload_status_terminal(const char *status)
{
	for (size_t i = 0; status && i < sizeof terminal / sizeof terminal[0]; i++)
		if (!strcmp(status, terminal[i]))
			return 1;
	return 0;
}

int upload_status_failed(const char *status)
{
	return upload_status_terminal(status) && strcmp(status, "received") != 0;
}

/* A blocking GET of raw bytes (the PDF is not JSON), retried like upload_get. */
static int get_raw(struct upload_ctx *ctx, const char *path, struct lk_buf *answer, struct upload_reply *r)
{
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *headers = NULL;
	for (int tries = 1;; tries++) {
		long long wait;
		while ((wait = limiter_take(&ctx->limiter, now_ms())) > 0)
			sleep_ms(wait);
		upload_reply_clear(r);
		memset(r, 0, sizeof *r);
		if (request_setup(ctx, ctx->easy, "GET", path, NULL, 0, NULL, answer, errbuf, &headers, r->message,
				  sizeof r->message) < 0)
			return -1;
		CURLcode cc = curl_easy_perform(ctx->easy);
		curl_slist_free_all(headers);
		long http = 0;
		if (cc == CURLE_OK)
			curl_easy_getinfo(ctx->easy, CURLINFO_RESPONSE_CODE, &http);
		if (http == 200) {
			r->http = 200;
			return 0;
		}
		reply_fill(ctx, r, ctx->easy, cc, errbuf, answer, 0);
		if (!r->retryable || tries > ctx->cfg.retries)
			return r->http ? 0 : -1;
		sleep_ms(backoff_ms(ctx, tries));
	}
}

enum upload_rc upload_pdf_fetch(struct upload_ctx *ctx, const char *id, char **pdf, size_t *len,
				long max_wait_ms, char *err, size_t errlen)
{
	char path[128];
	struct lk_buf answer = {0};
	struct upload_reply r = {0};
	enum upload_rc rc = UPLOAD_ERROR;
	*pdf = NULL;
	*len = 0;
	long long give_up = now_ms() + max_wait_ms;
	if (!lk_uuid_valid(id)) {
		snprintf(err, errlen, "'%s' is not a notification id (a UUID)", id);
		return UPLOAD_ERROR;
	}
	snprintf(path, sizeof path, "/v2/notifications/%s/pdf", id);
	for (int tries = 1;; tries++) {
		if (get_raw(ctx, path, &answer, &r) < 0) {
			snprintf(err, errlen, "%s: %s", id, r.message);
			goto out;
		}
		if (r.http == 200)
			break;
		/* Notify makes the PDF after its checks: not ready is an answer to wait for. */
		if (r.http == 400 && !strcmp(r.error, "PDFNotReadyError")) {
			long long wait = backoff_ms(ctx, tries), left = give_up - now_ms();
			if (left > 0) {
				sleep_ms(wait < left ? wait : left);
				continue;
			}
			snprintf(err, errlen, "%s: HTTP 400 PDFNotReadyError: %s (gave up after %ld ms)", id,
				 r.message, max_wait_ms);
			goto out;
		}
		snprintf(err, errlen, "%s: HTTP %ld %s: %s", id, r.http, r.error, r.message);
		rc = r.http == 400 || r.http == 404 ? UPLOAD_REFUSED : UPLOAD_ERROR;
		goto out;
	}
	if (answer.len < 5 || memcmp(answer.data, "%PDF-", 5) != 0) {
		snprintf(err, errlen, "%s: the answer is not a PDF", id);
		goto out;
	}
	*pdf = answer.data;   /* the caller's now */
	*len = answer.len;
	answer.data = NULL;
	rc = UPLOAD_OK;
out:
	upload_reply_clear(&r);
	buf_reset(&answer);
	return rc;
}
