/*
 * fuzz-jwt.c: the sandbox's check of the Authorization header (JWT decode
 * and HS256 verify, common/lk_jwt.c, under sandbox/auth.c), API key parsing
 * and base64url.
 *
 * The first byte picks what the rest is:
 *   0: an Authorization header, checked by the sandbox against two services'
 *      keys; also decoded and verified as a bare token, and parsed as a key;
 *   1: a header JSON and a claims JSON (split at the first NUL), signed with
 *      a service's real secret, so that the checks after the signature (alg,
 *      iss, iat, the clock) are reached with any JSON;
 *   2: bytes for a base64url round trip.
 * Invariants: nothing but a token signed with a key's secret is ever let in;
 * a token we signed never fails on its signature; base64url decodes what
 * it encodes.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fuzz.h"
#include "internal.h"

#define SERVICE "5a9ee9b5-7c16-4b83-9c4f-4f5f3e1f8a01"
#define SECRET "0d0c3a63-8a1e-4f2e-9d9b-2b5c9c1b7e42"
#define OTHER_SERVICE "7f3c1a20-2b1d-4c6e-8f0a-9e8d7c6b5a43"
#define OTHER_SECRET "c2b8e6d4-1f3a-4e5b-a6c7-d8e9f0a1b2c3"

static struct sandbox sb;
static struct sandbox_key keys[2];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	(void)argc;
	(void)argv;
	if (lk_api_key_parse("fuzz-" SERVICE "-" SECRET, &keys[0].parts, err, sizeof err) < 0 ||
	    lk_api_key_parse("other-" OTHER_SERVICE "-" OTHER_SECRET, &keys[1].parts, err, sizeof err) < 0) {
		fprintf(stderr, "fuzz-jwt: %s\n", err);
		abort();
	}
	sb.keys = keys;
	sb.n_keys = 2;
	return 0;
}

/* The sandbox's verdict on a header: the index of the key that let it in, or -1. */
static int sandbox_auth(const char *header)
{
	struct reply r = {0};
	int key = auth_check(&sb, header, &r);
	if (key < 0)
		FUZZ_ASSERT(r.status == 401 || r.status == 403);
	reply_clear(&r);
	return key;
}

static void header(const char *text)
{
	struct lk_jwt_claims claims;
	struct lk_api_key parts;
	char err[256];
	int key = sandbox_auth(text);
	if (key >= 0) {
		/* Let in: it must really be signed with that key's secret. */
		FUZZ_ASSERT(strncasecmp(text, "Bearer ", 7) == 0);
		FUZZ_ASSERT(lk_jwt_verify(text + 7, keys[key].parts.secret, (long long)time(NULL), 60) == LK_JWT_OK);
	}
	enum lk_jwt_status st = lk_jwt_decode(text, &claims);
	FUZZ_ASSERT(st == LK_JWT_OK || st == LK_JWT_MALFORMED || st == LK_JWT_NO_ISS);
	if (st == LK_JWT_OK)
		FUZZ_ASSERT(memchr(claims.iss, '\0', sizeof claims.iss) != NULL);
	st = lk_jwt_verify(text, SECRET, (long long)time(NULL), JWT_LEEWAY_S);
	/* Forging an HMAC is not what a fuzzer does: OK here would be a hole. */
	FUZZ_ASSERT(st != LK_JWT_OK && st != LK_JWT_CLOCK && st != LK_JWT_NO_IAT);
	if (lk_api_key_parse(text, &parts, err, sizeof err) == 0) {
		FUZZ_ASSERT(lk_uuid_valid(parts.service_id) && lk_uuid_valid(parts.secret));
	} else {
		/* The message must not quote the key: its last 36 characters are the secret. */
		size_t len = strlen(text);
		FUZZ_ASSERT(err[0] != '\0');
		FUZZ_ASSERT(len < LK_UUID_LEN || !strstr(err, text + len - LK_UUID_LEN));
	}
}

static void signed_token(const char *text, size_t size)
{
	const char *claims_json = text + strlen(text) + (strlen(text) < size ? 1 : 0);
	char token[8192], bearer[8200];
	if (lk_jwt_sign_raw(text, claims_json, SECRET, token, sizeof token) < 0)
		return;
	enum lk_jwt_status st = lk_jwt_verify(token, SECRET, (long long)time(NULL), JWT_LEEWAY_S);
	FUZZ_ASSERT(st != LK_JWT_BAD_SIGNATURE);
	snprintf(bearer, sizeof bearer, "Bearer %s", token);
	int key = sandbox_auth(bearer);
	FUZZ_ASSERT(key != 1);	/* signed with service 0's secret: never let in as another */
	if (key == 0)
		FUZZ_ASSERT(st == LK_JWT_OK);
}

static void base64url(const uint8_t *data, size_t size)
{
	char *text = malloc(4 * (size / 3 + 1) + 1);
	unsigned char *back = malloc(size + 3);
	FUZZ_ASSERT(text && back);
	long n = lk_base64url_encode(data, size, text, 4 * (size / 3 + 1) + 1);
	FUZZ_ASSERT(n >= 0 && (size_t)n == strlen(text));
	long m = lk_base64url_decode(text, (size_t)n, back, size + 3);
	FUZZ_ASSERT(m >= 0 && (size_t)m == size && memcmp(back, data, size) == 0);
	/* And decoding the raw bytes as if they were base64url never overruns. */
	lk_base64url_decode((const char *)data, size, back, size + 3);
	free(text);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = fuzz_strndup(data + 1, size - 1);
	switch (data[0] % 3) {
	case 0: header(text); break;
	case 1: signed_token(text, size - 1); break;
	default: base64url(data + 1, size - 1); break;
	}
	free(text);
	return 0;
}
