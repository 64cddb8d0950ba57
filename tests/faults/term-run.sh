#!/usr/bin/env bash
# SIGTERM to run --send in the middle of a batch (the sandbox answers slowly):
# exit 2; no --results file and no temporary one (a results file is whole or
# absent); a rerun finishes the batch, every letter sent exactly once.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/lib.sh"
sandbox_live
n=30
mkdir letters results
for i in $(seq 1 $n); do cp "$gen/valid-1-page.pdf" "letters/r-$i.pdf"; done
faults '{"slow_ms": 300}'
run() {
    exec "$LETTERKIT" run --quiet --db "$db" --send --parallel 2 --rate-limit 6000/60 --ledger "$tmp/ledger.sqlite" \
        --results "$tmp/results/results.ndjson" letters/r-*.pdf
}
run >out.1 2>err.1 &
pid=$!
sent_some() { [ "$(jget "$(curl -sS "$url/_sandbox/counters")" accepted_posts)" -ge 2 ] 2>/dev/null; }
wait_for 40 sent_some || fail "run sent nothing: $(cat err.1)"
kill -TERM "$pid"
wait "$pid"; status=$?
[ "$status" -eq 2 ] || fail "exit $status after SIGTERM, want 2: $(tail -n 3 err.1)"
[ -z "$(ls -A results)" ] || fail "files left in the results folder: $(ls -A results)"
accepted=$(jget "$(curl -sS "$url/_sandbox/counters")" accepted_posts)
[ "$accepted" -lt $n ] || fail "the whole batch was sent: the signal came too late to prove anything"
no_temp "$tmp"

faults '{}'
expect_status 0 run
[ "$(grep -c '"state":"\(already-\)\{0,1\}sent"' results/results.ndjson)" = $n ] ||
    fail "the rerun's results: $(cat results/results.ndjson)"
sent_once r $n
stop_sandbox
finish
