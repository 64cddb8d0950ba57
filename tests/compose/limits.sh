#!/usr/bin/env bash
# letterkit compose: hostile input ends in a clear error within bounded time and
# memory: huge CSV fields and records, thousands of columns, pathological
# markup, huge templates, decompression-bomb logos, absurd settings, and a long
# stream of rows read with flat memory. Every input is generated here.
. "$SOURCE_ROOT/tests/e2e/lib.sh"
# Under ASan, freed memory is held back (quarantine): keep it small so that
# peak memory measures what the program keeps.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}quarantine_size_mb=1"
lk() { timeout 60 "$LETTERKIT" compose --date 2026-11-23 -o "$tmp/out" "$@"; }
count() { grep -c "$2" <<<"$1"; }
head_row='name,address_line_1,address_line_2,postcode,v'
good_row() { printf '%s,1 High Street,Cardiff,CF10 1AA,%s\n' "$1" "${2:-x}"; }
printf '[letter]\nsender = A Council\n[body]\nDear ((name)), ((v))\n' >"$tmp/t.conf"

# A field of 5 MB, and a quoted field of 5 MB holding line breaks: each row fails
# with file:line and the limit, and the batch goes on after the whole record.
python3 - "$tmp/big.csv" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("name,address_line_1,address_line_2,postcode,v\n")
    f.write("Ann,1 High Street,Cardiff,CF10 1AA,a\n")
    f.write("Bob,1 High Street,Cardiff,CF10 1AA," + "x" * 5_000_000 + "\n")
    f.write('Cy,1 High Street,Cardiff,CF10 1AA,"' + ("y" * 999 + "\n") * 5000 + '"\n')
    f.write("Dai,1 High Street,Cardiff,CF10 1AA,d\n")
EOF
expect_status 2 lk -t "$tmp/t.conf" "$tmp/big.csv"   # a record too long to read: an input error
expect_contains "$err" "big.csv: row 3 (line 3): record longer than 1048576 bytes (row skipped)"
expect_contains "$err" "big.csv: row 4 (line 4): record longer than 1048576 bytes (row skipped)"
[ "$(count "$out" '"file":')" -eq 2 ] || fail "want rows 2 and 5 made: $out"
[ "$(count "$out" '"error":')" -eq 2 ] || fail "want rows 3 and 4 in the manifest with their errors: $out"
expect_contains "$out" '"row":5'
expect_contains "$out" "$tmp/out/letter-000005.pdf"

# A row of 5,000 columns fails alone; a header of 1,500 columns is refused.
{ echo "$head_row"; good_row Ann; python3 -c 'print(",".join(["z"] * 5000))'; good_row Cy; } >"$tmp/wide.csv"
expect_status 2 lk -t "$tmp/t.conf" "$tmp/wide.csv"
expect_contains "$err" "wide.csv: row 3 (line 3) has 5000 fields, the header has 5 (row skipped)"
[ "$(count "$out" '"file":')" -eq 2 ] || fail "wide: $out"
{ python3 -c 'print("name,address_line_1,postcode," + ",".join("c%d" % i for i in range(1500)))'; } >"$tmp/wider.csv"
expect_status 2 lk -t "$tmp/t.conf" "$tmp/wider.csv"
expect_contains "$err" "wider.csv:1: the header has 1503 columns, more than compose's limit of 1000"
python3 -c 'import json; print(json.dumps({"name": "a", "address": "1 High St\nCardiff\nCF10 1AA", **{"c%d" % i: "x" for i in range(1200)}}))' >"$tmp/wide.ndjson"
{ echo '{"name":"b","v":"v","address_line_1":"1 High Street","address_line_2":"Cardiff","postcode":"CF10 1AA"}'; } >>"$tmp/wide.ndjson"
expect_status 2 lk -t "$tmp/t.conf" "$tmp/wide.ndjson"
expect_contains "$err" "wide.ndjson: line 1: row 1 has 1202 fields, more than compose's limit of 1000"
expect_contains "$out" '"row":2'

# NDJSON rows: a line over compose's 1 MiB, a line that is not UTF-8, a truncated last line;
# one error each, and the good rows between them are made.
nd='{"name":"N","v":"v","address_line_1":"1 High Street","address_line_2":"Cardiff","postcode":"CF10 1AA"}'
{ echo "$nd"; printf '{"name":"%s"}\n' "$(head -c 2000000 /dev/zero | tr '\0' n)"; echo "$nd";
  printf '{"name":"caf\xe9"}\n'; echo "$nd"; printf '{"name":"cut'; } >"$tmp/rows.ndjson"
expect_status 2 lk -t "$tmp/t.conf" "$tmp/rows.ndjson"
expect_contains "$err" "rows.ndjson: line 2: longer than 1048576 bytes (row skipped)"
expect_contains "$err" "rows.ndjson: line 4: not JSON: unable to decode byte 0xe9"
expect_contains "$err" "rows.ndjson: line 6: truncated record: "
[ "$(count "$out" '"file":')" -eq 3 ] || fail "want rows 1, 3 and 5 made: $out"
[ "$(count "$out" '"error":')" -eq 3 ] || fail "want lines 2, 4 and 6 in the manifest with their errors: $out"

# Pathological markup: each ends quickly (the whole run is bounded by `timeout`).
{ echo "$head_row"; good_row Ann; good_row Bob; } >"$tmp/two.csv"
body() { printf '[letter]\nsender = A Council\n[body]\n' >"$tmp/m.conf"; python3 -c "import sys; sys.stdout.write($1)" >>"$tmp/m.conf"; }
body '"**" * 100000 + "\n"'                      # 100,000 bold switches on one line
SECONDS=0
expect_status 0 lk -t "$tmp/m.conf" "$tmp/two.csv"
body '"** a ((name)) " * 100000 + "\n"'          # unbalanced bold, 100,000 placeholders
expect_status 1 lk -t "$tmp/m.conf" "$tmp/two.csv"
expect_contains "$err" "row 2: the letter needs more than 10 pages, Notify's limit (row skipped)"
body '"((" * 100000 + "\n"'                      # "((" with no end
expect_status 2 lk -t "$tmp/m.conf" "$tmp/two.csv"
expect_contains "$err" "m.conf:4: unclosed \"((\""
body '"* a\n" * 300000'                          # 300,000 list items
expect_status 1 lk -t "$tmp/m.conf" "$tmp/two.csv"
[ "$(count "$err" "needs more than 10 pages")" -eq 2 ] || fail "list: $err"
body '"".join("((p%d))" % i for i in range(200000)) + "\n"'   # 200,000 missing placeholders
expect_status 2 lk -t "$tmp/m.conf" "$tmp/two.csv"
expect_contains "$err" "two.csv: the header (row 1) has no column for placeholders ((p0)), ((p1))"
body '("word " * 20 + "\n\n") * 35000'           # a template of 3.5 MB
expect_status 1 lk -t "$tmp/m.conf" "$tmp/two.csv"
expect_contains "$err" "needs more than 10 pages"
[ "$SECONDS" -lt 30 ] || fail "pathological templates took $SECONDS s"
body '"x" * 5000000'                             # over the 4 MiB template limit
expect_status 2 lk -t "$tmp/m.conf" "$tmp/two.csv"
expect_contains "$err" "m.conf: larger than the limit of 4194304 bytes"
# A value of 1 MB (a single word, and many words) ends as too long, fast.
{ echo "$head_row"; good_row Ann "$(head -c 1000000 /dev/zero | tr '\0' x)";
  good_row Bob "$(python3 -c 'print("ab " * 330000)')"; } >"$tmp/bigval.csv"
SECONDS=0
expect_status 1 lk -t "$tmp/t.conf" "$tmp/bigval.csv"
[ "$(count "$err" "needs more than 10 pages")" -eq 2 ] || fail "big values: $err"
[ "$SECONDS" -lt 10 ] || fail "big values took $SECONDS s"
# Markup in a value prints literally.
{ echo "$head_row"; good_row '**Ann** ((v)) # no' '((name))'; } >"$tmp/markup.csv"
expect_status 0 lk -t "$tmp/t.conf" "$tmp/markup.csv"
mutool draw -q -F txt "$tmp/out/letter-000002.pdf" >"$tmp/markup.txt" 2>/dev/null
expect_contains "$(cat "$tmp/markup.txt")" "Dear **Ann** ((v)) # no, ((name))"

# Decompression-bomb logos are refused from their header, before any decoding.
png() { # png FILE WIDTH HEIGHT DEPTH COLOUR: a valid header, and rows of zeros deflated
    python3 - "$@" <<'EOF'
import struct, sys, zlib
path, w, h, depth, colour = sys.argv[1], *map(int, sys.argv[2:])
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
z = zlib.compressobj(9)
row = bytes(1 + (w * depth * {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour] + 7) // 8)
data = b"".join(z.compress(row) for _ in range(min(h, 2000))) + z.flush()   # a tiny stream
with open(path, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))
EOF
}
logo_conf() { printf '[letter]\nlogo = %s\n[body]\nHello ((name))\n' "$1" >"$tmp/logo.conf"; }
png "$tmp/huge.png" 100000 100000 8 6
logo_conf huge.png
SECONDS=0
expect_status 2 lk -t "$tmp/logo.conf" "$tmp/two.csv"
expect_contains "$err" "logo.conf:2: logo: $tmp/huge.png: image size 100000x100000 pixels is not usable"
png "$tmp/bomb.png" 8000 8000 16 6
logo_conf bomb.png
expect_status 2 lk -t "$tmp/logo.conf" "$tmp/two.csv"
expect_contains "$err" "bomb.png: 8000x8000 pixels would decode to 488 MiB, more than the 64 MiB a logo may take"
printf '\xff\xd8\xff\xc0\x00\x11\x08\x4e\x20\x4e\x20\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9' >"$tmp/bomb.jpg"
logo_conf bomb.jpg
expect_status 2 lk -t "$tmp/logo.conf" "$tmp/two.csv"
expect_contains "$err" "bomb.jpg: 20000x20000 pixels would decode to 1144 MiB"
[ "$SECONDS" -lt 10 ] || fail "bomb logos took $SECONDS s"
png "$tmp/small.png" 400 100 8 2
logo_conf small.png
expect_status 0 lk -t "$tmp/logo.conf" "$tmp/two.csv"

# Absurd settings are refused with the file, line and value.
setting() { printf '[letter]\n%s\n[body]\nHello ((name))\n' "$1" >"$tmp/s.conf"; expect_status 2 lk -t "$tmp/s.conf" "$tmp/two.csv"; }
setting 'font_size = 1e999'
expect_contains "$err" "s.conf:2: font_size must be a number of points from 8 to 16, not '1e999'"
setting 'font_size = nan'
expect_contains "$err" "not 'nan'"
setting 'font_size = -12'
expect_contains "$err" "not '-12'"
setting "$(for i in $(seq 17); do echo "sender = line $i"; done)"
expect_contains "$err" "s.conf:18: too many sender lines (16 at most)"
setting "sender = $(head -c 3000000 /dev/zero | tr '\0' s)"
expect_contains "$err" "sender line"
setting "language = $(head -c 100000 /dev/zero | tr '\0' q)"
expect_contains "$err" "s.conf:2: language must be english or welsh"

# A folder as the data (it opens, but cannot be read) is an error, not an empty batch.
expect_status 2 lk -t "$tmp/t.conf" --ndjson "$tmp"
expect_contains "$err" "$tmp: Is a directory"

# Rows are streamed: peak memory for 200,000 rows is that for 10,000. Every
# row fails fast (a postcode that is not real), so this measures the reading.
printf '[letter]\n[body]\nDear ((name))\n' >"$tmp/fail.conf"
peak() { # peak ROWS: the compose process's VmHWM in kB, read while its input is still open
    mkfifo "$tmp/fifo.$1"
    "$LETTERKIT" compose --date 2026-11-23 -o "$tmp/out" -t "$tmp/fail.conf" - <"$tmp/fifo.$1" >/dev/null 2>&1 &
    local pid=$! hwm
    exec 3>"$tmp/fifo.$1"
    python3 -c "
import sys
w = sys.stdout.write
w('name,address_line_1,address_line_2,postcode\n')
for i in range($1): w(f'P{i},{i} High Street,Cardiff,ZZ99 9ZZ\n')" >&3
    sleep 1
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
    exec 3>&-
    wait "$pid"
    echo "$hwm"
}
small=$(peak 10000)
large=$(peak 200000)
[ -n "$small" ] && [ -n "$large" ] || fail "no peak memory read ($small, $large)"
[ "$large" -le $((small + 4096)) ] || fail "memory grows with rows: $small kB for 10,000, $large kB for 200,000"
finish
