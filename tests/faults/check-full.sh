#!/usr/bin/env bash
# check writing its side outputs onto a full disk: each output names its file
# and "No space left on device", exits 2, and leaves no partial or temporary
# file; an output written by an earlier run stays whole.
. "$(dirname "$0")/lib.sh"
full=$tmp/full
small_fs "$full"
mkdir "$full/overlays"
echo '<html>old report</html>' >"$full/report.html"
echo '<testsuites old="1"/>' >"$full/junit.xml"
fill "$full"
before=$(listing "$full")
bad=$gen/outside-left-margin-by-1mm.pdf good=$gen/valid-1-page.pdf

expect_status 2 "$LETTERKIT" check --overlay "$full/overlays" "$good" "$bad"
expect_contains "$err" "$full/overlays/outside-left-margin-by-1mm-"
expect_contains "$err" "-page-1.png"
expect_contains "$err" "No space left on device"
expect_contains "$out" "valid-1-page.pdf"

expect_status 2 "$LETTERKIT" check --report "$full/report.html" "$good" "$bad"
expect_contains "$err" "$full/report.html"
expect_contains "$err" "No space left on device"
[ "$(cat "$full/report.html")" = '<html>old report</html>' ] || fail "the old report was touched"

expect_status 2 "$LETTERKIT" check --junit "$full/junit.xml" "$good" "$bad"
expect_contains "$err" "$full/junit.xml"
expect_contains "$err" "No space left on device"
[ "$(cat "$full/junit.xml")" = '<testsuites old="1"/>' ] || fail "the old JUnit file was touched"

[ "$(listing "$full")" = "$before" ] || fail "files changed on the full disk: $(listing "$full")"
no_temp "$full"
finish
