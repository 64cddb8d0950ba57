/* lk_jwt.c: Notify API keys and their HS256 JSON Web Tokens. */
#include "lk_jwt.h"
#include "lk_base64.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define SIG_LEN 32	/* SHA-256 */

int lk_uuid_valid(const char *s)
{
	static const char dash_at[] = {8, 13, 18, 23};
	for (int i = 0; i < LK_UUID_LEN; i++) {
		int want_dash = 0;
		for (size_t d = 0; d < sizeof dash_at; d++)
			want_dash |= (i == dash_at[d]);
		char c = s[i];
		if (want_dash ? c != '-' :
		    !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return s[LK_UUID_LEN] == '\0';
}

int lk_api_key_parse(const char *key, struct lk_api_key *out, char *err, size_t errlen)
{
	/* name "-" service_id "-" secret; the bare 73-character form has no name. */
	const size_t tail = 2 * LK_UUID_LEN + 1;
	size_t len = strlen(key);
	char id[LK_UUID_LEN + 1];

	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)key[i] <= ' ' || key[i] == 0x7f) {
			snprintf(err, errlen, "API key contains a space or control character at position %zu "
				 "(expected {key_name}-{service_id}-{secret})", i + 1);
			return -1;
		}
	}
	if (len < tail) {
		snprintf(err, errlen, "API key is %zu characters, too short for {key_name}-{service_id}-{secret} "
			 "(at least %zu)", len, tail);
		return -1;
	}
	if (len > tail && (key[len - tail - 1] != '-' || len - tail - 1 > LK_API_KEY_NAME_MAX)) {
		snprintf(err, errlen, key[len - tail - 1] != '-' ?
			 "API key has no '-' between its name and its service id" :
			 "API key name is longer than 255 characters");
		return -1;
	}
	memcpy(id, key + len - tail, LK_UUID_LEN);
	id[LK_UUID_LEN] = '\0';
	if (!lk_uuid_valid(id) || key[len - LK_UUID_LEN - 1] != '-') {
		snprintf(err, errlen, "API key's service id (the 36 characters before the secret) is not a UUID");
		return -1;
	}
	if (!lk_uuid_valid(key + len - LK_UUID_LEN)) {
		snprintf(err, errlen, "API key's secret (its last 36 characters) is not a UUID");
		return -1;
	}
	size_t name_len = len > tail ? len - tail - 1 : 0;
	memcpy(out->name, key, name_len);
	out->name[name_len] = '\0';
	memcpy(out->service_id, id, sizeof out->service_id);
	memcpy(out->secret, key + len - LK_UUID_LEN, LK_UUID_LEN + 1);
	return 0;
}

long lk_base64url_encode(const void *in, size_t len, char *out, size_t outsize)
{
	if (outsize < lk_base64_size(len) + 1)
		return -1;
	return (long)lk_base64_encode(in, len, 1, 0, out);
}

long lk_base64url_decode(const char *in, size_t len, unsigned char *out, size_t outsize)
{
	return lk_base64_decode(in, len, 1, out, outsize);
}

/* HMAC-SHA256 of `data` keyed by `secret` into sig[SIG_LEN]. */
static int hs256(const char *secret, const void *data, size_t len, unsigned char sig[SIG_LEN])
{
	unsigned int siglen = 0;
	if (!HMAC(EVP_sha256(), secret, (int)strlen(secret), data, len, sig, &siglen))
		return -1;
	return siglen == SIG_LEN ? 0 : -1;
}

int lk_jwt_sign_raw(const char *header_json, const char *claims_json, const char *secret,
		    char *out, size_t outsize)
{
	unsigned char sig[SIG_LEN];
	long n = lk_base64url_encode(header_json, strlen(header_json), out, outsize);
	if (n < 0 || (size_t)n + 2 > outsize)
		return -1;
	out[n++] = '.';
	long m = lk_base64url_encode(claims_json, strlen(claims_json), out + n, outsize - (size_t)n);
	if (m < 0)
		return -1;
	n += m;
	if (hs256(secret, out, (size_t)n, sig) < 0 || (size_t)n + 2 > outsize)
		return -1;
	out[n++] = '.';
	return lk_base64url_encode(sig, sizeof sig, out + n, outsize - (size_t)n) < 0 ? -1 : 0;
}

int lk_jwt_sign(const char *iss, long long iat, const char *secret, char *out, size_t outsize,
		char *err, size_t errlen)
{
	int rc = -1;
	/* JSON_COMPACT: the signed bytes are exactly what is encoded. */
	json_t *claims = json_pack("{s:s, s:I}", "iss", iss, "iat", (json_int_t)iat);
	char *claims_json = claims ? json_dumps(claims, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (!claims_json) {
		snprintf(err, errlen, "cannot make the JWT claims (iss must be UTF-8)");
		goto out;
	}
	if (lk_jwt_sign_raw("{\"typ\":\"JWT\",\"alg\":\"HS256\"}", claims_json, secret, out, outsize) < 0) {
		snprintf(err, errlen, "JWT does not fit in %zu bytes", outsize);
		goto out;
	}
	rc = 0;
out:
	free(claims_json);
	json_decref(claims);
	return rc;
}

/* Decodes one base64url part holding a JSON object; NULL when it is not one. */
static json_t *decode_part(const char *part, size_t len)
{
	unsigned char buf[2048];
	long n = lk_base64url_decode(part, len, buf, sizeof buf);
	if (n < 0)
		return NULL;
	json_t *j = json_loadb((const char *)buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
	if (j && !json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Splits a token at its two dots; 0 when it has not exactly three parts. */
static int split(const char *token, const char **dot1, const char **dot2)
{
	*dot1 = strchr(token, '.');
	*dot2 = *dot1 ? strchr(*dot1 + 1, '.') : NULL;
	return *dot2 && !strchr(*dot2 + 1, '.') && *dot1 > token && *dot2 > *dot1 + 1 && (*dot2)[1];
}

/*
 * A real "iat" in whole seconds. Beyond long long's range the conversion is
 * undefined (found by fuzz/fuzz-jwt.c: "iat": 1.5e97), so such a time is
 * pinned to the far past or future, where the clock rule refuses it as
 * Notify's does.
 */
static long long real_seconds(double v)
{
	if (!(v > -9.2e18))
		return LLONG_MIN;
	if (!(v < 9.2e18))
		return LLONG_MAX;
	return (long long)v;
}

enum lk_jwt_status lk_jwt_decode(const char *token, struct lk_jwt_claims *claims)
{
	const char *dot1, *dot2;
	enum lk_jwt_status st = LK_JWT_MALFORMED;
	json_t *header = NULL, *body = NULL;

	memset(claims, 0, sizeof *claims);
	if (!split(token, &dot1, &dot2))
		goto out;
	header = decode_part(token, (size_t)(dot1 - token));
	body = decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	if (!header || !body)
		goto out;
	const char *alg = json_string_value(json_object_get(header, "alg"));
	claims->alg_hs256 = alg && strcmp(alg, "HS256") == 0;
	json_t *iat = json_object_get(body, "iat");
	if (json_is_integer(iat) || json_is_real(iat)) {
		claims->has_iat = 1;
		claims->iat = json_is_integer(iat) ? (long long)json_integer_value(iat) : real_seconds(json_real_value(iat));
	}
	const char *iss = json_string_value(json_object_get(body, "iss"));
	if (!iss) {
		st = LK_JWT_NO_ISS;
		goto out;
	}
	if (strlen(iss) >= sizeof claims->iss)
		goto out;
	memcpy(claims->iss, iss, strlen(iss) + 1);
	st = LK_JWT_OK;
out:
	json_decref(header);
	json_decref(body);
	return st;
}

enum lk_jwt_status lk_jwt_verify(const char *token, const char *secret, long long now, int leeway)
{
	struct lk_jwt_claims c;
	const char *dot1, *dot2;
	unsigned char want[SIG_LEN], got[SIG_LEN + 3];

	enum lk_jwt_status st = lk_jwt_decode(token, &c);
	if (st == LK_JWT_MALFORMED)
		return st;
	if (!c.alg_hs256)
		return LK_JWT_BAD_ALG;
	split(token, &dot1, &dot2);
	long n = lk_base64url_decode(dot2 + 1, strlen(dot2 + 1), got, sizeof got);
	if (hs256(secret, token, (size_t)(dot2 - token), want) < 0 || n != SIG_LEN ||
	    CRYPTO_memcmp(want, got, SIG_LEN) != 0)
		return LK_JWT_BAD_SIGNATURE;
	if (st != LK_JWT_OK)
		return st;
	if (!c.has_iat)
		return LK_JWT_NO_IAT;
	if (c.iat > now + leeway || c.iat < now - leeway)
		return LK_JWT_CLOCK;
	return LK_JWT_OK;
}
