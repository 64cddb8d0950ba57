#!/usr/bin/env bash
# Issue 14 item 4: terminal escapes from a letter never reach the terminal.
# A PDF whose address holds ESC ] 0 ; ... BEL (window title) and ESC [ 2 J
# (clear screen), and file names holding the same, go through every human
# output of check and scan (lines, messages, annotations, the summary):
# no ESC or BEL byte may come out; the escaped form (\x1b) is shown instead.
# Failed before the fix: check printed the address as read byte for byte,
# and both printed file names raw.
. "$SOURCE_ROOT/tests/e2e/lib.sh"
db=$SOURCE_ROOT/specimens/clamav
gen=$BUILD_ROOT/specimens/generated
python3 "$SOURCE_ROOT/tests/security/hostile-address-pdf.py" "$tmp/address.pdf" || fail "cannot make the PDF"
named=$tmp/$'\e]0;named\a\e[2J.pdf'
cp "$tmp/address.pdf" "$named"
missing=$tmp/$'\e[2Jmissing.pdf'

# no_control WHAT FILE: FILE holds no ESC and no BEL byte.
no_control() {
    if LC_ALL=C grep -q $'[\e\a]' "$2"; then
        fail "$1: a control character reached the terminal: $(od -c "$2" | grep -E '033|\\a' | head -n 3)"
    fi
}
# run_raw WHAT CMD...: the command's stdout and stderr, byte for byte, in $tmp/raw.
run_raw() {
    local what=$1; shift
    "$@" >"$tmp/raw" 2>&1
    no_control "$what" "$tmp/raw"
}

run_raw "check" "$LETTERKIT" check "$tmp/address.pdf" "$named" "$missing"
# Notify reads the address as PyMuPDF's words, which split at every code point
# up to U+0020: ESC and BEL end words and never reach the address (issue 19).
expect_contains "$(cat "$tmp/raw")" 'address as read: Mr ]0;pwned Example / [2J1 Example Street'
expect_contains "$(cat "$tmp/raw")" 'FAIL '"$tmp"'/\x1b]0;named\x07\x1b[2J.pdf'
expect_contains "$(cat "$tmp/raw")" "$tmp"'/\x1b[2Jmissing.pdf: No such file or directory'
run_raw "check --quiet" "$LETTERKIT" check --quiet "$named" "$gen/valid-1-page.pdf"
run_raw "check --format github" "$LETTERKIT" check --format github "$tmp/address.pdf" "$named" "$missing"
expect_contains "$(cat "$tmp/raw")" "::error file="
# Names from records: the JSON escape \u001b becomes the byte on the way in.
printf '{"file":"%s/\\u001b]0;rec\\u0007.pdf"}\n{"file":"%s"}\n' "$tmp" "$tmp/address.pdf" >"$tmp/in.ndjson"
run_raw "check records --format human" "$LETTERKIT" check --format human - <"$tmp/in.ndjson"
expect_contains "$(cat "$tmp/raw")" '\x1b]0;rec\x07.pdf'
run_raw "check records --format github" "$LETTERKIT" check --format github - <"$tmp/in.ndjson"
run_raw "check, a bad record line" "$LETTERKIT" check --format human - <<<$'\e]0;line\a'
run_raw "check --overlay" "$LETTERKIT" check --overlay "$tmp/pics" "$named"
run_raw "check --overlay (a bad folder)" "$LETTERKIT" check --overlay "$named/x" "$named"
run_raw "check --junit (a bad folder)" "$LETTERKIT" check --junit "$named/x.xml" "$named"

run_raw "scan" "$LETTERKIT" scan --db "$db" "$named" "$missing"
expect_contains "$(cat "$tmp/raw")" 'CLEAN '"$tmp"'/\x1b]0;named\x07\x1b[2J.pdf'
run_raw "scan records" "$LETTERKIT" scan --db "$db" - <"$tmp/in.ndjson"
run_raw "scan, a bad record line" "$LETTERKIT" scan --db "$db" - <<<$'\e]0;line\a'
finish
