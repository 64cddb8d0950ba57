#!/usr/bin/env bash
# run takes what its stages take and passes it on (issue 13): --name-column,
# --date and --international reach compose; --international, --strict,
# --overlay and --junit reach check (each seen in the stage's arguments and
# in its effect); --format github and json are run's own output.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib-letters.sh"
L=$tmp/letters
cd "$tmp" || exit 99
# Stand-ins that note their arguments and run the real stage.
mkdir fake
for s in compose check scan; do
    printf '#!/bin/sh\necho "%s $*" >>"%s/args"\nexec "%s/letterkit-%s" "$@"\n' "$s" "$tmp" "$BUILD_ROOT" "$s" \
        >"fake/letterkit-$s"
    chmod +x "fake/letterkit-$s"
done
run() { LETTERKIT_EXEC_DIR=$tmp/fake "$BUILD_ROOT/letterkit-run" "$@"; }

expect_status 0 run --quiet --db "$db" --template "$SOURCE_ROOT/specimens/compose/letter.conf" \
    --data "$SOURCE_ROOT/specimens/compose/people.csv" --output-dir composed --results composed.ndjson \
    --name-column reference --date 2027-01-02 --international
grep -q '^compose .*--name-column reference' args || fail "--name-column did not reach compose: $(cat args)"
grep -q '^compose .*--date 2027-01-02' args || fail "--date did not reach compose: $(cat args)"
grep -q '^compose .*--international' args || fail "--international did not reach compose: $(cat args)"
grep -q '^check .*--international' args || fail "--international did not reach check: $(cat args)"
[ -f composed/LIC-0001.pdf ] || fail "letters not named by the reference column: $(ls composed)"

# (check makes no missing output folder yet: that is check's own fix)
mkdir pictures junit
: >args
expect_status 1 run --quiet --db "$db" --strict --overlay pictures --junit junit/letters.xml \
    --results checked.ndjson "$L/valid.pdf" "$L/outside.pdf"
grep -q '^check .*--strict' args || fail "--strict did not reach check: $(cat args)"
grep -q '^check .*--overlay pictures' args || fail "--overlay did not reach check: $(cat args)"
grep -q '^check .*--junit junit/letters.xml' args || fail "--junit did not reach check: $(cat args)"
grep -q 'failures="1"' junit/letters.xml || fail "check's JUnit: $(cat junit/letters.xml 2>&1)"
ls pictures/*.png >/dev/null 2>&1 || fail "no overlay picture for the failing letter: $(ls -R pictures 2>&1)"
grep -q -- '--format' args && fail "check was given --format: its standard output is run's pipe"

# --format github: an annotation for each letter that did not pass, none for the others.
expect_status 1 run --quiet --db "$db" --format github --results gh.ndjson "$L/valid.pdf" "$L/outside.pdf" "$L/virus.pdf"
expect_contains "$out" "::error file=$L/outside.pdf::check: content-outside-printable-area"
expect_contains "$out" "::error file=$L/virus.pdf::scan: virus-found"
case "$out" in *"file=$L/valid.pdf"*) fail "an annotation for a letter that passed: $out" ;; esac
[ "$(wc -l <gh.ndjson)" = 3 ] || fail "--results with --format github: $(cat gh.ndjson)"
# --format json: the records on standard output, the summary on standard error.
expect_status 0 run --quiet --db "$db" --format json "$L/valid.pdf"
expect_contains "$out" '"check":{"valid":true'
expect_contains "$err" "1 of 1 letters passed every stage"
expect_status 2 run --format yaml "$L/valid.pdf"
expect_contains "$err" "--format must be one of human, json, github, not 'yaml'"
finish
