/*
 * limits.c: Notify's two limits on sending, with its 429 answers.
 * A token bucket per key (default 3000 per 60 s: RateLimitError) and a
 * daily count of letters per service (TooManyRequestsError). Test keys
 * count towards the rate limit but not the daily limit, as in Notify.
 */
#include <ctype.h>
#include <stdio.h>

#include "internal.h"

#define DAY_US (86400LL * 1000000)

int limits_rate(struct sandbox *sb, int key, struct reply *r)
{
	long long now = now_us();
	double cap = (double)sb->cfg.rate_limit;
	double per_us = cap / ((double)sb->cfg.rate_interval_s * 1e6);
	int ok;

	pthread_mutex_lock(&sb->lock);
	struct bucket *b = &sb->buckets[key];
	if (b->last_us)
		b->tokens += (double)(now - b->last_us) * per_us;
	if (b->tokens > cap)
		b->tokens = cap;
	b->last_us = now;
	ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	pthread_mutex_unlock(&sb->lock);
	if (ok)
		return 0;
	char msg[160];
	char type[8];
	const char *name = sandbox_key_type_name(sb->keys[key].type);
	for (int i = 0; i < 5 && name[i]; i++)
		type[i] = (char)(name[i] - 'a' + 'A'), type[i + 1] = '\0';
	snprintf(msg, sizeof msg, "Exceeded rate limit for key type %s of %ld requests per %ld seconds",
		 type, sb->cfg.rate_limit, sb->cfg.rate_interval_s);
	reply_error(r, 429, "RateLimitError", msg);
	return -1;
}

int limits_daily_reached(struct sandbox *sb)
{
	long long today = now_us() / DAY_US;
	if (sb->daily_day != today) {
		sb->daily_day = today;
		sb->daily_count = 0;
	}
	return sb->daily_count >= sb->cfg.daily_limit;
}

void limits_daily_reply(struct sandbox *sb, struct reply *r)
{
	char msg[96];
	snprintf(msg, sizeof msg, "Exceeded send limits (%ld) for today", sb->cfg.daily_limit);
	reply_error(r, 429, "TooManyRequestsError", msg);
}

int limits_daily(struct sandbox *sb, int key, struct reply *r)
{
	if (sb->keys[key].type == SANDBOX_KEY_TEST)
		return 0;
	pthread_mutex_lock(&sb->lock);
	int over = limits_daily_reached(sb);
	pthread_mutex_unlock(&sb->lock);
	if (over)
		limits_daily_reply(sb, r);
	return over ? -1 : 0;
}

/* Counts a letter sent with a live key (call with sb->lock held). */
void limits_count_daily(struct sandbox *sb, long long created_us)
{
	long long day = created_us / DAY_US;
	if (day > sb->daily_day) {
		sb->daily_day = day;
		sb->daily_count = 0;
	}
	if (day == sb->daily_day)
		sb->daily_count++;
}
