"""browser.py: headless Chromium for the report's tests (Debian's chromium,
chromium-driver and python3-selenium), with no network.

start(work) returns (driver, By), or exits 77 (skipped) with a message when
chromium, its driver or selenium is missing, and 1 instead under CI=true
(CI installs them: a skip there would hide the gap); start(work,
required=False) returns (None, None) then, for a test whose browser part is
optional. in_view(d, el) says whether an element's top is within the window.
"""
import os
import shutil
import sys


def _missing(why, required):
    print("SKIP: " + why)
    if required or os.environ.get("CI") == "true":
        sys.exit(1 if os.environ.get("CI") == "true" else 77)


def start(work, required=True):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
    except ImportError:
        _missing("python3-selenium is not installed (apt-get install python3-selenium)", required)
        return None, None
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    browser = shutil.which("chromium")
    if not browser or not os.path.exists(driver_path):
        _missing("chromium or chromium-driver is not installed (.ci/packages lists them)", required)
        return None, None
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--proxy-server=127.0.0.1:9", "--user-data-dir=" + os.path.join(work, "profile")):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(driver_path), options=opts), By


def in_view(d, el):
    return d.execute_script("const r = arguments[0].getBoundingClientRect();"
                            "return r.top >= -1 && r.top < window.innerHeight;", el)
