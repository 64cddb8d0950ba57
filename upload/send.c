/*
 * send.c: a batch of letters through curl multi, `parallel` at a time,
 * never sending a letter twice.
 *
 * Each worker slot keeps its own easy handle (so its connection is reused)
 * and carries one letter through: ledger check, body, POST, and on an
 * unknown outcome a lookup by reference before any new POST. Every loop
 * turn gathers the ledger changes of all slots into one transaction, which
 * is committed before any request it allows goes out and before any result
 * is reported: one fsync per turn, not two per letter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct slot {
	CURL *h;
	struct curl_slist *headers;
	struct lk_buf answer;
	struct upload_src src;
	char errbuf[CURL_ERROR_SIZE];
	int busy;		/* carries a letter */
	int in_flight;		/* its request is in the multi handle */
	int finished;		/* outcome ready, done() after the commit */
	int lookup;		/* the request in flight is a lookup */
	int unknown;		/* a POST may have reached Notify: look up before posting */
	int posted;		/* this run POSTed it at least once */
	long long due;		/* the next request not before this (now_ms) */
	long long given;	/* letters given before this one: requests start in that order */
	int tries;
	struct upload_letter letter;
	struct upload_body body;
	struct upload_row row;
	struct upload_outcome out;
};

struct batch {
	struct upload_ctx *ctx;
	struct upload_ledger *ledger;
	const struct upload_batch *b;
	CURLM *multi;
	struct slot *slots;
	int n;			/* slots: twice the requests in flight */
	int cap;		/* requests in flight at most (cfg.parallel) */
	int in_txn, txn_durable;
	int input_done;
	int input_waiting;	/* next() said reading on could wait */
	int input_held;		/* next() said it holds enough letters: wait for a done() */
	long long given;	/* letters next() has given */
	int fatal;
	char *err;
	size_t errlen;
};

static int commit(struct batch *bt)
{
	if (!bt->in_txn)
		return 0;
	bt->in_txn = 0;
	if (upload_ledger_commit(bt->ledger, bt->err, bt->errlen) < 0) {
		bt->fatal = 1;
		return -1;
	}
	return 0;
}

/* Opens a transaction (durable: fsync at commit) unless a strong enough one is open. */
static int txn(struct batch *bt, int durable)
{
	if (bt->in_txn && bt->txn_durable >= durable)
		return 0;
	if (commit(bt) < 0 || upload_ledger_begin(bt->ledger, durable, bt->err, bt->errlen) < 0) {
		bt->fatal = 1;
		return -1;
	}
	bt->in_txn = 1;
	bt->txn_durable = durable;
	return 0;
}

/* `sending` must be on disk before the POST goes out; every other change may wait. */
static int put_row(struct batch *bt, struct slot *s)
{
	if (txn(bt, s->row.state == UPLOAD_SENDING && !s->in_flight && !s->tries) < 0 ||
	    upload_ledger_put(bt->ledger, &s->row, bt->err, bt->errlen) < 0) {
		bt->fatal = 1;
		return -1;
	}
	return 0;
}

/* `code` says for machines why a letter was not sent (NULL when it was). */
static void finish(struct slot *s, enum upload_result result, const char *code, long http, const char *error,
		   const char *message)
{
	s->out.result = result;
	s->out.code = code;
	s->out.http = http;
	snprintf(s->out.error, sizeof s->out.error, "%s", error ? error : "");
	snprintf(s->out.message, sizeof s->out.message, "%s", message ? message : "");
	s->out.tries = s->tries;
	s->finished = 1;
}

/* The ledger's verdict on a letter, then its body. 0: ready to send; 1: finished already. */
static int prepare(struct batch *bt, struct slot *s)
{
	char msg[UPLOAD_MSG_MAX];
	const struct upload_letter *l = &s->letter;
	struct upload_row *row = &s->row;
	struct upload_outcome *o = &s->out;
	/* Checked before the copies below, which would silently cut them to other values. */
	const char *too_long = l->reference && strlen(l->reference) > UPLOAD_REFERENCE_MAX ? "reference"
		: l->postage && strlen(l->postage) >= sizeof o->postage ? "postage" : NULL;
	if (too_long) {
		snprintf(msg, sizeof msg, "%.300s: the %s is longer than %zu bytes", l->file, too_long,
			 strcmp(too_long, "reference") ? sizeof o->postage - 1 : (size_t)UPLOAD_REFERENCE_MAX);
		finish(s, UPLOAD_R_REFUSED, strcmp(too_long, "reference") ? "invalid-postage" : "invalid-reference",
		       0, NULL, msg);
		return 1;
	}
	if (l->reference)
		snprintf(o->reference, sizeof o->reference, "%s", l->reference);
	else
		upload_reference_from_path(l->file, o->reference, sizeof o->reference);
	snprintf(o->postage, sizeof o->postage, "%s", l->postage ? l->postage : bt->b->default_postage);

	enum upload_rc rc = upload_body_make(l->file, o->reference, o->postage, &s->body, msg, sizeof msg);
	int found = upload_ledger_find(bt->ledger, o->reference, row, bt->err, bt->errlen);
	if (found < 0) {
		bt->fatal = 1;
		finish(s, UPLOAD_R_ERROR, "ledger-failed", 0, NULL, bt->err);
		return 1;
	}
	if (found && row->run == upload_ledger_run(bt->ledger)) {
		snprintf(msg, sizeof msg, "%.300s: reference '%s' appears more than once in this batch (file %.300s); "
			 "each letter needs its own reference", l->file, o->reference, row->file);
		finish(s, UPLOAD_R_ERROR, "duplicate-reference", 0, NULL, msg);
		return 1;
	}
	if (found && row->state == UPLOAD_SENT) {
		snprintf(o->id, sizeof o->id, "%s", row->id);
		if (rc == UPLOAD_OK && strcmp(row->sha256, s->body.sha256) != 0) {
			snprintf(msg, sizeof msg, "%.300s: reference '%s' was already sent (notification %s) with "
				 "different content (file %.300s); give the new letter its own reference",
				 l->file, o->reference, row->id, row->file);
			finish(s, UPLOAD_R_ERROR, "content-changed", 0, NULL, msg);
		} else {
			finish(s, UPLOAD_R_ALREADY, NULL, 0, NULL, NULL);
		}
		return 1;
	}
	if (rc != UPLOAD_OK) {
		/* Never sent by us, so the ledger has nothing to learn (and a `sending` row must stay). */
		if (rc == UPLOAD_REFUSED)
			finish(s, UPLOAD_R_REFUSED, s->body.refusal, 0, NULL, msg);
		else
			finish(s, UPLOAD_R_ERROR, "unreadable-file", 0, NULL, msg);
		return 1;
	}
	s->unknown = found && row->state == UPLOAD_SENDING;
	if (!found)
		row->attempts = 0;
	snprintf(row->reference, sizeof row->reference, "%s", o->reference);
	snprintf(row->file, sizeof row->file, "%s", l->file);
	snprintf(row->sha256, sizeof row->sha256, "%s", s->body.sha256);
	snprintf(row->postage, sizeof row->postage, "%s", o->postage);
	row->state = UPLOAD_SENDING;
	row->id[0] = row->status[0] = row->reason[0] = '\0';
	row->run = upload_ledger_run(bt->ledger);
	if (put_row(bt, s) < 0) {
		finish(s, UPLOAD_R_ERROR, "ledger-failed", 0, NULL, bt->err);
		return 1;
	}
	s->due = 0;
	return 0;
}

static void record_sent(struct batch *bt, struct slot *s, const char *id, const char *status,
			enum upload_result result)
{
	struct upload_row *row = &s->row;
	row->state = UPLOAD_SENT;
	snprintf(row->id, sizeof row->id, "%s", id);
	snprintf(row->status, sizeof row->status, "%s", status ? status : "");
	row->reason[0] = '\0';
	snprintf(s->out.id, sizeof s->out.id, "%s", id);
	if (put_row(bt, s) < 0)
		finish(s, UPLOAD_R_UNKNOWN, "ledger-failed", 0, NULL, bt->err);
	else
		finish(s, result, NULL, 201, NULL, NULL);
}

/*
 * A letter that will not be sent now. In the ledger it stays `sending` when
 * a POST may have reached Notify (the next run looks it up); it goes back to
 * `queued` when it never reached Notify because of the batch, not the letter
 * (the server could not be reached, the batch stopped): the next run sends
 * it. Otherwise it is `failed`, with the reason.
 */
static void record_unsent(struct batch *bt, struct slot *s, enum upload_result result, const char *code,
			  const struct upload_reply *r, const char *message)
{
	struct upload_row *row = &s->row;
	if (r && r->http)
		snprintf(row->reason, sizeof row->reason, "HTTP %ld %s: %s", r->http, r->error, message);
	else
		snprintf(row->reason, sizeof row->reason, "%s", message);
	if (s->unknown)
		result = UPLOAD_R_UNKNOWN;	/* stays `sending`: the next run looks it up */
	else if ((r && r->unreachable) || !strcmp(code, "batch-stopped"))
		row->state = UPLOAD_QUEUED;
	else
		row->state = UPLOAD_FAILED;
	put_row(bt, s);
	finish(s, result, code, r ? r->http : 0, r ? r->error : NULL, message);
}

/* The server cannot be reached: this letter is not sent, and the batch stops (no retries, no waiting). */
static void stop_unreachable(struct batch *bt, struct slot *s, const struct upload_reply *r)
{
	char msg[UPLOAD_MSG_MAX + 320];
	if (!bt->fatal)
		snprintf(bt->err, bt->errlen, "the batch stopped: %s", r->message);
	bt->fatal = 1;
	snprintf(msg, sizeof msg, "%.300s: not sent: %s", s->letter.file, r->message);
	record_unsent(bt, s, UPLOAD_R_ERROR, r->unreachable, r, msg);
}

static void lookup_done(struct batch *bt, struct slot *s, struct upload_reply *r)
{
	if (r->unreachable) {
		stop_unreachable(bt, s, r);
		return;
	}
	if (r->http == 200) {
		const char *id, *status;
		int found = upload_find_by_reference(r->json, s->row.reference, &id, &status);
		if (found < 0) {
			r->retryable = 1;
			snprintf(r->message, sizeof r->message, "a lookup answer without notifications");
		} else if (found) {
			record_sent(bt, s, id, status, s->posted ? UPLOAD_R_SENT : UPLOAD_R_ALREADY);
			return;
		} else {
			s->unknown = 0;	/* Notify has none: safe to POST */
			s->due = 0;
			return;
		}
	}
	if (r->http == 403) {
		bt->fatal = 1;
		snprintf(bt->err, bt->errlen, "Notify refused the key (HTTP 403 %s: %s)", r->error, r->message);
	}
	if (!r->retryable || s->tries > bt->ctx->cfg.retries) {
		char msg[UPLOAD_MSG_MAX + 64];
		snprintf(msg, sizeof msg, "could not find out whether it was sent: %s", r->message);
		record_unsent(bt, s, UPLOAD_R_UNKNOWN, "lookup-failed", r, msg);
		return;
	}
	s->due = now_ms() + backoff_ms(bt->ctx, s->tries);
}

static void post_done(struct batch *bt, struct slot *s, struct upload_reply *r)
{
	if (r->unreachable) {
		stop_unreachable(bt, s, r);
		return;
	}
	s->row.attempts++;
	if (r->http == 201) {
		const char *id = upload_created_id(r->json);
		if (id) {
			record_sent(bt, s, id, NULL, UPLOAD_R_SENT);
			return;
		}
		r->unknown = r->retryable = 1;
		snprintf(r->message, sizeof r->message, "HTTP 201 without a notification id");
	}
	s->unknown |= r->unknown;
	if (r->http == 403 || (r->http == 429 && !r->retryable)) {
		/* A wrong key, a team key, a skewed clock or the daily limit (a 429 that
		 * is not retried): every other letter would fail too. */
		bt->fatal = 1;
		snprintf(bt->err, bt->errlen, "Notify refused the request with key '%s' (HTTP %ld %s: %s)",
			 bt->ctx->cfg.key.name, r->http, r->error, r->message);
		record_unsent(bt, s, UPLOAD_R_ERROR, "key-refused", r, r->message);
		return;
	}
	if (!r->retryable) {
		record_unsent(bt, s, UPLOAD_R_REFUSED, "refused-by-notify", r, r->message);
		return;
	}
	if (s->tries > bt->ctx->cfg.retries) {
		char msg[UPLOAD_MSG_MAX + 64];
		snprintf(msg, sizeof msg, "gave up after %d tries: %s", s->tries, r->message);
		record_unsent(bt, s, UPLOAD_R_ERROR, "retries-exhausted", r, msg);
		return;
	}
	s->due = now_ms() + backoff_ms(bt->ctx, s->tries);
}

static int start(struct batch *bt, struct slot *s)
{
	char path[1024], err[256];
	const char *body = NULL;
	size_t body_len = 0;
	s->lookup = s->unknown;
	if (s->lookup) {
		char *ref = curl_easy_escape(s->h, s->row.reference, 0);
		if (!ref) {
			record_unsent(bt, s, UPLOAD_R_ERROR, "request-failed", NULL, "out of memory");
			return 0;
		}
		snprintf(path, sizeof path, "/v2/notifications?template_type=letter&reference=%s", ref);
		curl_free(ref);
	} else {
		snprintf(path, sizeof path, "/v2/notifications/letter");
		body = s->body.json;
		body_len = s->body.len;
	}
	if (request_setup(bt->ctx, s->h, s->lookup ? "GET" : "POST", path, body, body_len, &s->src, &s->answer, s->errbuf,
			  &s->headers, err, sizeof err) < 0) {
		record_unsent(bt, s, UPLOAD_R_ERROR, "request-failed", NULL, err);
		return 0;
	}
	curl_easy_setopt(s->h, CURLOPT_PRIVATE, s);
	if (curl_multi_add_handle(bt->multi, s->h) != CURLM_OK) {
		curl_slist_free_all(s->headers);
		s->headers = NULL;
		record_unsent(bt, s, UPLOAD_R_ERROR, "request-failed", NULL, "cannot start a request");
		return 0;
	}
	s->tries++;
	s->posted |= !s->lookup;
	s->in_flight = 1;
	return 1;
}

static void completed(struct batch *bt, CURL *h, CURLcode cc)
{
	struct slot *s = NULL;
	struct upload_reply r;
	curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&s);
	curl_multi_remove_handle(bt->multi, h);
	s->in_flight = 0;
	reply_fill(bt->ctx, &r, h, cc, s->errbuf, &s->answer, !s->lookup);
	curl_slist_free_all(s->headers);
	s->headers = NULL;
	buf_reset(&s->answer);
	if (s->lookup)
		lookup_done(bt, s, &r);
	else
		post_done(bt, s, &r);
	upload_reply_clear(&r);
}

static void release(struct slot *s)
{
	upload_body_clear(&s->body);
	CURL *h = s->h;
	memset(s, 0, sizeof *s);
	s->h = h;
}

/* After a fatal answer: letters waiting for a retry are not sent now. */
static void abandon_waiting(struct batch *bt)
{
	for (int i = 0; i < bt->n; i++) {
		struct slot *s = &bt->slots[i];
		if (s->busy && !s->in_flight && !s->finished) {
			char msg[400];
			snprintf(msg, sizeof msg, "%.300s: not sent: the batch stopped", s->letter.file);
			record_unsent(bt, s, UPLOAD_R_ERROR, "batch-stopped", NULL, msg);
		}
	}
}

/* Reports finished letters (after their ledger changes are committed) and frees their slots. */
static void report(struct batch *bt)
{
	for (int i = 0; i < bt->n; i++) {
		struct slot *s = &bt->slots[i];
		if (s->finished) {
			bt->b->done(bt->b->arg, &s->letter, &s->out);
			release(s);
			bt->input_held = 0;   /* the caller may take letters again */
		}
	}
}

/*
 * The letter given first of those whose request is due, or NULL; *wait is
 * lowered to when the next of the others is due. First given, first
 * started: taking slots in their own order let a letter in a late slot wait
 * while the early slots were refilled and started turn after turn (half a
 * second, a thousand letters, every record after it held back).
 */
static struct slot *first_due(struct batch *bt, long long now, long long *wait)
{
	struct slot *first = NULL;
	for (int i = 0; i < bt->n; i++) {
		struct slot *s = &bt->slots[i];
		if (!s->busy || s->in_flight || s->finished)
			continue;
		if (s->due > now) {
			*wait = s->due - now < *wait ? s->due - now : *wait;
			continue;
		}
		if (!first || s->given < first->given)
			first = s;
	}
	return first;
}

/* Starts every request that is due, within the in-flight cap and the rate limit. */
static int start_due(struct batch *bt, long long *wait)
{
	long long now = now_ms();
	int started = 0, in_flight = 0;
	struct slot *s;
	for (int i = 0; i < bt->n; i++)
		in_flight += bt->slots[i].in_flight;
	while (in_flight < bt->cap && (s = first_due(bt, now, wait))) {
		long long w = limiter_take(&bt->ctx->limiter, now);
		if (w > 0) {
			*wait = w < *wait ? w : *wait;
			break;
		}
		if (start(bt, s)) {   /* else it is finished: not sent */
			started++;
			in_flight++;
		}
	}
	return started;
}

/*
 * One turn of the loop: results in (one lazy commit) and reported; requests
 * started for letters made durable in earlier turns (so the server works
 * while we wait for the disk below); free slots refilled, with one durable
 * commit for all their `sending` rows; their requests started. There are
 * twice as many slots as requests in flight, so a letter is ready to go as
 * soon as a request ends. Returns 1 while there is more to do, 0 at the end,
 * -1 when the ledger failed (nothing after that is safe to send or report).
 */
static int turn(struct batch *bt, long long *timeout)
{
	CURLMsg *m;
	int left, started, busy = 0;
	long long wait = 1000;
	while ((m = curl_multi_info_read(bt->multi, &left)))
		if (m->msg == CURLMSG_DONE)
			completed(bt, m->easy_handle, m->data.result);
	if (bt->fatal)
		abandon_waiting(bt);
	if (commit(bt) < 0)
		return -1;
	report(bt);
	started = start_due(bt, &wait);
	bt->input_waiting = 0;
	bt->input_held = 0;
	for (int i = 0; i < bt->n && !bt->input_done && !bt->fatal; i++) {
		struct slot *s = &bt->slots[i];
		if (s->busy)
			continue;
		int got = bt->b->next(bt->b->arg, &s->letter);
		if (got == -2) {
			/* The caller holds enough letters behind one still in
			 * flight: none is taken until a transfer ends. */
			bt->input_held = 1;
			break;
		}
		if (got < 0) {
			/* Reading on could wait: look after the letters in flight,
			 * and come back when the input is readable. */
			bt->input_waiting = 1;
			break;
		}
		if (got == 0) {
			bt->input_done = 1;
			break;
		}
		s->busy = 1;
		s->given = bt->given++;
		prepare(bt, s);
	}
	if (bt->fatal)
		abandon_waiting(bt);
	if (commit(bt) < 0)
		return -1;
	report(bt);
	started += start_due(bt, &wait);
	for (int i = 0; i < bt->n; i++) {
		struct slot *s = &bt->slots[i];
		busy += s->busy;
		/* A letter finished in start(), or a slot freed by report(): another turn at once. */
		if (s->finished || (!s->busy && !bt->input_done && !bt->fatal && !bt->input_waiting &&
					 !bt->input_held))
			wait = 0;
	}
	*timeout = started ? 0 : wait;
	return busy || (!bt->input_done && !bt->fatal);
}

/*
 * After the ledger failed, the letters still held go back to the caller,
 * none called sent: its row may not be on disk. One that may have reached
 * Notify is unknown (a rerun looks it up); the others were not sent.
 */
static void hand_back(struct batch *bt)
{
	for (int i = 0; bt->slots && i < bt->n; i++) {
		struct slot *s = &bt->slots[i];
		if (!s->busy || (s->finished && s->out.result != UPLOAD_R_SENT))
			continue;
		if (s->in_flight)
			curl_multi_remove_handle(bt->multi, s->h);
		s->in_flight = 0;
		curl_slist_free_all(s->headers);   /* report() below forgets the slot */
		s->headers = NULL;
		buf_reset(&s->answer);
		if (s->posted || s->unknown)
			finish(s, UPLOAD_R_UNKNOWN, "ledger-failed", 0, NULL, "the ledger could not record its outcome");
		else
			finish(s, UPLOAD_R_ERROR, "ledger-failed", 0, NULL, "not sent: the ledger failed");
	}
	report(bt);
}

int upload_send_batch(struct upload_ctx *ctx, struct upload_ledger *ledger, const struct upload_batch *b,
		      char *err, size_t errlen)
{
	struct batch bt = {.ctx = ctx, .ledger = ledger, .b = b, .n = 2 * ctx->cfg.parallel,
			   .cap = ctx->cfg.parallel, .err = err, .errlen = errlen};
	int rc = -1, running, more;
	err[0] = '\0';
	bt.multi = curl_multi_init();
	bt.slots = calloc((size_t)bt.n, sizeof *bt.slots);
	if (!bt.multi || !bt.slots) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (int i = 0; i < bt.n; i++)
		if (!(bt.slots[i].h = curl_easy_init())) {
			snprintf(err, errlen, "cannot start libcurl");
			goto out;
		}
	curl_multi_setopt(bt.multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)bt.cap);
	do {
		long long timeout;
		curl_multi_perform(bt.multi, &running);
		more = turn(&bt, &timeout);
		if (more < 0)
			goto out;
		if (more && timeout > 0) {
			/* Wake for the transfers, or for input when we wait for it. */
			struct curl_waitfd input = {b->input_fd, CURL_WAIT_POLLIN, 0};
			int waiting = bt.input_waiting && b->input_fd >= 0;
			curl_multi_poll(bt.multi, waiting ? &input : NULL, waiting ? 1 : 0, (int)timeout, NULL);
		}
	} while (more);
	rc = bt.fatal ? -1 : 0;
out:
	if (bt.in_txn)
		upload_ledger_commit(ledger, err[0] ? NULL : err, err[0] ? 0 : errlen);
	hand_back(&bt);
	for (int i = 0; bt.slots && i < bt.n; i++) {
		struct slot *s = &bt.slots[i];
		if (s->in_flight)
			curl_multi_remove_handle(bt.multi, s->h);
		curl_slist_free_all(s->headers);
		buf_reset(&s->answer);
		upload_body_clear(&s->body);
		curl_easy_cleanup(s->h);
	}
	free(bt.slots);
	curl_multi_cleanup(bt.multi);
	return rc;
}
