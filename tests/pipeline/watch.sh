#!/usr/bin/env bash
# letterkit watch: a hot folder, once and live, restart-safe.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib-letters.sh"
L=$tmp/letters
inbox=$tmp/inbox
mkdir -p "$inbox"

# --once: what is there is filed, with records and pictures beside it.
cp "$L/valid.pdf" "$L/outside.pdf" "$L/virus.pdf" "$inbox/"
expect_status 1 "$LETTERKIT" watch --once --db "$db" "$inbox"
expect_contains "$out" "3 letters: 1 passed, 2 failed"
[ -f "$inbox/passed/valid.pdf" ] && [ -f "$inbox/passed/valid.pdf.json" ] || fail "valid.pdf not filed in passed/"
[ -f "$inbox/failed/outside.pdf" ] && [ -f "$inbox/failed/virus.pdf.json" ] || fail "failures not filed in failed/"
ls "$inbox"/failed/outside-????????-page-1.png >/dev/null 2>&1 || fail "no picture of the failing page"
[ -z "$(ls "$inbox"/*.pdf 2>/dev/null)" ] || fail "letters left in the inbox"
grep -q '"message": "content-outside-printable-area"' "$inbox/failed/outside.pdf.json" || fail "record of outside.pdf"
grep -q 'Eicar' "$inbox/failed/virus.pdf.json" || fail "record of virus.pdf"

# Again with the same name: the new letter gets a number, nothing is overwritten.
cp "$L/valid.pdf" "$inbox/"
expect_status 0 "$LETTERKIT" watch --once --quiet --db "$db" "$inbox"
[ -f "$inbox/passed/valid.pdf-2" ] || fail "a second valid.pdf did not get its own name"

# Live: a letter written while it watches is filed once complete; SIGTERM stops it.
"$LETTERKIT" watch --db "$db" "$inbox" > "$tmp/live.out" 2>&1 &
pid=$!
for i in $(seq 1 50); do grep -q watching "$tmp/live.out" && break; sleep 0.1; done
cp "$L/outside.pdf" "$inbox/late.pdf"
for i in $(seq 1 100); do [ -f "$inbox/failed/late.pdf" ] && break; sleep 0.1; done
[ -f "$inbox/failed/late.pdf.json" ] || fail "a letter dropped in while watching was not filed: $(cat "$tmp/live.out")"
kill -TERM "$pid"
wait "$pid"
st=$?
[ "$st" -eq 1 ] || fail "watch stopped with exit $st, want 1 (a letter failed)"
expect_contains "$(cat "$tmp/live.out")" "1 letters: 0 passed, 1 failed"

# Restart-safe: a letter left in the inbox (as by a crash) is done at start-up.
cp "$L/valid.pdf" "$inbox/left-behind.pdf"
touch -d '1 minute ago' "$inbox/left-behind.pdf"
"$LETTERKIT" watch --quiet --db "$db" "$inbox" > /dev/null 2>&1 &
pid=$!
for i in $(seq 1 100); do [ -f "$inbox/passed/left-behind.pdf" ] && break; sleep 0.1; done
kill -TERM "$pid"
wait "$pid"
[ -f "$inbox/passed/left-behind.pdf.json" ] || fail "a letter left in the inbox was not done at start-up"
expect_status 2 "$LETTERKIT" watch
expect_contains "$err" "name one INBOX folder"
finish
