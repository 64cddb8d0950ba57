#!/usr/bin/env bash
# The installed layout: `meson install` into a staging root, then the
# installed driver runs the installed stage from libexec, with nothing from
# the source or build tree on its search path.
. "$(dirname "$0")/../e2e/lib.sh"
stage=$tmp/stage
meson install -C "$BUILD_ROOT" --destdir "$stage" --no-rebuild --quiet >/dev/null 2>&1 ||
    { fail "meson install failed"; finish; }
driver=$(find "$stage" -path '*/bin/letterkit' -type f | head -n 1)
[ -x "$driver" ] || { fail "no installed bin/letterkit under $stage"; finish; }
check=$(find "$stage" -path '*/libexec/letterkit/letterkit-check' -type f | head -n 1)
[ -x "$check" ] || fail "no libexec/letterkit/letterkit-check"
[ -n "$(find "$stage" -name 'letterkit-check.1*')" ] || fail "letterkit-check(1) not installed"
[ -n "$(find "$stage" -name 'letterkit.1*')" ] || fail "letterkit(1) not installed"
expect_status 1 env -u LETTERKIT_EXEC_PATH "$driver" check "$BUILD_ROOT/specimens/generated/notify-tag-on-page-3.pdf"
expect_contains "$out" "notify-tag-found-in-content on page 3"
finish
