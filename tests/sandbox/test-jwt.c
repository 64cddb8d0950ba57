/* test-jwt.c: unit tests of common/lk_jwt (keys, base64url, HS256 sign and verify). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "../unit/test.h"
#include "lk_jwt.h"

#define SID "26785a09-ab16-4eb0-8407-a37497a57506"
#define SECRET "3d844edf-8d35-48ac-975b-e847b4f122b0"

/* jwt.io's HS256 example, byte for byte. */
static const char jwtio_token[] =
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
	".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
	".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

static void test_jwtio_example(void)
{
	char tok[LK_JWT_MAX];
	CHECK(lk_jwt_sign_raw("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
			      "{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}",
			      "your-256-bit-secret", tok, sizeof tok) == 0);
	CHECK(strcmp(tok, jwtio_token) == 0);
	/* It has no iss; its signature is still checked first, as Notify does. */
	CHECK(lk_jwt_verify(jwtio_token, "your-256-bit-secret", 1516239022, 30) == LK_JWT_NO_ISS);
	CHECK(lk_jwt_verify(jwtio_token, "another-secret", 1516239022, 30) == LK_JWT_BAD_SIGNATURE);
	CHECK(lk_jwt_sign_raw("{}", "{}", "s", tok, 10) == -1);
}

static void test_api_key_parse(void)
{
	struct lk_api_key k;
	char err[256];
	CHECK(lk_api_key_parse("my_test_key-" SID "-" SECRET, &k, err, sizeof err) == 0);
	CHECK(strcmp(k.name, "my_test_key") == 0);
	CHECK(strcmp(k.service_id, SID) == 0);
	CHECK(strcmp(k.secret, SECRET) == 0);
	/* Names may contain dashes: the ids are counted from the end. */
	CHECK(lk_api_key_parse("my-key-with-dashes-" SID "-" SECRET, &k, err, sizeof err) == 0);
	CHECK(strcmp(k.name, "my-key-with-dashes") == 0);
	CHECK(strcmp(k.service_id, SID) == 0);
	CHECK(lk_api_key_parse(SID "-" SECRET, &k, err, sizeof err) == 0);
	CHECK(k.name[0] == '\0');

	CHECK(lk_api_key_parse("short", &k, err, sizeof err) == -1);
	CHECK(strstr(err, "too short") != NULL);
	CHECK(lk_api_key_parse("name_" SID "-" SECRET, &k, err, sizeof err) == -1);
	CHECK(strstr(err, "no '-'") != NULL);
	CHECK(lk_api_key_parse("name-26785a09-ab16-4eb0-8407-a37497a5750X-" SECRET, &k, err, sizeof err) == -1);
	CHECK(strstr(err, "service id") != NULL);
	CHECK(lk_api_key_parse("name-" SID "-3d844edf-8d35-48ac-975b-e847b4f122bZ", &k, err, sizeof err) == -1);
	CHECK(strstr(err, "secret") != NULL);
	CHECK(strstr(err, "3d844edf") == NULL);	/* the message never quotes the key */
	CHECK(lk_api_key_parse("name-" SID "-" SECRET "\n", &k, err, sizeof err) == -1);
	CHECK(strstr(err, "control character") != NULL);
	CHECK(lk_uuid_valid(SID) && !lk_uuid_valid("26785a09ab164eb08407a37497a57506") && !lk_uuid_valid(""));
}

static void test_base64url(void)
{
	char out[64];
	unsigned char back[64];
	const char *cases[][2] = {{"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"\xfb\xff", "-_8"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i][0]);
		CHECK(lk_base64url_encode(cases[i][0], n, out, sizeof out) == (long)strlen(cases[i][1]));
		CHECK(strcmp(out, cases[i][1]) == 0);
		CHECK(lk_base64url_decode(out, strlen(out), back, sizeof back) == (long)n);
		CHECK(memcmp(back, cases[i][0], n) == 0);
	}
	CHECK(lk_base64url_decode("Zm8=", 4, back, sizeof back) == 2);
	CHECK(lk_base64url_decode("Z", 1, back, sizeof back) == -1);
	CHECK(lk_base64url_decode("Zm+v", 4, back, sizeof back) == -1);
	CHECK(lk_base64url_encode("foo", 3, out, 4) == -1);
}

static void test_sign_and_verify(void)
{
	char tok[LK_JWT_MAX], err[256];
	struct lk_jwt_claims c;
	CHECK(lk_jwt_sign(SID, 1568818578, SECRET, tok, sizeof tok, err, sizeof err) == 0);
	CHECK(lk_jwt_decode(tok, &c) == LK_JWT_OK);
	CHECK(strcmp(c.iss, SID) == 0 && c.has_iat && c.iat == 1568818578 && c.alg_hs256);

	/* The parts are exactly Notify's header and claims. */
	unsigned char part[256];
	long n = lk_base64url_decode(tok, strcspn(tok, "."), part, sizeof part);
	CHECK(n == 27 && memcmp(part, "{\"typ\":\"JWT\",\"alg\":\"HS256\"}", 27) == 0);
	const char *claims = strchr(tok, '.') + 1;
	n = lk_base64url_decode(claims, strcspn(claims, "."), part, sizeof part);
	const char want[] = "{\"iss\":\"" SID "\",\"iat\":1568818578}";
	CHECK(n == (long)strlen(want) && memcmp(part, want, strlen(want)) == 0);

	CHECK(lk_jwt_verify(tok, SECRET, 1568818578, 30) == LK_JWT_OK);
	CHECK(lk_jwt_verify(tok, SECRET, 1568818578 + 30, 30) == LK_JWT_OK);
	CHECK(lk_jwt_verify(tok, SECRET, 1568818578 + 31, 30) == LK_JWT_CLOCK);
	CHECK(lk_jwt_verify(tok, SECRET, 1568818578 - 31, 30) == LK_JWT_CLOCK);
	CHECK(lk_jwt_verify(tok, "3d844edf-8d35-48ac-975b-e847b4f122b1", 1568818578, 30) == LK_JWT_BAD_SIGNATURE);

	/* A flipped signature character, a missing part, garbage. */
	char bad[LK_JWT_MAX];
	memcpy(bad, tok, sizeof bad);
	bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
	CHECK(lk_jwt_verify(bad, SECRET, 1568818578, 30) == LK_JWT_BAD_SIGNATURE);
	*strrchr(bad, '.') = '\0';
	CHECK(lk_jwt_verify(bad, SECRET, 1568818578, 30) == LK_JWT_MALFORMED);
	CHECK(lk_jwt_decode("not a token", &c) == LK_JWT_MALFORMED);
	CHECK(lk_jwt_decode("a.b.c.d", &c) == LK_JWT_MALFORMED);
	CHECK(lk_jwt_decode("", &c) == LK_JWT_MALFORMED);

	/* alg none, and no iat (signed): Notify's distinct answers. */
	CHECK(lk_jwt_sign_raw("{\"alg\":\"none\"}", "{\"iss\":\"" SID "\",\"iat\":1}", SECRET, tok, sizeof tok) == 0);
	CHECK(lk_jwt_verify(tok, SECRET, 1, 30) == LK_JWT_BAD_ALG);
	CHECK(lk_jwt_sign_raw("{\"alg\":\"HS256\"}", "{\"iss\":\"" SID "\"}", SECRET, tok, sizeof tok) == 0);
	CHECK(lk_jwt_verify(tok, SECRET, 1, 30) == LK_JWT_NO_IAT);
	CHECK(lk_jwt_sign_raw("{\"alg\":\"HS256\"}", "{\"iat\":1}", SECRET, tok, sizeof tok) == 0);
	CHECK(lk_jwt_decode(tok, &c) == LK_JWT_NO_ISS);

	/* A real iat, and one past long long's range (fuzz/fuzz-jwt.c found it undefined). */
	CHECK(lk_jwt_sign_raw("{\"alg\":\"HS256\"}", "{\"iss\":\"" SID "\",\"iat\":1568818578.9}", SECRET, tok,
			      sizeof tok) == 0);
	CHECK(lk_jwt_verify(tok, SECRET, 1568818578, 30) == LK_JWT_OK);
	CHECK(lk_jwt_sign_raw("{\"alg\":\"HS256\"}", "{\"iss\":\"" SID "\",\"iat\":1.5e97}", SECRET, tok,
			      sizeof tok) == 0);
	CHECK(lk_jwt_verify(tok, SECRET, 1568818578, 30) == LK_JWT_CLOCK);
	CHECK(lk_jwt_sign_raw("{\"alg\":\"HS256\"}", "{\"iss\":\"" SID "\",\"iat\":-1e300}", SECRET, tok,
			      sizeof tok) == 0);
	CHECK(lk_jwt_verify(tok, SECRET, 1568818578, 30) == LK_JWT_CLOCK);
}

int main(void)
{
	test_jwtio_example();
	test_api_key_parse();
	test_base64url();
	test_sign_and_verify();
	return test_exit("test-jwt");
}
