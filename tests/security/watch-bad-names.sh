#!/usr/bin/env bash
# Issue 14 item 6 (and item 4 for watch): one badly named file never stops
# the hot folder. A name that is not UTF-8 ended a running watch ("the
# stages stopped") and, at every restart, the start-up sweep stopped at the
# same file, so no file after it was ever filed. Every name is filed, with a
# record that is valid JSON and names the file exactly (file_base64 when it
# is not UTF-8), and watch prints names with their control characters
# escaped: a name's terminal escapes never reach the terminal.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../pipeline/lib-letters.sh"
L=$tmp/letters
inbox=$tmp/inbox
mkdir -p "$inbox"
long=$(printf 'l%.0s' $(seq 251)).pdf     # 255 bytes, the longest name Linux allows
names=($'x\xfe.pdf' $'new\nline.pdf' $'title\e]0;owned\a.pdf' $'\e[2Jclear.pdf' '-rf.pdf' '--help.pdf' "$long")

# path_of RECORD KEY: the path the record holds under KEY, exactly (KEY_base64 when
# the name is not UTF-8); "x" is appended and cut so that no byte is lost.
path_of() {
    local b64 v
    if b64=$("$SANDBOX_JSON" "$2_base64" <"$1"); then v=$(printf '%s' "$b64" | base64 -d; echo x)
    else v=$("$SANDBOX_JSON" "$2" <"$1"; echo x); fi
    printf '%s' "${v%x}"
}
# index_records: every record in passed/ and failed/ must be valid JSON and name
# its letter, which must be there; by_name[NAME] is set for the inbox name each
# one was filed from (its own name, or the "shortened_from" it records).
index_records() {
    local rec file from
    by_name=()
    for rec in "$inbox"/passed/*.json "$inbox"/failed/*.json; do
        [ -e "$rec" ] || continue
        "$SANDBOX_JSON" file <"$rec" >/dev/null 2>&1
        [ $? -eq 2 ] && { fail "$(printf '%q' "$rec") is not valid JSON"; continue; }
        file=$(path_of "$rec" file)
        [ "${file%.*}.json" = "$rec" ] && [ -f "$file" ] || { fail "$(printf '%q' "$rec") names $(printf '%q' "$file")"; continue; }
        from=$(path_of "$rec" shortened_from)
        by_name[${from:-${file##*/}}]=$rec
    done
}
declare -A by_name
# filed NAME: it left the inbox for passed/ or failed/ with its record (index_records first).
filed() {
    [ -e "$inbox/$1" ] && fail "$(printf '%q' "$1") is still in the inbox"
    [ -n "${by_name[$1]+set}" ] ||
        fail "$(printf '%q' "$1") was not filed with a record naming it; filed: $(cd "$inbox" && ls -b passed failed 2>&1 | tr '\n' ' ')"
}
no_escapes() { # FILE: no ESC or BEL reached the output
    if LC_ALL=C grep -q $'[\e\a]' "$1"; then fail "a terminal escape reached watch's output: $(cat -v "$1")"; fi
}

# Live: the bad names dropped in one after the other, then a good one: all filed, watch still running.
"$LETTERKIT" watch --db "$db" "$inbox" >"$tmp/live.out" 2>&1 &
pid=$!
for i in $(seq 50); do grep -q watching "$tmp/live.out" && break; sleep 0.1; done
for n in "${names[@]}"; do cp "$L/valid.pdf" "$inbox/$n"; done
cp "$L/valid.pdf" "$inbox/after.pdf"
# Every one filed (watch takes settled files in its own order, not the copy
# order: waiting for after.pdf alone raced the others under ASan), or 30 s.
# One x a record, not one line: "new\nline.json" is two lines, and counting
# lines took seven records for eight while the last was being filed. And the
# inbox empty too: watch writes a letter's record before it moves the letter.
want=$((${#names[@]} + 1))
for i in $(seq 300); do
    [ "$(find "$inbox/passed" -name '*.json' -printf x 2>/dev/null | wc -c)" -ge "$want" ] &&
        [ -z "$(find "$inbox" -maxdepth 1 -type f -printf x)" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$pid" 2>/dev/null || fail "watch ended at a badly named file: $(cat -v "$tmp/live.out")"
index_records
for n in "${names[@]}" after.pdf; do filed "$n"; done
kill -TERM "$pid" 2>/dev/null; wait "$pid"
no_escapes "$tmp/live.out"
expect_contains "$(cat "$tmp/live.out")" '\x1b'

# Start-up sweep: the same names already there, a good one among them: --once files every one.
rm -rf "$inbox"; mkdir -p "$inbox"
cp "$L/valid.pdf" "$inbox/a-first.pdf"
for n in "${names[@]}"; do cp "$L/outside.pdf" "$inbox/$n"; done
cp "$L/valid.pdf" "$inbox/zz-last.pdf"
"$LETTERKIT" watch --once --db "$db" "$inbox" >"$tmp/once.out" 2>&1
st=$?
[ "$st" -eq 1 ] || fail "watch --once exit $st, want 1 (letters failed): $(cat -v "$tmp/once.out")"
index_records
for n in a-first.pdf "${names[@]}" zz-last.pdf; do filed "$n"; done
expect_contains "$(cat "$tmp/once.out")" "9 letters:"
no_escapes "$tmp/once.out"
finish
