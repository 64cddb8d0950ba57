#!/usr/bin/env bash
# The fast path (marks proven inside the regions, small renders elsewhere)
# gives the same verdicts and pages as the raster rule itself
# (--full-raster: every page rendered in full at 200 dpi), on every
# specimen and on random letters whose marks hug every boundary, COUNT
# from each of three producers: our own generator (plain and rotated pages,
# white paint over marks, clips), reportlab and cairo (random-letters.py:
# fills, greys, hairlines, thick strokes, text, images, transparency).
# usage: fast-path.sh [COUNT [SEED]]   (COUNT: FAST_PATH_COUNT, set by meson)
. "$(dirname "$0")/../e2e/lib.sh"
count=${1:-${FAST_PATH_COUNT:-150}}
seed=${2:-$(date +%Y%m%d)}   # a new sample each day; the seed is printed to rerun one
"$MKSPECIMENS" --random "$tmp/random" "$count" "$seed" || { fail "mkspecimens --random failed"; finish; }
for producer in reportlab cairo; do
    /usr/bin/python3 "$(dirname "$0")/random-letters.py" "$producer" "$tmp/random" "$count" "$seed" \
        || { fail "random-letters.py $producer failed"; finish; }
done
files=("$tmp"/random/*.pdf "$BUILD_ROOT"/specimens/generated/*.pdf "$SOURCE_ROOT"/specimens/*/*.pdf)
[ "${#files[@]}" -ge $((3 * count)) ] || fail "only ${#files[@]} letters made"
"$LETTERKIT" check --json "${files[@]}" > "$tmp/fast.ndjson" 2>/dev/null
"$LETTERKIT" check --json --full-raster "${files[@]}" > "$tmp/full.ndjson" 2>/dev/null
/usr/bin/python3 - "$tmp/fast.ndjson" "$tmp/full.ndjson" "$seed" <<'PY' || fail "fast path and raster rule disagree"
import json, sys
fast = [json.loads(l) for l in open(sys.argv[1])]
full = [json.loads(l) for l in open(sys.argv[2])]
assert len(fast) == len(full) > 0, (len(fast), len(full))
bad = 0
failing = 0
for a, b in zip(fast, full):
    failing += a["message"] == "content-outside-printable-area"
    if (a["message"], a["invalid_pages"]) != (b["message"], b["invalid_pages"]):
        bad += 1
        print(f"DISAGREE {a['file']}: fast {a['message']} {a['invalid_pages']}, "
              f"raster {b['message']} {b['invalid_pages']}", file=sys.stderr)
print(f"{len(fast) - bad} of {len(fast)} letters agree (seed {sys.argv[3]}; "
      f"{failing} outside the printable area)")
assert 0 < failing < len(fast), "the sample should hold letters that pass and letters that fail"
sys.exit(1 if bad else 0)
PY
finish
