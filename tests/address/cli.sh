#!/usr/bin/env bash
# letterkit address: options, exit statuses, --json, --ndjson (file and pipe), --csv.
. "$SOURCE_ROOT/tests/e2e/lib.sh"
lk() { "$LETTERKIT" address "$@"; }
# fail() names its caller's caller: call it through one function.
bad() { fail "$@"; }

# Usage.
expect_status 0 lk --help
expect_contains "$out" "usage: letterkit address"
expect_contains "$out" "--international"
expect_status 2 lk --no-such-option
expect_contains "$err" "unknown option '--no-such-option'"
expect_status 2 lk --json --csv
expect_contains "$err" "use only one of --json, --ndjson and --csv"
expect_status 2 lk a b
expect_contains "$err" "more than one FILE"
expect_status 2 lk "$tmp/missing.txt"
expect_contains "$err" "missing.txt"
# A folder as FILE, in every mode: refused, named.
for mode in "" --json --ndjson --csv; do
    expect_status 2 lk $mode "$tmp"
    expect_contains "$err" "$tmp: is a folder"
done

# Standard input a terminal: one address is read after a hint; a batch is refused at once.
tty_run() { # ARGS...: runs address on a pseudo-terminal, typing one address; prints status and stderr
    "$py" - "$LETTERKIT" "$@" <<'PY'
import os, pty, subprocess, sys
m, s = pty.openpty()
p = subprocess.Popen([sys.argv[1], "address"] + sys.argv[2:], stdin=s,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
os.close(s)
os.write(m, b"A Smith\n1 High St\nSW1A 1AA\n\x04")
try:
    out, err = p.communicate(timeout=10)
except subprocess.TimeoutExpired:
    p.kill(); print("hung"); sys.exit()
print(p.returncode, err.decode().strip())
PY
}
py=$(command -v /usr/bin/python3 || command -v python3)
got=$(tty_run)
[ "$got" = "0 letterkit address: type the address, then Ctrl-D" ] || bad "one address on a terminal: $got"
for mode in --ndjson --csv; do
    got=$(tty_run $mode)
    case $got in
    "2 letterkit address: no addresses: "*"standard input is a terminal (see 'letterkit address --help')") ;;
    *) bad "address $mode on a terminal: $got" ;;
    esac
done

# One address for a person.
printf 'Mx Zo\xc3\xab Bront\xc3\xab\nT\xc5\xb7 Gwyn, Heol y Bont\nsw1a1aa\nUnited Kingdom\n' >"$tmp/good.txt"
expect_status 0 lk "$tmp/good.txt"
expect_contains "$out" "valid: UK address (postage zone united-kingdom)"
expect_contains "$out" "postcode: SW1A 1AA"
expect_contains "$out" "  Tŷ Gwyn, Heol y Bont"
printf 'A Smith\n1 High St\nSW1A 1A\n' >"$tmp/bad.txt"
expect_status 1 lk <"$tmp/bad.txt"
expect_contains "$out" "invalid: not-a-real-uk-postcode: The last line of the address must be a real UK postcode"
printf 'A\nB\n\xff\n' >"$tmp/latin1.txt"
expect_status 2 lk "$tmp/latin1.txt"
expect_contains "$err" "not valid UTF-8"

# --json, and --international.
printf 'Herr Schmidt\nHauptstr. 1\n10115 Berlin\nYr Almaen\n' >"$tmp/de.txt"
expect_status 1 lk --json "$tmp/de.txt"
[ "$out" = '{"valid":false,"error":"cant-send-international-letters","normalised":"Herr Schmidt\nHauptstr. 1\n10115 Berlin\nGermany","postcode":null,"bfpo":null,"zone":"europe","country":"Germany"}' ] ||
    bad "--json output: $out"
expect_status 0 lk --json -i "$tmp/de.txt"
expect_contains "$out" '"valid":true,"error":null'
expect_contains "$out" '"zone":"europe","country":"Germany"'
expect_status 0 lk --json --international <"$tmp/good.txt"
expect_contains "$out" '"postcode":"SW1A 1AA"'

# --ndjson: every record written back with the verdict added; a bad line and
# a record without an address are reported by number and still written back
# (valid false, our own code in "error", the rest null); the stream goes on;
# the worst status wins.
cat >"$tmp/in.ndjson" <<'JSON'
{"file":"a.pdf","address":"A Smith\n1 High St\nsw1a 1aa"}
{"file":"b.pdf","address":"A Smith\n1 High St\nParis\nFrance","international":true}
{"file":"c.pdf","address":"A Smith\n1 High St\nParis\nFrance"}
not json

{"file":"d.pdf"}
{"file":"e.pdf","address":"A Smith\n1 High St\nBFPO 105","valid":"stale"}
JSON
expect_status 2 lk --ndjson "$tmp/in.ndjson"
from_file=$out
expect_contains "$err" "line 4: not JSON"
expect_contains "$err" "letterkit address: $tmp/in.ndjson: line 6: the record has no \"address\" string to check"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 6 ] || bad "--ndjson wrote $(printf '%s\n' "$out" | wc -l) records, want 6"
expect_contains "$out" '{"file":"a.pdf","address":"A Smith\n1 High St\nsw1a 1aa","valid":true,"error":null,"normalised":"A Smith\n1 High St\nSW1A 1AA","postcode":"SW1A 1AA","bfpo":null,"zone":"united-kingdom","country":"United Kingdom"}'
expect_contains "$out" '"file":"b.pdf","address":"A Smith\n1 High St\nParis\nFrance","international":true,"valid":true'
expect_contains "$out" '"file":"c.pdf","address":"A Smith\n1 High St\nParis\nFrance","valid":false,"error":"cant-send-international-letters"'
expect_contains "$out" '{"line":4,"valid":false,"error":"not-a-json-record","normalised":null,"postcode":null,"bfpo":null,"zone":null,"country":null}'
expect_contains "$out" '{"file":"d.pdf","valid":false,"error":"no-address-string","normalised":null,"postcode":null,"bfpo":null,"zone":null,"country":null}'
# The records come out in the order they went in, the bad line in its place.
[ "$(printf '%s\n' "$out" | sed -n '4p')" = '{"line":4,"valid":false,"error":"not-a-json-record","normalised":null,"postcode":null,"bfpo":null,"zone":null,"country":null}' ] ||
    bad "--ndjson: the bad line is not the 4th record out"
expect_contains "$out" '"file":"e.pdf","address":"A Smith\n1 High St\nBFPO 105","valid":true,"error":null'
expect_contains "$out" '"bfpo":"105"'
# Through a pipe (records flushed one by one) the output is the same.
expect_status 2 sh -c "cat '$tmp/in.ndjson' | '$LETTERKIT' address --ndjson"
[ "$out" = "$from_file" ] || bad "--ndjson through a pipe differs from a file"
# "international" must be a boolean: the record is written back unchecked.
expect_status 2 sh -c "printf '%s\\n' '{\"n\":1,\"address\":\"A\\nB\\nSW1A 1AA\",\"international\":\"yes\"}' | '$LETTERKIT' address --ndjson"
expect_contains "$err" "letterkit address: <stdin>: line 1: \"international\" must be true or false"
expect_contains "$out" '"international":"yes","valid":false,"error":"international-not-true-or-false","normalised":null'
# --international is the default for records without their own.
expect_status 0 sh -c "head -2 '$tmp/in.ndjson' | '$LETTERKIT' address --ndjson --international"
expect_status 1 sh -c "head -3 '$tmp/in.ndjson' | '$LETTERKIT' address --ndjson"
# In a pipeline each record comes out before more input arrives: write one
# record, read its verdict, and only then write the next (the input stays open).
coproc LK { "$LETTERKIT" address --ndjson; }
lk_pid=$LK_PID   # bash unsets LK_PID once the coprocess is gone
for n in 1 2; do
    printf '{"n":%d,"address":"A\\nB\\nSW1A 1AA"}\n' "$n" >&"${LK[1]}"
    if IFS= read -r -t 10 reply <&"${LK[0]}"; then
        expect_contains "$reply" "{\"n\":$n,\"address\":"
        expect_contains "$reply" '"valid":true'
    else
        bad "record $n: no verdict within 10 s while the input stayed open"
    fi
done
exec {LK[1]}>&-
wait "$lk_pid" || bad "the coprocess exited $?"
expect_status 0 lk --ndjson </dev/null
[ -z "$out" ] || bad "no records in, but out: $out"

# --csv: Notify's spreadsheet columns, any case and spacing; quoted fields.
printf '\xef\xbb\xbfName,Address line 1,ADDRESS_LINE_2,address line 3,Postcode\r\n' >"$tmp/in.csv"
printf 'x,A Smith,"Flat 2, 10 Downing St",London,sw1a 2aa\r\n' >>"$tmp/in.csv"
printf 'y,"B ""Bob"" Jones","1 High St\nAnnex",,NOPE\r\n' >>"$tmp/in.csv"
expect_status 1 lk --csv "$tmp/in.csv"
expect_contains "$out" '{"row":2,"address":"A Smith\nFlat 2, 10 Downing St\nLondon\n\n\n\nsw1a 2aa","valid":true'
expect_contains "$out" '"normalised":"A Smith\nFlat 2, 10 Downing St\nLondon\nSW1A 2AA"'
expect_contains "$out" '{"row":3,"address":"B \"Bob\" Jones\n1 High St\nAnnex\n\n\n\n\nNOPE","valid":false,"error":"not-a-real-uk-postcode"'
# With an address_line_7 column, Notify reads it and not the postcode column.
printf 'address_line_1,address_line_2,address_line_7,postcode\nA,B,M1 1AE,XX\n' >"$tmp/seven.csv"
expect_status 0 lk --csv -i "$tmp/seven.csv"
expect_contains "$out" '"normalised":"A\nB\nM1 1AE"'
printf 'name,email\nA,a@example.com\n' >"$tmp/none.csv"
expect_status 2 lk --csv "$tmp/none.csv"
expect_contains "$err" "needs at least 3 of Notify's address columns"
printf 'address_line_1,address_line_2,postcode\n"A,B\n' >"$tmp/open.csv"
expect_status 2 lk --csv "$tmp/open.csv"
expect_contains "$err" "open.csv: row 2 (line 2): a quoted field is never closed"
finish
