#!/usr/bin/env bash
# SIGTERM to watch --send while letters are going through (the sandbox
# answers slowly): the letter in progress is filed whole, with its record,
# the exit status is the letters' (0: every one filed passed), nothing is
# half-filed and no temporary file is left; watch --once then files the rest,
# and every letter was sent exactly once.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/lib.sh"
sandbox_live
n=12
mkdir inbox
for i in $(seq 1 $n); do cp "$gen/valid-1-page.pdf" "inbox/w-$i.pdf"; done
touch -d "1 hour ago" inbox/*.pdf   # settled: the first sweep takes them
faults '{"slow_ms": 300}'
watch() { exec "$LETTERKIT" watch --db "$db" --send --ledger "$tmp/ledger.sqlite" "$@" inbox; }
watch >out.1 2>err.1 &
pid=$!
filed_some() { [ "$(ls inbox/passed 2>/dev/null | grep -c '\.pdf$')" -ge 2 ]; }
wait_for 40 filed_some || fail "watch filed nothing: $(cat err.1)"
kill -TERM "$pid"
wait "$pid"; status=$?
[ "$status" -eq 0 ] || fail "exit $status after SIGTERM, want 0: $(tail -n 3 err.1)"
filed=$(ls inbox/passed | grep -c '\.pdf$')
[ "$filed" -lt $n ] || fail "every letter was filed: the signal came too late to prove anything"
[ -z "$(ls inbox/failed)" ] || fail "letters filed as failed: $(ls inbox/failed); $(cat err.1)"
for f in inbox/passed/*.pdf; do
    [ -f "${f%.pdf}.json" ] || fail "$f filed without its record"
    cmp -s "$f" "$gen/valid-1-page.pdf" || fail "$f is not whole"
done
[ "$(ls inbox | grep -c '\.pdf$')" -eq $((n - filed)) ] || fail "letters lost: $(ls -R inbox)"
accepted=$(jget "$(curl -sS "$url/_sandbox/counters")" accepted_posts)
[ "$accepted" -eq "$filed" ] || fail "$accepted letters sent, $filed filed"
no_temp "$tmp"

faults '{}'
expect_status 0 watch --once
[ "$(ls inbox/passed | grep -c '\.pdf$')" -eq $n ] || fail "watch --once did not file the rest: $(ls -R inbox)"
sent_once w $n
stop_sandbox
finish
