/*
 * token.c: sandbox-token, a test helper that makes Notify JWTs with lk_jwt.
 *   sandbox-token KEYS_FILE TYPE [IAT_OFFSET]   a token for the TYPE=KEY line of KEYS_FILE
 *   sandbox-token --raw HEADER CLAIMS SECRET     any header and claims (for bad tokens)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lk_jwt.h"

int main(int argc, char **argv)
{
	char token[LK_JWT_MAX * 2], err[256], line[1024];
	if (argc == 5 && strcmp(argv[1], "--raw") == 0) {
		if (lk_jwt_sign_raw(argv[2], argv[3], argv[4], token, sizeof token) < 0)
			return 2;
		puts(token);
		return 0;
	}
	if (argc < 3 || argc > 4) {
		fputs("usage: sandbox-token KEYS_FILE TYPE [IAT_OFFSET] | --raw HEADER CLAIMS SECRET\n", stderr);
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	size_t tl = strlen(argv[2]);
	int found = 0;
	while (!found && fgets(line, sizeof line, f))
		found = strncmp(line, argv[2], tl) == 0 && line[tl] == '=';
	fclose(f);
	if (!found) {
		fprintf(stderr, "%s: no %s key\n", argv[1], argv[2]);
		return 2;
	}
	line[strcspn(line, "\r\n")] = '\0';
	struct lk_api_key key;
	if (lk_api_key_parse(line + tl + 1, &key, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	long long iat = (long long)time(NULL) + (argc == 4 ? strtoll(argv[3], NULL, 10) : 0);
	if (lk_jwt_sign(key.service_id, iat, key.secret, token, sizeof token, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	puts(token);
	return 0;
}
