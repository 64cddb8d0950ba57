#!/usr/bin/env bash
# Issue 14 item 1: plain http goes only to this machine, decided on the host libcurl connects
# to, and never through a proxy. A listener on every address stands for "otherhost": before
# the fix, http://127.0.0.1@HOST:PORT sent it the letter and the bearer token in clear.
. "$(dirname "$0")/../upload/lib.sh"
start
use_key live
listen() { # LOG: starts listener.py on every address; sets $lport and $lpid
    "$py" "$SOURCE_ROOT/tests/security/listener.py" "$1" >"$tmp/lport" &
    lpid=$!
    local i
    for i in $(seq 100); do lport=$(head -n 1 "$tmp/lport"); [ -n "$lport" ] && return; sleep 0.05; done
    fail "listener did not start"; finish
}
listen "$tmp/heard"
# A host that is not loopback. A name that can never resolve (RFC 6761), so
# that no test here ever sends anything beyond loopback: the code before the
# fix tried it (and failed on DNS), where the fixed code refuses at once.
other=otherhost.invalid
pdf_file a.pdf

for u in "http://127.0.0.1@$other:$lport" "http://localhost:$lport@$other:$lport" \
         "http://127.0.0.1:$lport@$other:$lport/" "http://127.example.org:$lport" "http://$other:$lport"; do
    expect_status 2 "$send" --retries 0 --base-url "$u" a.pdf
    host=${u#http://}; host=${host##*@}; host=${host%%:*}
    expect_contains "$err" "in clear to host '$host'"
    no_secret "$out" "$err"
done
# The same decision for status and pdf, which send the token too.
expect_status 2 "$status_exe" --retries 0 --base-url "http://127.0.0.1@$other:$lport" 00000000-0000-4000-8000-000000000000
expect_contains "$err" "in clear to host '$other'"
sleep 0.3
[ ! -s "$tmp/heard" ] || fail "a request reached $other in clear: $(head -c 300 "$tmp/heard")"

# Loopback spellings that are allowed reach the sandbox itself.
port=${url##*:}
expect_status 0 "$send" --base-url "http://localhost:$port/" a.pdf
[ "$(count a)" = 1 ] || fail "a sent $(count a) times"

# Plain http to loopback never goes through a proxy from the environment (the token would be
# in clear on the way to the proxy's host).
pdf_file b.pdf
expect_status 0 env http_proxy="http://$other:$lport" ALL_PROXY="http://$other:$lport" \
    all_proxy="http://$other:$lport" NO_PROXY= no_proxy= "$send" --base-url "$url" b.pdf
[ "$(count b)" = 1 ] || fail "b sent $(count b) times"
sleep 0.3
[ ! -s "$tmp/heard" ] || fail "a request went through the proxy: $(head -c 300 "$tmp/heard")"
kill "$lpid" 2>/dev/null
stop_sandbox
finish
