/*
 * http.c: one Notify API request with libcurl: a fresh token for each,
 * Notify's error bodies turned into messages, the rate limiter and the
 * backoff shared by every kind of request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "lk_config.h"
#include "internal.h"

long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(long long ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void upload_config_init(struct upload_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->base_url = UPLOAD_DEFAULT_BASE_URL;
	cfg->timeout_ms = 30000;
	cfg->connect_timeout_ms = 10000;
	cfg->retries = 5;
	cfg->backoff_ms = 500;
	cfg->backoff_max_ms = 30000;
	cfg->rate_limit = 3000;
	cfg->rate_interval_s = 60;
	cfg->parallel = 1;
	cfg->user_agent = "letterkit/" LK_VERSION;
}

long long limiter_take(struct limiter *lim, long long now)
{
	if (lim->last_ms)
		lim->tokens += (double)(now - lim->last_ms) * lim->per_ms;
	if (lim->tokens > lim->cap)
		lim->tokens = lim->cap;
	lim->last_ms = now;
	if (lim->tokens >= 1.0) {
		lim->tokens -= 1.0;
		return 0;
	}
	return (long long)((1.0 - lim->tokens) / lim->per_ms) + 1;
}

static unsigned long long next_random(struct upload_ctx *ctx)
{
	/* xorshift64*: jitter needs spread, not secrecy. */
	ctx->rng ^= ctx->rng >> 12;
	ctx->rng ^= ctx->rng << 25;
	ctx->rng ^= ctx->rng >> 27;
	return ctx->rng * 2685821657736338717ULL;
}

long long backoff_ms(struct upload_ctx *ctx, int tries)
{
	long long d = ctx->cfg.backoff_ms;
	for (int i = 1; i < tries && d < ctx->cfg.backoff_max_ms; i++)
		d *= 2;
	if (d > ctx->cfg.backoff_max_ms)
		d = ctx->cfg.backoff_max_ms;
	/* "Equal jitter": half fixed, half random, so clients that failed together spread out. */
	return d / 2 + (long long)(next_random(ctx) % (unsigned long long)(d / 2 + 1));
}

struct upload_ctx *upload_ctx_new(const struct upload_config *cfg, char *err, size_t errlen)
{
	struct upload_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ctx->cfg = *cfg;
	if (base_url_parse(cfg->base_url ? cfg->base_url : UPLOAD_DEFAULT_BASE_URL, &ctx->base, err, errlen) < 0)
		goto fail;
	/* Requests go to the URL libcurl normalized: the host checked is the host connected to. */
	snprintf(ctx->base_url, sizeof ctx->base_url, "%s", ctx->base.url);
	ctx->cfg.base_url = ctx->base_url;
	if (cfg->rate_limit <= 0 || cfg->rate_interval_s <= 0 || cfg->parallel < 1) {
		snprintf(err, errlen, "rate limit and parallelism must be positive");
		goto fail;
	}
	/* 3% under the limit, starting empty with a burst of at most one request
	 * per worker: the server's bucket may already be drained by a batch
	 * that just ended, and must never see us faster than it refills. */
	ctx->limiter.per_ms = 0.97 * cfg->rate_limit / (cfg->rate_interval_s * 1000.0);
	ctx->limiter.cap = cfg->parallel;
	ctx->limiter.tokens = 1;
	ctx->rng = (unsigned long long)time(NULL) * 6364136223846793005ULL ^ (unsigned long long)getpid();
	if (!ctx->rng)
		ctx->rng = 1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(ctx->easy = curl_easy_init())) {
		snprintf(err, errlen, "cannot start libcurl");
		goto fail;
	}
	return ctx;
fail:
	upload_ctx_free(ctx);
	return NULL;
}

void upload_ctx_free(struct upload_ctx *ctx)
{
	if (!ctx)
		return;
	curl_easy_cleanup(ctx->easy);
	/* The secret lives in cfg.key: wipe it. */
	OPENSSL_cleanse(&ctx->cfg.key, sizeof ctx->cfg.key);
	free(ctx);
}

void buf_reset(struct lk_buf *b)
{
	lk_buf_free(b);
	b->limit = ANSWER_MAX;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct lk_buf *b = arg;
	size_t n = size * nmemb;
	lk_buf_append(b, p, n);
	return lk_buf_failed(b) ? 0 : n;   /* 0 makes curl fail with CURLE_WRITE_ERROR */
}

static size_t read_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct upload_src *u = arg;
	size_t n = size * nmemb, left = u->len - u->pos;
	if (n > left)
		n = left;
	memcpy(p, u->data + u->pos, n);
	u->pos += n;
	return n;
}

/* Rewinding is allowed only before the first byte went out. */
static int seek_body(void *arg, curl_off_t offset, int origin)
{
	struct upload_src *u = arg;
	if (offset == 0 && origin == SEEK_SET && u->pos == 0)
		return CURL_SEEKFUNC_OK;
	u->rewind_refused = 1;
	return CURL_SEEKFUNC_FAIL;
}

int request_setup(struct upload_ctx *ctx, CURL *h, const char *method, const char *path, const char *body,
		  size_t body_len, struct upload_src *upload, struct lk_buf *answer, char *errbuf,
		  struct curl_slist **headers, char *err, size_t errlen)
{
	char url[4096], token[LK_JWT_MAX], auth[LK_JWT_MAX + 32];
	struct curl_slist *hl = NULL;
	*headers = NULL;
	if (snprintf(url, sizeof url, "%s%s", ctx->base_url, path) >= (int)sizeof url) {
		snprintf(err, errlen, "URL too long");
		return -1;
	}
	/* A fresh token for every request, retries included: Notify allows 30 s of skew. */
	if (lk_jwt_sign(ctx->cfg.key.service_id, (long long)time(NULL) + ctx->cfg.clock_offset_s,
			ctx->cfg.key.secret, token, sizeof token, err, errlen) < 0)
		return -1;
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	/* curl sends Expect: 100-continue for bodies over 1 MiB; a server that ignores it costs 1 s. */
	const char *lines[] = {auth, "Accept: application/json", "Expect:",
			       body ? "Content-Type: application/json" : NULL};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0] && lines[i]; i++) {
		struct curl_slist *t = curl_slist_append(hl, lines[i]);
		if (!t) {
			curl_slist_free_all(hl);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		hl = t;
	}
	curl_easy_reset(h);
	errbuf[0] = '\0';
	buf_reset(answer);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_USERAGENT, ctx->cfg.user_agent);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, answer);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ctx->cfg.timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ctx->cfg.connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* Only the base URL's scheme (no redirect is followed either). Plain http,
	 * which goes only to this machine, never through a proxy: http_proxy or
	 * ALL_PROXY would carry the token in clear to the proxy's host. */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, ctx->base.plain ? "http" : "https");
	if (ctx->base.plain)
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	/* Verification is libcurl's default; say so, so no later change turns it off unseen. */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (body) {
		/* A read callback, not CURLOPT_POSTFIELDS: libcurl silently resends a POST
		 * when a reused connection closes before any answer, which would send a
		 * letter twice. With a body it cannot rewind, that becomes an error, and
		 * we look the letter up instead. */
		upload->data = body;
		upload->len = body_len;
		upload->pos = 0;
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, read_body);
		curl_easy_setopt(h, CURLOPT_READDATA, upload);
		curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, seek_body);
		curl_easy_setopt(h, CURLOPT_SEEKDATA, upload);
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	}
	*headers = hl;
	/* The token is no secret for long, but there is no need to leave it around either. */
	OPENSSL_cleanse(token, sizeof token);
	OPENSSL_cleanse(auth, sizeof auth);
	return 0;
}

/* TLS could not be set up or the server's certificate was not trusted. */
static int tls_failure(CURLcode cc)
{
	return cc == CURLE_SSL_CONNECT_ERROR || cc == CURLE_PEER_FAILED_VERIFICATION ||
	       cc == CURLE_SSL_CACERT_BADFILE || cc == CURLE_SSL_CERTPROBLEM || cc == CURLE_SSL_ISSUER_ERROR ||
	       cc == CURLE_SSL_PINNEDPUBKEYNOTMATCH || cc == CURLE_SSL_INVALIDCERTSTATUS ||
	       cc == CURLE_SSL_CRL_BADFILE;
}

/*
 * The server cannot be reached at all: retrying in a second will not help,
 * and every other letter would wait through the same retries. A time-out
 * counts only when no connection was made (a slow answer is retried).
 */
static int unreachable(CURL *h, CURLcode cc)
{
	curl_off_t connected = 0;
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
		return connected == 0;
	}
	return cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST || cc == CURLE_COULDNT_RESOLVE_PROXY ||
	       tls_failure(cc);
}

static void unreachable_message(const struct upload_ctx *ctx, struct upload_reply *r, CURLcode cc, const char *why)
{
	const char *host = ctx->base.host;
	if (tls_failure(cc))
		snprintf(r->message, sizeof r->message, "the TLS connection to %s failed (%s): check that %s is "
			 "the right server and that this machine trusts its certificate (letterkit never sends "
			 "without verifying it)", host, why, host);
	else if (cc == CURLE_COULDNT_RESOLVE_PROXY)
		snprintf(r->message, sizeof r->message, "cannot find the proxy for %s (%s): check https_proxy "
			 "and ALL_PROXY", host, why);
	else if (cc == CURLE_COULDNT_RESOLVE_HOST)
		snprintf(r->message, sizeof r->message, "cannot find host %s (%s): check the network and DNS, "
			 "and the base URL", host, why);
	else
		snprintf(r->message, sizeof r->message, "cannot connect to %s port %ld (%s): %s", host, ctx->base.port,
			 why, ctx->base.loopback ? "is the sandbox (or the local server) running on that port?"
			 : "check the network, any proxy, and the base URL");
}

void reply_fill(const struct upload_ctx *ctx, struct upload_reply *r, CURL *h, CURLcode cc, const char *errbuf,
		struct lk_buf *answer, int is_post)
{
	memset(r, 0, sizeof *r);
	if (cc != CURLE_OK) {
		const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
		if (unreachable(h, cc)) {
			/* Never reached Notify: not sent, and nothing to look up. */
			r->unreachable = tls_failure(cc) ? "tls-failed" : "unreachable";
			unreachable_message(ctx, r, cc, why);
			return;
		}
		if (cc == CURLE_WRITE_ERROR && answer->over)
			snprintf(r->message, sizeof r->message, "the answer is longer than %u MiB, the limit: "
				 "transfer stopped", ANSWER_MAX >> 20);
		else
			snprintf(r->message, sizeof r->message, "%s", why);
		r->retryable = cc != CURLE_UNSUPPORTED_PROTOCOL && cc != CURLE_URL_MALFORMAT;
		/* The connection was made: a POST may have reached Notify. */
		r->unknown = is_post;
		return;
	}
	long http = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &http);
	upload_reply_parse(r, http, answer->data, answer->len, is_post);
}

int upload_get(struct upload_ctx *ctx, const char *path, struct upload_reply *r)
{
	struct lk_buf answer = {0};
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *headers = NULL;
	int rc = -1;
	memset(r, 0, sizeof *r);
	for (int tries = 1;; tries++) {
		long long wait;
		while ((wait = limiter_take(&ctx->limiter, now_ms())) > 0)
			sleep_ms(wait);
		if (request_setup(ctx, ctx->easy, "GET", path, NULL, 0, NULL, &answer, errbuf, &headers,
				  r->message, sizeof r->message) < 0)
			break;
		CURLcode cc = curl_easy_perform(ctx->easy);
		upload_reply_clear(r);
		reply_fill(ctx, r, ctx->easy, cc, errbuf, &answer, 0);
		curl_slist_free_all(headers);
		headers = NULL;
		if (!r->retryable || tries > ctx->cfg.retries) {
			rc = r->http ? 0 : -1;
			break;
		}
		sleep_ms(backoff_ms(ctx, tries));
	}
	buf_reset(&answer);
	return rc;
}
