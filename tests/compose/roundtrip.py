#!/usr/bin/env python3
"""Text extracted from composed letters (MuPDF, poppler) equals the merged text.

An independent merge in Python (placeholders, conditionals, bullets and
numbers, whitespace folded) is compared with `mutool draw -F txt` and
`pdftotext` on every letter, ignoring only line wrapping: nothing may be lost
or mangled. Each font's ToUnicode CMap is compact: bfchar/bfrange entries for
exactly the codes the letter shows in that font (no identity range over
<0000> <FFFF>, which readers expand for every letter), and its Encoding is an
embedded CMap of a few cidrange entries (not Identity-H, whose 65,536 codes
MuPDF looks up in the ToUnicode map one by one).
"""
import csv, json, os, re, shutil, subprocess, sys, tempfile

LK = os.environ["LETTERKIT"]
TEMPLATE = """[letter]
page_numbers = yes
[body]
# Notice for ((name))

Dear ((name)),

Your balance is **£((amount))** and your reference is ((ref)).
A second line of the same paragraph: ((note))

((flag??This sentence shows only when flag is yes.))

* first item about ((item))
- second item, with “quotes” and the Welsh ŵ ŷ â ô

1. step one
2. step ((item))

***

# Later page

((long))
"""

ROWS = [
    {"name": "Siân Ŵyn-Jones", "amount": "12.50", "ref": "R-1", "note": "Diolch yn fawr", "flag": "yes",
     "item": "tŷ", "long": "word " * 400},
    {"name": "Bob  Smith", "amount": "0", "ref": "R-2", "note": "tabs\tand\nnewlines fold", "flag": "no",
     "item": "boat", "long": "x" * 700},
    {"name": "Ann O'Neill", "amount": "1,000", "ref": "R-3", "note": "**not bold** ((not a field))",
     "flag": "TRUE", "item": "£", "long": "Ŵŷ " * 300},
]
ADDRESS = ["address_line_1", "address_line_2", "postcode"]


def merge(row):
    """The body text as Notify's markup would print it, without line breaks."""
    out = []
    body = TEMPLATE.split("[body]\n", 1)[1]
    for line in body.split("\n"):
        line = line.strip()
        if not line or line == "***":
            continue
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"^[*-] ", "", line)
        line = line.replace("**", "")

        def sub(m):
            name, _, text = m.group(1).partition("??")
            value = row[name]
            if _:
                return text if value.strip().lower() in ("yes", "true") else ""
            return value
        out.append(re.sub(r"\(\((.*?)\)\)", sub, line))
    return "".join(out)


def glyph_maps(path):
    """Each embedded font's CIDToGIDMap, as a list of glyph ids by CID."""
    maps = []
    xref = subprocess.run(["mutool", "show", path, "xref"], capture_output=True, text=True).stdout
    count = len([l for l in xref.splitlines() if re.match(r"\s*\d+:", l)])
    for n in range(1, count + 1):
        obj = subprocess.run(["mutool", "show", path, str(n)], capture_output=True, text=True).stdout
        m = re.search(r"/CIDToGIDMap (\d+) 0 R", obj)
        if m:
            raw = subprocess.run(["mutool", "show", "-b", path, m.group(1)], capture_output=True).stdout
            maps.append([raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2)])
    return maps


def show(path, num, binary=False):
    args = ["mutool", "show"] + (["-b"] if binary else []) + [path, str(num)]
    return subprocess.run(args, capture_output=True, text=not binary).stdout


def codes_shown(path):
    """The codes each font (by object number) shows, from the pages' content streams."""
    shown = {}
    xref = show(path, "xref")
    for n in range(1, len([l for l in xref.splitlines() if re.match(r"\s*\d+:", l)]) + 1):
        obj = show(path, n)
        if "/Type /Page\n" not in obj:
            continue
        fonts = dict(re.findall(r"/(F\d+) (\d+) 0 R", obj))
        contents = re.search(r"/Contents (\d+) 0 R", obj).group(1)
        stream = show(path, contents, binary=True).decode("latin-1")
        font = None
        for m in re.finditer(r"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]*)> Tj", stream):
            if m.group(1):
                font = int(fonts[m.group(1)])
            else:
                hexs = m.group(2)
                shown.setdefault(font, set()).update(int(hexs[i:i + 4], 16) for i in range(0, len(hexs), 4))
    return shown


def cmap_codes(cmap):
    """The codes a ToUnicode CMap maps, each checked to map to itself; None if not compact."""
    if "cidrange" in cmap or "cidchar" in cmap:
        return None
    codes = set()
    for block in re.findall(r"beginbfchar\n(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]{4})>", block):
            if src != dst:
                return None
            codes.add(int(src, 16))
    for block in re.findall(r"beginbfrange\n(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>", block):
            if lo != dst or int(hi, 16) - int(lo, 16) > 255:
                return None
            codes.update(range(int(lo, 16), int(hi, 16) + 1))
    return codes


def encoding_codes(cmap):
    """The codes an Encoding CMap maps, each checked to map to CID = code, its ranges within 256 codes."""
    codes = set()
    for block in re.findall(r"begincidrange\n(.*?)endcidrange", cmap, re.S):
        for lo, hi, cid in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]{4})> (\d+)", block):
            if int(lo, 16) != int(cid) or int(lo, 16) >> 8 != int(hi, 16) >> 8:
                return None
            codes.update(range(int(lo, 16), int(hi, 16) + 1))
    return codes


def compact_cmaps(path):
    """Failures: fonts whose ToUnicode maps more or less than the codes they show."""
    bad = []
    for font, shown in codes_shown(path).items():
        m = re.search(r"/ToUnicode (\d+) 0 R", show(path, font))
        cmap = show(path, m.group(1), binary=True).decode("latin-1") if m else ""
        codes = cmap_codes(cmap)
        if codes != shown:
            bad.append("font %d: ToUnicode maps %s, the pages show %d codes" %
                       (font, "not compactly" if codes is None else "%d codes" % len(codes), len(shown)))
        m = re.search(r"/Encoding (\d+) 0 R", show(path, font))
        enc = encoding_codes(show(path, m.group(1), binary=True).decode("latin-1")) if m else None
        if enc is None or not shown <= enc or len(enc) > 3 * 256:
            bad.append("font %d: its Encoding is not a compact CMap covering the codes shown" % font)
    return bad


def squash(text):
    return re.sub(r"\s+", "", text)


def compare(rec, row, txt, tool):
    """Failures of text `txt` that `tool` extracted from the letter of `row`."""
    failures = 0
    pages = rec["pages"]
    for p in range(1, pages + 1):
        if txt.count("Page %d of %d" % (p, pages)) != 1:
            print("%s: %s: no 'Page %d of %d'" % (rec["file"], tool, p, pages), file=sys.stderr)
            failures += 1
        txt = txt.replace("Page %d of %d" % (p, pages), "")
    if "5 January 2026" not in txt:
        print("%s: %s: no date" % (rec["file"], tool), file=sys.stderr)
        failures += 1
    txt = txt.replace("5 January 2026", "")
    # Every character printed has a glyph in some font (not glyph 0, an empty box).
    maps = glyph_maps(rec["file"])
    for ch in set(squash(txt)):
        if not any(ord(ch) < len(m) and m[ord(ch)] for m in maps):
            print("%s: no glyph for %r (U+%04X)" % (rec["file"], ch, ord(ch)), file=sys.stderr)
            failures += 1
    want = squash(rec["address"]) + squash(merge(row))
    got = squash(txt)
    if got != want:
        at = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), min(len(got), len(want)))
        print("%s: %s: text differs at %d:\n got  ...%s\n want ...%s" % (rec["file"], tool, at, got[at - 20:at + 40],
              want[at - 20:at + 40]), file=sys.stderr)
        failures += 1
    return failures


def main():
    tmp = tempfile.mkdtemp()
    tpl = os.path.join(tmp, "t.conf")
    with open(tpl, "w", encoding="utf-8") as f:
        f.write(TEMPLATE)
    data = os.path.join(tmp, "rows.csv")
    with open(data, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(ROWS[0]) + ADDRESS)
        for i, r in enumerate(ROWS):
            w.writerow(list(r.values()) + [r["name"], "%d High Street" % (i + 1), "CF10 1AA"])
    run = subprocess.run([LK, "compose", "-t", tpl, "-o", os.path.join(tmp, "out"), "--date",
                          "2026-01-05", data], capture_output=True, text=True)
    failures = 0
    if run.returncode != 0:
        print("compose failed:", run.returncode, run.stderr, file=sys.stderr)
        return 1
    records = [json.loads(l) for l in run.stdout.splitlines()]
    if len(records) != len(ROWS):
        print("want %d records, got %d" % (len(ROWS), len(records)), file=sys.stderr)
        return 1
    for rec, row in zip(records, ROWS):
        for problem in compact_cmaps(rec["file"]):
            print("%s: %s" % (rec["file"], problem), file=sys.stderr)
            failures += 1
        mupdf = subprocess.run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", rec["file"]],
                               capture_output=True, text=True).stdout
        poppler = subprocess.run(["pdftotext", "-q", rec["file"], "-"], capture_output=True, text=True).stdout
        failures += compare(rec, row, mupdf, "mutool") + compare(rec, row, poppler, "pdftotext")
    check = subprocess.run([LK, "check"], input=run.stdout, capture_output=True, text=True)
    if check.returncode != 0 or check.stdout.count('"valid":true') != len(ROWS):
        print("letterkit check:", check.returncode, check.stdout, check.stderr, file=sys.stderr)
        failures += 1
    shutil.rmtree(tmp)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
