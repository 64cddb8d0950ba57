#!/usr/bin/env bash
# SIGKILL at random points of a 200-letter batch (with some POSTs dropped after Notify stored
# them), then a rerun: every letter is sent exactly once, as the sandbox's counters prove.
. "$(dirname "$0")/lib.sh"
start --rate-limit 6000/60
use_key live
n=200
for i in $(seq 1 $n); do pdf_file "k-$i.pdf"; done
faults '{"drop_rate": 0.1}'
RANDOM=${KILL_SEED:-$$}
for round in 1 2 3 4 5 6; do
    "$send" --parallel 4 --backoff-ms 20 --rate-limit 6000/60 k-*.pdf >"out.$round" 2>"err.$round" &
    pid=$!
    sleep "0.$(printf '%03d' $((50 + RANDOM % 900)))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    echo "round $round: $(wc -l <"out.$round") letters reported before the kill" >&2
done
faults '{}'
expect_status 0 "$send" --parallel 4 k-*.pdf
[ "$(printf '%s\n' "$out" | grep -c '"state":"\(already-\)\{0,1\}sent"')" = $n ] || fail "not all sent: $out"
counters=$(curl -sS "$url/_sandbox/counters")
[ "$(jget "$counters" accepted_posts)" = $n ] || fail "accepted POSTs: $(jget "$counters" accepted_posts), want $n"
for i in $(seq 1 $n); do
    c=$(jget "$counters" "references.k-$i")
    [ "$c" = 1 ] || fail "k-$i accepted $c times"
done
[ "$(jget "$counters" faults_injected.dropped)" -gt 0 ] || fail "no drops were injected"
# A last rerun sends nothing.
expect_status 0 "$send" --parallel 4 k-*.pdf
[ "$(printf '%s\n' "$out" | grep -c '"already-sent"')" = $n ] || fail "rerun resent something"
[ "$(jget "$(curl -sS "$url/_sandbox/counters")" accepted_posts)" = $n ] || fail "the rerun posted"
stop_sandbox
finish
