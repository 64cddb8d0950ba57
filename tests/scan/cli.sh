#!/usr/bin/env bash
# letterkit scan, in process: verdicts, output formats, exit codes, databases.
. "$SOURCE_ROOT/tests/scan/common.sh"

# Usage.
expect_status 0 "$LETTERKIT" scan --help
expect_contains "$out" "usage: letterkit scan"
expect_status 2 "$LETTERKIT" scan --bogus "$tmp/letter.pdf"
expect_contains "$err" "letterkit scan: unknown option '--bogus' (see 'letterkit scan --help')"
expect_status 2 "$LETTERKIT" scan --db
expect_contains "$err" "option --db needs a value"
expect_status 2 "$LETTERKIT" scan --db "$db" --clamd /tmp/clamd.sock "$tmp/letter.pdf"
expect_contains "$err" "--db and --clamd do not go together"
# '-' (standard input) goes with files too, as in check: the record, then the file.
expect_status 0 "$LETTERKIT" scan --db "$db" - "$tmp/letter.pdf" <<<"{\"file\":\"$tmp/letter.pdf\",\"id\":1}"
expect_contains "$(head -n 1 <<<"$out")" '{"file":"'"$tmp/letter.pdf"'","id":1,"scan":{"clean":true'
expect_eq "$(tail -n 1 <<<"$out")" "CLEAN $tmp/letter.pdf" "'-' then a file"
# The man page documents every long option --help shows.
sed 's/\\-/-/g' "$SOURCE_ROOT/man/letterkit-scan.1" >"$tmp/man.txt"
"$LETTERKIT" scan --help | grep -o -- '--[a-z-]*' | sort -u | while read -r opt; do
    grep -qF -- "$opt" "$tmp/man.txt" || echo "$opt"
done >"$tmp/undocumented"
[ -s "$tmp/undocumented" ] && flunk "not in man/letterkit-scan.1: $(cat "$tmp/undocumented")"

# Found: an executable embedded in a PDF, EICAR in a compressed stream, a password.
for found in "$clam=Letterkit.Test.ClamExe.UNOFFICIAL" "$tmp/eicar.pdf=Letterkit.Test.Eicar.UNOFFICIAL" \
        "$tmp/encrypted.pdf=Heuristics.Encrypted.PDF"; do
    expect_status 1 "$LETTERKIT" scan --db "$db" "${found%%=*}"
    expect_eq "$out" "FOUND ${found%%=*}: ${found#*=}" "${found%%=*}"
done

# Every specimen letter, committed and generated, is clean, except the
# encrypted ones: ClamAV cannot decrypt their streams (MuPDF's AES, even with
# no user password), so it cannot scan them and says so.
mapfile -t specimens < <(find "$SOURCE_ROOT/specimens" "$BUILD_ROOT/specimens/generated" \
    -name '*.pdf' -type f | sort)
[ "${#specimens[@]}" -gt 0 ] || flunk "no specimen PDFs found"
for f in "${specimens[@]}" "$tmp/letter.pdf"; do
    case ${f##*/} in
    encrypted-*) printf 'FOUND %s: Heuristics.Encrypted.PDF\n' "$f" ;;
    *) printf 'CLEAN %s\n' "$f" ;;
    esac
done >"$tmp/specimens.want"
want_status=0
grep -q '^FOUND' "$tmp/specimens.want" && want_status=1
expect_status "$want_status" "$LETTERKIT" scan --db "$db" "${specimens[@]}" "$tmp/letter.pdf"
expect_eq "$out" "$(cat "$tmp/specimens.want")" "specimens"

# A batch goes on past an unreadable file, named on stderr too; the worst status wins.
mkfifo "$tmp/fifo"
expect_status 2 "$LETTERKIT" scan --db "$db" "$tmp/letter.pdf" "$tmp/missing.pdf" "$tmp/fifo" "$clam"
want="CLEAN $tmp/letter.pdf
ERROR $tmp/missing.pdf: cannot open: No such file or directory
ERROR $tmp/fifo: not a regular file
FOUND $clam: Letterkit.Test.ClamExe.UNOFFICIAL"
expect_eq "$out" "$want" "batch output"
expect_contains "$err" "letterkit scan: $tmp/missing.pdf: cannot open: No such file or directory"
expect_contains "$err" "letterkit scan: $tmp/fifo: not a regular file"
# A folder: its PDFs, recursed, in path order; hidden files and other names left.
mkdir -p "$tmp/tree/sub"
cp "$tmp/letter.pdf" "$tmp/tree/b.pdf"
cp "$clam" "$tmp/tree/sub/a.PDF"
cp "$clam" "$tmp/tree/.hidden.pdf"
cp "$clam" "$tmp/tree/notes.txt"
expect_status 1 "$LETTERKIT" scan --db "$db" "$tmp/tree"
expect_eq "$out" "CLEAN $tmp/tree/b.pdf
FOUND $tmp/tree/sub/a.PDF: Letterkit.Test.ClamExe.UNOFFICIAL" "scan DIR"
expect_status 1 "$LETTERKIT" scan --db "$db" "$tmp/letter.pdf" "$clam"
# The summary line ends the batch, on stderr: counts by virus, errors apart.
expect_contains "$err" "letterkit scan: 1 of 2 letters infected: 1 Letterkit.Test.ClamExe.UNOFFICIAL"
expect_status 2 "$LETTERKIT" scan --db "$db" "$tmp/letter.pdf" "$clam" "$tmp/missing.pdf" "$clam"
expect_contains "$err" "letterkit scan: 2 of 4 letters infected: 2 Letterkit.Test.ClamExe.UNOFFICIAL; 1 could not be scanned"
expect_status 0 "$LETTERKIT" scan --db "$db" "$tmp/letter.pdf" "$tmp/letter.pdf"
expect_eq "$err" "letterkit scan: all 2 letters clean" "summary of a clean batch"
# Colour only on a terminal, and not with NO_COLOR set.
case "$out" in *$'\e'*) flunk "colour in a pipe: $out" ;; esac
term=$SOURCE_ROOT/tests/pdfcheck/on-a-terminal.py
python3 "$term" -- "$LETTERKIT" scan --db "$db" "$tmp/letter.pdf" "$clam" </dev/null >"$tmp/tty"
grep -q $'\e\\[1;32mCLEAN\e\\[0m ' "$tmp/tty" || flunk "no colour on a terminal: $(od -c "$tmp/tty" | head)"
grep -q $'\e\\[1;31mFOUND\e\\[0m ' "$tmp/tty" || flunk "no colour on a terminal: $(od -c "$tmp/tty" | head)"
python3 "$term" NO_COLOR=1 -- "$LETTERKIT" scan --db "$db" "$tmp/letter.pdf" "$clam" </dev/null >"$tmp/tty"
grep -q $'\e' "$tmp/tty" && flunk "colour with NO_COLOR set: $(od -c "$tmp/tty" | head)"
# A file name that is not UTF-8 is carried losslessly: "file" readable, "file_base64" exact.
bad_name="$tmp/$(printf 'bad\377name').pdf"
cp "$tmp/letter.pdf" "$bad_name"
expect_status 0 "$LETTERKIT" scan --json --db "$db" "$bad_name" "$tmp/letter.pdf"
expect_contains "$out" "{\"file\":\"$tmp/letter.pdf\",\"scan\":{\"clean\":true"
python3 -c '
import base64, json, sys
rec = json.loads(sys.stdin.readline())
assert base64.b64decode(rec["file_base64"]) == sys.argv[1].encode("utf-8", "surrogateescape"), rec
assert rec["scan"]["clean"] is True, rec
' "$bad_name" <<<"$out" || flunk "a name that is not UTF-8 in --json"
# ... and read back from a record: the exact bytes are scanned.
expect_status 0 "$LETTERKIT" scan --db "$db" - <<<"$(head -n 1 <<<"$out")"
expect_contains "$out" '"file_base64":'
expect_contains "$out" '"clean":true'

# --json: one record per file, the contract's exact fields.
expect_status 2 "$LETTERKIT" scan --json --db "$db" "$tmp/letter.pdf" "$clam" "$tmp/missing.pdf"
read -r -d '' check <<'EOF'
import json, sys
tmp, clam = sys.argv[1], sys.argv[2]
recs = [json.loads(line) for line in sys.stdin]
assert [r["file"] for r in recs] == [tmp + "/letter.pdf", clam, tmp + "/missing.pdf"], recs
engine = recs[0]["scan"]["engine"]
assert engine.count(".") == 2, engine
assert recs[0]["scan"] == {"clean": True, "virus": None, "engine": engine, "signatures": 2}, recs[0]
assert recs[1]["scan"] == {"clean": False, "virus": "Letterkit.Test.ClamExe.UNOFFICIAL",
                           "engine": engine, "signatures": 2}, recs[1]
assert recs[2]["scan"] == {"clean": False, "virus": None,
                           "error": "cannot open: No such file or directory"}, recs[2]
EOF
python3 -c "$check" "$tmp" "$clam" <<<"$out" || flunk "--json records"

# Records on stdin ('-' or no FILE): fields kept, "scan" added; a bad line
# and a record without "file" written back with the error, said once on stderr.
printf '%s\n' "{\"file\":\"$tmp/letter.pdf\",\"id\":7,\"scan\":{\"stale\":1}}" 'not json' \
    '{"id":8}' "{\"file\":\"$clam\",\"check\":{\"ok\":true}}" >"$tmp/in.ndjson"
expect_status 2 "$LETTERKIT" scan --db "$db" - <"$tmp/in.ndjson"
expect_contains "$err" "letterkit scan: <stdin>: line 2: not JSON"
expect_contains "$err" "letterkit scan: <stdin>: line 3: the record has no \"file\" string"
[ "$(grep -c 'line [23]:' <<<"$err")" -eq 2 ] || flunk "bad lines not said once each: $err"
read -r -d '' check <<'EOF'
import json, sys
tmp, clam = sys.argv[1], sys.argv[2]
recs = [json.loads(line) for line in sys.stdin]
assert len(recs) == 4, recs
assert recs[0]["id"] == 7 and recs[0]["scan"]["clean"] is True and "stale" not in recs[0]["scan"], recs[0]
assert list(recs[1]) == ["line", "scan"] and recs[1]["line"] == 2, recs[1]
assert recs[1]["scan"]["clean"] is False and recs[1]["scan"]["virus"] is None, recs[1]
assert recs[1]["scan"]["error"].startswith("<stdin>: line 2: not JSON"), recs[1]
assert list(recs[2]) == ["id", "scan"] and recs[2]["id"] == 8, recs[2]
assert recs[2]["scan"]["error"].startswith("<stdin>: line 3: the record has no \"file\" string"), recs[2]
assert recs[3]["check"] == {"ok": True}, recs[3]
assert recs[3]["scan"]["virus"] == "Letterkit.Test.ClamExe.UNOFFICIAL", recs[3]
EOF
python3 -c "$check" "$tmp" "$clam" <<<"$out" || flunk "stdin records"
# Records stream: each comes out before the next goes in, so the next stage
# of a pipe starts at once.
python3 - "$LETTERKIT" "$db" "$tmp/letter.pdf" <<'EOF' || flunk "records are not written one at a time"
import select, subprocess, sys
p = subprocess.Popen([sys.argv[1], "scan", "--db", sys.argv[2]],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.stdin.write(('{"file":"%s"}\n' % sys.argv[3]).encode())
p.stdin.flush()
ready, _, _ = select.select([p.stdout], [], [], 20)
ok = bool(ready) and b'"clean":true' in p.stdout.readline()
p.stdin.close()
p.wait()
sys.exit(0 if ok and p.returncode == 0 else 1)
EOF

# A PDF piped to stdin (not records) is scanned as the file "-".
expect_status 1 "$LETTERKIT" scan --db "$db" <"$clam"
expect_eq "$out" "FOUND -: Letterkit.Test.ClamExe.UNOFFICIAL" "PDF on stdin"
expect_status 0 "$LETTERKIT" scan --json --db "$db" - <"$tmp/letter.pdf"
expect_contains "$out" '{"file":"-","scan":{"clean":true,"virus":null,'
# No FILE at all reads stdin too; all clean is 0.
printf '{"file":"%s"}\n' "$tmp/letter.pdf" | LETTERKIT_CLAMAV_DB="$db" "$LETTERKIT" scan >"$tmp/o" 2>&1
status=$?
[ "$status" -eq 0 ] || flunk "stdin without FILE: exit $status"
expect_contains "$(cat "$tmp/o")" '"scan":{"clean":true'

# Where the signatures come from: --db, else $LETTERKIT_CLAMAV_DB, else /var/lib/clamav.
mkdir "$tmp/empty-db"
expect_status 2 "$LETTERKIT" scan --db "$tmp/empty-db" "$tmp/letter.pdf"
expect_contains "$err" "no ClamAV signatures loaded from $tmp/empty-db"
expect_contains "$err" "run freshclam"
expect_contains "$err" "--db DIR"
[ -z "$out" ] || flunk "an empty engine printed a verdict: $out"
expect_status 2 env LETTERKIT_CLAMAV_DB="$tmp/empty-db" "$LETTERKIT" scan "$tmp/letter.pdf"
expect_contains "$err" "$tmp/empty-db"
expect_status 1 env LETTERKIT_CLAMAV_DB="$db" "$LETTERKIT" scan "$clam"
expect_status 1 env LETTERKIT_CLAMAV_DB="$tmp/empty-db" "$LETTERKIT" scan --db "$db" "$clam"
if ! compgen -G '/var/lib/clamav/*.c[lv]d' >/dev/null; then
    # This machine has no downloaded signatures (as on CI): the default fails loudly.
    expect_status 2 "$LETTERKIT" scan "$tmp/letter.pdf"
    expect_contains "$err" "no ClamAV signatures loaded from /var/lib/clamav"
    expect_contains "$err" "run freshclam"
fi
finish
