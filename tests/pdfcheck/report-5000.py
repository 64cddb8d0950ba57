#!/usr/bin/python3
"""The HTML report of a morning's batch: 5,000 letters, 100 of them failing,
opened in headless Chromium (Debian's chromium, chromium-driver and
python3-selenium) with no network.

It must: hold every letter once (5,000 entries, each with its own id); show
the failing letters' pictures marked loading=lazy (Chromium decodes inline
pictures at once all the same, so that is not asserted); open and become usable within
30 s; land on the code's letters from the summary and on the 97th failing
letter from its link; hide the 4,900 passing letters with "failures only";
and stay a reasonable size (passing letters one line each). A screenshot is
kept in BUILD_ROOT/test-artefacts/report-5000.png.
Exits 77 (skipped) with a message only when chromium or its driver is absent,
and fails instead under CI=true (CI installs them).
Needs LETTERKIT and BUILD_ROOT.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser  # noqa: E402 (tests/pdfcheck/browser.py)
import time

build = os.environ["BUILD_ROOT"]
letterkit = os.environ["LETTERKIT"]

LETTERS, FAILING = 5000, 100
gen = os.path.join(build, "specimens", "generated")
artefacts = os.path.join(build, "test-artefacts")
os.makedirs(artefacts, exist_ok=True)
work = tempfile.mkdtemp(prefix="report-5000-")
batch = os.path.join(work, "batch")
os.makedirs(batch)
good = os.path.join(gen, "valid-1-page.pdf")
bad = os.path.join(gen, "outside-left-of-address-window.pdf")
# Hard links: 5,000 names, two files' worth of disk. Every 50th letter fails.
for i in range(LETTERS):
    os.link(bad if i % (LETTERS // FAILING) == 7 else good, os.path.join(batch, "letter-%05d.pdf" % i))
report = os.path.join(work, "report.html")
start = time.monotonic()
p = subprocess.run([letterkit, "check", "--quiet", "--report", report, batch], capture_output=True, text=True)
print("check of %d letters with --report: %.1f s, exit %d" % (LETTERS, time.monotonic() - start, p.returncode))
assert p.returncode == 1, (p.returncode, p.stderr[-2000:])

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


doc = open(report, encoding="utf-8").read()
ids = re.findall(r'class="letter (?:pass|fail)" id=(letter-\d+)', doc)
check(len(ids) == LETTERS, "%d letters in the report, want %d" % (len(ids), LETTERS))
check(len(set(ids)) == len(ids), "letter ids are not unique")
imgs = re.findall(r"<img [^>]*>", doc)
check(len(imgs) >= FAILING, "%d pictures for %d failing letters" % (len(imgs), FAILING))
check(all("loading=lazy" in i for i in imgs), "a picture without loading=lazy")
size_mb = len(doc.encode()) / 1e6
print("report: %.1f MB, %d pictures" % (size_mb, len(imgs)))
check(size_mb < 60, "the report is %.1f MB" % size_mb)




d, By = browser.start(work)
try:
    d.set_page_load_timeout(60)
    d.set_window_size(1280, 1000)
    start = time.monotonic()
    d.get("file://" + report)
    opened = time.monotonic() - start
    print("opened in %.1f s" % opened)
    check(opened < 30, "the report took %.1f s to open" % opened)
    d.save_screenshot(os.path.join(artefacts, "report-5000.png"))
    # The pictures are inline (data: URLs, so the report is one file that
    # opens with no network); Chromium decodes those whatever loading=lazy
    # says, so what is measured is that the page is usable quickly.
    fetched = d.execute_script("return [...document.images].filter(i => i.complete && i.naturalWidth > 0).length")
    print("pictures decoded at first: %d of %d" % (fetched, len(imgs)))
    check(len(d.find_elements(By.CSS_SELECTOR, ".letter")) == LETTERS, "the browser sees another number of letters")
    # The summary's link to the code lands on its letters, and the 97th of them on the letter.
    d.find_element(By.CSS_SELECTOR, "table.summary a[href='#code-content-outside-printable-area']").click()
    section = d.find_element(By.ID, "code-content-outside-printable-area")
    check(browser.in_view(d, section), "the code's section is not in view after the click")
    links = section.find_elements(By.CSS_SELECTOR, "ul.links a")
    check(len(links) == FAILING, "%d letter links under the code, want %d" % (len(links), FAILING))
    if len(links) >= 97:
        target = links[96].get_attribute("href").split("#")[1]
        d.execute_script("arguments[0].scrollIntoView()", links[96])
        links[96].click()
        letter = d.find_element(By.ID, target)
        check(d.current_url.endswith("#" + target), "letter link: URL %s, want #%s" % (d.current_url, target))
        check(browser.in_view(d, letter), "letter %s is not in view after the click" % target)
        # Its picture is fetched once it is in view.
        img = letter.find_element(By.CSS_SELECTOR, "figure img")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not d.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", img):
            time.sleep(0.1)
        check(d.execute_script("return arguments[0].naturalWidth", img) > 0, "the letter's picture never loaded")
    # Failures only: 4,900 passing letters hidden, 100 failing ones shown.
    d.find_element(By.CSS_SELECTOR, "label[for=only-failures]").click()
    shown = d.execute_script("return [...document.querySelectorAll('.letter')]"
                             ".filter(e => e.offsetParent !== null).length")
    check(shown == FAILING, "failures only shows %d letters, want %d" % (shown, FAILING))
finally:
    d.quit()
shutil.rmtree(work, ignore_errors=True)
print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
