/*
 * auth.c: checks the Authorization header as Notify's API does, with its
 * messages (notifications-api app/authentication/auth.py): a bearer JWT
 * whose iss names the service and whose signature matches one of that
 * service's keys, issued within 30 seconds of the server's clock.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "internal.h"

#define GENERAL_TOKEN_ERROR "Invalid token: make sure your API token matches the example at " \
	"https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"

static int deny(struct reply *r, int status, const char *message)
{
	reply_error(r, status, "AuthError", message);
	return -1;
}

int auth_check(struct sandbox *sb, const char *header, struct reply *r)
{
	if (!header || !header[0])
		return deny(r, 401, "Unauthorized: authentication token must be provided");
	if (strlen(header) < 7 || strncasecmp(header, "Bearer ", 7) != 0)
		return deny(r, 401, "Unauthorized: authentication bearer scheme must be used");
	const char *token = header + 7;

	struct lk_jwt_claims claims;
	enum lk_jwt_status st = lk_jwt_decode(token, &claims);
	if (st == LK_JWT_NO_ISS)
		return deny(r, 403, "Invalid token: iss field not provided");
	if (st != LK_JWT_OK)
		return deny(r, 403, GENERAL_TOKEN_ERROR);
	if (!lk_uuid_valid(claims.iss))
		return deny(r, 403, "Invalid token: service id is not the right data type");

	int service_known = 0;
	long long now = (long long)time(NULL);
	for (size_t i = 0; i < sb->n_keys; i++) {
		if (strcasecmp(sb->keys[i].parts.service_id, claims.iss) != 0)
			continue;
		service_known = 1;
		switch (lk_jwt_verify(token, sb->keys[i].parts.secret, now, JWT_LEEWAY_S)) {
		case LK_JWT_OK:
			return (int)i;
		case LK_JWT_CLOCK:
			return deny(r, 403, "Error: Your system clock must be accurate to within 30 seconds");
		case LK_JWT_BAD_ALG:
			return deny(r, 403, "Invalid token: algorithm used is not HS256");
		default:
			/* Not signed with this key (or no iat, which Notify treats alike): try the next. */
			continue;
		}
	}
	if (!service_known)
		return deny(r, 403, "Invalid token: service not found");
	return deny(r, 403, "Invalid token: API key not found");
}
