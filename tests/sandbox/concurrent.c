/*
 * concurrent.c: a libcurl client that drives the sandbox with N simultaneous connections.
 *   sandbox-concurrent URL KEYS_FILE N
 * 1. N letter POSTs at once (references conc-0 .. conc-N-1), each on its own connection:
 *    every one 201, every id distinct;
 * 2. /_sandbox/counters: every reference accepted exactly once, N in all;
 * 3. N GETs of those ids at once: every one 200 with its reference.
 * Exit 0 when all holds, 1 otherwise (each failure printed), 2 on a setup error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "lk_jwt.h"

struct call {
	CURL *h;
	struct curl_slist *headers;
	char *body;
	char url[512];
	char *resp;
	size_t resp_len;
	long code;
};

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	struct call *c = arg;
	char *more = realloc(c->resp, c->resp_len + size * n + 1);
	if (!more)
		return 0;
	memcpy(more + c->resp_len, p, size * n);
	c->resp = more;
	c->resp_len += size * n;
	c->resp[c->resp_len] = '\0';
	return size * n;
}

/* Runs every call at once on its own connection; returns 0 when all completed. */
static int run_all(struct call *calls, int n, const char *auth)
{
	CURLM *m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)n);
	for (int i = 0; i < n; i++) {
		struct call *c = &calls[i];
		c->h = curl_easy_init();
		c->headers = curl_slist_append(NULL, auth);
		c->headers = curl_slist_append(c->headers, "Content-Type: application/json");
		c->headers = curl_slist_append(c->headers, "Expect:");
		curl_easy_setopt(c->h, CURLOPT_URL, c->url);
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
		curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
		curl_easy_setopt(c->h, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 30L);
		if (c->body)
			curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, c->body);
		curl_multi_add_handle(m, c->h);
	}
	int running = 1;
	while (running) {
		curl_multi_perform(m, &running);
		if (running)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
	int bad = 0;
	for (int i = 0; i < n; i++) {
		curl_easy_getinfo(calls[i].h, CURLINFO_RESPONSE_CODE, &calls[i].code);
		curl_multi_remove_handle(m, calls[i].h);
		curl_easy_cleanup(calls[i].h);
		curl_slist_free_all(calls[i].headers);
		bad += calls[i].code == 0;
	}
	curl_multi_cleanup(m);
	return bad ? -1 : 0;
}

static void free_calls(struct call *calls, int n)
{
	for (int i = 0; i < n; i++) {
		free(calls[i].body);
		free(calls[i].resp);
	}
	free(calls);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: sandbox-concurrent URL KEYS_FILE N\n", stderr);
		return 2;
	}
	const char *url = argv[1];
	int failures = 0;
	long n = strtol(argv[3], NULL, 10);
	char line[1024], err[256], token[LK_JWT_MAX], auth[LK_JWT_MAX + 32];
	FILE *f = fopen(argv[2], "r");
	struct lk_api_key key;
	int found = 0;
	while (f && !found && fgets(line, sizeof line, f))
		found = strncmp(line, "live=", 5) == 0;
	if (f)
		fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (!found || n < 1 || n > 1000 || lk_api_key_parse(line + 5, &key, err, sizeof err) < 0 ||
	    lk_jwt_sign(key.service_id, (long long)time(NULL), key.secret, token, sizeof token, err, sizeof err) < 0) {
		fprintf(stderr, "sandbox-concurrent: no usable live key in %s\n", argv[2]);
		return 2;
	}
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	curl_global_init(CURL_GLOBAL_DEFAULT);

	/* 1. POSTs */
	struct call *calls = calloc((size_t)n, sizeof *calls);
	for (int i = 0; i < n; i++) {
		snprintf(calls[i].url, sizeof calls[i].url, "%s/v2/notifications/letter", url);
		calls[i].body = malloc(256);
		snprintf(calls[i].body, 256, "{\"reference\":\"conc-%d\",\"content\":\"JVBERi0xLjQKJSVFT0YK\"}", i);
	}
	if (run_all(calls, n, auth) < 0)
		failures++, fprintf(stderr, "FAIL: some POSTs got no answer\n");
	char (*ids)[LK_UUID_LEN + 1] = calloc((size_t)n, sizeof *ids);
	for (int i = 0; i < n; i++) {
		json_t *j = json_loads(calls[i].resp ? calls[i].resp : "", 0, NULL);
		const char *id = json_string_value(json_object_get(j, "id"));
		if (calls[i].code != 201 || !id || !lk_uuid_valid(id)) {
			fprintf(stderr, "FAIL: POST conc-%d: HTTP %ld %s\n", i, calls[i].code, calls[i].resp);
			failures++;
		} else {
			memcpy(ids[i], id, sizeof ids[i]);
		}
		for (int k = 0; k < i; k++)
			if (ids[i][0] && strcmp(ids[k], ids[i]) == 0)
				failures++, fprintf(stderr, "FAIL: id %s given twice\n", ids[i]);
		json_decref(j);
	}
	free_calls(calls, n);

	/* 2. counters */
	calls = calloc(1, sizeof *calls);
	snprintf(calls[0].url, sizeof calls[0].url, "%s/_sandbox/counters", url);
	run_all(calls, 1, auth);
	json_t *c = json_loads(calls[0].resp ? calls[0].resp : "", 0, NULL);
	json_t *refs = json_object_get(c, "references");
	for (int i = 0; i < n; i++) {
		char ref[32];
		snprintf(ref, sizeof ref, "conc-%d", i);
		json_int_t got = json_integer_value(json_object_get(refs, ref));
		if (got != 1)
			failures++, fprintf(stderr, "FAIL: %s accepted %lld times\n", ref, (long long)got);
	}
	if (json_integer_value(json_object_get(c, "accepted_posts")) != n)
		failures++, fprintf(stderr, "FAIL: accepted_posts %s\n", calls[0].resp);
	json_decref(c);
	free_calls(calls, 1);

	/* 3. GETs */
	calls = calloc((size_t)n, sizeof *calls);
	for (int i = 0; i < n; i++)
		snprintf(calls[i].url, sizeof calls[i].url, "%s/v2/notifications/%s", url, ids[i]);
	if (run_all(calls, n, auth) < 0)
		failures++, fprintf(stderr, "FAIL: some GETs got no answer\n");
	for (int i = 0; i < n; i++) {
		json_t *j = json_loads(calls[i].resp ? calls[i].resp : "", 0, NULL);
		char ref[32];
		snprintf(ref, sizeof ref, "conc-%d", i);
		const char *got = json_string_value(json_object_get(j, "reference"));
		if (calls[i].code != 200 || !got || strcmp(got, ref) != 0)
			failures++, fprintf(stderr, "FAIL: GET %s: HTTP %ld %s\n", ids[i], calls[i].code, calls[i].resp);
		json_decref(j);
	}
	free_calls(calls, n);
	free(ids);
	curl_global_cleanup();
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	else
		printf("%ld concurrent POSTs and GETs: all answered, each letter accepted once\n", n);
	return failures ? 1 : 0;
}
