#!/usr/bin/python3
"""The HTML report in headless Chromium (Debian's chromium, chromium-driver
and python3-selenium), with no network: screenshots at two widths kept in
BUILD_ROOT/test-artefacts (report-wide.png, report-narrow.png), a scripted
click on a summary link that must land on the code's letters, a click on one
of them that must land on the letter (its URL fragment, and the element in
view), the "failures only" switch hiding the letters that passed, and a
letter's name that must not break mid-word at the narrow width.
Exits 77 (skipped) with a message only when chromium or its driver is absent,
and fails instead under CI=true (CI installs them).
Needs LETTERKIT and BUILD_ROOT.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser  # noqa: E402 (tests/pdfcheck/browser.py)

build = os.environ["BUILD_ROOT"]
letterkit = os.environ["LETTERKIT"]

gen = os.path.join(build, "specimens", "generated")
artefacts = os.path.join(build, "test-artefacts")
os.makedirs(artefacts, exist_ok=True)
work = tempfile.mkdtemp(prefix="report-browser-")
# A long name with separators: it may break after them, never inside a word.
long_name = os.path.join(work, "department-of-examples_housing-benefit-review-letter-2026-11-23.pdf")
shutil.copy(os.path.join(gen, "outside-on-pages-1-and-3.pdf"), long_name)
letters = [os.path.join(gen, n) for n in ("valid-1-page.pdf", "not-a4-us-letter.pdf", "address-no-fixed-abode.pdf",
                                          "valid-4-pages.pdf", "outside-left-of-address-window.pdf")] + [long_name]
report = os.path.join(work, "report.html")
p = subprocess.run([letterkit, "check", "--quiet", "--report", report] + letters, capture_output=True, text=True)
assert p.returncode == 1, (p.returncode, p.stderr)

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)



d, By = browser.start(work)
try:
    d.set_page_load_timeout(30)
    for width, name in ((1280, "report-wide.png"), (420, "report-narrow.png")):
        d.set_window_size(width, 1400)
        d.get("file://" + report)
        d.save_screenshot(os.path.join(artefacts, name))
        print("screenshot", os.path.join(artefacts, name))
    # Narrow: the long name breaks only at its separators (each line of it ends at one).
    el = d.find_element(By.XPATH, "//article[contains(., 'housing-benefit')]//span[@class='file']")
    # The lines as drawn: each character's box, grouped by its top.
    lines = d.execute_script("""
        const out = []; let top = null;
        const walk = document.createTreeWalker(arguments[0], NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode())
            for (let i = 0; i < n.length; i++) {
                const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                const box = r.getBoundingClientRect();
                if (top === null || Math.abs(box.top - top) > 2) { out.push(''); top = box.top; }
                out[out.length - 1] += n.data[i];
            }
        return out;""", el)
    check(len(lines) > 1, "the long name did not wrap at 420 px: %r" % lines)
    for line in lines[:-1]:
        check(line[-1:] in "/-_.", "the name broke inside a word: %r" % lines)
    print("the long name at 420 px:", lines)
    d.set_window_size(1280, 900)
    d.get("file://" + report)
    # The summary's link to a code lands on its letters ...
    d.find_element(By.CSS_SELECTOR, "table.summary a[href='#code-content-outside-printable-area']").click()
    check(d.current_url.endswith("#code-content-outside-printable-area"), "summary link: URL %s" % d.current_url)
    section = d.find_element(By.ID, "code-content-outside-printable-area")
    check(browser.in_view(d, section), "the code's section is not in view after the click")
    # ... and one of them on the letter itself.
    link = section.find_element(By.CSS_SELECTOR, "ul.links a")
    target = link.get_attribute("href").split("#")[1]
    link.click()
    check(d.current_url.endswith("#" + target), "letter link: URL %s, want #%s" % (d.current_url, target))
    letter = d.find_element(By.ID, target)
    check(browser.in_view(d, letter), "the letter %s is not in view after the click" % target)
    check("content-outside-printable-area" in letter.text, "the letter landed on: %s" % letter.text[:200])
    # "how to fix it" lands on the explanation.
    d.get("file://" + report)
    d.find_element(By.CSS_SELECTOR, "table.summary a[href='#explain-letter-not-a4-portrait-oriented']").click()
    expl = d.find_element(By.ID, "explain-letter-not-a4-portrait-oriented")
    check(browser.in_view(d, expl) and "A4" in expl.text, "the explanation is not in view")
    # Failures only: the passing letters are hidden, the failing ones stay.
    passing = d.find_elements(By.CSS_SELECTOR, ".letter.pass")
    check(len(passing) == 2 and all(e.is_displayed() for e in passing), "two passing letters shown at first")
    d.find_element(By.CSS_SELECTOR, "label[for=only-failures]").click()
    check(not any(e.is_displayed() for e in passing), "failures only: passing letters still shown")
    check(all(e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, ".letter.fail")), "failures hidden")
    # A picture enlarges on a click.
    img = d.find_element(By.CSS_SELECTOR, ".letter.fail figure img")
    before = img.size["width"]
    d.execute_script("arguments[0].scrollIntoView()", img)
    img.click()
    check(img.size["width"] > before, "a click did not enlarge the picture (%d -> %d)" % (before, img.size["width"]))
finally:
    d.quit()
shutil.rmtree(work, ignore_errors=True)
print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
