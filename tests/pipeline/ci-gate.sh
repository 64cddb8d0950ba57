#!/usr/bin/env bash
# The README's CI gate, on the sample templates: passes when every sample
# letter is good, fails (with annotations and JUnit) when one is not.
. "$(dirname "$0")/../e2e/lib.sh"
mkdir -p "$tmp/repo/templates"
cp -r "$SOURCE_ROOT/specimens/compose/." "$tmp/repo/templates/"
cp "$tmp/repo/templates/people.csv" "$tmp/repo/templates/letter.csv"
cp "$tmp/repo/templates/people.csv" "$tmp/repo/templates/welsh.csv"
cd "$tmp/repo" || exit 99
export PATH="$(dirname "$LETTERKIT"):$PATH"
gate() ( # the README's last step, word for word
    rm -f manifest.ndjson
    set -e
    for t in templates/*.conf; do
      letterkit compose --template "$t" --output-dir "out/$(basename "$t" .conf)" \
        "${t%.conf}.csv" >> manifest.ndjson || failed=1
    done
    letterkit check --format github --junit letters.xml - < manifest.ndjson
    [ -z "${failed:-}" ]
)
expect_status 0 gate
[ -z "$(echo "$out" | grep '::error')" ] || fail "annotations for good letters: $out"
grep -q 'failures="0"' letters.xml || fail "JUnit should show no failures"

# A sample row whose address has no postcode: the build fails, and says why.
rm -rf out
printf 'BAD-1,Al,Bad,fishing,F-9,1 May 2027,yes,Al Bad,1 Road,Town,,,,NOPOSTCODE\n' >> templates/letter.csv
expect_status 1 gate
expect_contains "$err" "not-a-real-uk-postcode"

# The bad row taken out again: the build passes again.
rm -rf out
sed -i '$d' templates/letter.csv
expect_status 0 gate
finish

