#!/usr/bin/python3
"""letterkit fix --report (issue 17): the HTML report shows each letter with
what fix did page by page, its verdict after fixing, and the before/after
picture of every changed page, embedded (the same PNG --overlay writes).
Letters from reportlab and cairo (a mark past the right edge of page 2, a
NOTIFY tag on page 2), one fix cannot fix (an address of two lines), one
that passes as it is, one that is no PDF; then check | fix --trust-check
--report. The report is opened in headless Chromium when it is installed
(screenshots kept as BUILD_ROOT/test-artefacts/fix-report.png and
fix-report-fixed.png, the fixed
letter's picture shown and enlarged by a click); without it that part is
skipped, the rest still runs. Needs LETTERKIT, BUILD_ROOT, SOURCE_ROOT."""
import base64
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import producers  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pdfcheck"))
import browser as pdfcheck_browser  # noqa: E402 (tests/pdfcheck/browser.py)

LK = os.environ["LETTERKIT"]
BUILD = os.environ["BUILD_ROOT"]
SOURCE = os.environ["SOURCE_ROOT"]
ART = os.path.join(BUILD, "test-artefacts")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def articles(doc):
    """Each letter's block of the report: (its class, its text as HTML)."""
    out = []
    for m in re.finditer(r'<(article|div) class="letter (\w+)" id=letter-\d+>(.*?)</\1>', doc, re.S):
        out.append((m.group(2), m.group(3)))
    return out


def named(blocks, name):
    """The block whose file name is `name` (the report may break it with <wbr>)."""
    for cls, body in blocks:
        m = re.search(r"<span class=file>(.*?)</span>", body, re.S)
        if m and html.unescape(m.group(1).replace("<wbr>", "")).endswith(name):
            return cls, body
    return None, ""


def browser(report):
    d, By = pdfcheck_browser.start(os.path.dirname(report), required=False)
    if not d:
        return
    try:
        d.set_page_load_timeout(30)
        d.set_window_size(1280, 1600)
        d.get("file://" + report)
        os.makedirs(ART, exist_ok=True)
        d.save_screenshot(os.path.join(ART, "fix-report.png"))
        print("screenshot", os.path.join(ART, "fix-report.png"))
        d.get("file://" + report + "#fixed")
        d.save_screenshot(os.path.join(ART, "fix-report-fixed.png"))
        print("screenshot", os.path.join(ART, "fix-report-fixed.png"))
        fixed = d.find_elements(By.CSS_SELECTOR, ".letter.fixed")
        check(len(fixed) == 4 and all(e.is_displayed() for e in fixed), "browser: 4 fixed letters shown")
        img = d.find_element(By.CSS_SELECTOR, ".letter.fixed figure img")
        loaded = d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img)
        check(loaded and loaded > 600, "browser: the before/after picture did not load (%r)" % loaded)
        d.execute_script("arguments[0].scrollIntoView()", img)
        before = img.size["width"]
        img.click()
        check(img.size["width"] > before, "browser: a click did not enlarge the picture (%d -> %d)"
              % (before, img.size["width"]))
        d.find_element(By.CSS_SELECTOR, "label[for=only-failures]").click()
        check(not any(e.is_displayed() for e in fixed), "browser: failures only still shows fixed letters")
        check(all(e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, ".letter.fail")),
              "browser: failures only hides a failure")
    finally:
        d.quit()


def main():
    tmp = tempfile.mkdtemp(prefix="lk-fix-report-")
    gen = os.path.join(BUILD, "specimens", "generated")
    letters = []
    for pname in ("reportlab", "cairo"):
        for kind, amount in (("outside", 3), ("tag", 0)):
            path = os.path.join(tmp, "%s-%s.pdf" % (pname, kind))
            producers.PRODUCERS[pname](path, kind, amount)
            letters.append(path)
    unfixable = os.path.join(tmp, "two-line-address.pdf")
    shutil.copy(os.path.join(SOURCE, "specimens", "cairo", "address-not-enough-lines.pdf"), unfixable)
    valid = os.path.join(tmp, "valid.pdf")
    shutil.copy(os.path.join(gen, "valid-1-page.pdf"), valid)
    garbage = os.path.join(tmp, "garbage.pdf")
    with open(garbage, "wb") as f:
        f.write(b"%PDF-1.4\nnot a pdf at all\n")
    letters += [unfixable, valid, garbage]
    report = os.path.join(tmp, "report", "fix.html")   # its folder is made
    pics = os.path.join(tmp, "pictures")
    p = subprocess.run([LK, "fix", "--output-dir", os.path.join(tmp, "out"), "--overlay", pics, "--report", report]
                       + letters, capture_output=True, timeout=120)
    check(p.returncode == 1, "fix exit %d, want 1: %s" % (p.returncode, p.stderr.decode()))
    recs = [json.loads(line) for line in p.stdout.decode().splitlines()]
    check(len(recs) == len(letters), "a record per letter: %d" % len(recs))
    check(os.path.isfile(report), "no report written: %s" % p.stderr.decode())
    if failures:
        return 1
    doc = open(report, encoding="utf-8").read()
    blocks = articles(doc)
    check(len(blocks) == len(letters), "a block per letter in the report: %d of %d" % (len(blocks), len(letters)))
    check("<title>letterkit fix: 7 letters</title>" in doc, "the report's title")
    check("<b>5 passed</b> (4 of them once fixed), <b>2 failed</b>" in doc, "the report's counts")
    check('<a href="#fixed"><code>fixed</code></a><td class=n>4<td>' in doc, "the summary's fixed row")
    # Each fixed letter: FIXED, why it failed as it was, what was done to each page, its pictures.
    for rec in recs:
        f = rec["fix"]
        if not f.get("changed"):
            continue
        name = os.path.basename(f["from"])
        cls, body = named(blocks, name)
        check(cls == "fixed", "%s: not shown as fixed (%s)" % (name, cls))
        check("did not pass as it was: <code>" in body, "%s: no verdict as it was" % name)
        text = html.unescape(body)
        check("written as " + rec["file"] in text, "%s: the copy written is not named" % name)
        for pg in f["pages"]:
            for did in pg["did"]:
                check("page %d: %s" % (pg["page"], did) in text, "%s: the action %r is not in the report"
                      % (name, did))
            alt = "page %d: before (left) and after (right)" % pg["page"]
            m = re.search(r'alt="%s" src="data:image/png;base64,([A-Za-z0-9+/=]+)"' % re.escape(alt), body)
            check(m is not None, "%s: no embedded picture of page %d" % (name, pg["page"]))
            if m:
                png = base64.b64decode(m.group(1))
                on_disk = os.path.join(pics, "%s-page-%d.png" % (name[:-4], pg["page"]))
                check(png[:8] == b"\x89PNG\r\n\x1a\n", "%s: the picture is no PNG" % name)
                check(os.path.exists(on_disk) and open(on_disk, "rb").read() == png,
                      "%s: the report's picture is not --overlay's %s" % (name, on_disk))
        print("ok", name, "->", "; ".join(d for pg in f["pages"] for d in pg["did"]))
    # The letter fix could not fix: FAIL, check's code, fix's reason; passing and unreadable letters.
    cls, body = named(blocks, "two-line-address.pdf")
    check(cls == "fail" and "not-enough-address-lines" in body, "the unfixable letter: %s %s" % (cls, body[:300]))
    check("not fixable: the address breaks" in html.unescape(body), "the unfixable letter lacks fix's reason")
    check(named(blocks, "valid.pdf")[0] == "pass", "the valid letter is not one PASS line")
    check(named(blocks, "garbage.pdf")[0] == "fail", "the unreadable letter is not a failure")
    check("before (left) and after (right)." in doc, "the note on the pictures")
    print("ok the report holds every letter, action and picture")

    # check | fix --trust-check --report: the letters check passed are one line each, not looked at again.
    chk = subprocess.run([LK, "check", "--json", "-"], input="".join(
        json.dumps({"file": x}) + "\n" for x in (valid, letters[0])).encode(), capture_output=True)
    report2 = os.path.join(tmp, "trusted.html")
    fx = subprocess.run([LK, "fix", "--trust-check", "--output-dir", os.path.join(tmp, "out2"), "--report", report2,
                         "-"], input=chk.stdout, capture_output=True)
    check(fx.returncode == 0, "check | fix --trust-check: exit %d %s" % (fx.returncode, fx.stderr.decode()))
    blocks2 = articles(open(report2, encoding="utf-8").read()) if os.path.exists(report2) else []
    check([c for c, _ in blocks2] == ["fixed", "pass"], "trusted report: %r" % [c for c, _ in blocks2])

    # An unusable --report is refused before any letter.
    p = subprocess.run([LK, "fix", "--output-dir", os.path.join(tmp, "out3"), "--report",
                        os.path.join(valid, "r.html"), valid], capture_output=True)
    check(p.returncode == 2 and not p.stdout and b"--report" in p.stderr, "a --report under a file: %d %s"
          % (p.returncode, p.stderr.decode()))

    browser(report)
    shutil.rmtree(tmp)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
