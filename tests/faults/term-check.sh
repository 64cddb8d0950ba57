#!/usr/bin/env bash
# SIGTERM to check in the middle of a batch read from a pipe (records held
# back, so the batch is certainly unfinished): exit 2 and a message; the
# records checked so far are on standard output, whole; no report or JUnit
# file from part of the batch (one from an earlier run stays as it was); the
# overlays written are whole and no temporary file is left.
. "$(dirname "$0")/lib.sh"
out_dir=$tmp/out
mkdir -p "$out_dir/overlays"
echo '<html>old report</html>' >"$out_dir/report.html"
records=(outside-left-margin-by-1mm valid-1-page outside-on-pages-1-and-3 address-empty valid-1-page)
term_mid_pipe "$LETTERKIT" check --jobs 2 --json --overlay "$out_dir/overlays" --report "$out_dir/report.html" \
    --junit "$out_dir/junit.xml"
[ "$status" -eq 2 ] || fail "exit $status after SIGTERM, want 2: $(cat "$tmp/stderr")"
expect_contains "$(cat "$tmp/stderr")" "stopped by SIGTERM"
[ "$(wc -l <"$tmp/stdout")" -eq 5 ] || fail "want 5 records: $(cat "$tmp/stdout")"
/usr/bin/python3 -c 'import json,sys; [json.loads(l)["check"] for l in open(sys.argv[1])]' "$tmp/stdout" ||
    fail "a record is not whole JSON: $(cat "$tmp/stdout")"
[ "$(cat "$out_dir/report.html")" = '<html>old report</html>' ] || fail "the old report was replaced by part of a batch"
[ ! -e "$out_dir/junit.xml" ] || fail "a JUnit file for part of the batch"
for png in "$out_dir"/overlays/*.png; do
    head -c 8 "$png" | grep -q PNG || fail "not a whole PNG: $png"
    tail -c 8 "$png" | grep -q IEND || fail "a PNG without its end: $png"
done
[ "$(ls "$out_dir/overlays" | wc -l)" -eq 4 ] || fail "want 4 overlays: $(ls "$out_dir/overlays")"
no_temp "$out_dir"

# SIGINT in the middle of a list of files: the same, and the rest is not checked
# (both with two workers: the letters in flight are finished, in order).
files=()
for i in $(seq 1 3000); do files+=("$gen/valid-1-page.pdf"); done
: >"$tmp/stdout"
"$LETTERKIT" check --jobs 2 --json --junit "$out_dir/junit.xml" "${files[@]}" >"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!
some() { [ "$(wc -l <"$tmp/stdout")" -ge 10 ]; }
wait_for 30 some || fail "check answered nothing"
kill -INT "$pid"
wait "$pid"; status=$?
[ "$status" -eq 2 ] || fail "exit $status after SIGINT, want 2: $(tail -n 3 "$tmp/stderr")"
expect_contains "$(cat "$tmp/stderr")" "stopped by SIGINT"
n=$(wc -l <"$tmp/stdout")
[ "$n" -lt 3000 ] || fail "the whole batch was checked: the signal came too late to prove anything"
/usr/bin/python3 -c 'import json,sys; [json.loads(l)["valid"] for l in open(sys.argv[1])]' "$tmp/stdout" ||
    fail "a record is not whole JSON"
[ ! -e "$out_dir/junit.xml" ] || fail "a JUnit file for part of the batch"
no_temp "$out_dir"
finish
