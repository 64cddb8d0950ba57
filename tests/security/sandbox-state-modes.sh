#!/usr/bin/env bash
# Issue 14 item 3: the sandbox's state holds every key and every citizen's
# letter, so it is its owner's alone: the state folder it makes 0700, the
# database (and its -wal/-shm) and the stored PDFs 0600, whatever the umask;
# wider modes left by an older sandbox are tightened, and it says so.
. "$(dirname "$0")/../sandbox/lib.sh"
st=$tmp/state
umask 000   # the most permissive: every mode below is the sandbox's own doing

mode() { stat -c %a "$1"; }
expect_private() { # WANT PATH...
    local want=$1 p; shift
    for p in "$@"; do
        [ -e "$p" ] || { fail "$p is missing"; continue; }
        [ "$(mode "$p")" = "$want" ] || fail "$p is mode $(mode "$p"), want $want"
    done
}

start_sandbox --state "$st"
letter_body "$tmp/b" private
api POST /v2/notifications/letter live "$tmp/b"; id=$(json_field "$body" id)
expect_code 201
wait_status "$id" received
expect_private 700 "$st" "$st/letters"
expect_private 600 "$st/sandbox.db" "$st/sandbox.db-wal" "$st/sandbox.db-shm" "$st/letters/$id.pdf"
stop_sandbox

# A state written by an older sandbox (or copied with cp -r under umask 022).
chmod 644 "$st/sandbox.db" "$st/letters/$id.pdf"
chmod 755 "$st/letters"
: >"$st/sandbox.db-journal"; chmod 666 "$st/sandbox.db-journal"
start_sandbox --state "$st"
expect_private 700 "$st/letters"
expect_private 600 "$st/sandbox.db" "$st/letters/$id.pdf" "$st/sandbox.db-journal"
expect_contains "$(cat "$tmp/sb.err")" "$st/sandbox.db"
expect_contains "$(cat "$tmp/sb.err")" "0600"
api GET "/v2/notifications/$id/pdf"
expect_code 200 "a letter kept across the tightening"
stop_sandbox

# A state folder that is already there keeps the mode its owner gave it.
mkdir -m 755 "$tmp/mine"
start_sandbox --state "$tmp/mine"
expect_private 755 "$tmp/mine"
expect_private 600 "$tmp/mine/sandbox.db"
stop_sandbox
finish
