/*
 * reply.c: what Notify's answers mean, apart from how they arrived. Pure
 * functions of the answer's bytes, so that they can be fuzzed without a
 * network (fuzz/fuzz-api-reply.c).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The server's words go to a terminal: no escape sequences or line breaks from it. */
static void plain(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

/* Notify's {"status_code", "errors": [{"error", "message"}]} into r->error and r->message. */
static void notify_errors(struct upload_reply *r)
{
	json_t *errors = json_object_get(r->json, "errors");
	size_t i, n = 0;
	json_t *e;
	r->message[0] = '\0';
	json_array_foreach(errors, i, e) {
		const char *name = json_string_value(json_object_get(e, "error"));
		const char *msg = json_string_value(json_object_get(e, "message"));
		if (i == 0 && name)
			snprintf(r->error, sizeof r->error, "%s", name);
		if (msg && n < sizeof r->message)
			n += (size_t)snprintf(r->message + n, sizeof r->message - n, "%s%s", n ? "; " : "", msg);
	}
	if (!r->message[0])
		snprintf(r->message, sizeof r->message, "HTTP %ld with no Notify error in the answer", r->http);
	plain(r->message);
	plain(r->error);
}

void upload_reply_parse(struct upload_reply *r, long http, const char *data, size_t len, int is_post)
{
	memset(r, 0, sizeof *r);
	r->http = http;
	r->json = data ? json_loadb(data, len, 0, NULL) : NULL;
	if (r->http >= 200 && r->http < 300) {
		if (!json_is_object(r->json)) {
			snprintf(r->message, sizeof r->message, "HTTP %ld with an answer that is not a JSON object", r->http);
			r->unknown = is_post;
			r->retryable = 1;
		}
		return;
	}
	notify_errors(r);
	/* 429 is refused before anything is created; a 5xx may come after the letter was stored. */
	/* The daily limit (TooManyRequestsError) lasts until midnight: no use retrying it. */
	r->retryable = (r->http == 429 && strcmp(r->error, "TooManyRequestsError") != 0) || r->http >= 500;
	r->unknown = is_post && r->http >= 500;
}

int upload_find_by_reference(const json_t *answer, const char *reference, const char **id, const char **status)
{
	json_t *list = json_object_get(answer, "notifications"), *n;
	size_t i;
	*id = *status = NULL;
	if (!json_is_array(list))
		return -1;
	/* Notify lists newest first: the oldest match is the letter we first sent. */
	json_array_foreach(list, i, n) {
		const char *ref = json_string_value(json_object_get(n, "reference"));
		const char *nid = json_string_value(json_object_get(n, "id"));
		if (ref && nid && !strcmp(ref, reference)) {
			*id = nid;
			*status = json_string_value(json_object_get(n, "status"));
		}
	}
	return *id != NULL;
}

const char *upload_created_id(const json_t *answer)
{
	const char *id = json_string_value(json_object_get(answer, "id"));
	return id && lk_uuid_valid(id) ? id : NULL;
}

void upload_reply_clear(struct upload_reply *r)
{
	if (!r)
		return;
	json_decref(r->json);
	r->json = NULL;
}
