#!/usr/bin/python3
"""End-to-end test of `letterkit fix`: letters from three producers failing
each fixable rule by small and large amounts are fixed and then pass
`letterkit check`, or are left alone with the reason when --min-scale would
be crossed; unfixable letters are refused; the text survives (pdftotext);
page 1 fixed around its address (the address check reads, and its words'
boxes, unchanged), or refused past the floor; then property tests of 80
random failing page-1 letters and 200 random failing later pages. Before/after pictures
are kept in BUILD_ROOT/tests/fix/artefacts."""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import producers  # noqa: E402

LK = os.environ["LETTERKIT"]
ART = os.path.join(os.environ["BUILD_ROOT"], "tests", "fix", "artefacts")
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL", msg)


def written_verdicts(recs):
    """check's verdict on every letter fix wrote, by file, in one batch."""
    written = [r["file"] for r in recs if r["fix"].get("written")]
    if not written:
        return {}
    chk = subprocess.run([LK, "check", "--json"] + written, capture_output=True)
    return {r["file"]: r["valid"] for r in map(json.loads, chk.stdout.decode().splitlines())}

def fix(args, files):
    p = subprocess.run([LK, "fix"] + args + files, capture_output=True, timeout=120)
    recs = [json.loads(l) for l in p.stdout.decode().splitlines()]
    return p.returncode, recs, p.stderr.decode()


def check_ok(path):
    return subprocess.run([LK, "check", "-q", path], capture_output=True).returncode == 0


def expect_fixed(rec, original, tag_removed=False):
    f = rec["fix"]
    name = os.path.basename(original)
    if not f["valid"] or not f["changed"]:
        return fail("%s: not fixed: %s" % (name, json.dumps(f)))
    if not check_ok(rec["file"]):
        return fail("%s: the fixed letter fails check" % name)
    before = producers.text(original)
    if tag_removed:
        before = before.replace("NOTIFY", "", 1)
    if producers.text(rec["file"]) != before:
        fail("%s: text changed" % name)
    if subprocess.run(["pdfinfo", rec["file"]], capture_output=True, text=True).stdout.count("Pages:") != 1:
        fail("%s: pdfinfo cannot read the fixed letter" % name)
    print("ok", name, "->", "; ".join(d for p in f["pages"] for d in p["did"]))


def main():
    tmp = tempfile.mkdtemp(prefix="lk-fix-")
    os.makedirs(ART, exist_ok=True)
    cases = []
    for pname, make in producers.PRODUCERS.items():
        for kind, amount in [("outside", 3), ("outside", 12), ("tag", 0), ("size", 0)]:
            path = os.path.join(tmp, "%s-%s-%d.pdf" % (pname, kind, amount))
            make(path, kind, amount)
            if check_ok(path):
                fail("%s passes check before fixing: the generator is wrong" % path)
            cases.append((path, kind))
    out = os.path.join(tmp, "out")
    rc, recs, err = fix(["--output-dir", out, "--overlay", ART], [c[0] for c in cases])
    if rc != 0:
        fail("fix exit %d, not 0: %s" % (rc, err))
    for (path, kind), rec in zip(cases, recs):
        expect_fixed(rec, path, tag_removed=kind == "tag")
    # The link of the reportlab page survives, moved with the page (poppler lists it).
    for name in ["reportlab-tag-0.pdf", "reportlab-outside-12.pdf", "reportlab-size-0.pdf"]:
        urls = subprocess.run(["pdfinfo", "-url", os.path.join(out, name)], capture_output=True,
                              text=True).stdout
        if "https://example.org/" not in urls:
            fail("%s: the link was lost: %s" % (name, urls))

    # --overlay: a before/after picture of every changed page.
    for rec in recs:
        stem = os.path.basename(rec["fix"]["from"])[:-4]
        for pg in rec["fix"]["pages"]:
            pic = os.path.join(ART, "%s-page-%d.png" % (stem, pg["page"]))
            if pg["did"] and not (os.path.exists(pic) and os.path.getsize(pic) > 0):
                fail("no before/after picture %s for page %d of %s" % (pic, pg["page"], stem))
    # rotate-landscape (opt-in) turns a landscape later page; shrink makes a file over 2 MiB small
    # (reportlab and Ghostscript: an uncompressed content stream; cairo: 20 copies of one image).
    for pname, make in producers.PRODUCERS.items():
        for kind, args, want in [("landscape", ["--only", "a4,rotate-landscape,scale-to-fit"],
                                  "turned onto portrait A4"),
                                 ("big", [], "shrink: rewritten")]:
            path = os.path.join(tmp, "%s-%s.pdf" % (pname, kind))
            make(path, kind, 0)
            if check_ok(path):
                fail("%s passes check before fixing" % path)
            rc, recs2, err = fix(args + ["-o", os.path.join(tmp, "out-%s-%s.pdf" % (pname, kind))], [path])
            if rc != 0 or want not in json.dumps(recs2[0]):
                fail("%s %s: rc %d %s %s" % (pname, kind, rc, json.dumps(recs2), err))
            else:
                expect_fixed(recs2[0], path)
                if kind == "big":
                    f = recs2[0]["fix"]
                    print("   shrink: %d -> %d bytes; %s" % (f["size_before"], f["size_after"], f["notes"]))
                    if f["size_after"] > 2 * 1024 * 1024:
                        fail("%s: still %d bytes after shrink" % (path, f["size_after"]))
    # a4 by a large amount (A5, placed unscaled) and a small one (A4 3 mm too wide, scaled 0.986).
    for label, size, want in [("a5", (148 * producers.MM, 210 * producers.MM), "placed on A4 from 148.0 x 210.0 mm"),
                              ("wide", (213 * producers.MM, 297 * producers.MM), "placed on A4 from 213.0 x 297.0 mm")]:
        path = os.path.join(tmp, "reportlab-%s.pdf" % label)
        producers.reportlab(path, "size", 0, size=size)
        rc, recs, err = fix(["-o", os.path.join(tmp, "out-%s.pdf" % label)], [path])
        if rc != 0 or want not in json.dumps(recs[0]):
            fail("%s: rc %d %s %s" % (label, rc, json.dumps(recs), err))
        else:
            expect_fixed(recs[0], path)
    rc, recs, _ = fix(["-o", os.path.join(tmp, "not-turned.pdf")], [os.path.join(tmp, "reportlab-landscape.pdf")])
    if rc != 1 or "rotate-landscape (opt-in" not in json.dumps(recs[0]):
        fail("a landscape page without rotate-landscape: %d %s" % (rc, json.dumps(recs)))

    # Past the floor: left alone, with the reason, exit 1.
    for pname in producers.PRODUCERS:
        path = os.path.join(tmp, "%s-outside-12.pdf" % pname)
        rc, recs, _ = fix(["--min-scale", "0.97", "-o", os.path.join(tmp, "floor.pdf")], [path])
        f = recs[0]["fix"]
        reasons = [p.get("refused", "") for p in f["pages"]]
        if rc != 1 or f["changed"] or not any("below --min-scale" in r for r in reasons):
            fail("%s with --min-scale 0.97: rc %d, %s" % (pname, rc, json.dumps(f)))
        elif os.path.exists(os.path.join(tmp, "floor.pdf")):
            fail("a letter past the floor was written")
        else:
            print("ok", pname, "floor refused:", [r for r in reasons if r][0])

    # --only: a fixup not selected is said.
    rc, recs, _ = fix(["--only", "a4", "-o", os.path.join(tmp, "only.pdf")], [os.path.join(tmp, "reportlab-tag-0.pdf")])
    if rc != 1 or "notify-tag not selected" not in json.dumps(recs[0]):
        fail("--only a4 on a tagged letter: %d %s" % (rc, json.dumps(recs)))

    # Not fixable: an unreadable file, 11 pages.
    bad = os.path.join(tmp, "garbage.pdf")
    with open(bad, "wb") as f:
        f.write(b"%PDF-1.4\nnot a pdf at all\n")
    rc, recs, _ = fix(["--output-dir", out], [bad])
    if rc != 1 or "not fixable" not in json.dumps(recs[0]):
        fail("garbage: %d %s" % (rc, json.dumps(recs)))
    long_pdf = os.path.join(tmp, "long.pdf")
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(long_pdf, pagesize=producers.A4)
    for i in range(11):
        c.drawString(100, 400, "page %d" % (i + 1))
        c.showPage()
    c.save()
    rc, recs, _ = fix(["--output-dir", out], [long_pdf])
    if rc != 1 or "more than Notify's 10" not in json.dumps(recs[0]):
        fail("11 pages: %d %s" % (rc, json.dumps(recs)))

    # check | fix | check, through records.
    chk = subprocess.run([LK, "check", "--json"] + [c[0] for c in cases], capture_output=True)
    fx = subprocess.run([LK, "fix", "--output-dir", os.path.join(tmp, "pipe")], input=chk.stdout,
                        capture_output=True)
    chk2 = subprocess.run([LK, "check", "--json"], input=fx.stdout, capture_output=True)
    if fx.returncode != 0 or chk2.returncode != 0:
        fail("check | fix | check: %d %d %s" % (fx.returncode, chk2.returncode, fx.stderr.decode()))
    else:
        print("ok check | fix | check: %d letters" % len(chk2.stdout.splitlines()))

    first_page_test(tmp)
    first_page_property(tmp)
    property_test(tmp)
    shutil.rmtree(tmp)
    print("%d failures" % failures)
    return 1 if failures else 0


# The address window grown by Notify's 3 mm, in points from the top left.
READ_AREA = [v * producers.MM for v in (24.6 - 3, 39.5 - 3, 120 + 3, 66.3 + 3)]


def address_words(path):
    """The words of page 1 poppler finds meeting the address read area, with their boxes."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", path, "-"], capture_output=True,
                         text=True, check=True).stdout
    words = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out):
        x0, y0, x1, y1 = map(float, m.groups()[:4])
        if x0 < READ_AREA[2] and x1 > READ_AREA[0] and y0 < READ_AREA[3] and y1 > READ_AREA[1]:
            words.append((m.group(5), round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)))
    return words


def checked_address(path):
    p = subprocess.run([LK, "check", "--json", path], capture_output=True)
    return json.loads(p.stdout.decode().splitlines()[0]).get("address")


def first_page_test(tmp):
    """scale-to-fit on page 1: letters from each producer failing page 1's regions by a little (a
    footer 2-3 mm into the bottom margin, a line 1-2 mm into the right margin, a logo 1-2 mm into the
    top margin) are fixed and pass check, with the address check reads, and its words' boxes, as
    they were and the text kept; by a lot (past the floor, or the address itself outside) they are
    refused with the reason and not written."""
    folder = os.path.join(tmp, "first")
    out = os.path.join(tmp, "first-out")
    os.makedirs(folder)
    small = [("footer", 2), ("footer", 3), ("right", 1), ("right", 2), ("logo", 1), ("logo", 2)]
    cases = []
    for pname, make in producers.FIRST_PAGE.items():
        clean = os.path.join(folder, "%s-p1-clean.pdf" % pname)
        make(clean, "clean", 0)
        want = checked_address(clean)
        if want != "\n".join(producers.ADDRESS):
            fail("%s: check reads the clean letter's address as %r" % (clean, want))
        for kind, amount in small:
            path = os.path.join(folder, "%s-p1-%s-%d.pdf" % (pname, kind, amount))
            make(path, kind, amount)
            if check_ok(path):
                fail("%s passes check before fixing: the generator is wrong" % path)
            cases.append((path, want))
    rc, recs, err = fix(["--output-dir", out, "--overlay", ART], [c[0] for c in cases])
    if rc != 0:
        fail("page 1: fix exit %d, not 0: %s" % (rc, err))
    for (path, want), rec in zip(cases, recs):
        expect_fixed(rec, path)
        if not rec["fix"]["valid"]:
            continue
        did = [d for p in rec["fix"]["pages"] if p["page"] == 1 for d in p["did"]]
        if not any("but for the address, kept where it was" in d for d in did):
            fail("%s: page 1 not fixed around its address: %s" % (path, did))
        got = checked_address(rec["file"])
        if got != want:
            fail("%s: check reads the address as %r after fixing, not %r" % (path, got, want))
        before, after = address_words(path), address_words(rec["file"])
        if before != after or len(before) < len(producers.ADDRESS):
            fail("%s: the address's words moved: %s -> %s" % (path, before, after))
        pic = os.path.join(ART, os.path.basename(path)[:-4] + "-page-1.png")
        if not os.path.exists(pic):
            fail("no before/after picture %s" % pic)
    # The reportlab letter's link (under "Dear Ms Person") survives, moved with the page.
    urls = subprocess.run(["pdfinfo", "-url", os.path.join(out, "reportlab-p1-footer-3.pdf")],
                          capture_output=True, text=True).stdout
    if "https://example.org/" not in urls:
        fail("reportlab-p1-footer-3.pdf: the link was lost: %s" % urls)

    # Past the floor, or not fixable at all: left alone, with the reason, exit 1.
    large = [("wide", [], "needs scale 0.88"), ("right", ["--min-scale", "0.95"], "below --min-scale 0.950"),
             ("tall-logo", [], "no scale about any point fits them"),
             ("long-address", [], "page 1's address (the words Notify reads from the window) reaches outside")]
    for pname, make in producers.FIRST_PAGE.items():
        for kind, args, why in large:
            path = os.path.join(folder, "%s-p1-large-%s.pdf" % (pname, kind))
            make(path, kind, 12 if kind == "right" else 0)
            if check_ok(path):
                fail("%s passes check before fixing: the generator is wrong" % path)
            dest = os.path.join(tmp, "first-refused.pdf")
            rc, recs, _ = fix(args + ["-o", dest], [path])
            f = recs[0]["fix"]
            reasons = [p.get("refused", "") for p in f["pages"]]
            if rc != 1 or f["changed"] or not any(why in r for r in reasons):
                fail("%s %s: rc %d, %s" % (pname, kind, rc, json.dumps(f)))
            elif os.path.exists(dest):
                fail("%s: a letter refused was written" % path)
            else:
                print("ok", os.path.basename(path), "refused:", [r for r in reasons if r][0])
    # The same 12 mm line is fixed at the default floor.
    path = os.path.join(folder, "reportlab-p1-large-right.pdf")
    rc, recs, _ = fix(["-o", os.path.join(out, "right-12.pdf")], [path])
    if rc != 0:
        fail("reportlab-p1-large-right.pdf at the default floor: rc %d %s" % (rc, json.dumps(recs)))
    else:
        expect_fixed(recs[0], path)
        if address_words(path) != address_words(recs[0]["file"]):
            fail("reportlab-p1-large-right.pdf: the address's words moved")


def audit_fixes(label, recs, out, changed_check):
    """What a property test asks of every record of a fix run over letters
    that all failed check: a letter is written only when check passes it; a
    changed one keeps its text and meets changed_check(rec); a refused one has
    a reason and is not written. Returns (fixed, refused)."""
    # One check of every letter written, in a batch (quicker than one run each).
    verdicts = written_verdicts(recs)
    fixed = refused = 0
    for rec in recs:
        f = rec["fix"]
        if f.get("written") and not verdicts.get(rec["file"]):
            fail("%s: %s written while failing check" % (label, rec["file"]))
        if f["changed"]:
            fixed += 1
            changed_check(rec)
            if producers.text(rec["file"]) != producers.text(f["from"]):
                fail("%s: %s text changed" % (label, rec["file"]))
        elif not f["valid"]:
            refused += 1
            if not [p.get("refused") for p in f["pages"] if p.get("refused")] + f["notes"]:
                fail("%s: %s refused without a reason" % (label, rec["file"]))
            if os.path.exists(os.path.join(out, os.path.basename(rec["file"]))):
                fail("%s: %s refused but written" % (label, rec["file"]))
    return fixed, refused


def first_page_property(tmp):
    """80 page-1 letters (reportlab), each with the word "mark" at a random place just outside
    page 1's regions (a margin, or the space around the window): each is fixed, passes, keeps its
    text and its address words where they were, or is refused with a reason and not written."""
    rnd = random.Random(int(os.environ.get("FIX_SEED", "17")) + 1)
    folder = os.path.join(tmp, "random-first")
    os.makedirs(folder)
    for i in range(80):
        side = rnd.choice(["left", "right", "top", "bottom", "gap"])
        d = rnd.uniform(1.5, 6)
        x, y = {"left": (15 - d - 2, rnd.uniform(100, 280)), "right": (195 + d - 8, rnd.uniform(100, 280)),
                "top": (rnd.uniform(20, 100), 5 - d + 2.5), "bottom": (rnd.uniform(20, 180), 292 + d),
                "gap": (rnd.uniform(30, 100), 67.3 + d + 2.5)}[side]
        producers.reportlab_first(os.path.join(folder, "f%02d.pdf" % i), "scatter", 0, mark=(x, y))
    before = subprocess.run([LK, "check", "--json", folder], capture_output=True)
    passing = [r["file"] for r in map(json.loads, before.stdout.decode().splitlines()) if r["valid"]]
    if passing:
        fail("first-page property: %d generated letters pass check, e.g. %s" % (len(passing), passing[0]))
    out = os.path.join(tmp, "random-first-out")
    rc, recs, err = fix(["--output-dir", out], [folder])

    def address_kept(rec):
        if address_words(rec["file"]) != address_words(rec["fix"]["from"]):
            fail("first-page property: %s: the address's words moved" % rec["file"])
    fixed, refused = audit_fixes("first-page property", recs, out, address_kept)
    if len(recs) != 80:
        fail("first-page property: %d records, not 80" % len(recs))
    print("ok first-page property: %d fixed, %d refused with a reason, of 80 (exit %d)" % (fixed, refused, rc))


def property_test(tmp):
    """200 letters, each failing check with a mark at a random place outside
    the body of page 2: each is fixed and passes, or refused with a reason and
    not written."""
    rnd = random.Random(int(os.environ.get("FIX_SEED", "17")))
    folder = os.path.join(tmp, "random")
    os.makedirs(folder)
    for i in range(200):
        side = rnd.choice(["left", "right", "top", "bottom"])
        # How far the word reaches past the body's edge: far enough to fail (Notify's 1 mm slack),
        # near enough that some of it is still on the page (a word off the page is no mark at all).
        d = rnd.uniform(1.5, 14 if side in ("left", "right") else 6)
        x, y = {"left": (15 - d, rnd.uniform(20, 280)), "right": (195 + d - 8, rnd.uniform(20, 280)),
                "top": (rnd.uniform(20, 180), 5 - d + 2.5), "bottom": (rnd.uniform(20, 180), 292 + d)}[side]
        path = os.path.join(folder, "r%03d.pdf" % i)
        producers.reportlab(path, "scatter", 0, size=producers.A4, x_mm=x, y_mm=y,
                            text="random letter %d" % i)
    # Every one of them fails check before it is fixed.
    before = subprocess.run([LK, "check", "--json", folder], capture_output=True)
    verdicts_before = [json.loads(l) for l in before.stdout.decode().splitlines()]
    passing = [r["file"] for r in verdicts_before if r["valid"]]
    if len(verdicts_before) != 200:
        fail("property: check gave %d verdicts of 200 letters" % len(verdicts_before))
    if passing:
        fail("property: %d generated letters pass check before fixing, e.g. %s" % (len(passing), passing[0]))
    out = os.path.join(tmp, "random-out")
    rc, recs, err = fix(["--output-dir", out], [folder])

    def valid(rec):
        if not rec["fix"]["valid"]:
            fail("property: %s changed but not valid" % rec["file"])
    fixed, refused = audit_fixes("property", recs, out, valid)
    if len(recs) != 200:
        fail("property: %d records, not 200" % len(recs))
    print("ok property: %d fixed, %d refused with a reason, %d passed as they were, of 200 (exit %d)"
          % (fixed, refused, 200 - fixed - refused, rc))


if __name__ == "__main__":
    sys.exit(main())
