/*
 * control.c: the sandbox's own endpoints, for tests (not part of Notify):
 *   GET  /_sandbox/counters[?reference=R]  accepted POSTs, by reference
 *   GET  /_sandbox/faults                  the fault settings
 *   POST /_sandbox/faults                  replace them: a JSON object with any of
 *        fail_rate, fail_status, slow_ms, drop_rate, fail_next, drop_next
 * They need no key; the server listens on loopback only unless told otherwise,
 * and --no-control turns them off.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static json_t *faults_json(const struct sandbox_faults *f)
{
	return json_pack("{s:f, s:i, s:I, s:f, s:I, s:I}", "fail_rate", f->fail_rate,
			 "fail_status", f->fail_status, "slow_ms", (json_int_t)f->slow_ms,
			 "drop_rate", f->drop_rate, "fail_next", (json_int_t)f->fail_next,
			 "drop_next", (json_int_t)f->drop_next);
}

static json_t *counters_json(struct sandbox *sb, const char *reference)
{
	struct store *st = &sb->store;
	if (reference) {
		size_t *n = map_lookup(st->by_reference, reference);
		return json_pack("{s:s, s:I}", "reference", reference, "accepted_posts",
				 (json_int_t)(n ? *n : 0));
	}
	json_t *by_ref = json_object(), *by_status = json_object();
	for (size_t i = 0; i < st->n; i++) {
		const struct letter *l = st->items[i];
		json_t *c = json_object_get(by_ref, l->reference);
		if (!c)
			json_object_set_new(by_ref, l->reference, json_integer(1));
		else
			json_integer_set(c, json_integer_value(c) + 1);
		const char *s = status_name(l->status);
		c = json_object_get(by_status, s);
		if (!c)
			json_object_set_new(by_status, s, json_integer(1));
		else
			json_integer_set(c, json_integer_value(c) + 1);
	}
	return json_pack("{s:I, s:I, s:o, s:o, s:{s:I, s:I, s:I}}",
			 "accepted_posts", (json_int_t)st->accepted_posts, "requests", (json_int_t)sb->requests,
			 "references", by_ref, "statuses", by_status, "faults_injected",
			 "failed", (json_int_t)sb->failed_injected, "dropped", (json_int_t)sb->dropped_injected,
			 "slowed", (json_int_t)sb->slowed_injected);
}

/* Reads a number field in [lo, hi]; 0 when absent or fine, -1 with a message. */
static int number(const json_t *body, const char *name, double lo, double hi, double *out, struct reply *r)
{
	json_t *v = json_object_get(body, name);
	if (!v)
		return 0;
	if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s must be a number from %g to %g", name, lo, hi);
		reply_error(r, 400, "ValidationError", msg);
		return -1;
	}
	*out = json_number_value(v);
	return 0;
}

static void set_faults(struct sandbox *sb, const struct request *rq, struct reply *r)
{
	json_t *body = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, NULL);
	double fail_rate = 0, fail_status = 500, slow = 0, drop_rate = 0, fail_next = 0, drop_next = 0;
	if (!json_is_object(body)) {
		reply_error(r, 400, "BadRequestError", "Invalid JSON supplied in POST data");
		goto out;
	}
	if (number(body, "fail_rate", 0, 1, &fail_rate, r) < 0 ||
	    number(body, "fail_status", 100, 599, &fail_status, r) < 0 ||
	    number(body, "slow_ms", 0, 600000, &slow, r) < 0 ||
	    number(body, "drop_rate", 0, 1, &drop_rate, r) < 0 ||
	    number(body, "fail_next", 0, 1e9, &fail_next, r) < 0 ||
	    number(body, "drop_next", 0, 1e9, &drop_next, r) < 0)
		goto out;
	if (fail_status != 429 && fail_status != 500 && fail_status != 503) {
		reply_error(r, 400, "ValidationError", "fail_status must be 429, 500 or 503");
		goto out;
	}
	pthread_mutex_lock(&sb->lock);
	sb->faults = (struct sandbox_faults){fail_rate, (int)fail_status, (long)slow, drop_rate,
					     (long)fail_next, (long)drop_next};
	r->json = faults_json(&sb->faults);
	pthread_mutex_unlock(&sb->lock);
	r->status = 200;
out:
	json_decref(body);
}

void control_handle(struct sandbox *sb, const struct request *rq, struct reply *r)
{
	int get = strcmp(rq->method, "GET") == 0;
	if (strcmp(rq->path, "/_sandbox/faults") == 0 && strcmp(rq->method, "POST") == 0) {
		set_faults(sb, rq, r);
		return;
	}
	const char *reference = NULL;
	for (size_t i = 0; i < rq->n_args; i++)
		if (strcmp(rq->arg_names[i], "reference") == 0)
			reference = rq->arg_values[i] ? rq->arg_values[i] : "";
	pthread_mutex_lock(&sb->lock);
	if (get && strcmp(rq->path, "/_sandbox/faults") == 0)
		r->json = faults_json(&sb->faults);
	else if (get && strcmp(rq->path, "/_sandbox/counters") == 0)
		r->json = counters_json(sb, reference);
	pthread_mutex_unlock(&sb->lock);
	if (r->json)
		r->status = 200;
	else
		reply_error(r, 404, "NotFound", "The requested URL was not found on the server.");
}
