#!/usr/bin/env bash
# letterkit scan --clamd: against a real clamd, started here on a unix socket
# and a local TCP port with our test database, and stopped at the end.
. "$SOURCE_ROOT/tests/scan/common.sh"
clamd=$(command -v clamd || echo /usr/sbin/clamd)
if [ ! -x "$clamd" ]; then
    echo "clamd is not installed (Debian package clamav-daemon): skipped"
    rm -rf "$tmp"
    exit 77
fi
head -c 3000000 /dev/zero >"$tmp/big.bin"   # over the StreamMaxLength below

sock=$tmp/clamd.sock
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Alert* as letterkit-scan sets them in process, so both modes agree.
cat >"$tmp/clamd.conf" <<EOF
LocalSocket $sock
TCPSocket $port
TCPAddr 127.0.0.1
DatabaseDirectory $db
TemporaryDirectory $tmp
PidFile $tmp/clamd.pid
LogFile $tmp/clamd.log
Foreground yes
AlertEncryptedDoc yes
AlertExceedsMax yes
StreamMaxLength 2M
EOF
"$clamd" -c "$tmp/clamd.conf" >"$tmp/clamd.out" 2>&1 &
clamd_pid=$!
stop_clamd() {
    [ -n "${clamd_pid:-}" ] || return 0
    kill "$clamd_pid" 2>/dev/null
    wait "$clamd_pid" 2>/dev/null
    clamd_pid=
}
trap stop_clamd EXIT
for _ in $(seq 300); do
    [ -S "$sock" ] && python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port" 2>/dev/null && break
    kill -0 "$clamd_pid" 2>/dev/null || break
    sleep 0.1
done
if [ ! -S "$sock" ]; then
    flunk "clamd did not start: $(tail -n 5 "$tmp/clamd.out")"
    finish
fi

files=("$clam" "$tmp/eicar.pdf" "$tmp/encrypted.pdf" "$tmp/letter.pdf" "$tmp/missing.pdf")
want="FOUND $clam: Letterkit.Test.ClamExe.UNOFFICIAL
FOUND $tmp/eicar.pdf: Letterkit.Test.Eicar.UNOFFICIAL
FOUND $tmp/encrypted.pdf: Heuristics.Encrypted.PDF
CLEAN $tmp/letter.pdf
ERROR $tmp/missing.pdf: cannot open: No such file or directory"

# The same verdicts as in process, over the unix socket and over TCP.
for mode in "--db=$db" "--clamd=$sock" "--clamd=127.0.0.1:$port"; do
    expect_status 2 "$LETTERKIT" scan "$mode" "${files[@]}"
    expect_eq "$out" "$want" "scan $mode"
done
expect_status 0 "$LETTERKIT" scan --clamd "$sock" "$tmp/letter.pdf"
expect_status 1 "$LETTERKIT" scan --clamd "$sock" "$tmp/letter.pdf" "$tmp/eicar.pdf"

# JSON: clamd's version, signatures unknown.
expect_status 1 "$LETTERKIT" scan --json --clamd "$sock" "$tmp/eicar.pdf"
engine=$("$LETTERKIT" scan --json --db "$db" "$tmp/letter.pdf" | python3 -c 'import json, sys; print(json.load(sys.stdin)["scan"]["engine"])')
[ "$out" = "{\"file\":\"$tmp/eicar.pdf\",\"scan\":{\"clean\":false,\"virus\":\"Letterkit.Test.Eicar.UNOFFICIAL\",\"engine\":\"$engine\",\"signatures\":null}}" ] \
    || flunk "--json with clamd: $out"

# Records on stdin.
printf '{"file":"%s","id":1}\n{"file":"%s","id":2}\n' "$tmp/letter.pdf" "$clam" >"$tmp/in.ndjson"
expect_status 1 "$LETTERKIT" scan --clamd "127.0.0.1:$port" <"$tmp/in.ndjson"
expect_contains "$out" "{\"file\":\"$tmp/letter.pdf\",\"id\":1,\"scan\":{\"clean\":true,\"virus\":null"
expect_contains "$out" "\"id\":2,\"scan\":{\"clean\":false,\"virus\":\"Letterkit.Test.ClamExe.UNOFFICIAL\""

# A PDF piped to stdin goes to clamd from memory.
expect_status 1 "$LETTERKIT" scan --clamd "$sock" <"$tmp/eicar.pdf"
expect_eq "$out" "FOUND -: Letterkit.Test.Eicar.UNOFFICIAL" "PDF on stdin via clamd"

# A stream over clamd's StreamMaxLength is an error for that file; the batch goes on.
expect_status 2 "$LETTERKIT" scan --clamd "$sock" "$tmp/big.bin" "$tmp/letter.pdf"
expect_contains "$out" "ERROR $tmp/big.bin: clamd: INSTREAM size limit exceeded"
expect_contains "$out" "CLEAN $tmp/letter.pdf"

# Once clamd is gone: exit 2 before any verdict.
stop_clamd
expect_status 2 "$LETTERKIT" scan --clamd "$sock" "$tmp/letter.pdf"
expect_contains "$err" "cannot connect to clamd at $sock"
[ -z "$out" ] || flunk "verdict without clamd: $out"
expect_status 2 "$LETTERKIT" scan --clamd "127.0.0.1:$port" "$tmp/letter.pdf"
expect_contains "$err" "cannot connect to clamd at 127.0.0.1:$port: Connection refused"
expect_status 2 "$LETTERKIT" scan --clamd "127.0.0.1:99999" "$tmp/letter.pdf"
expect_contains "$err" "invalid clamd port"
trap - EXIT
finish
