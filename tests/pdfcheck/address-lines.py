#!/usr/bin/python3
"""address-lines.py: the address `letterkit check` reads is the one Notify reads.

Notify reads page 1's address with PyMuPDF's page.get_text("words") of the
whole page, in the page's unrotated space (origin at the CropBox's top-left,
y down, points): the words whose boxes meet the address window grown by 3 mm,
in (block, line, word) order, a newline wherever a word's bottom edge
changes. The reference here does that from MuPDF 1.21's own structured text
of the whole page (`mutool draw -F stext`, which prints every character's
quad), without our C code; for a rotated page it reads the same page made
with /Rotate 0, as PyMuPDF does. The reference text goes through
`letterkit address` (NFKD first, as Notify does) for the normalised lines and
the verdict, which `check --json` must give exactly.

Letters are made at test time by reportlab, cairo and Ghostscript: words
placed one by one with small vertical jitter, words split across text
objects, kerned runs (TJ arrays), a table in the window, invisible text
straddling the grown window's edges, text elsewhere on the address's
baselines, text wholly and half off the page, and rotated pages.

usage: address-lines.py [NAME...]   (rerun some letters; KEEP=dir keeps them)"""
import functools
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

import cairo
from reportlab.lib.colors import white
from reportlab.pdfgen import canvas
from reportlab.platypus import Table, TableStyle

LETTERKIT = os.environ["LETTERKIT"]
MM = 72 / 25.4
A4 = (595.2756, 841.8898)
# Notify's address window, grown by 3 mm: x 21.6-123, y 36.5-69.3 mm from the top.
READ = (21.6 * MM, 36.5 * MM, 123.0 * MM, 69.3 * MM)
# The NOTIFY tag's box (LETTER-SPEC section 4): x 0-15.191, y 0-6.149 mm.
TAG = (0.0, 0.0, 15.191 * MM, 6.149 * MM)
ADDRESS = ["Ms A Example", "Flat 2, 10 Example Street", "Exampletown", "SW1A 1AA"]


# --- the reference: PyMuPDF's words from MuPDF's structured text ---------------

def f32(text):
    """MuPDF's coordinates are floats: read them back exactly."""
    return struct.unpack("f", struct.pack("f", float(text)))[0]


def stext_lines(path, page_no):
    """The lines of a page's structured text, each a list of (char, box), in
    MuPDF's block and line order."""
    xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", path, str(page_no)],
                         check=True, capture_output=True).stdout
    page = ET.fromstring(xml).find("page")
    bounds = (0.0, 0.0, f32(page.get("width")), f32(page.get("height")))
    lines = []
    for block in page.iter("block"):
        for line in block.iter("line"):
            chars = []
            for ch in line.iter("char"):
                q = [f32(v) for v in ch.get("quad").split()]
                xs, ys = q[0::2], q[1::2]
                chars.append((ch.get("c"), (min(xs), min(ys), max(xs), max(ys))))
            lines.append(chars)
    return bounds, lines


def empty(r):
    return r[0] >= r[2] or r[1] >= r[3]


def union(a, b):
    if empty(b):
        return a
    if empty(a):
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def words(path, page_no):
    """page.get_text("words"): split at code points up to U+0020 and U+00A0;
    characters with no area in common with the page skipped; a word kept
    when its box has an area."""
    bounds, lines = stext_lines(path, page_no)
    out = []
    for chars in lines:
        text, box = "", (1, 1, 0, 0)
        for c, r in chars:
            if r[0] >= bounds[2] or r[1] >= bounds[3] or r[2] <= bounds[0] or r[3] <= bounds[1]:
                continue
            if ord(c) <= 32 or c == "\u00a0":
                if text and not empty(box):
                    out.append((box, text))
                text, box = "", (1, 1, 0, 0)
                continue
            text += c
            box = union(box, r)
        if text and not empty(box):
            out.append((box, text))
    return out


def reference_text(path, box=READ, page_no=1):
    """Notify's _extract_text_from_page for a box (the grown window)."""
    kept = [(b, t) for b, t in words(path, page_no)
            if not empty(b) and b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3]]
    lines, last_y1 = [], None
    for box, text in kept:
        if lines and box[3] == last_y1:
            lines[-1] += " " + text
        else:
            lines.append(text)
        last_y1 = box[3]
    return "\n".join(lines)


def tagged_pages(path, n_pages):
    """Notify's _get_pages_with_notify_tag: later pages whose tag box reads NOTIFY."""
    return [p for p in range(2, n_pages + 1) if reference_text(path, TAG, p) == "NOTIFY"]


def expected(path):
    raw = unicodedata.normalize("NFKD", reference_text(path))
    res = subprocess.run([LETTERKIT, "address", "--ndjson"], input=json.dumps({"address": raw}) + "\n",
                         capture_output=True, text=True)
    rec = json.loads(res.stdout)
    return raw, rec["normalised"] if rec.get("normalised") is not None else raw, rec["error"]


# --- letters -------------------------------------------------------------------

def top(y_mm):
    """reportlab's y for a baseline y_mm from the top of an A4 page."""
    return A4[1] - y_mm * MM


def rl_one_by_one(path, rotate=0):
    """Every word its own text object, each a little off the line's baseline."""
    rnd = random.Random(19)
    c = canvas.Canvas(path, pagesize=A4)
    c.setFont("Helvetica", 10)
    for i, line in enumerate(ADDRESS):
        x = 25 * MM
        for word in line.split():
            c.drawString(x, top(44 + 5 * i) + rnd.uniform(-0.4, 0.4), word)
            x += c.stringWidth(word + " ", "Helvetica", 10) + rnd.uniform(-0.3, 0.6)
    c.drawString(25 * MM, top(110), "Dear Ms Example, this is the body of the letter.")
    c.save()


def rl_split_objects(path, rotate=0):
    """Words broken across text objects mid-word, drawn out of order."""
    c = canvas.Canvas(path, pagesize=A4)
    pieces = []
    for i, line in enumerate(ADDRESS):
        x, y = 25 * MM, top(44 + 5 * i)
        for j in range(0, len(line), 3):
            pieces.append((x, y, line[j:j + 3]))
            x += c.stringWidth(line[j:j + 3], "Helvetica", 10)
    random.Random(5).shuffle(pieces)
    for x, y, s in pieces:
        t = c.beginText(x, y)
        t.setFont("Helvetica", 10)
        t.textOut(s)
        c.drawText(t)
    c.save()


def rl_table(path, rotate=0):
    """A two-column table with ruled cells inside the window."""
    c = canvas.Canvas(path, pagesize=A4)
    rows = [[ADDRESS[0], "Ref 4471"], [ADDRESS[1], "Date 2 Dec"], [ADDRESS[2], ""], [ADDRESS[3], ""]]
    t = Table(rows, colWidths=[55 * MM, 30 * MM], rowHeights=5.5 * MM)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, "black"),
                           ("FONT", (0, 0), (-1, -1), "Helvetica", 9)]))
    w, h = t.wrapOn(c, 0, 0)
    t.drawOn(c, 26 * MM, top(42) - h)
    c.save()


def rl_invisible_straddling(path, rotate=0):
    """An OCR-style invisible layer (render mode 3) with words crossing the
    grown window's edges, and words just outside them: white or invisible
    text paints nothing, so the printable area still passes."""
    c = canvas.Canvas(path, pagesize=A4)
    c.setFont("Helvetica", 10)
    for i, line in enumerate(ADDRESS):
        c.drawString(30 * MM, top(45 + 5 * i), line)
    t = c.beginText()
    t.setTextRenderMode(3)
    t.setFont("Helvetica", 10)
    t.setTextOrigin(19 * MM, top(45))          # starts left of 21.6 mm, reaches in
    t.textOut("Ref")
    t.setTextOrigin(10 * MM, top(50))          # wholly left of the grown window
    t.textOut("Outside")
    t.setTextOrigin(30 * MM, top(36.2))        # baseline above the top edge, descender inside
    t.textOut("Above")
    t.setTextOrigin(118 * MM, top(60))         # crosses the right edge at 123 mm
    t.textOut("Straddle")
    c.drawText(t)
    c.setFillColor(white)
    c.drawString(30 * MM, top(72.2), "Below")   # top of its box just inside 69.3 mm
    c.drawString(30 * MM, top(73.5), "Further")  # wholly below
    c.save()


def rl_off_page(path, rotate=0):
    """Invisible words on the address's baselines wholly off the page and
    half off it, drawn between the address's words: Notify's text flags
    drop glyphs wholly off the page before lines are formed (check reads
    such a page with MuPDF's MEDIABOX_CLIP, and without it when all text is
    inside)."""
    c = canvas.Canvas(path, pagesize=A4)
    c.setFont("Helvetica", 10)
    for i, line in enumerate(ADDRESS):
        first, _, rest = line.partition(" ")
        c.drawString(30 * MM, top(45 + 5 * i), first)
        t = c.beginText()
        t.setTextRenderMode(3)
        t.setFont("Helvetica", 10)
        t.setTextOrigin(-60 * MM, top(45 + 5 * i))   # wholly left of the page
        t.textOut("Gone")
        t.setTextOrigin(-4 * MM, top(45 + 5 * i))    # half off the left edge
        t.textOut("Edge")
        c.drawText(t)
        if rest:
            c.drawString(30 * MM + c.stringWidth(first + " ", "Helvetica", 10), top(45 + 5 * i), rest)
    c.save()


def rl_shared_baselines(path, rotate=0):
    """The sender's column on the address's baselines: whole-page lines."""
    c = canvas.Canvas(path, pagesize=A4)
    c.setFont("Helvetica", 10)
    sender = ["Example Council", "Town Hall", "Exampletown EX1 1EX", "01234 567890"]
    for i, (a, s) in enumerate(zip(ADDRESS, sender)):
        c.drawString(25 * MM, top(45 + 5 * i), a)
        c.drawString(126 * MM, top(45 + 5 * i), s)
    c.save()


def rotated_canvas(path, size, rotate):
    """A canvas whose MediaBox is `size` (user space), with /Rotate `rotate`:
    reportlab swaps the box it writes for 90 and 270, so swap it first."""
    c = canvas.Canvas(path, pagesize=(size[1], size[0]) if rotate in (90, 270) else size)
    c.setPageRotation(rotate)
    return c


def rotated_canvas_page(c, size, rotate):
    """The next page of canvas c, its MediaBox `size`, with /Rotate `rotate`."""
    c.setPageSize((size[1], size[0]) if rotate in (90, 270) else size)
    c.setPageRotation(rotate)
    return c


def rl_rotated(path, rotate, landscape=True):
    """A landscape MediaBox with /Rotate 90 or 270, or portrait with 180,
    the address drawn in the page's unrotated space at the window, where
    Notify reads it (when printed it lands in the body or the sender's column)."""
    size = (A4[1], A4[0]) if landscape else A4
    c = rotated_canvas(path, size, rotate)
    c.setFont("Helvetica", 10)
    rnd = random.Random(3)
    for i, line in enumerate(ADDRESS):
        x = 25 * MM
        for word in line.split():
            c.drawString(x, size[1] - (44 + 5 * i) * MM + rnd.uniform(-0.3, 0.3), word)
            x += c.stringWidth(word + " ", "Helvetica", 10)
    c.save()


def rl_rotated_as_printed(path, rotate):
    """Landscape with /Rotate 90, the address laid out as printed: Notify reads
    the unrotated window, which holds no text (address-is-empty)."""
    size = (A4[1], A4[0])
    c = rotated_canvas(path, size, rotate)
    c.translate(size[0], 0)
    c.rotate(90)   # the printed page's coordinates, y up from its bottom
    c.setFont("Helvetica", 10)
    for i, line in enumerate(ADDRESS):
        c.drawString(25 * MM, A4[1] - (45 + 5 * i) * MM, line)
    c.save()


def rl_interleaved(path, rotate=0, piece=4):
    """Address words split across text objects, with a line of the body
    drawn between the pieces: on the whole page MuPDF ends the line at each
    body line, so the pieces are separate words ("Exam ple"), which text
    read only near the window joins ("Example")."""
    c = canvas.Canvas(path, pagesize=A4)
    c.setFont("Helvetica", 10)
    n = 0
    for i, line in enumerate(ADDRESS):
        x, y = 25 * MM, top(44 + 5 * i)
        for j in range(0, len(line), piece):
            c.drawString(x, y, line[j:j + piece])
            x += c.stringWidth(line[j:j + piece], "Helvetica", 10)
            c.drawString(25 * MM, top(120 + 5 * n), "Body text line %d of the letter." % n)
            n += 1
    c.save()


def rl_tag_on_rotated_page(path, rotate, printed=False):
    """Page 2 a landscape /Rotate 90 page with a white NOTIFY tag (as Notify
    stamps it) in its unrotated top-left corner, where Notify reads the tag,
    or (printed) in the corner as printed, where Notify does not."""
    c = canvas.Canvas(path, pagesize=A4)
    c.setFont("Helvetica", 10)
    for i, line in enumerate(ADDRESS):
        c.drawString(25 * MM, top(45 + 5 * i), line)
    c.showPage()
    c = rotated_canvas_page(c, (A4[1], A4[0]), rotate)
    c.setFont("Helvetica", 6)
    c.setFillColor(white)
    if printed:
        c.translate(A4[1], 0)
        c.rotate(90)
        c.drawString(2 * MM, A4[1] - 4.5 * MM, "NOTIFY")
    else:
        c.drawString(2 * MM, A4[0] - 4.5 * MM, "NOTIFY")
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 10)
    c.drawString(60 * MM, 100 * MM, "Page two")
    c.save()


def cairo_page(path, size):
    """An A4 cairo PDF surface and its context, in DejaVu Sans."""
    surface = cairo.PDFSurface(path, *A4)
    cr = cairo.Context(surface)
    cr.select_font_face("DejaVu Sans")
    cr.set_font_size(size)
    return surface, cr


def cairo_kerned(path, rotate=0):
    """cairo's glyph runs with their own advances: TJ arrays with kerning."""
    surface, cr = cairo_page(path, 9.5)
    rnd = random.Random(7)
    for i, line in enumerate(ADDRESS):
        glyphs, x = [], 25 * MM
        scaled = cr.get_scaled_font()
        for ch in line:
            g = scaled.text_to_glyphs(0, 0, ch, False)
            glyphs.append(cairo.Glyph(g[0].index, x, (44 + 5 * i) * MM))
            x += cr.text_extents(ch).x_advance + rnd.uniform(-0.4, 0.4)
        cr.show_glyphs(glyphs)
    cr.move_to(25 * MM, 110 * MM)
    cr.show_text("Dear Ms Example")
    surface.finish()


def cairo_one_by_one(path, rotate=0):
    """cairo, one show_text per word, each baseline jittered."""
    surface, cr = cairo_page(path, 10)
    rnd = random.Random(11)
    for i, line in enumerate(ADDRESS):
        x = 25 * MM
        for word in line.split():
            cr.move_to(x, (44 + 5 * i) * MM + rnd.uniform(-0.5, 0.5))
            cr.show_text(word)
            x += cr.text_extents(word + " ").x_advance
    surface.finish()


GS_KERNED = b"""%!PS
<< /PageSize [595.28 841.89] >> setpagedevice
/mm { 72 mul 25.4 div } def
/Helvetica findfont 10 scalefont setfont
/lines [ (Ms A Example) (Flat 2, 10 Example Street) (Exampletown) (SW1A 1AA) ] def
0 1 3 {
  /i exch def
  /s lines i get def
  25 mm 841.89 44 5 i mul add mm sub moveto
  % every character's advance widened a little, word by word: xshow runs
  s length array 0 1 s length 1 sub { 1 index exch 1 index length 0 gt {
      dup s exch 1 getinterval stringwidth pop 0.35 add } { 0 } ifelse put } for
  s exch xshow
} for
% words placed one by one, bottom line first, with a small rise
3 -1 0 {
  /i exch def
  /s lines i get def
  150 mm 841.89 44 5 i mul add mm sub i 0.2 mul add moveto s show
} for
showpage
"""


def gs_kerned(path, rotate=0):
    """Ghostscript's pdfwrite: xshow runs (TJ with adjustments) in the window
    and, in the sender's column, lines drawn bottom-up."""
    with tempfile.NamedTemporaryFile(suffix=".ps") as ps:
        ps.write(GS_KERNED)
        ps.flush()
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite",
                        "-o", path, ps.name], check=True, capture_output=True)


# name: (maker, /Rotate); the maker draws in the page's user space.
LETTERS = {
    "reportlab-one-by-one": (rl_one_by_one, 0),
    "reportlab-split-objects": (rl_split_objects, 0),
    "reportlab-table": (rl_table, 0),
    "reportlab-interleaved": (rl_interleaved, 0),
    "reportlab-interleaved-by-3": (functools.partial(rl_interleaved, piece=3), 0),
    "reportlab-invisible-straddling": (rl_invisible_straddling, 0),
    "reportlab-shared-baselines": (rl_shared_baselines, 0),
    "reportlab-off-page": (rl_off_page, 0),
    "reportlab-rotate-90": (rl_rotated, 90),
    "reportlab-rotate-180": (functools.partial(rl_rotated, landscape=False), 180),
    "reportlab-rotate-270": (rl_rotated, 270),
    "reportlab-rotate-90-as-printed": (rl_rotated_as_printed, 90),
    "reportlab-tag-on-rotated-page-2": (rl_tag_on_rotated_page, 90),
    "reportlab-tag-on-rotated-page-2-as-printed": (functools.partial(rl_tag_on_rotated_page, printed=True), 90),
    "cairo-kerned": (cairo_kerned, 0),
    "cairo-one-by-one": (cairo_one_by_one, 0),
    "ghostscript-kerned": (gs_kerned, 0),
}


# Letters whose marks lie outside Notify's regions, which are laid in the
# unrotated user space (README, the raster rule, 3): the printable-area rule,
# earlier in Notify's order, gives the verdict on these pages, and the tag
# printed in the displayed corner is not read as a tag.
OUTSIDE_FIRST = {"reportlab-tag-on-rotated-page-2-as-printed": [2]}


def main():
    names = sys.argv[1:] or list(LETTERS)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.environ.get("KEEP") or tmp
        os.makedirs(folder, exist_ok=True)
        for name in names:
            make, rotate = LETTERS[name]
            path = os.path.join(folder, name + ".pdf")
            make(path, rotate)
            ref_path = path
            if rotate:   # PyMuPDF reads the page with /Rotate 0
                ref_path = os.path.join(folder, name + "-unrotated.pdf")
                make(ref_path, 0)
            res = subprocess.run([LETTERKIT, "check", "--json", path], capture_output=True, text=True)
            rec = json.loads(res.stdout)
            got = rec.get("address")
            verdict = rec["message"] or "valid"
            tagged = tagged_pages(ref_path, rec["page_count"])
            codes = {f["code"] for f in rec.get("findings", [])}
            if name in OUTSIDE_FIRST:   # the printable rule comes first: no address is read
                raw, want, error = "(not read)", "", "content-outside-printable-area"
                ok = (verdict == error and rec["invalid_pages"] == OUTSIDE_FIRST[name]
                      and "notify-tag-found-in-content" not in codes)
            elif tagged:   # the tag rule comes first: no address is read
                raw, want, error = "(not read)", None, "notify-tag-found-in-content"
                ok = verdict == error and rec["invalid_pages"] == tagged
            else:
                raw, want, error = expected(ref_path)
                ok = got == want and verdict == (error or "valid")
            ok = ok and res.returncode == (1 if error else 0)
            what = f"pages {tagged}" if tagged else f"{len(want.splitlines())} lines"
            print(("ok  " if ok else "FAIL") + f" {name}: {verdict}, {what}")
            if not ok:
                failures += 1
                print(f"     reference (raw): {raw!r}\n     expected: {want!r} ({error or 'valid'})\n"
                      f"     check:    {got!r} ({verdict}, exit {res.returncode})")
    print(f"{len(names) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
