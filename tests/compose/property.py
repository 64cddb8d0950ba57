#!/usr/bin/env python3
"""Property test: thousands of random rows either make a letter that passes
`letterkit check`, or fail with the row's own clear error; none is lost.

Rows mix long names, long and odd addresses, Welsh text, many paragraphs
(some past ten pages), characters the font lacks and control characters.
The seed is printed, and PROPERTY_SEED reruns one case.
"""
import csv, json, os, random, re, shutil, subprocess, sys, tempfile

LK = os.environ["LETTERKIT"]
N = int(os.environ.get("PROPERTY_ROWS", "2000"))
seed = int(os.environ.get("PROPERTY_SEED", random.randrange(1 << 30)))
rnd = random.Random(seed)

TEMPLATE = """[letter]
sender = Property Test Office
sender = Cardiff
[body]
# About ((name))

Dear ((name)),

((text))

((more??* an extra item for ((name))))

* ((item))
- ((item)) again

((text))
"""
WELSH = ["ŵ", "ŷ", "â", "ê", "î", "ô", "û", "Ŵ", "Ŷ", "£", "’", "–", "é", "ï"]
POSTCODES = ["CF10 1AA", "SW1A 1AA", "sw1a2aa", "EH1 1YZ", "BT1 1AA", "LL55 4UR"]


def word(maxlen=12):
    chars = "abcdefghijklmnopqrstuvwxyz" + "".join(WELSH)
    return "".join(rnd.choice(chars) for _ in range(rnd.randint(1, maxlen)))


def sentence(n):
    return " ".join(word() for _ in range(n))


def make_row(i):
    kind = rnd.random()
    expect = "ok"
    name = sentence(rnd.randint(1, 3)).title()
    if rnd.random() < 0.05:
        name = word(60) * rnd.randint(2, 5)  # one very long word
    lines = ["Mx " + name[:80], "%d %s Street" % (rnd.randint(1, 999), word().title())]
    lines += [sentence(rnd.randint(1, 4)).title() for _ in range(rnd.randint(0, 4))]
    postcode = rnd.choice(POSTCODES)
    paragraphs = rnd.choice([1, 2, 5, 20, 60, 200])
    text = "\n\n".join(sentence(rnd.randint(5, 60)) for _ in range(paragraphs))
    item = sentence(rnd.randint(1, 30))
    if kind < 0.05:
        postcode = "ZZ99 9ZZ"
        expect = "address"
    elif kind < 0.08:
        item += " 漢"
        expect = "glyph"
    elif kind < 0.10:
        lines[1] = "W" * rnd.randint(90, 150)
        expect = "fit"
    elif kind < 0.12:
        text += "\x07"
        expect = "text"
    elif kind < 0.14:
        lines[0] = "(" + lines[0]
        expect = "address"
    row = {"name": name, "text": text, "item": item, "more": rnd.choice(["yes", "no", "True", ""])}
    # Notify's columns: lines 1-6 and postcode (with an address_line_7
    # column, Notify would not read the postcode one).
    for k in range(6):
        row["address_line_%d" % (k + 1)] = lines[k] if k < len(lines) else ""
    row["postcode"] = postcode
    return row, expect


def main():
    print("seed", seed)
    tmp = tempfile.mkdtemp()
    tpl = os.path.join(tmp, "t.conf")
    with open(tpl, "w", encoding="utf-8") as f:
        f.write(TEMPLATE)
    rows = [make_row(i) for i in range(N)]
    data = os.path.join(tmp, "rows.csv")
    with open(data, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(rows[0][0]))
        for r, _ in rows:
            w.writerow(list(r.values()))
    run = subprocess.run([LK, "compose", "-t", tpl, "-o", os.path.join(tmp, "out"), "--jobs", "2",
                          "--date", "2026-03-01", data], capture_output=True, text=True)
    failures = []
    if run.returncode not in (0, 1):
        failures.append("compose exit %d: %s" % (run.returncode, run.stderr[-2000:]))
    made = {}
    for line in run.stdout.splitlines():
        rec = json.loads(line)
        made[rec["row"]] = rec
    rows_seen = sorted(made)
    if rows_seen != sorted(rows_seen) or [r for r in rows_seen] != [json.loads(l)["row"] for l in run.stdout.splitlines()]:
        failures.append("manifest out of row order")
    failed = {}
    lines = run.stderr.splitlines()
    summary = lines.pop() if lines else ""
    for line in lines:
        m = re.match(r"letterkit compose: .*rows\.csv: row (\d+): (.*) \(row skipped\)$", line)
        if not m:
            failures.append("unexpected stderr line: " + line)
            continue
        failed[int(m.group(1))] = m.group(2)
    for i, (row, expect) in enumerate(rows, 2):   # a spreadsheet row: the header is row 1
        if i in made and i in failed:
            failures.append("row %d both made and failed" % i)
        elif i not in made and i not in failed:
            failures.append("row %d lost" % i)
        elif i in failed:
            msg = failed[i]
            ok = {"address": msg.startswith("address: "),
                  "glyph": "has no glyph for '漢' (U+6F22)" in msg,
                  "fit": "does not fit the address window" in msg,
                  "text": "control character U+0007" in msg}
            if expect in ok and not ok[expect] and "more than 10 pages" not in msg:
                failures.append("row %d: want a %s error, got: %s" % (i, expect, msg))
            elif expect == "ok" and "more than 10 pages" not in msg and "does not fit" not in msg:
                failures.append("row %d should have made a letter: %s" % (i, msg))
        elif expect != "ok":
            failures.append("row %d should have failed (%s)" % (i, expect))
    # The last line sums the batch up: every row in it, the failures by their code.
    m = re.match(r"letterkit compose: (\d+) of (\d+) letters failed: (.*)$", summary)
    if failed and not m:
        failures.append("no summary line at the end: %r" % summary)
    elif not failed and summary != "letterkit compose: all %d letters made" % N:
        failures.append("summary %r, want 'all %d letters made'" % (summary, N))
    elif m and (int(m.group(1)), int(m.group(2))) != (len(failed), N):
        failures.append("summary %r, want %d of %d" % (summary, len(failed), N))
    elif m and sum(int(c.split()[0]) for c in m.group(3).split(", ")) != len(failed):
        failures.append("summary codes do not add up to %d: %r" % (len(failed), summary))
    if made:
        check = subprocess.run([LK, "check"], input=run.stdout, capture_output=True, text=True)
        valid = check.stdout.count('"valid":true')
        if check.returncode != 0 or valid != len(made):
            bad = [l for l in check.stdout.splitlines() if '"valid":true' not in l]
            failures.append("letterkit check: exit %d, %d of %d valid: %s" % (check.returncode, valid,
                            len(made), "\n".join(bad[:5])))
    print("%d rows: %d letters, %d failed rows" % (N, len(made), len(failed)))
    shutil.rmtree(tmp)
    for f in failures[:30]:
        print("FAIL:", f, file=sys.stderr)
    if failures:
        print("seed %d: %d failure(s)" % (seed, len(failures)), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
