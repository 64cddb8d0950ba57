/*
 * api.c: the v2 endpoints letters use, answering as Notify documents
 * (docs.notifications.service.gov.uk, "REST API" and its error tables):
 *   POST /v2/notifications/letter        a precompiled letter
 *   GET  /v2/notifications/{id}          one notification
 *   GET  /v2/notifications/{id}/pdf      its PDF
 *   GET  /v2/notifications               a page of them (api_list.c)
 * plus fault injection, which applies to every /v2 request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "lk_file.h"

/* Notify makes one "precompiled letter" template per service; ours is fixed. */
#define PRECOMPILED_TEMPLATE_ID "0fe4d0c4-2ef2-4c3e-a6f4-0d59c38a5c5f"

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

json_t *letter_json(const struct sandbox *sb, const struct letter *l)
{
	char created[40], sent[40], completed[40], uri[256];
	format_time(l->created_us, created, sizeof created);
	format_time(l->sent_us, sent, sizeof sent);
	format_time(l->completed_us, completed, sizeof completed);
	snprintf(uri, sizeof uri, "%s/v2/template/%s/version/1", sb->base_url, PRECOMPILED_TEMPLATE_ID);
	/* Until the check passes Notify shows "Provided as PDF" as the address. */
	json_t *j = json_pack("{s:s, s:s, s:n, s:n, s:s, s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:s, s:s, s:s,"
			      " s:{s:s, s:i, s:s}, s:s, s:s, s:s, s:n}",
			      "id", l->id, "reference", l->reference, "email_address", "phone_number",
			      "line_1", "Provided as PDF", "line_2", "line_3", "line_4", "line_5", "line_6",
			      "line_7", "postcode", "postage", l->postage, "type", "letter",
			      "status", status_name(l->status),
			      "template", "id", PRECOMPILED_TEMPLATE_ID, "version", 1, "uri", uri,
			      "body", "", "subject", "Pre-compiled PDF", "created_at", created,
			      "created_by_name");
	json_object_set_new(j, "sent_at", sent[0] ? json_string(sent) : json_null());
	json_object_set_new(j, "completed_at", completed[0] ? json_string(completed) : json_null());
	json_object_set_new(j, "scheduled_for", json_null());
	return j;
}

/* Whether a fault strikes now: the next `*next` times for sure, then with probability `rate`
 * (call under sb->lock). */
static int strikes(struct sandbox *sb, long *next, double rate, long long *count)
{
	int hit = 0;
	if (*next > 0) {
		(*next)--;
		hit = 1;
	} else if (rate > 0 && sb_random(sb) < rate) {
		hit = 1;
	}
	*count += hit;
	return hit;
}

/* Applies the fault settings to one /v2 request: 1 when it must fail now. */
static int inject_faults(struct sandbox *sb, struct reply *r)
{
	pthread_mutex_lock(&sb->lock);
	sb->requests++;
	int fail = strikes(sb, &sb->faults.fail_next, sb->faults.fail_rate, &sb->failed_injected);
	long slow = sb->faults.slow_ms;
	sb->slowed_injected += slow > 0;
	int status = sb->faults.fail_status;
	pthread_mutex_unlock(&sb->lock);
	if (slow > 0)
		sleep_ms(slow);
	if (!fail)
		return 0;
	if (status == 429)
		reply_error(r, 429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds");
	else if (status == 503)
		reply_error(r, 503, "ServiceUnavailable", "Service unavailable (injected by the sandbox)");
	else
		reply_error(r, 500, "Exception", "Internal server error");
	return 1;
}

static int should_drop(struct sandbox *sb)
{
	pthread_mutex_lock(&sb->lock);
	int drop = strikes(sb, &sb->faults.drop_next, sb->faults.drop_rate, &sb->dropped_injected);
	pthread_mutex_unlock(&sb->lock);
	return drop;
}

static void post_letter(struct sandbox *sb, int key, const struct request *rq, struct reply *r)
{
	unsigned char *pdf = NULL;
	struct letter *l = NULL;
	char err[512] = "";
	size_t n;
	/* Notify's order: the schema, then the limits and the key, then the content. */
	json_t *body = letter_body_parse(rq->body, rq->body_len, r);
	if (!body || limits_rate(sb, key, r) < 0 || limits_daily(sb, key, r) < 0)
		goto out;
	if (sb->keys[key].type == SANDBOX_KEY_TEAM) {
		reply_error(r, 403, "BadRequestError", "Cannot send letters with a team api key");
		goto out;
	}
	if (!(pdf = letter_body_pdf(body, &n, r)))
		goto out;
	const char *postage = json_string_value(json_object_get(body, "postage"));
	l = calloc(1, sizeof *l);
	if (!l || !(l->reference = strdup(json_string_value(json_object_get(body, "reference")))) ||
	    uuid_v4(l->id) < 0) {
		snprintf(err, sizeof err, "out of memory or randomness");
		goto fail;
	}
	memcpy(l->service_id, sb->keys[key].parts.service_id, sizeof l->service_id);
	snprintf(l->postage, sizeof l->postage, "%s", postage ? postage : "second");
	l->key_type = sb->keys[key].type;
	l->status = ST_PENDING_VIRUS_CHECK;
	l->created_us = now_us();

	/* The PDF is on disk before the letter exists, so a 201 always has its file. */
	char path[4200];
	letter_pdf_path(sb, l->id, path, sizeof path);
	if (store_write_pdf(sb, l->id, pdf, n, err, sizeof err) < 0)
		goto fail;
	/* The daily limit again, now under the lock that counts, so concurrent POSTs cannot pass it. */
	pthread_mutex_lock(&sb->lock);
	int over = l->key_type == SANDBOX_KEY_LIVE && limits_daily_reached(sb);
	int added = over ? -1 : store_add(sb, l, err, sizeof err);
	pthread_mutex_unlock(&sb->lock);
	if (added < 0) {
		remove(path);
		if (!over)
			goto fail;
		limits_daily_reply(sb, r);
		goto out;
	}
	process_enqueue(sb, l);
	r->status = 201;
	r->json = json_pack("{s:s, s:s, s:s}", "id", l->id, "reference", l->reference, "postage", l->postage);
	l = NULL;	/* the store owns it */
	r->drop = should_drop(sb);
	goto out;
fail:
	sb_log(sb, "cannot accept a letter: %s", err);
	reply_error(r, 500, "Exception", "Internal server error");
out:
	letter_free(l);
	free(pdf);
	json_decref(body);
}

/* Finds the letter {id} for key; 0, or -1 with Notify's 400/404 in r. */
static struct letter *find_letter(struct sandbox *sb, int key, const char *id, struct reply *r)
{
	if (!lk_uuid_valid(id)) {
		reply_error(r, 400, "ValidationError", "id is not a valid UUID");
		return NULL;
	}
	char lower[LK_UUID_LEN + 1];
	for (int i = 0; i <= LK_UUID_LEN; i++)
		lower[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ? id[i] - 'A' + 'a' : id[i]);
	struct letter *l = store_find(&sb->store, lower);
	if (!l || strcmp(l->service_id, sb->keys[key].parts.service_id) != 0) {
		reply_error(r, 404, "NoResultFound", "No result found");
		return NULL;
	}
	return l;
}

static void get_letter(struct sandbox *sb, int key, const char *id, struct reply *r)
{
	pthread_mutex_lock(&sb->lock);
	struct letter *l = find_letter(sb, key, id, r);
	if (l) {
		r->status = 200;
		r->json = letter_json(sb, l);
	}
	pthread_mutex_unlock(&sb->lock);
}

static void get_pdf(struct sandbox *sb, int key, const char *id, struct reply *r)
{
	char path[4200] = "", err[512];
	pthread_mutex_lock(&sb->lock);
	struct letter *l = find_letter(sb, key, id, r);
	if (l) {
		if (l->status == ST_PENDING_VIRUS_CHECK)
			reply_error(r, 400, "PDFNotReadyError", "PDF not available yet, try again later");
		else if (l->status == ST_VIRUS_SCAN_FAILED)
			reply_error(r, 400, "BadRequestError", "File did not pass the virus scan");
		else if (l->status == ST_TECHNICAL_FAILURE)
			reply_error(r, 400, "BadRequestError", "PDF not available for letters in technical-failure");
		else
			letter_pdf_path(sb, l->id, path, sizeof path);
	}
	pthread_mutex_unlock(&sb->lock);
	if (!path[0])
		return;
	size_t len;
	if (lk_read_file(path, 64u << 20, &r->raw, &len, err, sizeof err) < 0) {
		sb_log(sb, "cannot read a letter's PDF: %s", err);
		reply_error(r, 500, "Exception", "Internal server error");
		return;
	}
	r->raw_len = len;
	r->status = 200;
	r->content_type = "application/pdf";
}

void api_handle(struct sandbox *sb, const struct request *rq, struct reply *r)
{
	const char *p = rq->path;
	int get = strcmp(rq->method, "GET") == 0, post = strcmp(rq->method, "POST") == 0;

	if (strcmp(p, "/_status") == 0 && get) {
		r->status = 200;
		r->json = json_pack("{s:s}", "status", "ok");
		return;
	}
	if (strncmp(p, "/_sandbox/", 10) == 0 && sb->cfg.control) {
		control_handle(sb, rq, r);
		return;
	}
	if (strncmp(p, "/v2/", 4) != 0) {
		reply_error(r, 404, "NotFound", "The requested URL was not found on the server.");
		return;
	}
	if (inject_faults(sb, r))
		return;

	const char *rest = strncmp(p, "/v2/notifications", 17) == 0 ? p + 17 : NULL;
	int want_post = rest && strcmp(rest, "/letter") == 0;
	char id[64] = "";
	int pdf = 0;
	if (rest && rest[0] == '/' && !want_post) {
		size_t n = strcspn(rest + 1, "/");
		pdf = strcmp(rest + 1 + n, "/pdf") == 0;
		if (n >= sizeof id || (rest[1 + n] && !pdf))
			rest = NULL;
		else
			snprintf(id, sizeof id, "%.*s", (int)n, rest + 1);
	}
	if (!rest || (rest[0] && rest[0] != '/')) {
		reply_error(r, 404, "NotFound", "The requested URL was not found on the server.");
		return;
	}
	if (want_post ? !post : !get) {
		reply_error(r, 405, "MethodNotAllowed", "The method is not allowed for the requested URL.");
		return;
	}
	int key = auth_check(sb, rq->authorization, r);
	if (key < 0)
		return;
	if (want_post)
		post_letter(sb, key, rq, r);
	else if (!rest[0])
		api_list(sb, key, rq, r);
	else if (pdf)
		get_pdf(sb, key, id, r);
	else
		get_letter(sb, key, id, r);
}
