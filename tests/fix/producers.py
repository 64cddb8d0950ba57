"""Failing letters made at test time by three producers (reportlab, cairo,
Ghostscript), for tests/fix. Each function writes one PDF: a valid page 1
(address in the window), then later pages failing one rule by `amount`.
Every producer makes the kinds 'outside', 'tag', 'size', 'landscape' and
'big' (over 2 MiB: reportlab and Ghostscript with an uncompressed content
stream, cairo with one image drawn from 20 separate, identical surfaces).
text() reads a letter's text back, for the tests that compare it."""
import os
import re
import subprocess

from reportlab.lib.pagesizes import A4, letter as US_LETTER
from reportlab.pdfgen import canvas

MM = 72.0 / 25.4
ADDRESS = ["Ms A Person", "1 High Street", "Leeds", "LS1 1AA"]


def text(path):
    """The text MuPDF extracts from a letter (mutool), whitespace left out."""
    out = subprocess.run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", path], capture_output=True,
                         check=True).stdout.decode()
    return re.sub(r"\s+", "", out)


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


def photo_image(path, px, seed=0, alpha=False, quality=90):
    """A photo-like picture px pixels square (gradients under strong noise, which
    neither JPEG nor Flate compresses well) written to path: a JPEG, or with
    alpha a PNG whose alpha is a soft-edged disc."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter
    g = Image.linear_gradient("L").resize((px, px))
    r = Image.radial_gradient("L").resize((px, px))
    chans = []
    for i, (a, b) in enumerate([(g, r), (r, g.rotate(90 + seed)), (g.rotate(45 + seed), r)]):
        noise = Image.effect_noise((px, px), 40 + 10 * i + seed)
        chans.append(ImageChops.add(ImageChops.blend(a, b, 0.5), noise, scale=2, offset=0))
    img = Image.merge("RGB", chans)
    if alpha:
        m = Image.new("L", (px, px), 0)
        ImageDraw.Draw(m).ellipse((px // 10, px // 10, px - px // 10, px - px // 10), fill=255)
        img.putalpha(m.filter(ImageFilter.GaussianBlur(px // 40)))
        img.save(path, "PNG")
    else:
        img.save(path, "JPEG", quality=quality)


def photos(path, folder):
    """A two-page letter over 2 MiB even when rewritten losslessly, its bulk
    pictures above 300 dpi: on page 1, a 600 dpi photo (JPEG, 2362 pixels)
    drawn 10 x 10 cm and a 300 dpi one (JPEG, 591 pixels) drawn 5 x 5 cm; on
    page 2, the same 600 dpi photo again at 4 x 4 cm (its largest use is page
    1's) and a 600 dpi picture with a soft mask (RGBA, Flate, 709 pixels)
    drawn 3 x 3 cm."""
    big, small, masked = (os.path.join(folder, n) for n in ("p600.jpg", "p300.jpg", "p600-alpha.png"))
    photo_image(big, 2362)
    photo_image(small, 591, seed=3)
    photo_image(masked, 709, seed=5, alpha=True)
    w, h = A4
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    _rl_first(c, h)
    c.drawImage(big, 20 * MM, h - 230 * MM, 100 * MM, 100 * MM)
    c.drawImage(small, 130 * MM, h - 180 * MM, 50 * MM, 50 * MM)
    c.showPage()
    c.setFont("Helvetica", 10)
    c.drawString(20 * MM, h - 40 * MM, "Photographs, page two")
    c.drawImage(big, 20 * MM, h - 100 * MM, 40 * MM, 40 * MM)
    c.drawImage(masked, 100 * MM, h - 100 * MM, 30 * MM, 30 * MM, mask="auto")
    c.showPage()
    c.save()


def add_images(base, out, images, page=0, extra=()):
    """The reportlab letter `base` with image XObjects added to one page by an
    incremental update, so that any kind of image can be made: `images` are
    (dictionary entries, stream data, x_mm, y_mm from the top, w_mm, h_mm);
    `extra` streams (dictionary entries, data), numbered first from the
    file's /Size, are objects for the images to refer to."""
    import re
    data = open(base, "rb").read()
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    trailer = b" ".join(re.findall(rb"(/Root \d+ 0 R|/Info \d+ 0 R|/ID\s*\[[^\]]*\])", data))
    kids = re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[([^\]]*)\]", data).group(1))
    pnum = int(kids[page])
    pdict = re.search(rb"\n%d 0 obj\s*(.*?)\s*endobj" % pnum, data, re.S).group(1)
    objs = {}   # number -> body
    n = size
    names = b""
    draw = b"Q\n"
    for entries, stream in extra:
        objs[n] = b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries.encode(), len(stream), stream)
        n += 1
    for i, (entries, stream, x, y, w, h) in enumerate(images):
        objs[n] = b"<< /Type /XObject /Subtype /Image %s /Length %d >>\nstream\n%s\nendstream" % (
            entries.encode(), len(stream), stream)
        names += b" /Kx%d %d 0 R" % (i, n)
        draw += b"q %.3f 0 0 %.3f %.3f %.3f cm /Kx%d Do Q\n" % (
            w * MM, h * MM, x * MM, A4[1] - (y + h) * MM, i)
        n += 1
    for body in (b"q\n", draw):
        objs[n] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body)
        n += 1
    pdict = re.sub(rb"/Contents (\d+ 0 R)", b"/Contents [%d 0 R \\1 %d 0 R]" % (n - 2, n - 1), pdict)
    if b"/XObject <<" in pdict:
        pdict = pdict.replace(b"/XObject <<", b"/XObject <<" + names, 1)
    else:
        pdict = pdict.replace(b"/Resources <<", b"/Resources << /XObject <<" + names + b" >>", 1)
    objs[pnum] = pdict
    outb = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(outb)
        outb += b"%d 0 obj\n%s\nendobj\n" % (num, objs[num])
    xref = len(outb)
    outb += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n%d %d\n" % (
        pnum, offsets[pnum], size, n - size)
    for num in range(size, n):
        outb += b"%010d 00000 n \n" % offsets[num]
    outb += b"trailer\n<< /Size %d %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (n, trailer, prev, xref)
    open(out, "wb").write(outb)


def image_kinds(path, folder):
    """A letter over 2 MiB (a 600 dpi photo drawn 10 x 10 cm on page 1, in a
    form XObject in a form XObject) with,
    below the photo, ten 600 dpi pictures (472 pixels drawn 2 x 2 cm) of
    each kind shrink must handle or leave alone. Returns their names in order
    and whether each is to be downsampled."""
    import io
    import zlib
    from PIL import Image, ImageChops, ImageCms
    px = 472
    g = Image.linear_gradient("L").resize((px, px))
    r = Image.radial_gradient("L").resize((px, px))
    chans = [ImageChops.add(ImageChops.blend(a, b, 0.5), Image.effect_noise((px, px), 8), scale=2)
             for a, b in [(g, r), (r, g.rotate(90)), (g.rotate(45), r)]]
    rgb = Image.merge("RGB", chans)
    gray = rgb.convert("L")
    bits = gray.point(lambda v: 255 if v > 128 else 0).convert("1")
    pal = rgb.quantize(64)
    cmyk = io.BytesIO()
    rgb.convert("CMYK").save(cmyk, "JPEG", quality=90)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    common = "/Width %d /Height %d" % (px, px)
    z = zlib.compress
    kinds = [
        ("indexed", True, "/ColorSpace [/Indexed /DeviceRGB 63 <%s>] /BitsPerComponent 8 /Filter /FlateDecode"
         % bytes(pal.getpalette()[:64 * 3]).hex(), z(pal.tobytes())),
        # Four colours at random: 2 bits of noise a pixel, whose indices deflate well and whose
        # downsampled RGB (every colour averaged with its neighbours) does not.
        ("indexed-4-noise", False, "/ColorSpace [/Indexed /DeviceRGB 3 <%s>] /BitsPerComponent 8 "
         "/Filter /FlateDecode" % "c02020" "20a040" "2040c0" "e0c020",
         z(Image.effect_noise((px, px), 80).point(lambda v: min(3, v // 64)).tobytes())),
        ("gray-16-bit", True, "/ColorSpace /DeviceGray /BitsPerComponent 16 /Filter /FlateDecode",
         z(bytes(v for x in gray.tobytes() for v in (x, x)))),
        ("cmyk-jpeg", True, "/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter /DCTDecode "
         "/Decode [1 0 1 0 1 0 1 0]", cmyk.getvalue()),   # PIL's CMYK JPEGs are Adobe's, inverted
        ("icc-rgb", True, None, z(rgb.tobytes())),
        ("gray-decode-inverted", True, "/ColorSpace /DeviceGray /BitsPerComponent 8 /Decode [1 0] "
         "/Filter /FlateDecode", z(bytes(255 - v for v in gray.tobytes()))),
        ("rgb-flate", True, "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode", z(rgb.tobytes())),
        ("lab", False, "/ColorSpace [/Lab << /WhitePoint [0.9505 1 1.089] /Range [-100 100 -100 100] >>] "
         "/BitsPerComponent 8 /Filter /FlateDecode", z(rgb.tobytes())),
        ("image-mask", False, "/ImageMask true /BitsPerComponent 1 /Filter /FlateDecode", z(bits.tobytes())),
        ("gray-1-bit", False, "/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode", z(bits.tobytes())),
    ]
    big = os.path.join(folder, "kinds-p600.jpg")
    photo_image(big, 2362, seed=7)
    base = os.path.join(folder, "kinds-base.pdf")
    w, h = A4
    c = canvas.Canvas(base, pagesize=A4, invariant=1)
    _rl_first(c, h)
    # The photo two form XObjects deep: shrink finds images in nested forms.
    c.beginForm("inner")
    c.drawImage(big, 20 * MM, h - 230 * MM, 100 * MM, 100 * MM)
    c.endForm()
    c.beginForm("outer")
    c.doForm("inner")
    c.endForm()
    c.doForm("outer")
    c.showPage()
    c.save()
    # The ICC profile is an object of its own, numbered first: the file's /Size.
    import re
    size = int(re.findall(rb"/Size (\d+)", open(base, "rb").read())[-1])
    images = []
    for i, (name, _, entries, data) in enumerate(kinds):
        if entries is None:
            entries = "/ColorSpace [/ICCBased %d 0 R] /BitsPerComponent 8 /Filter /FlateDecode" % size
        images.append((common + " " + entries, data, 20 + 25 * (i % 7), 236 + 25 * (i // 7), 20, 20))
    add_images(base, path, images, extra=[("/N 3 /Filter /FlateDecode", z(icc))])
    return [(name, down) for name, down, _, _ in kinds]
