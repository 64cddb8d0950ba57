#!/usr/bin/env bash
# SIGTERM to scan in the middle of a batch read from a pipe (records held
# back, so the batch is certainly unfinished), and SIGINT in the middle of a
# list of files: exit 2 and a message naming the signal; the records and
# lines written so far are whole; the rest of the batch is not scanned.
. "$(dirname "$0")/lib.sh"
records=(valid-1-page outside-left-margin-by-1mm valid-1-page address-empty valid-1-page)
term_mid_pipe "$LETTERKIT" scan --db "$db"
[ "$status" -eq 2 ] || fail "exit $status after SIGTERM, want 2: $(cat "$tmp/stderr")"
expect_contains "$(cat "$tmp/stderr")" "stopped by SIGTERM"
[ "$(wc -l <"$tmp/stdout")" -eq 5 ] || fail "want 5 records: $(cat "$tmp/stdout")"
/usr/bin/python3 -c 'import json,sys; [json.loads(l)["scan"]["clean"] for l in open(sys.argv[1])]' "$tmp/stdout" ||
    fail "a record is not whole JSON with its scan: $(cat "$tmp/stdout")"

# SIGINT in the middle of a list of files: the same, and the rest is not scanned.
files=()
for i in $(seq 1 5000); do files+=("$gen/valid-1-page.pdf"); done
: >"$tmp/stdout"
"$LETTERKIT" scan --db "$db" --json "${files[@]}" >"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!
some() { [ "$(wc -l <"$tmp/stdout")" -ge 10 ]; }
wait_for 30 some || fail "scan answered nothing: $(cat "$tmp/stderr")"
kill -INT "$pid"
wait "$pid"; status=$?
[ "$status" -eq 2 ] || fail "exit $status after SIGINT, want 2: $(tail -n 3 "$tmp/stderr")"
expect_contains "$(cat "$tmp/stderr")" "stopped by SIGINT"
n=$(wc -l <"$tmp/stdout")
[ "$n" -lt 5000 ] || fail "the whole batch was scanned: the signal came too late to prove anything"
/usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/stdout" ||
    fail "a line is not whole JSON"
finish
