#!/usr/bin/env bash
# The installed layout: letterkit-scan in libexec, its man page, and our test
# signature database in share/letterkit/clamav (the sandbox server's default
# --db), used by the installed driver with nothing from the build tree.
. "$SOURCE_ROOT/tests/e2e/lib.sh"
stage=$tmp/stage
meson install -C "$BUILD_ROOT" --destdir "$stage" --no-rebuild --quiet >/dev/null 2>&1 ||
    { fail "meson install failed"; finish; }
driver=$(find "$stage" -path '*/bin/letterkit' -type f | head -n 1)
[ -x "$driver" ] || { fail "no installed bin/letterkit under $stage"; finish; }
scan=$(find "$stage" -path '*/libexec/letterkit/letterkit-scan' -type f | head -n 1)
[ -x "$scan" ] || fail "no libexec/letterkit/letterkit-scan"
[ -n "$(find "$stage" -name 'letterkit-scan.1*')" ] || fail "letterkit-scan(1) not installed"
db=$(find "$stage" -path '*/share/letterkit/clamav' -type d | head -n 1)
[ -n "$db" ] || { fail "no share/letterkit/clamav"; finish; }
for f in letterkit-test.hdb letterkit-test.ndb; do
    cmp -s "$db/$f" "$SOURCE_ROOT/specimens/clamav/$f" || fail "$db/$f differs from specimens/clamav"
done
expect_status 1 env -u LETTERKIT_EXEC_PATH -u LETTERKIT_CLAMAV_DB "$driver" scan --json --db "$db" \
    "$CLAMAV_TESTFILES/clam.pdf"
expect_contains "$out" '"virus":"Letterkit.Test.ClamExe.UNOFFICIAL"'
expect_contains "$out" '"signatures":2'
finish
