/*
 * lk_jwt.h: Notify API keys and their HS256 JSON Web Tokens.
 *
 * GOV.UK Notify authenticates every request with a fresh JWT (LETTER-SPEC
 * section 8): header {"typ":"JWT","alg":"HS256"}, claims {"iss": service id,
 * "iat": now in epoch seconds}, signed with HMAC-SHA256 keyed by the secret
 * part of the API key. The client (upload/) signs; the sandbox server
 * verifies. Both parse API keys of the form {key_name}-{service_id}-{secret}.
 *
 * Nothing here prints, logs or keeps a secret beyond the caller's buffers.
 */
#ifndef LK_JWT_H
#define LK_JWT_H

#include <stddef.h>

#define LK_UUID_LEN 36
/* The longest key name we accept; Notify's own limit is 255 characters. */
#define LK_API_KEY_NAME_MAX 255
/* Room for a token made by lk_jwt_sign(), with any iss of up to 255 bytes. */
#define LK_JWT_MAX 1024

/** An API key split into its parts; every string is NUL-terminated. */
struct lk_api_key {
	char name[LK_API_KEY_NAME_MAX + 1];	/* may be empty, may contain dashes */
	char service_id[LK_UUID_LEN + 1];	/* the JWT's iss */
	char secret[LK_UUID_LEN + 1];		/* the HMAC key: never print it */
};

/** 1 when s is a UUID in its 36-character text form (8-4-4-4-12 hex digits), else 0. */
int lk_uuid_valid(const char *s);

/**
 * Splits an API key `{key_name}-{service_id}-{secret}`: the last 36
 * characters are the secret, the 36 before them (after a '-') the service
 * id, and everything before that '-' the name, which may contain dashes.
 * Both ids must be UUIDs. Returns 0, or -1 with a message in err that
 * describes the problem without quoting the key (it is a secret).
 */
int lk_api_key_parse(const char *key, struct lk_api_key *out, char *err, size_t errlen);

/**
 * base64url without padding (RFC 7515) of `len` bytes into `out`, which
 * gets a NUL. Returns the length written, or -1 when outsize is too small
 * (it needs 4 * ceil(len / 3) + 1 bytes).
 */
long lk_base64url_encode(const void *in, size_t len, char *out, size_t outsize);

/**
 * Decodes `len` characters of base64url (padding optional) into `out`.
 * Returns the number of bytes, or -1 for a character outside the alphabet,
 * an impossible length or too small an outsize (3 * ceil(len / 4) is enough).
 */
long lk_base64url_decode(const char *in, size_t len, unsigned char *out, size_t outsize);

/**
 * Makes the token Notify expects: header {"typ":"JWT","alg":"HS256"},
 * claims {"iss": iss, "iat": iat}, HS256 with `secret` as the key.
 * Pass iat = time(NULL) for a request. Returns 0, or -1 with a message
 * when outsize (LK_JWT_MAX is always enough) is too small.
 */
int lk_jwt_sign(const char *iss, long long iat, const char *secret, char *out, size_t outsize,
		char *err, size_t errlen);

/**
 * The general form: base64url(header_json) "." base64url(claims_json) "."
 * signature, with the JSON texts used byte for byte (so a test can
 * reproduce any published token). Returns 0, or -1 when out is too small.
 */
int lk_jwt_sign_raw(const char *header_json, const char *claims_json, const char *secret,
		    char *out, size_t outsize);

/** What lk_jwt_decode() and lk_jwt_verify() found; Notify answers each differently. */
enum lk_jwt_status {
	LK_JWT_OK = 0,
	LK_JWT_MALFORMED,	/* not three base64url parts of JSON objects */
	LK_JWT_NO_ISS,		/* no "iss" string claim */
	LK_JWT_BAD_ALG,		/* header "alg" is not HS256 */
	LK_JWT_BAD_SIGNATURE,	/* not signed with this secret */
	LK_JWT_NO_IAT,		/* signed, but no integer "iat" claim */
	LK_JWT_CLOCK,		/* signed, but iat is more than the leeway from now */
};

/** The claims of a token, read without checking its signature. */
struct lk_jwt_claims {
	char iss[256];
	long long iat;
	int has_iat;
	int alg_hs256;		/* header "alg" is "HS256" */
};

/**
 * Reads a token's header and claims without checking the signature, so
 * that a server can find which service's keys to try. Returns LK_JWT_OK,
 * LK_JWT_MALFORMED or LK_JWT_NO_ISS (an iss longer than 255 bytes counts as
 * malformed).
 */
enum lk_jwt_status lk_jwt_decode(const char *token, struct lk_jwt_claims *claims);

/**
 * Checks a token against one secret as Notify does: structure, alg HS256,
 * the signature (compared in constant time), then iat within `leeway`
 * seconds of `now` on either side (Notify uses 30). Returns LK_JWT_OK or
 * the first problem found.
 */
enum lk_jwt_status lk_jwt_verify(const char *token, const char *secret, long long now, int leeway);

#endif
