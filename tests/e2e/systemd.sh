#!/usr/bin/env bash
# The systemd units as installed: systemd-analyze verify passes on both (the
# template as an instance), with ExecStart pointed at this build's letterkit.
# Prints `systemd-analyze security` figures. Needs systemd-analyze (skip: 77).
. "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null || { echo "no systemd-analyze"; rm -rf "$tmp"; exit 77; }
install_staged
units=$(dirname "$(installed 'systemd/system/letterkit-sandbox.service')")
[ -f "$units/letterkit-watch@.service" ] || fail "letterkit-watch@.service not installed in $units"
[ -n "$(installed lib/sysusers.d/letterkit.conf)" ] || fail "the sysusers.d file is not installed"
mkdir "$tmp/units"
bindir=$(sed -n 's|^ExecStart=\(/[^ ]*\)/letterkit .*|\1|p' "$units/letterkit-sandbox.service")
for u in letterkit-sandbox.service letterkit-watch@.service; do
    sed "s|$bindir/letterkit |$LETTERKIT |" "$units/$u" >"$tmp/units/${u/@./@print-room.}"
done
grep -q "^ExecStart=$LETTERKIT watch " "$tmp/units/letterkit-watch@print-room.service" || fail "ExecStart not rewritten"
expect_status 0 systemd-analyze verify --man=no "$tmp/units/letterkit-sandbox.service" \
    "$tmp/units/letterkit-watch@print-room.service"
[ -z "$err" ] || fail "systemd-analyze verify said: $err"
for u in "$tmp"/units/*.service; do
    systemd-analyze security --offline=yes "$u" 2>/dev/null | tail -n 1
done
finish
