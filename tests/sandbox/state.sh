#!/usr/bin/env bash
# --state DIR: keys and letters survive restarts, clean or killed; unfinished letters go on.
. "$(dirname "$0")/lib.sh"
st=$tmp/state

start_sandbox --state "$st" --receive-delay 100
cp "$keys" "$tmp/keys.first"
letter_body "$tmp/b" kept
api POST /v2/notifications/letter live "$tmp/b"; a=$(json_field "$body" id)
letter_body "$tmp/v" kept-invalid "" DOUBLE-INVALID
api POST /v2/notifications/letter live "$tmp/v"; b=$(json_field "$body" id)
wait_status "$a" received
wait_status "$b" validation-failed
stop_sandbox INT

# Same keys, same letters, same counters; keys are not shown again.
rm "$keys"
start_sandbox --state "$st"
cmp -s "$keys" "$tmp/keys.first" || fail "keys changed across a restart"
grep -q '^key ' "$tmp/sb.out" && fail "kept keys printed again"
wait_status "$a" received
wait_status "$b" validation-failed
api GET "/v2/notifications/$a/pdf"
expect_code 200 "pdf after restart"
expect_contains "$(curl -s "$url/_sandbox/counters")" '"accepted_posts":2'
stop_sandbox

# A letter accepted just before SIGTERM, not yet scanned, is processed after the restart.
start_sandbox --state "$st" --scan-delay 600000
api POST /v2/notifications/letter live "$tmp/b"; c=$(json_field "$body" id)
expect_code 201
stop_sandbox TERM
start_sandbox --state "$st"
wait_status "$c" received

# Killed outright (SIGKILL) right after a 201: the letter is there.
api POST /v2/notifications/letter live "$tmp/b"; d=$(json_field "$body" id)
expect_code 201
kill -KILL "$sb_pid"; wait "$sb_pid" 2>/dev/null
start_sandbox --state "$st"
api GET "/v2/notifications/$d"
expect_code 200 "letter after SIGKILL"
wait_status "$d" received
expect_contains "$(curl -s "$url/_sandbox/counters?reference=kept")" '"accepted_posts":3'
stop_sandbox

# A key of another service, added later, sees none of these letters.
printf 'live=other-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0\n' >"$tmp/kf"
chmod 600 "$tmp/kf"
start_sandbox --state "$st" --key-file "$tmp/kf"
grep -q '^live=other-' "$keys" || fail "added key missing: $(cat "$keys")"
[ "$(grep -c '=sandbox_' "$keys")" = 3 ] || fail "kept keys missing: $(cat "$keys")"
grep -v '=sandbox_' "$keys" >"$tmp/other"; mv "$tmp/other" "$keys"
api GET "/v2/notifications/$a"
expect_code 404 "another service's letter"
api GET /v2/notifications
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 0 ] || fail "another service lists: $body"
stop_sandbox
finish
