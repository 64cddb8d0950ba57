#!/usr/bin/python3
"""check-corpus.py DIR [N]: writes N (default 240) letters of 1-4 pages for
bench/check: text letters, letters with logos, CMYK photos and scanned pages,
and some that break the printable area. Deterministic (seeded)."""
import io
import os
import random
import sys

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 240
os.makedirs(out, exist_ok=True)
rng = random.Random(1234)
H = A4[1]
WORDS = ("the of and to in your we have will our council tax benefit payment account reference "
         "please contact us if you need more information about this letter date amount due").split()


def jpeg(img, quality=80):
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return ImageReader(buf)


def logo():
    img = Image.new("RGB", (600, 300), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.ellipse((20, 20, 280, 280), fill=(0, 94, 165))
    d.rectangle((300, 100, 580, 200), fill=(40, 40, 40))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    buf.seek(0)
    return ImageReader(buf)


def cmyk_photo():
    img = Image.new("CMYK", (900, 600))
    px = img.load()
    for y in range(0, 600, 2):
        for x in range(0, 900, 2):
            v = (x * 7 + y * 3 + rng.randrange(40)) % 255
            for dy in (0, 1):
                for dx in (0, 1):
                    px[x + dx, y + dy] = (v, 255 - v, (x // 3) % 255, 20)
    return jpeg(img, 85)


def scan():
    """A 150 dpi greyscale scan of a typed page: grey paper, lines of marks."""
    img = Image.new("L", (1063, 1476), 235)
    d = ImageDraw.Draw(img)
    for row in range(60, 1420, 28):
        x = 60
        while x < 1000:
            w = rng.randrange(20, 90)
            d.rectangle((x, row, min(x + w, 1000), row + 12), fill=rng.randrange(20, 80))
            x += w + rng.randrange(8, 20)
    return jpeg(img, 75)


LOGO, PHOTO, SCAN = logo(), cmyk_photo(), scan()


def text_block(c, top_mm, lines):
    t = c.beginText(20 * mm, H - top_mm * mm)
    t.setFont("Helvetica", 10)
    t.setLeading(12)   # 4.23 mm
    for _ in range(lines):
        t.textLine(" ".join(rng.choice(WORDS) for _ in range(12)))
    c.drawText(t)


def first_page(c, kind):
    if kind != "text":
        c.drawImage(LOGO, 15 * mm, H - 28 * mm, 46 * mm, 23 * mm)
    c.setFont("Helvetica", 9)
    c.drawString(130 * mm, H - 15 * mm, "Example Borough Council")
    t = c.beginText(26 * mm, H - 45 * mm)
    t.setFont("Helvetica", 10)
    for line in ["Mrs F Bench", "12 Timing Road", "Loopford", "LS1 1UR"]:
        t.textLine(line)
    c.drawText(t)


for i in range(count):
    kind = ("text", "text", "logo", "photo", "scan")[i % 5]
    pages = 1 + i % 4
    c = canvas.Canvas(os.path.join(out, f"letter-{i:04d}-{kind}.pdf"), pagesize=A4, invariant=1)
    for p in range(pages):
        if p == 0:
            first_page(c, kind)
            top = 100
        else:
            top = 15
        if kind == "photo" and p == 0:
            c.drawImage(PHOTO, 20 * mm, H - 190 * mm, 120 * mm, 80 * mm)
            top = 200
        if kind == "scan" and p > 0:
            c.drawImage(SCAN, 17 * mm, H - 290 * mm, 176 * mm, 275 * mm)
        else:
            text_block(c, top, int((285 - top) / 4.3))
        if i % 10 == 9 and p == pages - 1:   # one letter in ten breaks a margin
            c.drawString(3 * mm, H - 150 * mm, "x")
        c.showPage()
    c.save()
