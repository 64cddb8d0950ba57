/*
 * base_url.c: which Notify base URLs the client accepts, decided on the
 * host libcurl will actually connect to.
 *
 * The URL is parsed by libcurl's own URL API, so "http://127.0.0.1@other"
 * (a user name, then the host `other`) or "http://127.example.org" are seen
 * as the hosts they are. The normalized URL curl gave back is the one used
 * for every request, so the host checked is the host connected to.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "internal.h"

/* 127.0.0.0/8 as a dotted literal, ::1, or localhost (which libcurl resolves to loopback itself). */
static int loopback_host(const char *host)
{
	char bare[256];
	size_t n = strlen(host);
	if (!strcasecmp(host, "localhost"))
		return 1;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof bare) {
		struct in6_addr a6;
		memcpy(bare, host + 1, n - 2);
		bare[n - 2] = '\0';
		return inet_pton(AF_INET6, bare, &a6) == 1 && !memcmp(&a6, &in6addr_loopback, sizeof a6);
	}
	struct in_addr a4;
	return inet_pton(AF_INET, host, &a4) == 1 && ((const unsigned char *)&a4.s_addr)[0] == 127;
}

/* 1 when part `what` of u is present (a user name, a query...). */
static int has_part(CURLU *u, CURLUPart what)
{
	char *v = NULL;
	int present = curl_url_get(u, what, &v, 0) == CURLUE_OK && v;
	curl_free(v);
	return present;
}

int base_url_parse(const char *text, struct base_url *out, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *full = NULL;
	int rc = -1;
	CURLUcode uc;
	memset(out, 0, sizeof *out);
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((uc = curl_url_set(u, CURLUPART_URL, text, 0)) != CURLUE_OK) {
		snprintf(err, errlen, "base URL '%.300s' is not a URL (%s): give https://HOST", text,
			 curl_url_strerror(uc));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) || curl_url_get(u, CURLUPART_HOST, &host, 0) ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) || curl_url_get(u, CURLUPART_URL, &full, 0)) {
		snprintf(err, errlen, "base URL '%.300s' has no host: give https://HOST", text);
		goto out;
	}
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		snprintf(err, errlen, "base URL '%.300s' must start with https://", text);
		goto out;
	}
	out->plain = !strcmp(scheme, "http");
	if (out->plain && !loopback_host(host)) {
		snprintf(err, errlen, "base URL '%.300s': plain http:// would send the key's token in clear to host "
			 "'%.255s'; use https://, or http:// only to this machine (127.0.0.0/8, [::1], localhost)",
			 text, host);
		goto out;
	}
	/* A user name would go to the server too; a query or fragment would
	 * swallow the paths appended to the base. */
	if (has_part(u, CURLUPART_USER) || has_part(u, CURLUPART_PASSWORD) || has_part(u, CURLUPART_OPTIONS) ||
	    has_part(u, CURLUPART_QUERY) || has_part(u, CURLUPART_FRAGMENT)) {
		snprintf(err, errlen, "base URL '%.300s' (host '%.255s') may hold only a scheme, a host, a port and "
			 "a path: no user name, '@', '?' or '#'", text, host);
		goto out;
	}
	size_t n = strlen(full);
	while (n > 0 && full[n - 1] == '/')
		n--;
	if (n >= sizeof out->url || strlen(host) >= sizeof out->host) {
		snprintf(err, errlen, "base URL '%.300s' is too long", text);
		goto out;
	}
	memcpy(out->url, full, n);
	out->url[n] = '\0';
	snprintf(out->host, sizeof out->host, "%s", host);
	out->port = atol(port);
	out->loopback = loopback_host(host);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(full);
	curl_url_cleanup(u);
	return rc;
}
