#!/usr/bin/env bash
# check --jobs N: letters checked N at once, every output in the input's
# order and byte for byte what --jobs 1 writes: stdout (human, JSON,
# records), stderr, --report, --junit and the --overlay pictures, on files
# and on NDJSON records, with a missing file and a file that is not a PDF
# among the good ones. (SIGINT and SIGTERM with two workers: faults/term-check.sh.)
. "$(dirname "$0")/../e2e/lib.sh"
gen=$BUILD_ROOT/specimens/generated
spec=$SOURCE_ROOT/specimens
echo 'not a PDF' >"$tmp/junk.pdf"
files=()
for f in "$gen"/*.pdf "$spec"/*/*.pdf; do files+=("$f"); done
files=("${files[@]:0:12}" "$tmp/missing.pdf" "${files[@]:12:12}" "$tmp/junk.pdf" "${files[@]:24}")
[ "${#files[@]}" -ge 30 ] || fail "too few specimens: ${#files[@]}"
for f in "${files[@]}"; do printf '{"file":"%s","n":%d}\n' "$f" "$((n = ${n:-0} + 1))"; done >"$tmp/records.ndjson"
run() { # run NAME ARGS...: every output of check into $tmp/NAME
    local name=$1; shift
    mkdir -p "$tmp/$name"
    (cd "$tmp/$name" && "$LETTERKIT" check "$@" >stdout 2>stderr; echo $? >status)
}
for jobs in 1 2; do
    run "files-$jobs" --jobs "$jobs" --overlay pictures --report report.html --junit junit.xml "${files[@]}"
    run "json-$jobs" --jobs "$jobs" --json "${files[@]}"
    run "records-$jobs" --jobs "$jobs" - <"$tmp/records.ndjson"
    run "quiet-$jobs" -j "$jobs" -q --format github - <"$tmp/records.ndjson"
done
# JUnit's times and the report's clock are the only things that may differ from run to run.
sed -i 's/ time="[0-9.]*"//g' "$tmp"/files-*/junit.xml
sed -i "s/(as of [0-9-]* [0-9:]* UTC)/(as of DATE)/" "$tmp"/files-*/report.html
grep -q "(as of DATE)" "$tmp/files-1/report.html" || fail "the report's clock line has changed: update this test"
for kind in files json records quiet; do
    for jobs in 2; do
        diff -r "$tmp/$kind-1" "$tmp/$kind-$jobs" >"$tmp/diff" || fail "--jobs $jobs differs from --jobs 1 ($kind): $(head -c 600 "$tmp/diff")"
    done
done
[ "$(cat "$tmp/files-1/status")" -eq 2 ] || fail "exit $(cat "$tmp/files-1/status") with a missing file, want 2"
expect_contains "$(cat "$tmp/files-2/stderr")" "missing.pdf"
[ -n "$(ls "$tmp/files-2/pictures")" ] || fail "no overlay pictures"
# The order is the input's: the records come back as they went in, each with its verdict.
/usr/bin/python3 - "$tmp/records-2/stdout" "${#files[@]}" <<'PY' || fail "records out of order or lost"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert [r["n"] for r in recs] == list(range(1, int(sys.argv[2]) + 1)), [r["n"] for r in recs]
assert all("check" in r for r in recs)
assert any(r["file"].endswith("junk.pdf") and r["check"]["valid"] is False for r in recs)
assert sum("error" in r["check"] for r in recs) == 1, [r["check"] for r in recs if "error" in r["check"]]
PY
expect_status 2 "$LETTERKIT" check --jobs 0 "${files[0]}"
expect_contains "$err" "--jobs"
expect_status 2 "$LETTERKIT" check --jobs 65 "${files[0]}"
finish
