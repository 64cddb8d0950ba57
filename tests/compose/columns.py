#!/usr/bin/env python3
"""One table of mail-merge rows through `letterkit address --csv` and
`letterkit compose`: the same columns make the same address (issue 13).

Each case is a header and rows; both commands read the same file. For every
row, compose's manifest "address" must equal address's "normalised", or both
must refuse the row with the same Notify error code, under the same "row"
number (the spreadsheet row: the header is row 1). The expected addresses
are written out here too, so the shared rule is checked against Notify's
PostalAddress.from_personalisation, not only against itself.
"""
import csv, json, os, re, subprocess, sys, tempfile

LK = os.environ["LETTERKIT"]

# (header, [(row, expected normalised address or "error:CODE")])
CASES = [
    # Notify's columns in any case and spacing; empty lines are dropped.
    (["Name", "Address Line 1", "ADDRESS_LINE_2", "address-line-3", "Address line 4", "Post Code"], [
        (["a", "Ann Jones", "1 High Street", "", "Cardiff", "cf101aa"], "Ann Jones\n1 High Street\nCardiff\nCF10 1AA"),
        (["b", "Bob Smith", "", "", "", "SW1A 1AA"], "error:not-enough-address-lines"),
        (["c", "Cy Bach", "Flat 2", "2 Low Road", "Swansea", "NOPE"], "error:not-a-real-uk-postcode-or-country"),
    ]),
    # A postcode column with address_line_7 present: Notify reads line 7, not the postcode.
    (["address_line_1", "address_line_2", "address_line_3", "address_line_7", "postcode"], [
        (["Dai Jones", "3 Hill St", "Cardiff", "CF10 1AA", "SW1A 1AA"], "Dai Jones\n3 Hill St\nCardiff\nCF10 1AA"),
        (["Eve Smith", "4 Hill St", "Cardiff", "", "CF10 1AA"], "error:not-a-real-uk-postcode-or-country"),
        (["Fay Ray", "5 Hill St", "Berlin", "Germany", "CF10 1AA"], "Fay Ray\n5 Hill St\nBerlin\nGermany"),
    ]),
    # The same without address_line_7: the postcode column is the last line.
    (["ADDRESS LINE 1", "address line 2", "address line 3", "address line 6", "postcode"], [
        (["Gil Hughes", "6 Hill St", "", "Newport", "np20 1aa"], "Gil Hughes\n6 Hill St\nNewport\nNP20 1AA"),
        (["Hal Evans", "7 Hill St", "Newport", "", ""], "error:not-a-real-uk-postcode-or-country"),
    ]),
]


def run(args):
    return subprocess.run([LK] + args, capture_output=True, text=True)


def main():
    failures = []
    tmp = tempfile.mkdtemp()
    open(os.path.join(tmp, "body.md"), "w").write("Hello\n")
    for n, (header, rows) in enumerate(CASES):
        path = os.path.join(tmp, "case%d.csv" % n)
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            for row, _ in rows:
                w.writerow(row)
        a = run(["address", "--csv", "--international", path])
        c = run(["compose", "--international", "--date", "2026-11-23", "-t", os.path.join(tmp, "body.md"),
                 "-o", os.path.join(tmp, "out%d" % n), path])
        checked = {}
        for line in a.stdout.splitlines():
            rec = json.loads(line)
            checked[rec["row"]] = rec["normalised"] if rec["valid"] else "error:" + rec["error"]
        composed = {}
        for line in c.stdout.splitlines():
            rec = json.loads(line)
            composed[rec["row"]] = rec["address"]
            if not os.path.isabs(rec["file"]):
                failures.append("case %d: manifest path not absolute: %s" % (n, rec["file"]))
        for line in c.stderr.splitlines():
            m = re.search(r": row (\d+): address: ([a-z0-9-]+):", line)
            if m:
                composed[int(m.group(1))] = "error:" + m.group(2)
        for i, (row, want) in enumerate(rows, 2):
            if checked.get(i) != want:
                failures.append("case %d row %d: address --csv gave %r, want %r" % (n, i, checked.get(i), want))
            if composed.get(i) != want:
                failures.append("case %d row %d: compose gave %r, want %r" % (n, i, composed.get(i), want))
    for f in failures:
        print("FAIL", f, file=sys.stderr)
    subprocess.run(["rm", "-rf", tmp])
    print("%d cases, %d rows" % (len(CASES), sum(len(r) for _, r in CASES)))
    return 1 if failures else 0


sys.exit(main())
