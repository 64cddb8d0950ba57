/*
 * api_list.c: GET /v2/notifications, newest first, 250 a page, filtered by
 * template_type, status (repeatable), reference and paged with older_than
 * (the id of the last notification of the previous page). As in Notify, a
 * key lists only the notifications sent with keys of its own type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const statuses[] = {
	"cancelled", "created", "sending", "sent", "delivered", "pending", "failed",
	"technical-failure", "temporary-failure", "permanent-failure", "pending-virus-check",
	"validation-failed", "virus-scan-failed", "returned-letter", "accepted", "received",
};
#define N_STATUSES (sizeof statuses / sizeof statuses[0])
#define STATUS_LIST "[cancelled, created, sending, sent, delivered, pending, failed, technical-failure, " \
	"temporary-failure, permanent-failure, pending-virus-check, validation-failed, virus-scan-failed, " \
	"returned-letter, accepted, received]"

struct filter {
	int want[ST_COUNT];	/* statuses asked for */
	int any_status;		/* no status argument */
	int letters;		/* template_type absent or letter */
	const char *reference;
	const char *older_than;
};

/* Marks the statuses a status argument selects; "failed" means every failure. */
static int add_status(struct filter *f, const char *s)
{
	size_t i;
	for (i = 0; i < N_STATUSES && strcmp(statuses[i], s) != 0; i++)
		;
	if (i == N_STATUSES)
		return -1;
	if (strcmp(s, "failed") == 0) {
		f->want[ST_TECHNICAL_FAILURE] = f->want[ST_VALIDATION_FAILED] = f->want[ST_VIRUS_SCAN_FAILED] = 1;
		return 0;
	}
	for (int st = 0; st < ST_COUNT; st++)
		if (strcmp(status_name((enum letter_status)st), s) == 0)
			f->want[st] = 1;
	return 0;
}

static int parse_filter(const struct request *rq, struct filter *f, struct reply *r)
{
	char msg[512];
	memset(f, 0, sizeof *f);
	f->any_status = 1;
	f->letters = 1;
	for (size_t i = 0; i < rq->n_args; i++) {
		const char *name = rq->arg_names[i], *v = rq->arg_values[i] ? rq->arg_values[i] : "";
		if (strcmp(name, "status") == 0) {
			f->any_status = 0;
			if (add_status(f, v) < 0) {
				snprintf(msg, sizeof msg, "status \u2018%.100s\u2019 is not one of " STATUS_LIST, v);
				goto bad;
			}
		} else if (strcmp(name, "template_type") == 0) {
			if (strcmp(v, "sms") && strcmp(v, "email") && strcmp(v, "letter")) {
				snprintf(msg, sizeof msg, "\u2018%.100s\u2019 is not one of [sms, email, letter]", v);
				goto bad;
			}
			f->letters = strcmp(v, "letter") == 0;
		} else if (strcmp(name, "reference") == 0) {
			f->reference = v;
		} else if (strcmp(name, "older_than") == 0) {
			if (!lk_uuid_valid(v)) {
				snprintf(msg, sizeof msg, "older_than is not a valid UUID");
				goto bad;
			}
			f->older_than = v;
		} else if (strcmp(name, "include_jobs") != 0) {
			snprintf(msg, sizeof msg, "Additional properties are not allowed (%.100s was unexpected)", name);
			goto bad;
		}
	}
	return 0;
bad:
	reply_error(r, 400, "ValidationError", msg);
	return -1;
}

/* Appends "&name=value" (percent-encoded) to a growing buffer. */
static void add_arg(char *buf, size_t size, const char *name, const char *value)
{
	size_t n = strlen(buf);
	n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s=", n && !strchr(buf, '?') ? "?" : "&", name);
	for (const unsigned char *p = (const unsigned char *)value; *p && n + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-_.~", *p))
			buf[n++] = (char)*p;
		else
			n += (size_t)snprintf(buf + n, size - n, "%%%02X", *p);
	}
	buf[n < size ? n : size - 1] = '\0';
}

/* The page's URL with older_than replaced (NULL: as asked). */
static void page_url(const struct sandbox *sb, const struct request *rq, const char *older_than,
		     char *buf, size_t size)
{
	snprintf(buf, size, "%s/v2/notifications", sb->base_url);
	for (size_t i = 0; i < rq->n_args; i++)
		if (!older_than || strcmp(rq->arg_names[i], "older_than") != 0)
			add_arg(buf, size, rq->arg_names[i], rq->arg_values[i] ? rq->arg_values[i] : "");
	if (older_than)
		add_arg(buf, size, "older_than", older_than);
}

void api_list(struct sandbox *sb, int key, const struct request *rq, struct reply *r)
{
	struct filter f;
	char url[4096];
	if (parse_filter(rq, &f, r) < 0)
		return;
	const struct sandbox_key *k = &sb->keys[key];
	json_t *list = json_array();
	const char *last = NULL;

	pthread_mutex_lock(&sb->lock);
	struct store *st = &sb->store;
	size_t start = st->n;
	if (f.older_than) {
		char lower[LK_UUID_LEN + 1];
		for (int i = 0; i <= LK_UUID_LEN; i++)
			lower[i] = (char)(f.older_than[i] >= 'A' && f.older_than[i] <= 'F' ?
					  f.older_than[i] - 'A' + 'a' : f.older_than[i]);
		size_t *idx = map_lookup(st->by_id, lower);
		start = idx ? *idx - 1 : 0;	/* an unknown id: nothing is older */
	}
	for (size_t i = start; f.letters && i-- > 0 && json_array_size(list) < PAGE_SIZE_LIST;) {
		const struct letter *l = st->items[i];
		if (l->key_type != k->type || strcmp(l->service_id, k->parts.service_id) != 0 ||
		    (!f.any_status && !f.want[l->status]) ||
		    (f.reference && strcmp(f.reference, l->reference) != 0))
			continue;
		json_array_append_new(list, letter_json(sb, l));
		last = l->id;
	}
	json_t *links = json_object();
	page_url(sb, rq, NULL, url, sizeof url);
	json_object_set_new(links, "current", json_string(url));
	if (last) {
		page_url(sb, rq, last, url, sizeof url);
		json_object_set_new(links, "next", json_string(url));
	}
	pthread_mutex_unlock(&sb->lock);
	r->status = 200;
	r->json = json_pack("{s:o, s:o}", "notifications", list, "links", links);
}
