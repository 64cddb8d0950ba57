#!/usr/bin/env bash
# letterkit run: check | scan as processes joined by pipes, on real letters.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib-letters.sh"
L=$tmp/letters

expect_status 0 "$LETTERKIT" run --help
expect_contains "$out" "usage: letterkit run"
expect_status 2 "$LETTERKIT" run --template x
expect_contains "$err" "--template and --data go together"

# Three letters: one passes, one fails check, one fails scan.
expect_status 1 "$LETTERKIT" run --quiet --db "$db" --results "$tmp/results.ndjson" "$L/valid.pdf" "$L/outside.pdf" "$L/virus.pdf"
expect_contains "$out" "1 of 3 letters passed every stage"
expect_contains "$out" "content-outside-printable-area"
expect_contains "$out" "virus-found"
/usr/bin/python3 - "$tmp/results.ndjson" "$L" <<'PY' || fail "results"
import json, sys
recs = {r["file"].rsplit("/", 1)[1]: r for r in map(json.loads, open(sys.argv[1]))}
assert sorted(recs) == ["outside.pdf", "valid.pdf", "virus.pdf"], recs
assert recs["valid.pdf"]["check"]["valid"] and recs["valid.pdf"]["scan"]["clean"]
assert recs["outside.pdf"]["check"]["message"] == "content-outside-printable-area"
assert recs["virus.pdf"]["check"]["valid"] and recs["virus.pdf"]["scan"]["clean"] is False
assert "Eicar" in recs["virus.pdf"]["scan"]["virus"], recs["virus.pdf"]["scan"]
PY

# Records on standard input, results on standard output, the summary on stderr.
printf '{"file":"%s","reference":"r1"}\n' "$L/valid.pdf" > "$tmp/in.ndjson"
expect_status 0 "$LETTERKIT" run --quiet --db "$db" - < "$tmp/in.ndjson"
expect_contains "$out" '"reference":"r1","check":{"valid":true'
expect_contains "$out" '"scan":{"clean":true'
expect_contains "$err" "1 of 1 letters passed every stage"

# A batch big enough to keep both stages busy; every letter accounted for.
for i in $(seq 1 60); do cp "$L/valid.pdf" "$L/many-$i.pdf"; done
expect_status 0 "$LETTERKIT" run --db "$db" --results "$tmp/many.ndjson" "$L"/many-*.pdf
[ "$(wc -l < "$tmp/many.ndjson")" -eq 60 ] || fail "want 60 results"
expect_contains "$out" "60 of 60 letters passed every stage"

# A missing stage is a clear error, exit 2, and no results file.
mkdir "$tmp/empty"
expect_status 2 env LETTERKIT_EXEC_DIR="$tmp/empty" "$BUILD_ROOT/letterkit-run" --results "$tmp/none.ndjson" "$L/valid.pdf"
expect_contains "$err" "cannot run $tmp/empty/letterkit-check"
[ ! -e "$tmp/none.ndjson" ] || fail "a results file was left after an error"

# Interrupted: exit 2, and no partial results file left behind.
"$LETTERKIT" run --quiet --db "$db" --results "$tmp/cut.ndjson" "$L"/many-*.pdf > /dev/null 2>&1 &
pid=$!
sleep 0.3
kill -TERM "$pid"
wait "$pid"
st=$?
[ "$st" -eq 2 ] || [ "$st" -eq 0 ] || fail "interrupted run exited $st"
[ "$st" -eq 0 ] || [ ! -e "$tmp/cut.ndjson" ] || fail "an interrupted run left a results file"
ls "$tmp" | grep -q 'cut.ndjson.tmp' && fail "an interrupted run left a temporary file"
finish
