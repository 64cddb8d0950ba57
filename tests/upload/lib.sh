# lib.sh: helpers for upload's end-to-end tests, run against the sandbox.
# Uses the sandbox's own test helpers (start_sandbox, stop_sandbox) and adds:
#   use_key TYPE        exports NOTIFY_API_KEY (the TYPE key) and NOTIFY_BASE_URL
#   count REF           accepted POSTs for reference REF, from the sandbox's counters
#   faults JSON         sets the sandbox's fault injection
#   jget JSON PATH      a field of JSON (PATH like send.state)
#   pdf_file PATH [MARK] writes a small PDF (MARK steers the scan/check doubles)
# Keys only ever travel through the environment and 0600 files.
. "$(dirname "$0")/../sandbox/lib.sh"
send=$BUILD_ROOT/letterkit-send
status_exe=$BUILD_ROOT/letterkit-status
pdf_exe=$BUILD_ROOT/letterkit-pdf
encode=$BUILD_ROOT/letterkit-encode
cd "$tmp" || exit 99

start() { # sandbox ARGS...
    start_sandbox "$@"
    local i
    for i in $(seq 100); do [ -s "$keys" ] && break; sleep 0.05; done
    [ -s "$keys" ] || { fail "no keys from the sandbox"; finish; }
}

use_key() {
    NOTIFY_API_KEY=$(sed -n "s/^${1:-live}=//p" "$keys")
    export NOTIFY_API_KEY NOTIFY_BASE_URL=$url
}

jget() { printf '%s' "$1" | "$SANDBOX_JSON" "$2" 2>/dev/null; }
# The system's python (a version manager's shim can take most of a second to start).
py=$(command -v /usr/bin/python3 || command -v python3)

count() {
    jget "$(curl -sS "$url/_sandbox/counters?reference=$1")" accepted_posts
}

faults() {
    curl -sS -o /dev/null -w '%{http_code}' -X POST --data-binary "$1" "$url/_sandbox/faults" | grep -q 200 ||
        fail "could not set faults $1"
}

pdf_file() { # PATH [MARKER]
    printf '%%PDF-1.4\n%% a stand-in letter %s %s\n%%%%EOF\n' "$1" "${2:-}" >"$1"
}

# The secret must appear nowhere: not in output, not in messages.
no_secret() { # TEXT...
    local secret=${NOTIFY_API_KEY: -36}
    case "$*" in *"$secret"*) fail "the key's secret was printed" ;; esac
}
