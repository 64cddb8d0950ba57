# lib.sh: helpers for end-to-end tests (sourced). Each assertion prints
# file:line and the values on failure, and the test exits 1 at the end.
set -u
failures=0
fail() { # names the test script's line, however deep in lib.sh it is called
    local i=1
    while [ "${BASH_SOURCE[$i]##*/}" = lib.sh ]; do i=$((i + 1)); done
    echo "FAIL ${BASH_SOURCE[$i]##*/}:${BASH_LINENO[$((i - 1))]}: $*" >&2
    failures=$((failures + 1))
}
# expect_status WANT CMD...: runs CMD, stores stdout/stderr in $out/$err.
expect_status() {
    local want=$1; shift
    out=$("$@" 2>"$tmp/stderr"); status=$?
    err=$(cat "$tmp/stderr")
    [ "$status" -eq "$want" ] || fail "exit $status, want $want: $*; stderr: $err"
}
expect_contains() { # haystack needle
    case "$1" in *"$2"*) ;; *) fail "missing '$2' in: ${1:0:600}" ;; esac
}
# install_staged: `meson install` of the build into $tmp/stage (sets $stage),
# to test the installed layout without touching the system.
install_staged() {
    stage=$tmp/stage
    meson install -C "$BUILD_ROOT" --destdir "$stage" --no-rebuild --quiet >/dev/null 2>&1
}
# installed PATTERN: the first staged file whose path ends with PATTERN.
installed() { find "$stage" -path "*/$1" | sort | head -n 1; }
finish() { rm -rf "$tmp"; [ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }; exit 0; }
tmp=$(mktemp -d)
