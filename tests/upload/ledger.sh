#!/usr/bin/env bash
# The ledger: reruns send only what was not confirmed; references are checked against it.
. "$(dirname "$0")/lib.sh"
start
use_key live

for i in $(seq 1 12); do pdf_file "l-$i.pdf"; done
expect_status 0 "$send" --parallel 4 --ledger my.sqlite l-{1..6}.pdf
# The rerun of a bigger batch sends only the new letters; the old ones report their ids.
expect_status 0 "$send" --parallel 4 --ledger my.sqlite l-{1..12}.pdf
[ "$(printf '%s\n' "$out" | grep -c '"state":"already-sent"')" = 6 ] || fail "already-sent: $out"
[ "$(printf '%s\n' "$out" | grep -c '"state":"sent"')" = 6 ] || fail "sent: $out"
for i in $(seq 1 12); do [ "$(count "l-$i")" = 1 ] || fail "l-$i sent $(count "l-$i") times"; done
# A letter Notify refused is tried again on a rerun (it never reached Notify's queue).
printf 'junk' >l-bad.pdf
expect_status 1 "$send" --ledger my.sqlite l-bad.pdf
pdf_file l-bad.pdf
expect_status 0 "$send" --ledger my.sqlite l-bad.pdf
[ "$(count l-bad)" = 1 ] || fail "l-bad sent $(count l-bad) times"

# The same reference twice in one batch: the second is an error, sent once.
mkdir -p other
pdf_file other/l-20.pdf x
pdf_file l-20.pdf
expect_status 2 "$send" --ledger my.sqlite l-20.pdf other/l-20.pdf
expect_contains "$err" "appears more than once in this batch"
[ "$(count l-20)" = 1 ] || fail "l-20 sent $(count l-20) times"
# Different content under a sent reference is refused, not sent.
expect_status 2 "$send" --ledger my.sqlite other/l-20.pdf
expect_contains "$err" "already sent"
[ "$(count l-20)" = 1 ] || fail "l-20 sent $(count l-20) times"

# Two batches may not share a ledger at once: the lock is on the database file itself.
exec 9<my.sqlite
flock -x 9
expect_status 2 "$send" --ledger my.sqlite l-1.pdf
expect_contains "$err" "in use"
ln -s my.sqlite my-link.sqlite
expect_status 2 "$send" --ledger "./my-link.sqlite" l-1.pdf
expect_contains "$err" "in use"
exec 9<&-
rm my-link.sqlite

# A letter left `sending` (a crash mid-POST) is looked up, not resent...
"$py" - <<'PY'
import sqlite3
db = sqlite3.connect("my.sqlite")
db.execute("UPDATE letters SET state = 'sending', notification_id = NULL WHERE reference = 'l-3'")
db.execute("INSERT INTO letters (reference, file, sha256, postage, state, run) VALUES ('l-13', 'l-13.pdf', '', 'second', 'sending', 1)")
db.commit()
PY
pdf_file l-13.pdf
expect_status 0 "$send" --ledger my.sqlite l-3.pdf l-13.pdf
[ "$(count l-3)" = 1 ] || fail "l-3 sent $(count l-3) times"
# ...and one that Notify does not have is sent once.
[ "$(count l-13)" = 1 ] || fail "l-13 sent $(count l-13) times"
printf '%s\n' "$out" | grep -F '"l-3"' | grep -q '"already-sent"' || fail "l-3: $out"
"$py" -c '
import sqlite3
for r in sqlite3.connect("my.sqlite").execute("SELECT reference, state, notification_id FROM letters"):
    assert r[1] in ("sent",) and r[2], r' || fail "ledger rows not all sent"

stop_sandbox
finish
