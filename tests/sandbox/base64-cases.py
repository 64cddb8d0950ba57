#!/usr/bin/env python3
"""base64-cases.py DIR N: N letter bodies whose content is a small PDF's base64,
mangled the ways clients and hand-made requests mangle it ("=" in the middle,
padding cut or doubled, line breaks, other characters, text after the
padding, a character outside ASCII), and Notify's own reading of each: Python's
base64.b64decode(content), as notifications-api's post_notifications.py calls it.
Writes DIR/case-K.json and one line per case to DIR/expected:
  K decode           (400: Cannot decode letter content)
  K not-pdf          (400: Letter content is not a valid PDF)
  K ok SHA256        (201, and the letter kept is those bytes)
"""
import base64
import hashlib
import json
import random
import sys

out, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261207)
pdf = b"%PDF-1.4\n% a stand-in letter for the test doubles, long enough for groups\n%%EOF\n"


def mangle(text):
    kind = rng.randrange(9)
    at = lambda: rng.randrange(len(text) + 1)
    if kind == 0:   # "=" somewhere, once or twice
        for _ in range(rng.randint(1, 2)):
            i = at()
            text = text[:i] + "=" * rng.randint(1, 2) + text[i:]
    elif kind == 1:  # the padding cut, or made longer
        text = text.rstrip("=")[:len(text) - rng.randint(0, 3)] + "=" * rng.randint(0, 4)
    elif kind == 2:  # line breaks and spaces, as encoders that wrap lines write
        for _ in range(rng.randint(1, 6)):
            i = at()
            text = text[:i] + rng.choice(["\n", "\r\n", " ", "\t"]) + text[i:]
    elif kind == 3:  # characters outside the alphabet (url-safe ones among them)
        for _ in range(rng.randint(1, 4)):
            i = at()
            text = text[:i] + rng.choice("-_.!*#~\\\"") + text[i:]
    elif kind == 4:  # text after padding
        text = text + "=" * rng.randint(1, 3) + base64.b64encode(b"more").decode()
    elif kind == 5:  # a character outside ASCII
        i = at()
        text = text[:i] + rng.choice(["\u00e9", "\u2019", "\U0001F600"]) + text[i:]
    elif kind == 6:  # a character dropped
        i = rng.randrange(len(text))
        text = text[:i] + text[i + 1:]
    elif kind == 7:  # "=" at the very start, or a whole "====" group
        text = rng.choice(["=", "==", "===="]) + text
    return text


expected = []
for k in range(n):
    body = pdf + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 7)))
    content = mangle(base64.b64encode(body).decode())
    try:
        got = base64.b64decode(content)
    except ValueError:
        verdict = "decode"
    else:
        verdict = "ok " + hashlib.sha256(got).hexdigest() if b"%PDF-" in got[:1024] else "not-pdf"
    with open(f"{out}/case-{k}.json", "w", encoding="utf-8") as f:
        json.dump({"reference": f"b64-{k}", "content": content}, f, ensure_ascii=rng.random() < 0.5)
    expected.append(f"{k} {verdict}")
with open(f"{out}/expected", "w") as f:
    f.write("\n".join(expected) + "\n")
