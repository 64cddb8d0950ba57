#!/usr/bin/env bash
# Issue 14 item 5: the ledger's lock is on the database file itself. Two sends of the same
# 150 letters, one through l.sqlite and one through a symlink to it, started together:
# before the fix both ran (the lock was on PATH.lock by name) and some letters went twice.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/../faults/lib.sh"
start --rate-limit 100000/60
use_key live
mkdir letters
for i in $(seq 1 150); do pdf_file "letters/lk-$i.pdf"; done
# The ledger exists (and is in WAL mode) before the race, as after any earlier batch.
expect_status 0 "$send" --ledger l.sqlite </dev/null
ln -s l.sqlite l2.sqlite
mkdir sub && ln -s ../l.sqlite sub/l3.sqlite
"$send" --ledger l.sqlite --parallel 4 letters/*.pdf >one.out 2>one.err &
p1=$!
"$send" --ledger "$tmp/l2.sqlite" --parallel 4 letters/*.pdf >two.out 2>two.err &
p2=$!
"$send" --ledger ./sub/../sub/l3.sqlite --parallel 4 letters/*.pdf >three.out 2>three.err &
p3=$!
wait $p1; s1=$?
wait $p2; s2=$?
wait $p3; s3=$?
refused=0
for n in one two three; do
    if grep -q "in use" "$n.err"; then refused=$((refused + 1)); [ ! -s "$n.out" ] || fail "$n refused but wrote records"; fi
done
# Whoever got the lock first sent; the others were refused, or (started later) found every letter sent.
for s in $s1 $s2 $s3; do [ "$s" = 0 ] || [ "$s" = 2 ] || fail "exit $s"; done
[ "$(cat one.out two.out three.out | grep -c '"state":"sent"')" = 150 ] ||
    fail "$(cat one.out two.out three.out | grep -c '"state":"sent"') letters reported sent, want 150"
sent_once lk 150

# While one holds it, every other spelling is refused: symlink, ./, absolute.
exec 9<l.sqlite
flock -x 9
for spelling in l2.sqlite ./l.sqlite "$tmp/l.sqlite" sub/l3.sqlite; do
    expect_status 2 "$send" --ledger "$spelling" letters/lk-1.pdf
    expect_contains "$err" "in use"
done
exec 9<&-
# A hard link is refused outright: SQLite's WAL lives beside the name it was opened by.
ln l.sqlite hard.sqlite
expect_status 2 "$send" --ledger hard.sqlite letters/lk-1.pdf
expect_contains "$err" "hard links"
stop_sandbox
finish
