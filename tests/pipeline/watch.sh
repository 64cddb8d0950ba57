#!/usr/bin/env bash
# letterkit watch: a hot folder, once and live, restart-safe; its filing
# lines, names, messages for people, and settling.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib-letters.sh"
L=$tmp/letters
inbox=$tmp/inbox
mkdir -p "$inbox/sub"
echo notes >"$inbox/notes.txt"

# --once: what is there is filed as NAME.pdf with NAME.json and NAME-page-N.png beside it;
# each filing line gives the code and its short explanation.
cp "$L/valid.pdf" "$L/outside.pdf" "$L/virus.pdf" "$inbox/"
expect_status 1 "$LETTERKIT" watch --once --db "$db" "$inbox"
expect_contains "$out" "3 letters: 1 passed, 2 failed"
expect_contains "$out" "PASS valid.pdf; filed as $inbox/passed/valid.pdf"
expect_contains "$out" "FAIL outside.pdf: content-outside-printable-area: something is printed where Notify prints nothing; filed as $inbox/failed/outside.pdf"
expect_contains "$out" "FAIL virus.pdf: virus-found: a virus was found in the file (Letterkit.Test.Eicar"
[ -f "$inbox/passed/valid.pdf" ] && [ -f "$inbox/passed/valid.json" ] || fail "valid.pdf not filed in passed/ with valid.json"
[ -f "$inbox/failed/outside.pdf" ] && [ -f "$inbox/failed/virus.json" ] || fail "failures not filed in failed/"
[ -f "$inbox/failed/outside-page-1.png" ] || fail "no picture outside-page-1.png: $(ls "$inbox/failed")"
[ -z "$(ls "$inbox"/failed/*-????????-page-*.png 2>/dev/null)" ] || fail "check's picture names left: $(ls "$inbox/failed")"
[ -z "$(ls "$inbox"/*.pdf 2>/dev/null)" ] || fail "letters left in the inbox"
grep -q '"message": "content-outside-printable-area"' "$inbox/failed/outside.json" || fail "record of outside.pdf"
grep -q 'Eicar' "$inbox/failed/virus.json" || fail "record of virus.pdf"
# Other files and folders are said, once each, and left where they are.
expect_contains "$err" "$inbox/notes.txt is not a PDF (its name does not end in .pdf): it is left where it is"
expect_contains "$err" "$inbox/sub is a folder: watch takes only the PDFs in $inbox itself"
[ -f "$inbox/notes.txt" ] || fail "notes.txt was moved"

# Again with the same names: the new letters get a number before the extension,
# their records and pictures the same name; nothing is overwritten.
cp "$L/valid.pdf" "$L/outside.pdf" "$inbox/"
expect_status 1 "$LETTERKIT" watch --once --quiet --db "$db" "$inbox"
[ -f "$inbox/passed/valid-2.pdf" ] && [ -f "$inbox/passed/valid-2.json" ] || fail "a second valid.pdf is not valid-2.pdf: $(ls "$inbox/passed")"
[ -f "$inbox/failed/outside-2.pdf" ] && [ -f "$inbox/failed/outside-2-page-1.png" ] && [ -f "$inbox/failed/outside-page-1.png" ] ||
    fail "a second outside.pdf: $(ls "$inbox/failed")"
grep -q "\"file\": \"$inbox/passed/valid-2.pdf\"" "$inbox/passed/valid-2.json" || fail "valid-2.json names $(cat "$inbox/passed/valid-2.json")"

# The day's report in each folder, grown by the second run (it starts from the day's records).
day=$(date -u +%F)
[ -f "$inbox/failed/report-$day.html" ] && [ -f "$inbox/passed/report-$day.html" ] || fail "no daily report: $(ls "$inbox"/*/)"
rep=$(cat "$inbox/failed/report-$day.html")
for want in '>outside.<wbr>pdf</a>' '>outside-<wbr>2.<wbr>pdf</a>' '>virus.<wbr>pdf</a>' 'src="outside-2-page-1.png"' \
            '<a href="#code-virus-found"><code>virus-found</code></a>' 'a virus was found in the file' 'letterkit watch: failed'; do
    expect_contains "$rep" "$want"
done
[ "$(grep -o 'class="letter fail"' "$inbox/failed/report-$day.html" | wc -l)" -eq 3 ] || fail "want 3 letters in failed/'s report"
expect_contains "$(cat "$inbox/passed/report-$day.html")" '>valid-<wbr>2.<wbr>pdf</a>'

# A missing inbox, and no virus signatures: clear messages, exit 2, the letter left in the inbox.
expect_status 2 "$LETTERKIT" watch --once --db "$db" "$tmp/no-such-inbox"
expect_contains "$err" "the inbox $tmp/no-such-inbox does not exist: make the folder"
[ ! -e "$tmp/no-such-inbox" ] || fail "watch made the missing inbox"
cp "$L/valid.pdf" "$inbox/unscanned.pdf"
expect_status 2 "$LETTERKIT" watch --once --db "$tmp/no-signatures" "$inbox"
expect_contains "$err" "no ClamAV signatures"
expect_contains "$err" "letterkit watch: scan stopped (exit status 2; its message is above): no letter can be filed"
[ -f "$inbox/unscanned.pdf" ] || fail "the letter left the inbox unscanned"
rm "$inbox/unscanned.pdf"

# Live: a letter written while it watches is filed once complete; SIGTERM stops it.
"$LETTERKIT" watch --settle-ms 1500 --db "$db" "$inbox" > "$tmp/live.out" 2>&1 &
pid=$!
for i in $(seq 1 50); do grep -q watching "$tmp/live.out" && break; sleep 0.1; done
cp "$L/outside.pdf" "$inbox/late.pdf"
for i in $(seq 1 100); do [ -f "$inbox/failed/late.json" ] && break; sleep 0.1; done
[ -f "$inbox/failed/late.pdf" ] || fail "a letter dropped in while watching was not filed: $(cat "$tmp/live.out")"
# Settling: a writer that closes the file half written and comes back to finish it
# (as scanners and network copies do) is not filed half done.
# One process writes half, closes, waits 0.4 s, opens again and writes the rest:
# well inside the settle time (1.5 s) even on a loaded machine.
/usr/bin/python3 - "$L/valid.pdf" "$inbox/slow.pdf" <<'PY'
import sys, time
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as f:
    f.write(data[:len(data) // 2])
time.sleep(0.4)
with open(sys.argv[2], "ab") as f:
    f.write(data[len(data) // 2:])
PY
for i in $(seq 1 150); do [ -f "$inbox/passed/slow.json" ] || [ -f "$inbox/failed/slow.json" ] && break; sleep 0.1; done
[ -f "$inbox/passed/slow.pdf" ] || fail "a letter written in two goes was not filed whole: $(cat "$tmp/live.out")"
cmp -s "$inbox/passed/slow.pdf" "$L/valid.pdf" || fail "slow.pdf filed changed"
kill -TERM "$pid"
wait "$pid"
st=$?
[ "$st" -eq 1 ] || fail "watch stopped with exit $st, want 1 (a letter failed)"
expect_contains "$(cat "$tmp/live.out")" "2 letters: 1 passed, 1 failed"

# Restart-safe: a letter left in the inbox (as by a crash) is done at start-up.
cp "$L/valid.pdf" "$inbox/left-behind.pdf"
touch -d '1 minute ago' "$inbox/left-behind.pdf"
"$LETTERKIT" watch --quiet --db "$db" "$inbox" > /dev/null 2>&1 &
pid=$!
for i in $(seq 1 100); do [ -f "$inbox/passed/left-behind.json" ] && break; sleep 0.1; done
kill -TERM "$pid"
wait "$pid"
[ -f "$inbox/passed/left-behind.pdf" ] || fail "a letter left in the inbox was not done at start-up"
expect_status 2 "$LETTERKIT" watch
expect_contains "$err" "name one INBOX folder"
expect_status 2 "$LETTERKIT" watch --settle-ms x "$inbox"
expect_contains "$err" "--settle-ms"
finish
