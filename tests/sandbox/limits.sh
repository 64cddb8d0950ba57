#!/usr/bin/env bash
# Rate limit per key (RateLimitError) and daily limit (TooManyRequestsError), with Notify's 429 bodies.
. "$(dirname "$0")/lib.sh"
letter_body "$tmp/b" lim

start_sandbox --rate-limit 3/60
for i in 1 2 3; do api POST /v2/notifications/letter live "$tmp/b"; expect_code 201 "post $i"; done
api POST /v2/notifications/letter live "$tmp/b"
expect_code 429 "4th post in a minute"
[ "$(msg)" = "RateLimitError: Exceeded rate limit for key type LIVE of 3 requests per 60 seconds" ] || fail "rate: $body"
expect_contains "$body" '"status_code":429'
# Each key has its own bucket; reads are not limited (Notify limits sends).
api POST /v2/notifications/letter test "$tmp/b"
expect_code 201 "test key has its own bucket"
for i in 1 2 3 4 5; do api GET /v2/notifications; expect_code 200 "GET $i"; done
stop_sandbox

# The bucket refills: 2 per 10 seconds, one every 5 s.
start_sandbox --rate-limit 2/10
for i in 1 2; do api POST /v2/notifications/letter live "$tmp/b"; expect_code 201; done
api POST /v2/notifications/letter live "$tmp/b"
expect_code 429 "3rd at once"
sleep 5.5
api POST /v2/notifications/letter live "$tmp/b"
expect_code 201 "after the refill"
stop_sandbox

start_sandbox --daily-limit 2
for i in 1 2; do api POST /v2/notifications/letter live "$tmp/b"; expect_code 201; done
api POST /v2/notifications/letter live "$tmp/b"
expect_code 429 "3rd letter of the day"
[ "$(msg)" = "TooManyRequestsError: Exceeded send limits (2) for today" ] || fail "daily: $body"
api POST /v2/notifications/letter test "$tmp/b"
expect_code 201 "test keys do not count"
# Rejected requests are not letters.
expect_contains "$(curl -s "$url/_sandbox/counters")" '"accepted_posts":3'
stop_sandbox
finish
