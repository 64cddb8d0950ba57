#!/usr/bin/env bash
# Faults: 500s and 429s for a while, dropped connections after the body, answers slower than the
# timeout, a server that stays down; every letter ends up sent exactly once.
. "$(dirname "$0")/lib.sh"
start
use_key live
fast=(--backoff-ms 20 --retries 6)
sandbox_count() { jget "$(curl -sS "$url/_sandbox/counters")" "$1"; }

pdf_file f500.pdf
faults '{"fail_next": 3, "fail_status": 500}'
expect_status 0 "$send" "${fast[@]}" f500.pdf
[ "$(count f500)" = 1 ] || fail "f500 sent $(count f500) times"
[ "$(sandbox_count faults_injected.failed)" = 3 ] || fail "3 failures not injected"

pdf_file f429.pdf
faults '{"fail_next": 3, "fail_status": 429}'
expect_status 0 "$send" "${fast[@]}" f429.pdf
[ "$(count f429)" = 1 ] || fail "f429 sent $(count f429) times"

# The connection drops after Notify stored the letter: looked up, found, not resent.
pdf_file fdrop.pdf
faults '{"drop_next": 1}'
expect_status 0 "$send" "${fast[@]}" fdrop.pdf
[ "$(jget "$out" send.state)" = sent ] || fail "dropped: $out"
[ "$(count fdrop)" = 1 ] || fail "fdrop sent $(count fdrop) times"
[ "$(sandbox_count faults_injected.dropped)" = 1 ] || fail "no drop injected"

# A third of the POSTs dropped over a parallel batch.
for i in $(seq 1 30); do pdf_file "d-$i.pdf"; done
faults '{"drop_rate": 0.33}'
expect_status 0 "$send" "${fast[@]}" --parallel 4 d-*.pdf
faults '{}'
for i in $(seq 1 30); do [ "$(count "d-$i")" = 1 ] || fail "d-$i sent $(count "d-$i") times"; done
[ "$(sandbox_count faults_injected.dropped)" -gt 3 ] || fail "few drops injected"

# The server stays down: exit 2, outcome unknown; a rerun once it is back settles it.
pdf_file fdown.pdf
faults '{"fail_rate": 1, "fail_status": 503}'
expect_status 2 "$send" --backoff-ms 20 --retries 2 fdown.pdf
[ "$(jget "$out" send.state)" = unknown ] || fail "down: $out"
expect_contains "$err" "rerun"
faults '{}'
expect_status 0 "$send" fdown.pdf
[ "$(count fdown)" = 1 ] || fail "fdown sent $(count fdown) times"

# Refused connections never reach Notify: a plain error, and the letter is retried next time.
pdf_file fconn.pdf
expect_status 2 env NOTIFY_BASE_URL=http://127.0.0.1:1 "$send" --backoff-ms 20 --retries 1 fconn.pdf
[ "$(jget "$out" send.state)" = error ] || fail "refused connection: $out"
expect_status 0 "$send" fconn.pdf
[ "$(count fconn)" = 1 ] || fail "fconn sent $(count fconn) times"

# Answers slower than the timeout: the POST may have worked; the rerun finds it.
pdf_file fslow.pdf
faults '{"slow_ms": 2500}'
expect_status 2 "$send" --timeout 1 --backoff-ms 20 --retries 1 fslow.pdf
[ "$(jget "$out" send.state)" = unknown ] || fail "slow: $out"
faults '{}'
sleep 3
expect_status 0 "$send" fslow.pdf
[ "$(jget "$out" send.state)" = already-sent ] || fail "slow rerun: $out"
[ "$(count fslow)" = 1 ] || fail "fslow sent $(count fslow) times"
stop_sandbox

# The client's limiter keeps under the server's limit: no 429, so no retries.
start --rate-limit 20/1
use_key live
for i in $(seq 1 40); do pdf_file "r-$i.pdf"; done
expect_status 0 "$send" --rate-limit 20/1 --parallel 4 --retries 0 r-*.pdf
[ "$(sandbox_count accepted_posts)" = 40 ] || fail "accepted $(sandbox_count accepted_posts) of 40"
[ "$(sandbox_count requests)" = 40 ] || fail "$(sandbox_count requests) requests for 40 letters"
stop_sandbox

# The daily limit (TooManyRequestsError) is not retried: the batch stops, the rest waits for tomorrow.
start --daily-limit 2
use_key live
expect_status 2 "$send" --ledger daily.sqlite --retries 3 r-1.pdf r-2.pdf r-3.pdf r-4.pdf
expect_contains "$err" "Exceeded send limits (2) for today"
expect_contains "$err" "with key '"
[ "$(sandbox_count accepted_posts)" = 2 ] || fail "accepted $(sandbox_count accepted_posts), want 2"
[ "$(sandbox_count requests)" = 3 ] || fail "$(sandbox_count requests) requests: the daily limit was retried"
stop_sandbox
finish
