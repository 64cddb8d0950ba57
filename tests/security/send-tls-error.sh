#!/usr/bin/env bash
# Issue 14 item 10: a TLS failure is an error (exit 2, state error), not a refusal of the
# letter (exit 1 is for letters Notify refused). A local TLS server with a self-signed
# certificate made now stands for a server this machine does not trust. Before the fix:
# "state":"refused", exit 1.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
command -v openssl >/dev/null || { echo "SKIP: no openssl" >&2; exit 77; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 2>/dev/null || { fail "openssl could not make a certificate"; finish; }
openssl s_server -accept 127.0.0.1:0 -cert cert.pem -key key.pem -www >tls.out 2>tls.err &
tls_pid=$!
trap 'kill "$tls_pid" 2>/dev/null' EXIT
for _ in $(seq 100); do port=$(sed -n 's/^ACCEPT 127.0.0.1://p' tls.out); [ -n "$port" ] && break; sleep 0.05; done
[ -n "$port" ] || { fail "s_server did not start: $(cat tls.err)"; finish; }
NOTIFY_API_KEY=test-11111111-1111-4111-8111-111111111111-22222222-2222-4222-8222-222222222222
export NOTIFY_API_KEY
pdf_file a.pdf
pdf_file b.pdf
t0=$SECONDS
expect_status 2 "$send" --ledger l.sqlite --base-url "https://127.0.0.1:$port" a.pdf b.pdf
[ $((SECONDS - t0)) -le 5 ] || fail "a TLS failure took $((SECONDS - t0)) s"
[ "$(jget "$(printf '%s\n' "$out" | head -n 1)" send.state)" = error ] || fail "state: $out"
[ "$(jget "$(printf '%s\n' "$out" | head -n 1)" send.reason)" = tls-failed ] || fail "reason: $out"
case "$out" in *'"refused"'*) fail "a TLS failure called a refusal: $out" ;; esac
[ "$(printf '%s\n' "$out" | grep -c '"state":"error"')" = 2 ] || fail "both letters are errors: $out"
expect_contains "$err" "TLS connection to 127.0.0.1 failed"
expect_contains "$err" "certificate"
# Not sent, so a rerun against a trusted server sends them: queued in the ledger, not failed.
states=$("$py" -c 'import sqlite3; print(sorted(set(r[0] for r in sqlite3.connect("l.sqlite").execute("select state from letters"))))')
[ "$states" = "['queued']" ] || fail "ledger states after a TLS failure: $states"
# status and pdf: an error too.
expect_status 2 "$status_exe" --base-url "https://127.0.0.1:$port" 00000000-0000-4000-8000-000000000000
expect_contains "$err" "TLS connection to 127.0.0.1 failed"
finish
