#!/usr/bin/python3
"""Random letters from other producers, their marks hugging every region edge.

usage: random-letters.py PRODUCER OUTDIR COUNT SEED    (PRODUCER: reportlab or cairo)

Each letter has 1-3 A4 pages, a proper address in the window of page 1, and
0-3 marks a page placed within 2.5 mm of an edge of Notify's regions or of
their 1 mm slack: filled boxes in black, grey and near-white, hairlines and
thick strokes, text, a box partly painted over in white, a big box clipped
near an edge, a small photo-like image and a translucent box. For
fast-path.sh: check's fast path must give the raster rule's verdict on each.
(Rotated pages come from mkspecimens --random.)
"""
import io
import os
import random
import sys

PT = 72 / 25.4
W, H = 595.28, 841.89
EDGES_X = [15, 195, 125, 24.6, 120, 14, 196, 123.6, 121, 0, 210]
EDGES_Y = [5, 292, 95, 30, 39.5, 66.3, 4, 293, 94, 31, 38.5, 67.3, 0, 297]
GREYS = [0, 0, 0.5, 0.98, 0.998, 1]
ADDRESS = ["Ann Jones", "1 High Street", "Cardiff", "CF10 1AA"]


def near(rng, edges):
    return rng.choice(edges) + rng.uniform(-2.5, 2.5)


class Reportlab:
    def __init__(self, path):
        from reportlab.pdfgen import canvas
        self.c = canvas.Canvas(path, pagesize=(W, H))

    def box(self, x, y, w, h, grey, alpha=1.0):   # mm, from the top-left
        self.c.saveState()
        self.c.setFillGray(grey, alpha)
        self.c.rect(x * PT, H - (y + h) * PT, w * PT, h * PT, stroke=0, fill=1)
        self.c.restoreState()

    def line(self, x0, y0, x1, y1, width, grey):
        self.c.saveState()
        self.c.setStrokeGray(grey)
        self.c.setLineWidth(width)
        self.c.line(x0 * PT, H - y0 * PT, x1 * PT, H - y1 * PT)
        self.c.restoreState()

    def text(self, x, y, size, grey, words):
        self.c.saveState()
        self.c.setFillGray(grey)
        self.c.setFont("Helvetica", size)
        self.c.drawString(x * PT, H - y * PT, words)
        self.c.restoreState()

    def clipped_box(self, x, y, w, h, grey):
        self.c.saveState()
        p = self.c.beginPath()
        p.rect(x * PT, H - (y + h) * PT, w * PT, h * PT)
        self.c.clipPath(p, stroke=0, fill=0)
        self.c.setFillGray(grey)
        self.c.rect((x - 20) * PT, H - (y + 20) * PT, 40 * PT, 40 * PT, stroke=0, fill=1)
        self.c.restoreState()

    def image(self, x, y, w, h, png):
        from reportlab.lib.utils import ImageReader
        self.c.drawImage(ImageReader(io.BytesIO(png)), x * PT, H - (y + h) * PT, w * PT, h * PT)

    def next_page(self):
        self.c.showPage()

    def close(self):
        self.c.save()


class Cairo:
    def __init__(self, path):
        import cairo
        self.cairo = cairo
        self.surface = cairo.PDFSurface(path, W, H)
        self.c = cairo.Context(self.surface)

    def box(self, x, y, w, h, grey, alpha=1.0):
        self.c.set_source_rgba(grey, grey, grey, alpha)
        self.c.rectangle(x * PT, y * PT, w * PT, h * PT)
        self.c.fill()

    def line(self, x0, y0, x1, y1, width, grey):
        self.c.set_source_rgb(grey, grey, grey)
        self.c.set_line_width(width)
        self.c.move_to(x0 * PT, y0 * PT)
        self.c.line_to(x1 * PT, y1 * PT)
        self.c.stroke()

    def text(self, x, y, size, grey, words):
        self.c.set_source_rgb(grey, grey, grey)
        self.c.select_font_face("Liberation Sans")
        self.c.set_font_size(size)
        self.c.move_to(x * PT, y * PT)
        self.c.show_text(words)
        self.c.new_path()

    def clipped_box(self, x, y, w, h, grey):
        self.c.save()
        self.c.rectangle(x * PT, y * PT, w * PT, h * PT)
        self.c.clip()
        self.box(x - 20, y - 20, 40, 40, grey)
        self.c.restore()

    def image(self, x, y, w, h, png):
        img = self.cairo.ImageSurface.create_from_png(io.BytesIO(png))
        self.c.save()
        self.c.translate(x * PT, y * PT)
        self.c.scale(w * PT / img.get_width(), h * PT / img.get_height())
        self.c.set_source_surface(img, 0, 0)
        self.c.paint()
        self.c.restore()

    def next_page(self):
        self.c.show_page()

    def close(self):
        self.surface.finish()


def photo(rng):
    from PIL import Image
    img = Image.effect_noise((rng.randint(8, 40), rng.randint(8, 40)), 80).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def random_mark(rng, doc):
    x, y = near(rng, EDGES_X), near(rng, EDGES_Y)
    w, h = rng.uniform(0.05, 6), rng.uniform(0.05, 6)
    grey = rng.choice(GREYS)
    kind = rng.randrange(8)
    if kind == 0:
        doc.text(x, y, rng.uniform(4, 14), grey, rng.choice(["Mark", "ij", "W", "Page 2 of 3"]))
    elif kind == 1:   # a mark, then white paint over part or all of it
        doc.box(x, y, w, h, grey)
        doc.box(x + rng.uniform(-1, 1), y + rng.uniform(-1, 1), w + rng.uniform(-1, 1), h + rng.uniform(-1, 1), 1)
    elif kind == 2:
        doc.clipped_box(x, y, w, h, grey)
    elif kind == 3:   # a hairline or a thick stroke
        horizontal = rng.random() < 0.5
        doc.line(x, y, x + (w * 3 if horizontal else 0), y + (0 if horizontal else h * 3),
                 rng.choice([0.1, 0.25, 1, 3]), grey)
    elif kind == 4:
        doc.image(x, y, w, h, photo(rng))
    elif kind == 5:
        doc.box(x, y, w, h, rng.choice([0, 0.5]), alpha=rng.choice([0.02, 0.3]))
    else:
        doc.box(x, y, w, h, grey)


def letter(producer, path, rng):
    doc = {"reportlab": Reportlab, "cairo": Cairo}[producer](path)
    for page in range(rng.randint(1, 3)):
        if page == 0:
            for i, line in enumerate(ADDRESS):
                doc.text(26, 46 + i * 5, 10, 0, line)
            doc.text(20, 110, 11, 0, "Dear Ann, this letter's marks lie near the edges of Notify's regions.")
        for _ in range(rng.randrange(4)):
            random_mark(rng, doc)
        doc.next_page()
    doc.close()


def main():
    producer, out, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(f"{producer}-{seed}")
    for i in range(count):
        letter(producer, os.path.join(out, f"{producer}-{i:04d}.pdf"), rng)


if __name__ == "__main__":
    main()
