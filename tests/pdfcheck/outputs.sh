#!/usr/bin/env bash
# check's side outputs: overlay pictures, JUnit XML, GitHub annotations and
# the HTML report, which headless Chromium opens and photographs (the
# screenshot is kept in the build tree as a test artefact).
. "$(dirname "$0")/../e2e/lib.sh"
gen=$BUILD_ROOT/specimens/generated
artefacts=$BUILD_ROOT/test-artefacts
mkdir -p "$artefacts" "$tmp/overlays"
letters=("$gen/outside-left-of-address-window.pdf" "$gen/address-no-fixed-abode.pdf"
         "$gen/valid-1-page.pdf" "$gen/outside-on-pages-1-and-3.pdf" "$tmp/missing.pdf")

expect_status 2 "$LETTERKIT" check --overlay "$tmp/overlays" --junit "$tmp/junit.xml" \
    --report "$tmp/report.html" "${letters[@]}"
# Overlays: one PNG per failing page of each failing letter, none for the valid one,
# named STEM-HASH-page-N.png (HASH: eight hex digits of the letter's full path).
for f in outside-left-of-address-window-page-1 address-no-fixed-abode-page-1 \
         outside-on-pages-1-and-3-page-1 outside-on-pages-1-and-3-page-3; do
    png=$(ls "$tmp/overlays/${f%-page-*}"-????????-"page-${f##*-page-}.png" 2>/dev/null)
    head -c 8 "$png" 2>/dev/null | grep -q PNG || fail "no overlay for $f"
    # The human output says where each picture went.
    expect_contains "$out" "  picture: $png"
done
[ "$(ls "$tmp/overlays" | wc -l)" -eq 4 ] || fail "want 4 overlays: $(ls "$tmp/overlays")"
ls -a "$tmp/overlays" | grep -q tmp- && fail "a temporary file was left in the overlay directory"
# The same names on every run: the second run replaces, it does not add.
expect_status 1 "$LETTERKIT" check --overlay "$tmp/overlays" "$gen/outside-on-pages-1-and-3.pdf"
[ "$(ls "$tmp/overlays" | wc -l)" -eq 4 ] || fail "a second run added overlays: $(ls "$tmp/overlays")"

# Two letters called x.pdf in different folders, and a PDF on stdin, never
# overwrite each other's pictures.
mkdir -p "$tmp/a" "$tmp/b"
cp "$gen/outside-left-of-address-window.pdf" "$tmp/a/x.pdf"
cp "$gen/address-no-fixed-abode.pdf" "$tmp/b/x.pdf"
expect_status 1 "$LETTERKIT" check --overlay "$tmp/pics" "$tmp/a/x.pdf" "$tmp/b/x.pdf"
[ "$(ls "$tmp/pics" | grep -c '^x-[0-9a-f]\{8\}-page-1\.png$')" -eq 2 ] || fail "two x.pdf: $(ls "$tmp/pics")"
expect_status 1 "$LETTERKIT" check --overlay "$tmp/pics" - < "$gen/outside-on-pages-1-and-3.pdf"
expect_contains "$out" "  picture: $tmp/pics/stdin-page-3.png"
[ -f "$tmp/pics/stdin-page-1.png" ] && [ -f "$tmp/pics/stdin-page-3.png" ] || fail "stdin pictures: $(ls "$tmp/pics")"
[ "$(ls "$tmp/pics" | wc -l)" -eq 4 ] || fail "want 4 pictures: $(ls "$tmp/pics")"

# Output folders are made when missing; an unusable output path is refused
# before the batch (exit 2, nothing checked), naming the path.
expect_status 0 "$LETTERKIT" check --overlay "$tmp/new/pics" --junit "$tmp/new/ci/junit.xml" \
    --report "$tmp/new/html/r.html" "$gen/valid-1-page.pdf"
[ -d "$tmp/new/pics" ] && [ -f "$tmp/new/ci/junit.xml" ] && [ -f "$tmp/new/html/r.html" ] || fail "missing folders not made"
touch "$tmp/file"
for args in "--overlay $tmp/file" "--overlay $tmp/file/sub" "--junit $tmp/file/j.xml" \
            "--report $tmp/file/r.html" "--report $tmp" "--junit $tmp/"; do
    # shellcheck disable=SC2086
    expect_status 2 "$LETTERKIT" check $args "$gen/valid-1-page.pdf"
    expect_contains "$err" "${args%% *}"
    expect_contains "$err" "$tmp"
    [ -z "$out" ] || fail "$args: letters were checked before the path was refused: $out"
done
if [ "$(id -u)" -ne 0 ]; then   # root may write anywhere
    mkdir "$tmp/locked" && chmod 0555 "$tmp/locked"
    expect_status 2 "$LETTERKIT" check --overlay "$tmp/locked" "$gen/valid-1-page.pdf"
    expect_contains "$err" "--overlay $tmp/locked: cannot write pictures there"
    expect_status 2 "$LETTERKIT" check --junit "$tmp/locked/j.xml" "$gen/valid-1-page.pdf"
    expect_contains "$err" "$tmp/locked/j.xml"
    [ -z "$out" ] || fail "letters checked before a locked folder was refused"
fi

# JUnit: well-formed, one test case per letter, failures and errors counted.
/usr/bin/python3 - "$tmp/junit.xml" <<'PY' || fail "JUnit XML"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites" and root.get("tests") == "5", root.attrib
assert root.get("failures") == "3" and root.get("errors") == "1", root.attrib
cases = root.findall("./testsuite/testcase")
assert len(cases) == 5
f = cases[3].find("failure")
assert f.get("type") == "content-outside-printable-area", f.attrib
assert f.get("message") == "content-outside-printable-area on pages 1, 3", f.attrib
assert "left margin" in f.text and "right margin" in f.text, f.text
assert cases[2].find("failure") is None and cases[4].find("error") is not None
PY

# GitHub annotations: one ::error per finding, properties escaped.
cp "$gen/notify-tag-on-page-3.pdf" "$tmp/a,b:c.pdf"
expect_status 1 "$LETTERKIT" check --format github "$tmp/a,b:c.pdf" "$gen/valid-1-page.pdf"
expect_contains "$out" "::error file=${tmp//\//\/}/a%2Cb%3Ac.pdf,title=notify-tag-found-in-content::page 3: the word NOTIFY"
[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "want one annotation: $out"
expect_status 2 "$LETTERKIT" check --format xml "$gen/valid-1-page.pdf"
expect_contains "$err" "--format must be one of human, json, github, not 'xml'"

# The HTML report: self-contained, a row per letter, pictures inline.
html=$(cat "$tmp/report.html")
expect_contains "$html" "<b>1 passed</b>, <b>3 failed</b>, 1 could not be checked"
expect_contains "$html" "5 letters checked"
expect_contains "$html" "no-fixed-abode-address"
expect_contains "$html" "Mr A Example"
# a picture of each failing page (outside: pages 1 and 3; the address: page 1), none of passing letters
[ "$(grep -o 'data:image/png;base64' "$tmp/report.html" | wc -l)" -ge 3 ] || fail "pictures missing"
# the summary links each code to its letters and its explanation; the short form beside it
expect_contains "$html" '<a href="#code-content-outside-printable-area"><code>content-outside-printable-area</code></a>'
expect_contains "$html" '<a href="#explain-no-fixed-abode-address">how to fix it</a>'
expect_contains "$html" 'id="explain-content-outside-printable-area"'
expect_contains "$html" "left and right 15 mm or more"
expect_contains "$html" 'something is printed where Notify prints nothing'
expect_contains "$html" 'id=only-failures'
expect_contains "$html" 'The address as read: the lines Notify would print'
expect_contains "$html" 'loading=lazy'
# failures first, valid last in the summary
/usr/bin/python3 - "$tmp/report.html" <<'PY' || fail "the summary's order"
import re, sys
t = open(sys.argv[1]).read()
summary = t[t.index("<table class=summary"):t.index("</table>")]
codes = re.findall(r"<code>([a-z-]+)</code>", summary)
assert codes[-1] == "valid", codes
assert codes.index("content-outside-printable-area") < codes.index("check-error"), codes
PY
grep -Eq '(src|href)="(https?:|/)' "$tmp/report.html" && fail "the report refers to outside files"
browser=$(command -v chromium || true)
if [ -n "$browser" ]; then
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/chromium" --window-size=1200,1600 \
        --screenshot="$artefacts/check-report.png" "file://$tmp/report.html" >/dev/null 2>&1
    size=$(stat -c %s "$artefacts/check-report.png" 2>/dev/null || echo 0)
    [ "$size" -gt 20000 ] || fail "Chromium's screenshot of the report is missing or blank ($size bytes)"
    cp "$tmp/report.html" "$artefacts/check-report.html"
else
    echo "chromium not installed: the report was checked as text only" >&2
fi
finish
