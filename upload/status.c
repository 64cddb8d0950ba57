/* status.c: polling Notify for the statuses of sent letters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int upload_status_fetch(struct upload_ctx *ctx, const char *id, char *status, size_t size, char *err, size_t errlen)
{
	char path[128];
	struct upload_reply r;
	int rc = -1;
	if (!lk_uuid_valid(id)) {
		snprintf(err, errlen, "'%s' is not a notification id (a UUID)", id);
		return -1;
	}
	snprintf(path, sizeof path, "/v2/notifications/%s", id);
	if (upload_get(ctx, path, &r) < 0) {
		snprintf(err, errlen, "%s: %s", id, r.message);
		goto out;
	}
	const char *s = json_string_value(json_object_get(r.json, "status"));
	if (r.http != 200 || !s) {
		/* The reply's message says when a 200's answer was not a JSON object. */
		snprintf(err, errlen, "%s: HTTP %ld%s%s: %s", id, r.http, r.error[0] ? " " : "", r.error,
			 r.http == 200 && !r.message[0] ? "an answer without a status" : r.message);
		goto out;
	}
	snprintf(status, size, "%s", s);
	rc = 0;
out:
	upload_reply_clear(&r);
	return rc;
}

struct open_list {
	struct { char id[LK_UUID_LEN + 1]; char reference[UPLOAD_REFERENCE_MAX + 1]; } *items;
	size_t n, cap;
};

static int collect(void *arg, const struct upload_row *row)
{
	struct open_list *ol = arg;
	if (ol->n == ol->cap) {
		size_t cap = ol->cap ? ol->cap * 2 : 64;
		void *p = realloc(ol->items, cap * sizeof *ol->items);
		if (!p)
			return -1;
		ol->items = p;
		ol->cap = cap;
	}
	snprintf(ol->items[ol->n].id, sizeof ol->items[ol->n].id, "%s", row->id);
	snprintf(ol->items[ol->n].reference, sizeof ol->items[ol->n].reference, "%s", row->reference);
	ol->n++;
	return 0;
}

long upload_status_poll(struct upload_ctx *ctx, struct upload_ledger *ledger, json_t *seen, char *err, size_t errlen)
{
	struct open_list ol = {0};
	char status[32];
	long open = 0;
	int in_txn = 0;
	/* Read the list first: the ledger is written while we go through it. */
	if (upload_ledger_each_open(ledger, collect, &ol, err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < ol.n; i++) {
		if (upload_status_fetch(ctx, ol.items[i].id, status, sizeof status, err, errlen) < 0)
			goto fail;
		if (!in_txn && upload_ledger_begin(ledger, 0, err, errlen) < 0)
			goto fail;
		in_txn = 1;
		if (upload_ledger_set_status(ledger, ol.items[i].id, status, err, errlen) < 0)
			goto fail;
		json_object_set_new(seen, ol.items[i].id, json_pack("{s:s, s:s, s:s}", "id", ol.items[i].id,
								    "reference", ol.items[i].reference, "status", status));
		open += !upload_status_terminal(status);
	}
	if (in_txn && upload_ledger_commit(ledger, err, errlen) < 0)
		goto fail;
	free(ol.items);
	return open;
fail:
	if (in_txn)
		upload_ledger_commit(ledger, NULL, 0);	/* keep what was learnt */
	free(ol.items);
	return -1;
}
