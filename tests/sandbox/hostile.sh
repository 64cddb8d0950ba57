#!/usr/bin/env bash
# Hostile clients: slowloris (idle and trickling sockets) while others are still
# answered, the per-address connection limit, idle connections closed after
# --connection-timeout, huge headers, bodies that are not UTF-8, and a header
# injection attempt in a reference, which stays data.
. "$(dirname "$0")/lib.sh"
expect_status 2 "$sandbox_exe" --connection-timeout 0
expect_contains "$err" "--connection-timeout must be a whole number from 1 to 3600, not '0'"
expect_status 2 "$sandbox_exe" --max-connections-per-ip x
expect_contains "$err" "--max-connections-per-ip must be a whole number from 1 to 10000, not 'x'"
expect_status 0 "$sandbox_exe" --help
expect_contains "$out" "--connection-timeout S"
start_sandbox --connection-timeout 2 --max-connections-per-ip 20
port=${url##*:}

# 60 sockets from 127.0.0.1: 20 trickle a request a byte at a time, the rest sit idle.
# Meanwhile a client from 127.0.0.2 is answered at once, and another from 127.0.0.1 is
# refused (its address is at its limit). After the timeout the idle sockets are closed.
python3 - "$port" >"$tmp/slow.out" 2>&1 <<'EOF_PY'
import socket, subprocess, sys, time
port = int(sys.argv[1])
socks = []
for i in range(60):
    s = socket.create_connection(("127.0.0.1", port))
    socks.append(s)
time.sleep(0.3)
def answered(source):
    s = socket.socket()
    s.settimeout(3)
    s.bind((source, 0))
    t = time.time()
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /_status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = s.recv(4096)
    except OSError:
        data = b""
    s.close()
    return data, time.time() - t
data, took = answered("127.0.0.2")
print("other address:", data.split(b"\r\n")[0].decode(), "%.2f s" % took)
data, took = answered("127.0.0.1")
print("same address answered:", bool(data), "%.2f s" % took)
request = b"GET /_status HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
# Trickle on the first 20 (the ones accepted); each byte restarts their idle timer.
start = time.time()
while time.time() - start < 3.5:
    for s in socks[:20]:
        try:
            s.send(b"a")
        except OSError:
            pass
    time.sleep(0.5)
def closed(s):
    s.settimeout(0.01)   # all 20 looked at well within the timeout
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True
print("trickling closed:", sum(closed(s) for s in socks[:20]))
print("idle closed:", sum(closed(s) for s in socks[20:]))
data, took = answered("127.0.0.1")
for s in socks:
    s.close()
time.sleep(0.3)
data, took = answered("127.0.0.1")
print("after:", data.split(b"\r\n")[0].decode(), "%.2f s" % took)
EOF_PY
slow=$(cat "$tmp/slow.out")
expect_contains "$slow" "other address: HTTP/1.1 200 OK"
took=$(sed -n 's/^other address: .* \([0-9.]*\) s$/\1/p' <<<"$slow")
awk -v t="$took" 'BEGIN { exit !(t < 1) }' || fail "the other address waited $took s"
expect_contains "$slow" "same address answered: False"
expect_contains "$slow" "trickling closed: 0"
expect_contains "$slow" "idle closed: 40"
expect_contains "$slow" "after: HTTP/1.1 200 OK"

# Request headers over libmicrohttpd's 32 KiB for a connection: refused, the server lives on.
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 100000 /dev/zero | tr '\0' b)" "$url/_status")
[ "$code" = 431 ] || [ "$code" = 413 ] || fail "huge header: HTTP $code"
[ "$(curl -s "$url/_status")" = '{"status":"ok"}' ] || fail "server gone after a huge header"

# A body that is not UTF-8, and JSON that is not an object: Notify's 400 shape.
printf '{"reference":"caf\xe9","content":"JVBERi0xLjQK"}' >"$tmp/b"
api POST /v2/notifications/letter live "$tmp/b"
expect_code 400 "not UTF-8"
[ "$(msg)" = "BadRequestError: Invalid JSON supplied in POST data" ] || fail "not UTF-8: $body"
[ "$(json_field "$body" status_code)" = 400 ] || fail "status_code: $body"
printf '["reference"]' >"$tmp/b"
api POST /v2/notifications/letter live "$tmp/b"
expect_code 400 "an array"
[ "$(msg)" = "BadRequestError: Invalid JSON supplied in POST data" ] || fail "an array: $body"

# A header injection attempt in a reference is data: stored, returned escaped in JSON, never a header.
ref='inj\r\nX-Injected: yes\r\n\r\n<b>'
letter_body "$tmp/b" "$ref"
api POST /v2/notifications/letter live "$tmp/b"
if [ "$code" = 201 ]; then
    id=$(json_field "$body" id)
    headers=$(curl -sS -D - -o "$tmp/r" -H "Authorization: Bearer $("$SANDBOX_TOKEN" "$keys" live)" "$url/v2/notifications/$id")
    case "$headers" in *X-Injected*) fail "the reference became a header: $headers" ;; esac
    expect_contains "$(cat "$tmp/r")" '"reference":"inj\r\nX-Injected: yes\r\n\r\n<b>"'
    headers=$(curl -sS -D - -o "$tmp/r" -H "Authorization: Bearer $("$SANDBOX_TOKEN" "$keys" live)" -G \
        --data-urlencode "reference=$(printf 'inj\r\nX-Injected: yes\r\n\r\n<b>')" "$url/v2/notifications")
    case "$headers" in *X-Injected*) fail "the reference query became a header: $headers" ;; esac
    expect_contains "$(cat "$tmp/r")" "\"id\":\"$id\""
else
    expect_code 400 "a reference with line breaks"
fi
[ "$(curl -s "$url/_status")" = '{"status":"ok"}' ] || fail "server gone"
stop_sandbox
finish
