#!/usr/bin/env bash
# Fault injection (command line and POST /_sandbox/faults) and the per-reference counters.
. "$(dirname "$0")/lib.sh"
letter_body "$tmp/b" f1
faults() { curl -s -X POST --data-binary "$1" "$url/_sandbox/faults"; }
counter() { curl -s "$url/_sandbox/counters?reference=$1" | "$SANDBOX_JSON" accepted_posts; }

start_sandbox
expect_contains "$(curl -s "$url/_sandbox/faults")" '"fail_next":0'
# The next two /v2 requests fail with 500, then all is well; nothing is stored.
expect_contains "$(faults '{"fail_next":2}')" '"fail_next":2'
api POST /v2/notifications/letter live "$tmp/b"
expect_code 500
[ "$(msg)" = "Exception: Internal server error" ] || fail "500 body: $body"
api GET /v2/notifications
expect_code 500
api POST /v2/notifications/letter live "$tmp/b"
expect_code 201 "after the failures"
[ "$(counter f1)" = 1 ] || fail "f1 counted $(counter f1), want 1"
# 429 with Notify's body.
faults '{"fail_next":1,"fail_status":429}' >/dev/null
api GET /v2/notifications
expect_code 429
[ "$(msg)" = "RateLimitError: Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds" ] || fail "429: $body"

# Dropped after the body: the letter is accepted, the client hears nothing.
faults '{"drop_next":1}' >/dev/null
letter_body "$tmp/d" dropped
curl -s -o /dev/null -H "Authorization: Bearer $("$SANDBOX_TOKEN" "$keys" live)" --data-binary "@$tmp/d" \
    "$url/v2/notifications/letter"
rc=$?
[ "$rc" = 52 ] || fail "curl exit $rc, want 52 (empty reply)"
[ "$(counter dropped)" = 1 ] || fail "dropped letter counted $(counter dropped), want 1"
api GET '/v2/notifications?reference=dropped'
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 1 ] || fail "dropped letter not listed: $body"
api POST /v2/notifications/letter live "$tmp/d"
expect_code 201 "drop_next was 1"
[ "$(counter dropped)" = 2 ] || fail "dropped counted $(counter dropped), want 2"

# Slow answers: past a client's timeout.
faults '{"slow_ms":1500}' >/dev/null
curl -s -o /dev/null --max-time 0.5 -H "Authorization: Bearer $("$SANDBOX_TOKEN" "$keys" live)" "$url/v2/notifications"
rc=$?
[ "$rc" = 28 ] || fail "curl exit $rc, want 28 (timeout)"
faults '{}' >/dev/null
api GET /v2/notifications
expect_code 200 "faults cleared"
c=$(curl -s "$url/_sandbox/counters")
[ "$(printf '%s' "$c" | "$SANDBOX_JSON" faults_injected.failed)" = 3 ] || fail "failed count: $c"
[ "$(printf '%s' "$c" | "$SANDBOX_JSON" faults_injected.dropped)" = 1 ] || fail "dropped count: $c"
[ "$(printf '%s' "$c" | "$SANDBOX_JSON" references.dropped)" = 2 ] || fail "references: $c"
[ "$(printf '%s' "$c" | "$SANDBOX_JSON" accepted_posts)" = 3 ] || fail "accepted: $c"
# Bad settings are refused.
expect_contains "$(faults '{"fail_rate":2}')" "fail_rate must be a number from 0 to 1"
expect_contains "$(faults '{"fail_status":404}')" "fail_status must be 429, 500 or 503"
expect_contains "$(faults 'nope')" "Invalid JSON supplied in POST data"
stop_sandbox

# From the command line: every /v2 request fails, /_status still answers.
start_sandbox --fail-rate 1 --fail-status 503
api GET /v2/notifications
expect_code 503
[ "$(curl -s "$url/_status")" = '{"status":"ok"}' ] || fail "/_status under faults"
stop_sandbox
# Every letter POST dropped, every letter kept; a fraction is reproducible with --seed.
start_sandbox --drop-after-body 1
curl -s -o /dev/null -H "Authorization: Bearer $("$SANDBOX_TOKEN" "$keys" live)" --data-binary "@$tmp/b" "$url/v2/notifications/letter"
[ $? = 52 ] || fail "--drop-after-body 1 answered"
[ "$(counter f1)" = 1 ] || fail "dropped letter not kept"
stop_sandbox
# --slow-ms
start_sandbox --slow-ms 400
s=$(date +%s%N); api GET /v2/notifications; ms=$(( ($(date +%s%N) - s) / 1000000 ))
[ "$ms" -ge 400 ] || fail "--slow-ms 400 answered in $ms ms"
stop_sandbox
# --no-control
start_sandbox --no-control
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/_sandbox/counters")" = 404 ] || fail "--no-control"
stop_sandbox
finish
