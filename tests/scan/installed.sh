#!/usr/bin/env bash
# The installed layout: letterkit-scan in libexec, its man page, and our test
# signature database in share/letterkit/clamav (the sandbox server's default
# --db), used by the installed driver with nothing from the build tree.
. "$SOURCE_ROOT/tests/scan/common.sh"
if ! install_staged; then
    flunk "meson install failed"
    finish
fi
for want in bin/letterkit libexec/letterkit/letterkit-scan 'man1/letterkit-scan.1*' \
        share/letterkit/clamav/letterkit-test.hdb share/letterkit/clamav/letterkit-test.ndb; do
    [ -n "$(installed "$want")" ] || flunk "not installed: $want"
done
db=$(dirname "$(installed share/letterkit/clamav/letterkit-test.hdb)")
expect_status 1 env -u LETTERKIT_EXEC_PATH "$(installed bin/letterkit)" scan --json --db "$db" "$clam"
expect_contains "$out" '"virus":"Letterkit.Test.ClamExe.UNOFFICIAL"'
expect_contains "$out" '"signatures":2'
finish
