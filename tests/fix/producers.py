"""Failing letters made at test time by three producers (reportlab, cairo,
Ghostscript), for tests/fix. Each function writes one PDF: a valid page 1
(address in the window), then later pages failing one rule by `amount`.
Every producer makes the kinds 'outside', 'tag', 'size', 'landscape' and
'big' (over 2 MiB: reportlab and Ghostscript with an uncompressed content
stream, cairo with one image drawn from 20 separate, identical surfaces)."""
import os
import subprocess

from reportlab.lib.pagesizes import A4, letter as US_LETTER
from reportlab.pdfgen import canvas

MM = 72.0 / 25.4
ADDRESS = ["Ms A Person", "1 High Street", "Leeds", "LS1 1AA"]


def _rl_first(c, h):
    c.setFont("Helvetica", 10)
    for i, line in enumerate(ADDRESS):
        c.drawString(30 * MM, h - (45 + 5 * i) * MM, line)
    c.drawString(20 * MM, h - 120 * MM, "Dear Ms Person, this is page one.")


def reportlab(path, kind, amount, size=US_LETTER, x_mm=None, y_mm=None, text="Later page text"):
    """kind: 'outside' (a word `amount` mm past the right edge of the body),
    'scatter' (a word at x_mm, y_mm), 'size' (every page of `size`), 'tag'
    (NOTIFY in the tag box of page 2)."""
    w, h = size if kind == "size" else A4
    c = canvas.Canvas(path, pagesize=(w, h), invariant=1, pageCompression=0 if kind == "big" else 1)
    _rl_first(c, h)
    c.showPage()
    c.setFont("Helvetica", 10)
    c.drawString(20 * MM, h - 40 * MM, text)
    if kind == "outside":
        c.drawString(16 * MM, h - 150 * MM, "left")
        c.drawRightString((196 + amount) * MM, h - 150 * MM, "edge")
    elif kind == "scatter":
        c.drawString(x_mm * MM, h - y_mm * MM, "mark")
    elif kind == "tag":
        c.setFont("Helvetica", 8)
        c.drawString(1.8 * MM, h - 4.5 * MM, "NOTIFY")
    elif kind == "size":
        c.drawString(20 * MM, h - 200 * MM, "a page of another size")
    elif kind == "landscape":
        c.setPageSize((A4[1], A4[0]))
        c.drawString(20 * MM, 100 * MM, "a landscape later page")
    elif kind == "big":
        # An uncompressed content stream of no-ops: over 2 MiB until shrink recompresses it.
        c._code.append("q Q\n" * 600000)
    c.linkURL("https://example.org/", (20 * MM, h - 42 * MM, 60 * MM, h - 38 * MM))
    c.showPage()
    c.save()


def cairo(path, kind, amount):
    import cairo as C
    w, h = 595.276, 841.89
    if kind == "size":
        w, h = 612, 792
    s = C.PDFSurface(path, w, h)
    cr = C.Context(s)
    cr.select_font_face("DejaVu Sans")
    cr.set_font_size(10)
    for i, line in enumerate(ADDRESS):
        cr.move_to(30 * MM, (45 + 5 * i) * MM)
        cr.show_text(line)
    cr.show_page()
    if kind == "landscape":
        s.set_size(h, w)
    cr.move_to(20 * MM, 40 * MM)
    cr.show_text("Cairo later page")
    if kind == "outside":
        cr.rectangle(16 * MM, 150 * MM, 5 * MM, 5 * MM)
        cr.fill()
        cr.rectangle((196 + amount - 5) * MM, 150 * MM, 5 * MM, 5 * MM)
        cr.fill()
    elif kind == "tag":
        cr.set_font_size(8)
        cr.move_to(1.8 * MM, 4.5 * MM)
        cr.show_text("NOTIFY")
    elif kind == "big":
        # 20 surfaces with the same incompressible pixels: 20 image objects,
        # 2.3 MiB, until shrink merges the duplicates.
        import random
        rnd = random.Random(17)
        pixels = bytes(rnd.getrandbits(8) for _ in range(200 * 200 * 4))
        for k in range(20):
            img = C.ImageSurface.create_for_data(bytearray(pixels), C.FORMAT_RGB24, 200, 200, 800)
            cr.save()
            cr.translate((20 + (k % 4) * 40) * MM, (60 + (k // 4) * 36) * MM)
            cr.scale(0.5, 0.5)
            cr.set_source_surface(img, 0, 0)
            cr.paint()
            cr.restore()
    cr.show_page()
    s.finish()


def ghostscript(path, kind, amount):
    w, h = (612, 792) if kind == "size" else (595.276, 841.89)
    extra = ""
    if kind == "outside":
        extra = "%f %f moveto (left) show " % (16 * MM, h - 150 * MM)
        extra += "%f %f moveto (edge) dup stringwidth pop neg 0 rmoveto show" % ((196 + amount) * MM, h - 150 * MM)
    elif kind == "tag":
        extra = "/Helvetica findfont 8 scalefont setfont %f %f moveto (NOTIFY) show" % (1.8 * MM, h - 4.5 * MM)
    elif kind == "big":
        # A zigzag of 150,000 segments inside the body, in an uncompressed content stream.
        extra = ("newpath %f %f moveto 0 1 150000 { 2 mod 0 eq { 0.3 0.001 } { -0.3 0.001 } ifelse rlineto } for"
                 " stroke" % (100 * MM, h - 200 * MM))
    setup = ""
    if kind == "landscape":
        setup = "<< /PageSize [%f %f] >> setpagedevice" % (h, w)
        extra = "%f %f moveto (a landscape later page) show" % (20 * MM, 100 * MM)
    lines = " ".join("%f %f moveto (%s) show" % (30 * MM, h - (45 + 5 * i) * MM, t) for i, t in enumerate(ADDRESS))
    ps = """%%!PS
<< /PageSize [%f %f] >> setpagedevice
/Helvetica findfont 10 scalefont setfont
%s showpage
%s
/Helvetica findfont 10 scalefont setfont
%f %f moveto (Ghostscript later page) show
%s
showpage
""" % (w, h, lines, setup, 20 * MM, (w if kind == "landscape" else h) - 40 * MM, extra)
    compress = ["-dCompressPages=false"] if kind == "big" else []
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite"] + compress +
                   ["-sOutputFile=" + path, "-"], input=ps.encode(), check=True)


PRODUCERS = {"reportlab": reportlab, "cairo": cairo, "ghostscript": ghostscript}


# Page-1 letters: one page, the address in the window, a logo, a sender column and a body, failing
# page 1's regions by `amount` mm. Kinds: 'footer' (a footer `amount` mm past the body's bottom,
# Notify's 1 mm slack included: amount 2 reaches 294 mm), 'right' (a body line ending `amount` mm
# past the body's right edge), 'logo' (the logo's top `amount` mm into the top margin), 'clean'
# (nothing outside: the same letter, passing), 'tall-logo' (the logo reaching 7 mm below the logo
# area, into the space around the window: no scale fits it, as the body below must stay below the
# address area), 'wide' (a rule across the page from x 3 to 207 mm: fitting it needs scale 0.887,
# past the 0.9 floor), 'long-address' (an address line running past the window into the space
# right of it: the address is never moved, so not fixable). The address is ADDRESS at x 30 mm,
# baselines 45-60 mm down.


def _first_layout(kind, amount, mark=None):
    """What a page-1 letter holds, in mm from the top left: (logo rect, texts [(x, y, size, text,
    anchor)]), the same for every producer."""
    logo = (15, 8, 55, 26)
    if kind == "logo":
        logo = (15, 4 - amount, 55, 26)
    elif kind == "tall-logo":
        logo = (15, 8, 55, 38)
    texts = [(130, 15, 10, "HM Test Office", "l"), (130, 20, 10, "1 Test Street, Testford", "l"),
             (130, 80, 10, "7 December 2026", "l")]
    address = list(ADDRESS)
    if kind == "long-address":
        address[1] = "Flat 12, The Building With A Very Long Name, 1 High Street"
    texts += [(30, 45 + 5 * i, 10, line, "l") for i, line in enumerate(address)]
    texts += [(20, 105, 10, "Dear Ms Person,", "l"),
              (20, 115, 10, "Thank you for your letter about the parking permit.", "l"),
              (20, 125, 10, "We have renewed it until the end of next year.", "l")]
    if kind == "footer":
        # 8 pt, no descenders: the ink's bottom is the baseline.
        texts.append((20, 291 + amount, 8, "FOOTER TEXT OF THE DEPARTMENT", "l"))
    elif kind == "right":
        texts.append((196 + amount, 150, 10, "A line that ends in the right margin", "r"))
    elif kind == "scatter":
        texts.append((mark[0], mark[1], 10, "mark", "l"))
    rules = [(3, 200, 207, 200.5)] if kind == "wide" else []
    return logo, texts, rules


def reportlab_first(path, kind, amount, mark=None):
    """kind 'scatter' puts the word "mark" at mark = (x, y) mm (its baseline's left end)."""
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    h = A4[1]
    logo, texts, rules = _first_layout(kind, amount, mark)
    c.setFillGray(0.3)
    for r in [logo] + rules:
        c.rect(r[0] * MM, h - r[3] * MM, (r[2] - r[0]) * MM, (r[3] - r[1]) * MM, stroke=0, fill=1)
    c.setFillGray(0)
    for x, y, size, t, anchor in texts:
        c.setFont("Helvetica", size)
        (c.drawRightString if anchor == "r" else c.drawString)(x * MM, h - y * MM, t)
    c.linkURL("https://example.org/", (20 * MM, h - 106 * MM, 60 * MM, h - 101 * MM))
    c.showPage()
    c.save()


def cairo_first(path, kind, amount):
    import cairo as C
    s = C.PDFSurface(path, 595.276, 841.89)
    cr = C.Context(s)
    logo, texts, rules = _first_layout(kind, amount)
    cr.set_source_rgb(0.3, 0.3, 0.3)
    for r in [logo] + rules:
        cr.rectangle(r[0] * MM, r[1] * MM, (r[2] - r[0]) * MM, (r[3] - r[1]) * MM)
        cr.fill()
    cr.set_source_rgb(0, 0, 0)
    cr.select_font_face("DejaVu Sans")
    for x, y, size, t, anchor in texts:
        cr.set_font_size(size)
        if anchor == "r":
            x -= cr.text_extents(t).x_advance / MM
        cr.move_to(x * MM, y * MM)
        cr.show_text(t)
    cr.show_page()
    s.finish()


def ghostscript_first(path, kind, amount):
    h = 841.89
    logo, texts, rules = _first_layout(kind, amount)
    ps = ["%!PS", "<< /PageSize [595.276 841.89] >> setpagedevice", "0.3 setgray"]
    ps += ["%f %f %f %f rectfill" % (r[0] * MM, h - r[3] * MM, (r[2] - r[0]) * MM, (r[3] - r[1]) * MM)
           for r in [logo] + rules]
    ps.append("0 setgray")
    for x, y, size, t, anchor in texts:
        ps.append("/Helvetica findfont %d scalefont setfont" % size)
        if anchor == "r":
            ps.append("%f %f moveto (%s) dup stringwidth pop neg 0 rmoveto show" % (x * MM, h - y * MM, t))
        else:
            ps.append("%f %f moveto (%s) show" % (x * MM, h - y * MM, t))
    ps.append("showpage")
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-sOutputFile=" + path, "-"],
                   input="\n".join(ps).encode(), check=True)


FIRST_PAGE = {"reportlab": reportlab_first, "cairo": cairo_first, "ghostscript": ghostscript_first}
