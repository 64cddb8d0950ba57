/* util.c: small helpers the sandbox's files share: time, UUIDs, logging, replies. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "internal.h"

static const char *const status_names[ST_COUNT] = {
	"pending-virus-check", "virus-scan-failed", "validation-failed",
	"accepted", "received", "technical-failure",
};

const char *status_name(enum letter_status s)
{
	return s < ST_COUNT ? status_names[s] : "technical-failure";
}

void sb_log(struct sandbox *sb, const char *fmt, ...)
{
	if (!sb->cfg.log)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sb->cfg.log(sb->cfg.log_ctx, msg);
}

long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void format_time(long long us, char *buf, size_t size)
{
	if (us <= 0) {
		buf[0] = '\0';
		return;
	}
	time_t secs = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	char day[32];
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%06lldZ", day, us % 1000000);
}

int uuid_v4(char out[LK_UUID_LEN + 1])
{
	unsigned char b[16];
	if (RAND_bytes(b, sizeof b) != 1)
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, LK_UUID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
	return 0;
}

double sb_random(struct sandbox *sb)
{
	/* splitmix64: reproducible with --seed, good enough for fault rates. */
	unsigned long long z = (sb->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

void reply_error(struct reply *r, int status, const char *error, const char *message)
{
	reply_clear(r);
	r->status = status;
	r->json = json_pack("{s:i, s:[{s:s, s:s}]}", "status_code", status, "errors",
			    "error", error, "message", message);
	/* A message quoting a client's bytes may not be UTF-8: say so without quoting them. */
	if (!r->json)
		r->json = json_pack("{s:i, s:[{s:s, s:s}]}", "status_code", status, "errors",
				    "error", error, "message", "(a value in the request is not valid UTF-8)");
}

void reply_add_error(struct reply *r, const char *error, const char *message)
{
	json_t *errors = json_object_get(r->json, "errors");
	json_array_append_new(errors, json_pack("{s:s, s:s}", "error", error, "message", message));
}

void reply_clear(struct reply *r)
{
	json_decref(r->json);
	free(r->raw);
	memset(r, 0, sizeof *r);
}
