#!/usr/bin/env bash
# run --send --wait and watch --send against the real sandbox, which runs the
# real check and scan: letters that pass are sent once, failures never, and a
# rerun sends nothing twice (the sandbox counts accepted POSTs per reference).
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib-letters.sh"
L=$tmp/letters

"$BUILD_ROOT/letterkit-sandbox" --port 0 --quiet --keys-out "$tmp/keys" --clamav-db "$db" \
    --scan-delay 0 --check-delay 0 --receive-delay 300 > "$tmp/sb.out" 2> "$tmp/sb.err" &
sandbox=$!
trap 'kill "$sandbox" 2>/dev/null' EXIT
for _ in $(seq 1 100); do
    [ -s "$tmp/keys" ] && grep -q '^listening ' "$tmp/sb.out" && break
    sleep 0.05
done
url=$(sed -n 's/^listening //p' "$tmp/sb.out")
[ -n "$url" ] || { fail "the sandbox did not start: $(cat "$tmp/sb.err")"; finish; }
NOTIFY_API_KEY=$(sed -n 's/^test=//p' "$tmp/keys")
export NOTIFY_API_KEY NOTIFY_BASE_URL=$url
accepted() { # reference: how many times the sandbox accepted a POST for it
    curl -s "$url/_sandbox/counters?reference=$1" | sed -n 's/.*"accepted_posts":\([0-9]*\).*/\1/p'
}

expect_status 1 "$LETTERKIT" run --db "$db" --send --wait --max-wait 60 --ledger "$tmp/ledger.sqlite" \
    --results "$tmp/results.ndjson" "$L/valid.pdf" "$L/outside.pdf" "$L/virus.pdf"
expect_contains "$out" "1 of 3 letters passed every stage"
expect_contains "$err$out" "received"
grep -q '"reference":"valid","postage":"second","state":"sent"' "$tmp/results.ndjson" || fail "valid.pdf was not sent: $(cat "$tmp/results.ndjson")"
grep -q '"file":"'"$L"'/outside.pdf".*"send":{"skipped"' "$tmp/results.ndjson" || fail "outside.pdf was not skipped"

# Rerun: nothing is sent again.
expect_status 1 "$LETTERKIT" run --quiet --db "$db" --send --ledger "$tmp/ledger.sqlite" \
    --results "$tmp/again.ndjson" "$L/valid.pdf" "$L/outside.pdf" "$L/virus.pdf"
grep -q '"state":"already-sent"' "$tmp/again.ndjson" || fail "the rerun did not see valid.pdf as already sent"
[ "$(accepted valid)" = 1 ] || fail "valid.pdf was accepted $(accepted valid) times, want 1"
[ "$(accepted outside)" = 0 ] && [ "$(accepted virus)" = 0 ] || fail "a failing letter was sent"

# The hot folder sends what passes.
mkdir -p "$tmp/inbox"
cp "$L/valid.pdf" "$tmp/inbox/hot.pdf"
cp "$L/outside.pdf" "$tmp/inbox/cold.pdf"
expect_status 1 "$LETTERKIT" watch --once --db "$db" --send --ledger "$tmp/ledger.sqlite" "$tmp/inbox"
[ -f "$tmp/inbox/passed/hot.pdf" ] && [ -f "$tmp/inbox/failed/cold.pdf" ] || fail "watch --send did not file the letters"
grep -q '"state": "sent"' "$tmp/inbox/passed/hot.json" || fail "watch --send did not send hot.pdf"
[ "$(accepted hot)" = 1 ] && [ "$(accepted cold)" = 0 ] || fail "watch sent the wrong letters"
finish
