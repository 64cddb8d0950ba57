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
