#!/usr/bin/env bash
# SIGTERM to send in the middle of a batch (the sandbox answers slowly, so
# letters are certainly in flight): exit 2 and a message; the letters in
# flight are finished and reported; each letter reported sent was accepted
# once and no other was; a rerun sends the rest, every letter exactly once.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/lib.sh"
sandbox_live
n=40
for i in $(seq 1 $n); do pdf_file "t-$i.pdf"; done
faults '{"slow_ms": 300}'
: >out.1
"$send" --parallel 2 --rate-limit 6000/60 t-*.pdf >out.1 2>err.1 &
pid=$!
some() { [ "$(grep -c '"state":"sent"' out.1)" -ge 2 ]; }
wait_for 30 some || fail "send reported nothing: $(cat err.1)"
kill -TERM "$pid"
wait "$pid"; status=$?
[ "$status" -eq 2 ] || fail "exit $status after SIGTERM, want 2: $(tail -n 3 err.1)"
expect_contains "$(cat err.1)" "stopped by SIGTERM"
reported=$(grep -c '"state":"sent"' out.1)
[ "$reported" -lt $n ] || fail "the whole batch was sent: the signal came too late to prove anything"
[ "$(wc -l <out.1)" -eq "$reported" ] || fail "a letter not sent was reported: $(grep -v '"state":"sent"' out.1)"
[ "$(jget "$(curl -sS "$url/_sandbox/counters")" accepted_posts)" = "$reported" ] ||
    fail "accepted POSTs $(jget "$(curl -sS "$url/_sandbox/counters")" accepted_posts), reported sent $reported"
no_temp "$tmp"

faults '{}'
expect_status 0 "$send" --parallel 4 --rate-limit 6000/60 t-*.pdf
[ "$(printf '%s\n' "$out" | grep -c '"state":"already-sent"')" = "$reported" ] || fail "the rerun: $out"
sent_once t $n
stop_sandbox
finish
