#!/usr/bin/env bash
# letterkit compose: options, exit statuses, the specimens through `letterkit check`,
# the manifest, and bad input (template, data, logo) named by file and line.
. "$SOURCE_ROOT/tests/e2e/lib.sh"
spec="$SOURCE_ROOT/specimens/compose"
lk() { "$LETTERKIT" compose "$@"; }
bad() { fail "$@"; }  # fail() wants a caller below the script
lines() { printf '%s\n' "$1" | grep -c .; }

# Usage.
expect_status 0 lk --help
expect_contains "$out" "usage: letterkit compose"
expect_contains "$out" "--jobs N"
expect_status 2 lk --no-such-option
expect_contains "$err" "unknown option '--no-such-option'"
expect_status 2 lk -o "$tmp/o" "$spec/people.csv"
expect_contains "$err" "--template is required"
expect_status 2 lk -t "$spec/letter.conf" -o "$tmp/o" --jobs 0 "$spec/people.csv"
expect_contains "$err" "--jobs must be a whole number from 1 to 64, not '0'"
expect_status 2 lk -t "$spec/letter.conf" -o "$tmp/o" --date 2026-02-30 "$spec/people.csv"
expect_contains "$err" "--date must be a real date as YYYY-MM-DD, not '2026-02-30'"
expect_status 2 lk -t "$spec/letter.conf" -o "$tmp/o" "$tmp/missing.csv"
expect_contains "$err" "missing.csv"

# Every specimen letter passes `letterkit check`; the manifest pipes straight in.
expect_status 0 lk -t "$spec/letter.conf" -o "$tmp/en" --date 2026-11-23 -n reference "$spec/people.csv"
manifest=$out
[ "$(lines "$manifest")" -eq 4 ] || bad "want 4 manifest records: $manifest"
expect_contains "$manifest" "{\"file\":\"$tmp/en/LIC-0001.pdf\",\"reference\":\"LIC-0001\",\"row\":2,\"pages\":1,\"address\":\"Ann Jones\\n1 High Street\\nCardiff\\nCF10 1AA\",\"postage_zone\":\"united-kingdom\"}"
expect_contains "$manifest" '"address":"Sam Smith\n10 Downing Street\nLondon\nSW1A 2AA"'
# The logo, deflated once and written into every letter (render.c), is the
# PNG's own pixels in each of them: every letter's copy renders as the first's,
# and as the PNG.
/usr/bin/python3 - "$spec/logo.png" "$tmp/en"/*.pdf <<'PY' || bad "the logo in the letters is not the PNG's"
import io, subprocess, sys, tempfile
from PIL import Image, ImageChops
png = Image.open(sys.argv[1]).convert("RGB")
with tempfile.TemporaryDirectory() as d:
    for n, pdf in enumerate(sys.argv[2:]):
        subprocess.run(["pdfimages", "-png", "-f", "1", "-l", "1", pdf, f"{d}/l{n}"], check=True)
        got = Image.open(f"{d}/l{n}-000.png").convert("RGB")
        assert got.size == png.size and ImageChops.difference(got, png).getbbox() is None, (pdf, got.size)
PY
expect_contains "$manifest" '"address":"Rhys Ŵyn ap Siôn\nTŷ Bach\nHeol y Frenhines\nAberystwyth\nCeredigion\nSY23 1AA"'
expect_status 0 "$LETTERKIT" check <<<"$manifest"
[ "$(grep -c '"valid":true' <<<"$out")" -eq 4 ] || bad "check: $out"

expect_status 0 lk -t "$spec/welsh.conf" -o "$tmp/cy" --date 2026-11-23 --international "$spec/people.ndjson"
expect_contains "$out" '"file":"'"$tmp"'/cy/letter-000002.pdf","reference":"LIC-0102","row":2,"pages":1,"address":"Anna Schmidt\nHauptstraße 1\n10115 Berlin\nGermany","postage_zone":"europe"'
expect_status 0 "$LETTERKIT" check --international <<<"$out"
mutool draw -q -F txt "$tmp/cy/letter-000001.pdf" >"$tmp/cy.txt" 2>/dev/null
expect_contains "$(cat "$tmp/cy.txt")" "23 Tachwedd 2026"
expect_contains "$(cat "$tmp/cy.txt")" "Tudalen 1 o 1"
expect_contains "$(cat "$tmp/cy.txt")" "Diolch am dalu’r ffi o £25."

# Without --international a European address fails its row only (exit 1).
expect_status 1 lk -t "$spec/welsh.conf" -o "$tmp/cy2" --date 2026-11-23 "$spec/people.ndjson"
[ "$(lines "$out")" -eq 1 ] || bad "one letter wanted: $out"
expect_contains "$err" "people.ndjson: row 2: address: cant-send-international-letters"
expect_contains "$err" "(row skipped)"
[ ! -e "$tmp/cy2/letter-000002.pdf" ] || bad "a failed row left a file"

# A bare body file with default settings; a page break makes two pages.
expect_status 0 lk -t "$spec/body.md" -o "$tmp/bare" --date 2026-11-23 "$spec/people.csv"
expect_contains "$out" '"file":"'"$tmp"'/bare/letter-000002.pdf","reference":"LIC-0001","row":2,"pages":2'
expect_status 0 "$LETTERKIT" check <<<"$out"

# --jobs keeps the manifest in row order and gives the same letters.
expect_status 0 lk -t "$spec/letter.conf" -o "$tmp/j" --date 2026-11-23 -n reference --jobs 3 "$spec/people.csv"
[ "$(sed "s#$tmp/j/#X#g" <<<"$out")" = "$(sed "s#$tmp/en/#X#g" <<<"$manifest")" ] || bad "--jobs 3 manifest differs: $out"
cmp -s "$tmp/j/LIC-0002.pdf" "$tmp/en/LIC-0002.pdf" || bad "--jobs 3 made a different PDF"

# Data on standard input.
expect_status 0 lk -t "$spec/letter.conf" -o "$tmp/stdin" --date 2026-11-23 --ndjson - <"$spec/people.ndjson" --international
[ "$(lines "$out")" -eq 2 ] || bad "stdin: $out"

# Bad rows are reported with file, line and row, and skipped; the others go on.
cat >"$tmp/bad.csv" <<'CSV'
first name,licence type,licence number,expiry date,paid,last name,address_line_1,address_line_2,postcode
Ann,fishing,F1,2027,yes,Jones,Ann Jones,1 High St,CF10 1AA
Bob,fishing,F2,2027,yes,Smith,Bob Smith,1 High St
Cy,"open quote,F3,2027,yes,Bach,Cy Bach,1 High St,CF10 1AA
CSV
# A broken record is not a row: an input error (exit 2), in the manifest with its error.
expect_status 2 lk -t "$spec/letter.conf" -o "$tmp/bad" --date 2026-11-23 "$tmp/bad.csv"
[ "$(grep -c '"file":' <<<"$out")" -eq 1 ] || bad "one good row wanted: $out"
expect_contains "$out" '{"row":3,"error":"'"$tmp"'/bad.csv: row 3 (line 3) has 8 fields, the header has 9"}'
expect_contains "$out" '{"row":4,"error":"'"$tmp"'/bad.csv: row 4 (line 4): a quoted field is never closed"}'
expect_contains "$err" "letterkit compose: 2 of 3 letters could not be made"
expect_contains "$err" "bad.csv: row 3 (line 3) has 8 fields, the header has 9 (row skipped)"
expect_contains "$err" "bad.csv: row 4 (line 4): a quoted field is never closed (row skipped)"
printf 'first name,postcode\nAnn,CF10 1AA\n' >"$tmp/nocols.csv"
expect_status 2 lk -t "$spec/letter.conf" -o "$tmp/bad" "$tmp/nocols.csv"
expect_contains "$err" "nocols.csv:1: missing columns"
printf 'address_line_1,address_line_2,postcode\nA B,1 High St,CF10 1AA\n' >"$tmp/noph.csv"
# A placeholder no column matches is one error naming the header, not one per row.
printf 'A C,2 High St,CF10 1AA\n' >>"$tmp/noph.csv"
expect_status 2 lk -t "$spec/letter.conf" -o "$tmp/bad" "$tmp/noph.csv"
expect_contains "$err" "noph.csv: the header (row 1) has no column for placeholders ((licence type)), ((first name)), ((last name))"
[ "$(grep -c 'no column' <<<"$err")" -eq 1 ] || bad "one error wanted for the header: $err"
[ -z "$out" ] || bad "no letter wanted: $out"
printf '{"address":"A B\\n1 High St\\nCF10 1AA","first name":"\xe4\xb8\x80"}\nnot json\n' >"$tmp/glyph.ndjson"
printf '# Hi ((first name))\n' >"$tmp/hi.md"
# A row that fails a rule is 1; a line that is not a row at all is an input error, 2 (the worse).
expect_status 2 lk -t "$tmp/hi.md" -o "$tmp/bad" "$tmp/glyph.ndjson"
expect_contains "$err" "glyph.ndjson: row 1: the font"
expect_contains "$err" "has no glyph for '一' (U+4E00)"
expect_contains "$err" "letterkit compose: $tmp/glyph.ndjson: line 2: not JSON"
expect_contains "$err" "letterkit compose: 1 of 2 letters failed: 1 missing-glyph; 1 could not be made"
# The line is in the manifest, where it was, with its error.
[ "$out" = '{"row":2,"line":2,"error":"'"$tmp"'/glyph.ndjson: line 2: not JSON: '"$(sed -n 's/.*line 2: not JSON: \(.*\) (row skipped)$/\1/p' <<<"$err")"'"}' ] ||
    bad "the bad line's record: $out"

# Two rows naming the same file: the later fails, the earlier letter is kept.
printf 'reference,address_line_1,address_line_2,postcode\nA,A B,1 High St,CF10 1AA\nB,B C,1 High St,CF10 1AA\nA,C D,1 High St,CF10 1AA\n' >"$tmp/dup.csv"
printf 'Hello\n' >"$tmp/plain.md"
expect_status 1 lk -t "$tmp/plain.md" -o "$tmp/dup" -n reference --jobs 2 "$tmp/dup.csv"
[ "$(lines "$out")" -eq 2 ] || bad "two letters wanted: $out"
expect_contains "$err" "dup.csv: row 4: $tmp/dup/A.pdf is also the file of row 2"
mutool draw -q -F txt "$tmp/dup/A.pdf" 2>/dev/null | grep -q "^A B$" || bad "row 1's letter was replaced"

# Template errors exit 2 and name the file and line.
printf '[letter]\nlogo = nothere.png\n[body]\nHi\n' >"$tmp/nologo.conf"
expect_status 2 lk -t "$tmp/nologo.conf" -o "$tmp/bad" "$spec/people.csv"
expect_contains "$err" "nologo.conf:2: logo:"
printf 'not a picture' >"$tmp/fake.png"
printf '[letter]\nlogo = fake.png\n[body]\nHi\n' >"$tmp/fakelogo.conf"
expect_status 2 lk -t "$tmp/fakelogo.conf" -o "$tmp/bad" "$spec/people.csv"
expect_contains "$err" "fakelogo.conf:2: logo: $tmp/fake.png: not a PNG or JPEG image"
expect_status 2 lk -t "$spec/body.md" -o "$tmp/bad" --font-dir "$tmp/nofonts" "$spec/people.csv"
expect_contains "$err" "$tmp/nofonts/LiberationSans-Regular.ttf: No such file or directory"
printf '[letter]\nfont = fake.png\n[body]\nHi\n' >"$tmp/fakefont.conf"
expect_status 2 lk -t "$tmp/fakefont.conf" -o "$tmp/bad" "$spec/people.csv"
expect_contains "$err" "$tmp/fake.png: not a TrueType font (TTF)"
printf 'Dear ((first name,\n\nBye\n' >"$tmp/open.md"
expect_status 2 lk -t "$tmp/open.md" -o "$tmp/bad" "$spec/people.csv"
expect_contains "$err" "open.md:1: unclosed \"((\""
[ -z "$(ls -A "$tmp/bad" | grep -v '^letter-000001.pdf$' | grep -v '^letter-000002.pdf$')" ] || bad "stray files: $(ls -A "$tmp/bad")"

# The manifest's paths work from another folder: a relative --output-dir
# becomes absolute, and a folder name that is not UTF-8 is carried losslessly.
mkdir -p "$tmp/here" "$tmp/elsewhere"
(cd "$tmp/here" && "$LETTERKIT" compose -t "$spec/body.md" -o rel --date 2026-11-23 "$spec/people.csv") >"$tmp/rel.ndjson" ||
    bad "compose with a relative --output-dir failed"
expect_contains "$(head -n 1 "$tmp/rel.ndjson")" "\"file\":\"$tmp/here/rel/letter-000002.pdf\""
(cd "$tmp/elsewhere" && "$LETTERKIT" check <"$tmp/rel.ndjson" >/dev/null) || bad "check from another folder could not read the manifest"
expect_status 0 lk -t "$spec/body.md" -o "$tmp/caf"$'\xe9' --date 2026-11-23 "$spec/people.csv"
expect_contains "$out" "\"file_base64\":\"$(printf '%s' "$tmp/caf"$'\xe9'"/letter-000002.pdf" | base64 -w0)\""

# The end of the batch: one summary line on stderr; on a terminal a progress
# line while it runs (after a second), never in a pipe; a terminal is no DATA.
expect_status 0 lk -t "$spec/body.md" -o "$tmp/sum" --date 2026-11-23 "$spec/people.csv"
[ "$(tail -n 1 <<<"$err")" = "letterkit compose: all $(grep -c '"file":' <<<"$out") letters made" ] || bad "summary: $err"
[[ $err != *$'\r'* ]] || bad "a progress line in a pipe: $err"
# 3,000 letters: over a second even at compose's 0.7 ms a letter.
{ head -n 1 "$spec/people.csv"; row=$(sed -n 2p "$spec/people.csv"); for _ in $(seq 3000); do printf '%s\n' "$row"; done; } >"$tmp/many.csv"
py=$(command -v /usr/bin/python3 || command -v python3)
"$py" "$SOURCE_ROOT/tests/e2e/stderr-on-a-terminal.py" "$tmp/term" "$LETTERKIT" compose -t "$spec/body.md" \
    -o "$tmp/prog" --jobs 1 --date 2026-11-23 "$tmp/many.csv" >"$tmp/manifest"
got="$? $(wc -l <"$tmp/manifest") $(grep -c $'\r' "$tmp/manifest")"
[ "$got" = "0 3000 0" ] || bad "on a terminal (status, manifest lines, lines with \\r in the manifest): $got"
grep -q $'\rletterkit compose: made ' "$tmp/term" || bad "no progress line on a terminal: $(head -c 300 "$tmp/term")"
"$py" -c 'import sys; sys.exit(not open(sys.argv[1], "rb").read().rstrip().endswith(sys.argv[2].encode()))' \
    "$tmp/term" "letterkit compose: all 3000 letters made" || bad "the summary is not last on the terminal"
got=$("$py" -c '
import os, pty, subprocess, sys
m, s = pty.openpty()
p = subprocess.run(sys.argv[1:], stdin=s, capture_output=True, timeout=10)
print(p.returncode, p.stderr.decode().strip())' "$LETTERKIT" compose -t "$spec/body.md" -o "$tmp/tty" -)
[[ $got == "2 letterkit compose: no data: "*"standard input is a terminal (see 'letterkit compose --help')" ]] ||
    bad "compose - on a terminal: $got"
finish
