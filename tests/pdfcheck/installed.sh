#!/usr/bin/env bash
# The installed layout: `meson install` into a staging root, then the
# installed driver runs the installed stage from libexec, with nothing from
# the source or build tree on its search path.
. "$(dirname "$0")/../e2e/lib.sh"
install_staged || { fail "meson install failed"; finish; }
driver=$(installed bin/letterkit)
[ -x "$driver" ] || { fail "no installed bin/letterkit under $stage"; finish; }
[ -x "$(installed libexec/letterkit/letterkit-check)" ] || fail "no libexec/letterkit/letterkit-check"
[ -n "$(installed 'letterkit-check.1*')" ] || fail "letterkit-check(1) not installed"
[ -n "$(installed 'letterkit.1*')" ] || fail "letterkit(1) not installed"
expect_status 1 env -u LETTERKIT_EXEC_PATH "$driver" check "$BUILD_ROOT/specimens/generated/notify-tag-on-page-3.pdf"
expect_contains "$out" "notify-tag-found-in-content on page 3"
finish
