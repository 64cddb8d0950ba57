#!/usr/bin/env bash
# A letter whose marks are all inside the allowed regions is proven from
# its marks alone: check renders no pixel of it (check --debug's
# "pixels_rendered"). Every letter compose makes from the specimen
# templates, and every passing specimen of other producers, renders 0
# pixels; a letter that breaks the printable area still renders (the
# counter counts).
. "$(dirname "$0")/../e2e/lib.sh"
spec=$SOURCE_ROOT/specimens/compose
for conf in letter welsh; do
    "$LETTERKIT" compose --date 2026-01-05 -t "$spec/$conf.conf" -o "$tmp/$conf" "$spec/people.csv" \
        > "$tmp/$conf.ndjson" 2>/dev/null || fail "compose $conf.conf failed"
done
cat "$tmp/letter.ndjson" "$tmp/welsh.ndjson" | "$LETTERKIT" check --debug - > "$tmp/composed.ndjson" 2>/dev/null \
    || fail "a composed letter failed check"
"$LETTERKIT" check --json --debug "$SOURCE_ROOT"/specimens/*/*.pdf "$BUILD_ROOT"/specimens/generated/*.pdf \
    > "$tmp/specimens.ndjson" 2>/dev/null
/usr/bin/python3 - "$tmp/composed.ndjson" "$tmp/specimens.ndjson" <<'PY' || fail "letters that pass were rendered"
import json, os, sys
# Passing letters whose marks do reach outside the regions, so that only
# the pixels can prove them.
NEAR_AN_EDGE = {
    # the last address line's descenders end within a pixel of the window's
    # bottom edge: the pixel row below is rendered to be sure
    "address-welsh-valid.pdf",
    # a black mark outside the regions, painted over in white
    "black-mark-painted-over-white.pdf",
    # marks that end inside the 1 mm of slack around the regions
    "edges-on-the-1mm-slack.pdf",
}
bad = 0
composed = [json.loads(l) for l in open(sys.argv[1])]
assert len(composed) == 8, len(composed)
for rec in composed:
    px = rec["check"]["debug"]["pixels_rendered"]
    if not rec["check"]["valid"] or px != 0:
        bad += 1
        print(f"composed {rec['file']}: valid {rec['check']['valid']}, {px} pixels rendered", file=sys.stderr)
specimens = [json.loads(l) for l in open(sys.argv[2])]
passing = [r for r in specimens if r["valid"]]
assert len(passing) >= 10, len(passing)
for rec in passing:
    name, px = os.path.basename(rec["file"]), rec["debug"]["pixels_rendered"]
    if (px == 0) == (name in NEAR_AN_EDGE):
        bad += 1
        print(f"specimen {rec['file']}: {px} pixels rendered", file=sys.stderr)
outside = [r for r in specimens if r["message"] == "content-outside-printable-area"]
assert outside and all(r["debug"]["pixels_rendered"] > 0 for r in outside), "the counter counts nothing"
print(f"{len(composed)} composed letters and {len(passing)} passing specimens; "
      f"{len(passing) - len(NEAR_AN_EDGE) + len(composed)} rendered no pixel")
sys.exit(1 if bad else 0)
PY
finish
