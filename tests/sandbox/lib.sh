# lib.sh: helpers for the sandbox's end-to-end tests (sourced after ../e2e/lib.sh).
# start_sandbox ARGS...  starts build/letterkit-sandbox on 127.0.0.1, any port, with the
#                        test doubles of letterkit-scan/-check, keys written to $keys;
#                        sets $url and $sb_pid. stop_sandbox [SIGNAL] stops it (exit 0 expected).
# api METHOD PATH [TYPE|none [BODY_FILE]]  calls the API with a fresh token of key TYPE
#                        (default live); sets $code and $body.
# wait_status ID STATUS  polls GET /v2/notifications/ID until STATUS (10 s at most).
# letter_body FILE REF [POSTAGE]  writes a POST body for a PDF-ish file with MARKER text.
. "$(dirname "$0")/../e2e/lib.sh"
# fail, callable from the test script itself: names the script's line.
fail() {
    local n=${#BASH_LINENO[@]}
    echo "FAIL ${BASH_SOURCE[n - 1]##*/}:${BASH_LINENO[n - 2]}: $*" >&2
    failures=$((failures + 1))
}
keys=$tmp/keys
sandbox_exe=$BUILD_ROOT/letterkit-sandbox

start_sandbox() {
    : >"$tmp/sb.out"
    LETTERKIT_EXEC_DIR=$SANDBOX_DOUBLES LETTERKIT_EXEC_PATH= "$sandbox_exe" --port 0 --keys-out "$keys" \
        --scan-delay 0 --check-delay 0 --receive-delay 300 "$@" >"$tmp/sb.out" 2>"$tmp/sb.err" &
    sb_pid=$!
    local i
    for i in $(seq 100); do
        url=$(sed -n 's/^listening //p' "$tmp/sb.out" | head -n 1)
        [ -n "$url" ] && return 0
        kill -0 "$sb_pid" 2>/dev/null || break
        sleep 0.05
    done
    fail "sandbox did not start: $(cat "$tmp/sb.err")"
    finish
}

stop_sandbox() {
    kill -"${1:-TERM}" "$sb_pid"
    wait "$sb_pid"
    local rc=$?
    [ "$rc" -eq 0 ] || fail "sandbox exited $rc on SIG${1:-TERM}: $(cat "$tmp/sb.err")"
}

api() { # METHOD PATH [TYPE|none [BODY_FILE]]
    local auth=()
    if [ "${3:-live}" != none ]; then
        auth=(-H "Authorization: Bearer $("$SANDBOX_TOKEN" "$keys" "${3:-live}")")
    fi
    local data=()
    [ -n "${4:-}" ] && data=(-H 'Content-Type: application/json' -H 'Expect:' --data-binary "@$4")
    body=$(curl -sS -o - -w '\n%{http_code}' -X "$1" "${auth[@]}" "${data[@]}" "$url$2")
    code=${body##*$'\n'}
    body=${body%$'\n'*}
}

expect_code() { # WANT [CONTEXT]
    [ "$code" = "$1" ] || fail "HTTP $code, want $1 ${2:-}: $body"
}

json_field() { # JSON PATH: the value at PATH (see json.c)
    printf '%s' "$1" | "$SANDBOX_JSON" "$2"
}
msg() { # Notify's errors of $body as "error: message|..."
    printf '%s' "$body" | "$SANDBOX_JSON" --errors
}

letter_body() { # OUT REF [POSTAGE] [MARKER]
    local pdf="%PDF-1.4
% a stand-in letter for the test doubles ${4:-}
%%EOF"
    local b64
    b64=$(printf '%s' "$pdf" | base64 -w0)
    if [ -n "${3:-}" ]; then
        printf '{"reference":"%s","content":"%s","postage":"%s"}' "$2" "$b64" "$3" >"$1"
    else
        printf '{"reference":"%s","content":"%s"}' "$2" "$b64" >"$1"
    fi
}

wait_status() { # ID STATUS
    local i
    for i in $(seq 200); do
        api GET "/v2/notifications/$1"
        [ "$(json_field "$body" status)" = "$2" ] && return 0
        sleep 0.05
    done
    fail "letter $1 never reached $2: $body"
}
