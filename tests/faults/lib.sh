# lib.sh: helpers for the fault tests (sourced after ../e2e/lib.sh).
#   small_fs DIR [SIZE]  mounts a tmpfs of SIZE (default 64k) on DIR, unmounted at exit;
#                        without the right to mount, the test is skipped (exit 77).
#   fill DIR             fills the file system of DIR to the last block.
#   listing DIR          every name under DIR, sorted (hidden and temporary files too).
#   no_temp DIR          fails if a temporary file (*.tmp-*) is left under DIR.
#   "${nobody[@]}" CMD...  runs CMD as user nobody, so that mode 000 stops reads.
#   wait_for SECONDS CMD...  polls CMD until it succeeds; 1 when it never did.
#   term_mid_pipe CMD...  runs CMD with stdout and stderr in $tmp/stdout and
#                        $tmp/stderr, reading the records {"file": $gen/NAME.pdf}
#                        for the NAMEs in ${records[@]} from a FIFO held open (so
#                        the batch is certainly unfinished); once it has written a
#                        line per record, sends SIGTERM and waits until it stops
#                        though the pipe is open. Sets $status.
#   sandbox_live         starts the sandbox (upload/lib.sh's start) with no rate
#                        limit to speak of, and exports its live key.
#   sent_once PREFIX N   the sandbox ($url) accepted N POSTs in all, one for each
#                        reference PREFIX-1 ... PREFIX-N (needs upload/lib.sh's jget).
# A test that also needs the sandbox's or upload's helpers sources them first
# (they source e2e/lib.sh themselves: sourcing it again would make a new $tmp).
declare -F expect_status >/dev/null || . "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
gen=$BUILD_ROOT/specimens/generated
db=$SOURCE_ROOT/specimens/clamav   # test signatures for scan
mounts=()
cleanup() {
    local m
    [ -n "${sb_pid:-}" ] && kill "$sb_pid" 2>/dev/null
    for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
}
trap cleanup EXIT
# finish, after unmounting (lib.sh's finish removes $tmp, which holds the mounts).
eval "e2e_$(declare -f finish)"
finish() { cleanup; e2e_finish; }

small_fs() {
    mkdir -p "$1"
    if ! mount -t tmpfs -o "size=${2:-64k}" tmpfs "$1" 2>"$tmp/mount.err"; then
        echo "SKIP: cannot mount a tmpfs on $1 (tests need root): $(cat "$tmp/mount.err")" >&2
        rm -rf "$tmp"
        exit 77
    fi
    mounts+=("$1")
}

fill() {
    dd if=/dev/zero of="$1/.filler" bs=1k 2>/dev/null
    # tmpfs may keep a partial page: top it up byte by byte until full.
    while printf x >>"$1/.filler" 2>/dev/null; do :; done
}

listing() { (cd "$1" && find . | LC_ALL=C sort); }

no_temp() {
    local left
    left=$(find "$1" -name '*.tmp-*' -o -name '*.tmp' | head -n 5)
    [ -z "$left" ] || fail "temporary files left: $left"
}

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

wait_for() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do
        [ "$SECONDS" -lt "$end" ] || return 1
        sleep 0.05
    done
}

term_mid_pipe() {
    local pid f n=${#records[@]}
    mkfifo "$tmp/in"
    : >"$tmp/stdout"
    "$@" <"$tmp/in" >"$tmp/stdout" 2>"$tmp/stderr" &
    pid=$!
    exec 3>"$tmp/in"
    for f in "${records[@]}"; do printf '{"file":"%s/%s.pdf"}\n' "$gen" "$f" >&3; done
    answered() { [ "$(wc -l <"$tmp/stdout")" -ge "$n" ]; }
    wait_for 30 answered || fail "$1 $2 did not answer $n records: $(cat "$tmp/stderr")"
    kill -TERM "$pid"
    stopped() { ! kill -0 "$pid" 2>/dev/null; }
    wait_for 30 stopped || { fail "$1 $2 did not stop on SIGTERM"; kill -KILL "$pid"; }
    wait "$pid"; status=$?
    exec 3>&-
    rm -f "$tmp/in"
}

sent_once() {
    local counters c i
    counters=$(curl -sS "$url/_sandbox/counters")
    [ "$(jget "$counters" accepted_posts)" = "$2" ] || fail "accepted POSTs: $(jget "$counters" accepted_posts), want $2"
    for i in $(seq 1 "$2"); do
        c=$(jget "$counters" "references.$1-$i")
        [ "$c" = 1 ] || fail "$1-$i accepted $c times"
    done
}

sandbox_live() {
    start --rate-limit 6000/60
    use_key live
}
