#!/usr/bin/python3
"""Marks at Notify's region edges: `letterkit check` against a poppler oracle.

The oracle is the raster rule as Notify runs it, built on poppler and on
nothing of ours: pdftoppm -r 200 renders the page (its MediaBox); the grown
regions, laid on an A4 canvas anchored at user-space (0, 0) and measured from
its bottom (841.89 pt), in the page's unrotated user space, are whitened as
poppler fills a box, columns [round(x0), round(x1)) and rows likewise; any
pixel left that is not white fails the page.

Letters come from several producers (hand-written PDF, reportlab, cairo,
Ghostscript) with one mark each, of many kinds, its near edge 0.9-1.1 mm
beyond a region's edge, on plain, rotated, CropBox and offset-MediaBox pages.
Each is checked in letter and attachment mode, on the fast path and with
--full-raster; all must agree with the oracle.

usage: edge-oracle.py [--all | --sample N] [--seed S]   (the sample by default:
every producer, frame and kind of mark; see sample())
Prints the counts; exits 1 on any disagreement.
"""
import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import zlib

PT = 72 / 25.4
K = 200 / 72
CANVAS_H = 297 * PT
FIRST = [(15, 95, 195, 292), (125, 5, 195, 95), (15, 5, 125, 30), (24.6, 39.5, 120, 66.3)]
LATER = [(15, 5, 195, 292)]
DISTANCES = [0.9, 0.95, 1.0, 1.05, 1.1]
A4 = (595.28, 841.89)
FRAMES = {  # name: (MediaBox, /Rotate, CropBox or None)
    "plain": ((0, 0, 595.28, 841.89), 0, None),
    "tall": ((0, 0, 595.28, 841.92), 0, None),
    "rot90": ((0, 0, 841.89, 595.28), 90, None),
    "rot180": ((0, 0, 595.28, 841.89), 180, None),
    "rot270": ((0, 0, 841.89, 595.28), 270, None),
    "cropbox": ((0, 0, 595.28, 841.89), 0, (20.3, 20.7, 575.1, 821.4)),
    "offset": ((30, 40, 625.28, 881.89), 0, None),
}


# ---------------------------------------------------------------- the oracle
def to_px(ux, uy, media, rot):
    mx0, my0, mx1, my1 = media
    if rot == 90:
        return (uy - my0) * K, (ux - mx0) * K
    if rot == 180:
        return (mx1 - ux) * K, (uy - my0) * K
    if rot == 270:
        return (my1 - uy) * K, (mx1 - ux) * K
    return (ux - mx0) * K, (my1 - uy) * K


def white_boxes(regions, media, rot):
    boxes = []
    for x0, y0, x1, y1 in regions:
        ux0, ux1 = (x0 - 1) * PT, (x1 + 1) * PT
        uy0, uy1 = CANVAS_H - (y1 + 1) * PT, CANVAS_H - (y0 - 1) * PT
        a, b = to_px(ux0, uy0, media, rot), to_px(ux1, uy1, media, rot)
        r = lambda v: int(v + 0.5) if v >= 0 else -int(-v + 0.5)
        boxes.append((r(min(a[0], b[0])), r(min(a[1], b[1])), r(max(a[0], b[0])), r(max(a[1], b[1]))))
    return boxes


def oracle_fails(pdf, regions, media, rot):
    ppm = subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", pdf],
                         check=True, capture_output=True).stdout
    head, rest = ppm.split(b"\n", 1)
    dims, rest = rest.split(b"\n", 1)
    _, data = rest.split(b"\n", 1)
    w, h = map(int, dims.split())
    boxes = white_boxes(regions, media, rot)
    for y in range(h):
        row = data[y * w * 3:(y + 1) * w * 3]
        if row.count(255) == len(row):
            continue
        for x in range(w):
            if row[3 * x] & row[3 * x + 1] & row[3 * x + 2] == 255:
                continue
            if not any(b[0] <= x < b[2] and b[1] <= y < b[3] for b in boxes):
                return True
    return False


# ------------------------------------------------------ where a mark is put
def mark_rect(region, side, d, size=2.0):
    """A size-mm mark in mm from the top, its near edge d mm beyond `side`."""
    x0, y0, x1, y1 = region
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if side == "left":
        return (x0 - d - size, cy - size / 2, x0 - d, cy + size / 2)
    if side == "right":
        return (x1 + d, cy - size / 2, x1 + d + size, cy + size / 2)
    if side == "top":
        return (cx - size / 2, y0 - d - size, cx + size / 2, y0 - d)
    return (cx - size / 2, y1 + d, cx + size / 2, y1 + d + size)


def user_rect(mm):
    """mm from the canvas's top left -> user space (x, y, w, h), y up."""
    x0, y0, x1, y1 = mm
    return x0 * PT, CANVAS_H - y1 * PT, (x1 - x0) * PT, (y1 - y0) * PT


# ------------------------------------------------------------- producers
# Content-stream operators drawing each kind of mark over the rectangle
# (x, y, w, h) in user space.
RAW_MARKS = {
    "fill": "0 g {x} {y} {w} {h} re f",
    "grey": "0.97 g {x} {y} {w} {h} re f",
    "hairline": "0 G 0.1 w {x} {y} {w} {h} re S",
    "thick": "0 G 3 w {xi} {yi} {wi} {hi} re S",
    "glyph": "BT /F1 8 Tf {x} {y} Td (Il) Tj ET",
    "alpha": "/GS1 gs 0 g {x} {y} {w} {h} re f",
    "clip": "q {x} {y} {w} {h} re W n 0 g {xo} {yo} 60 60 re f Q",   # a big square clipped to the mark
    "white-over-black": "0 g {x} {y} {w} {h} re f 1 g {xw} {yw} {ww} {hw} re f",   # all but a sliver hidden
    "mask": "q {w} 0 0 {h} {x} {y} cm 0 g /Im1 Do Q",
    "photo": "q {w} 0 0 {h} {x} {y} cm /Im2 Do Q",
}


def raw_content(kind, r):
    x, y, w, h = r
    values = dict(x=x, y=y, w=w, h=h, xi=x + 1.5, yi=y + 1.5, wi=w - 3, hi=h - 3, xo=x - 20, yo=y - 20,
                  xw=x - 1, yw=y - 1, ww=w + 2, hw=h + 2 - 0.3)
    return RAW_MARKS[kind].format(**{k: f"{v:.4f}" for k, v in values.items()})


RAW_KINDS = list(RAW_MARKS)


def raw_pdf(kind, r, frame):
    media, rot, crop = FRAMES[frame]
    content = raw_content(kind, r).encode()
    photo = bytes((i * 37 + j * 11) % 200 for i in range(8) for j in range(8 * 3))
    mask = bytes([0xAA, 0x55] * 8)
    objs = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        ("<</Type/Page/Parent 2 0 R/MediaBox[%s]%s%s/Contents 4 0 R/Resources"
         "<</Font<</F1 5 0 R>>/ExtGState<</GS1<</ca 0.05>>>>/XObject<</Im1 6 0 R/Im2 7 0 R>>>>>>"
         % (" ".join(map(str, media)), f"/Rotate {rot}" if rot else "",
            "/CropBox[%s]" % " ".join(map(str, crop)) if crop else "")).encode(),
        b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Type/XObject/Subtype/Image/Width 16/Height 8/ImageMask true/BitsPerComponent 1"
        b"/Length %d>>stream\n" % len(mask) + mask + b"\nendstream",
        b"<</Type/XObject/Subtype/Image/Width 8/Height 8/ColorSpace/DeviceRGB/BitsPerComponent 8"
        b"/Filter/FlateDecode/Length %d>>stream\n" % len(zlib.compress(photo)) + zlib.compress(photo) +
        b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(out.tell())
        out.write(b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n")
    x = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offs:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x))
    return out.getvalue()


def reportlab_pdf(kind, r, path):
    from reportlab.pdfgen import canvas
    x, y, w, h = r
    c = canvas.Canvas(path, pagesize=A4)
    if kind == "fill":
        c.rect(x, y, w, h, fill=1, stroke=0)
    elif kind == "hairline":
        c.setLineWidth(0.1)
        c.rect(x, y, w, h, fill=0, stroke=1)
    elif kind == "thick":
        c.setLineWidth(3)
        c.rect(x + 1.5, y + 1.5, w - 3, h - 3, fill=0, stroke=1)
    elif kind == "glyph":
        c.setFont("Helvetica", 8)
        c.drawString(x, y, "Il")
    elif kind == "alpha":
        c.setFillColorRGB(0, 0, 0, alpha=0.05)
        c.rect(x, y, w, h, fill=1, stroke=0)
    elif kind == "grey":
        c.setFillGray(0.97)
        c.rect(x, y, w, h, fill=1, stroke=0)
    c.showPage()
    c.save()


def cairo_pdf(kind, r, path):
    import cairo
    x, y, w, h = r
    s = cairo.PDFSurface(path, *A4)
    cr = cairo.Context(s)
    cr.translate(0, A4[1])   # cairo's y runs down from the top of an 841.89 pt page
    cr.scale(1, -1)
    if kind == "fill":
        cr.rectangle(x, y, w, h)
        cr.fill()
    elif kind == "hairline":
        cr.set_line_width(0.1)
        cr.rectangle(x, y, w, h)
        cr.stroke()
    elif kind == "thick":
        cr.set_line_width(3)
        cr.rectangle(x + 1.5, y + 1.5, w - 3, h - 3)
        cr.stroke()
    elif kind == "alpha":
        cr.set_source_rgba(0, 0, 0, 0.05)
        cr.rectangle(x, y, w, h)
        cr.fill()
    elif kind == "photo":
        img = cairo.ImageSurface(cairo.FORMAT_RGB24, 8, 8)
        cr.save()
        cr.translate(x, y)
        cr.scale(w / 8, h / 8)
        cr.set_source_surface(img, 0, 0)
        cr.paint()
        cr.restore()
    s.finish()


def gs_pdf(kind, r, path):
    x, y, w, h = r
    body = {
        "fill": f"0 setgray {x} {y} {w} {h} rectfill",
        "hairline": f"0.1 setlinewidth {x} {y} {w} {h} rectstroke",
        "thick": f"3 setlinewidth {x + 1.5} {y + 1.5} {w - 3} {h - 3} rectstroke",
        "glyph": f"/Helvetica findfont 8 scalefont setfont {x} {y} moveto (Il) show",
    }[kind]
    ps = f"%!PS\n<</PageSize [595.28 841.89]>> setpagedevice\n{body}\nshowpage\n"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                    f"-sOutputFile={path}", "-"], input=ps.encode(), check=True)


PRODUCERS = {
    "raw": (RAW_KINDS, list(FRAMES)),
    "reportlab": (["fill", "hairline", "thick", "glyph", "alpha", "grey"], ["plain"]),
    "cairo": (["fill", "hairline", "thick", "alpha", "photo"], ["plain"]),
    "ghostscript": (["fill", "hairline", "thick", "glyph"], ["plain"]),
}


def cases():
    for producer, (kinds, frames) in PRODUCERS.items():
        for frame in frames:
            for kind in kinds:
                for ri, region in enumerate(FIRST):
                    for side in ("left", "right", "top", "bottom"):
                        for d in DISTANCES:
                            yield producer, frame, kind, ri, side, d


def sample(every, n, seed):
    """n cases that cover the kinds of letter before repeating one: producers
    in turn, and within a producer its (frame, kind) groups in an order that
    steps through every frame and every kind; each case a random region, side
    and distance of its group. With 40 (the default) every producer, frame
    and kind is checked."""
    rnd = random.Random(seed)
    groups = {}
    for c in every:
        groups.setdefault(c[:3], []).append(c)
    for key in groups:
        rnd.shuffle(groups[key])
    orders = []
    for producer, (kinds, frames) in PRODUCERS.items():
        # the i-th group: frame i mod F, kind i mod K, so the first max(F, K)
        # groups take every frame and every kind (then the pairs not yet taken)
        order = []
        for i in range(len(frames) * len(kinds)):
            key = (producer, frames[i % len(frames)], kinds[i % len(kinds)])
            if key not in order:
                order.append(key)
        order += [(producer, f, k) for f in frames for k in kinds if (producer, f, k) not in order]
        orders.append(order)
    chosen = []
    for turn in range(max(len(o) for o in orders) * max(len(g) for g in groups.values())):
        for order in orders:   # the producers in turn
            group = groups[order[turn % len(order)]]
            if group and len(chosen) < n:
                chosen.append(group.pop())
    return chosen


def make(case, folder):
    producer, frame, kind, ri, side, d = case
    name = f"{producer}-{frame}-{kind}-r{ri}-{side}-{d}.pdf"
    path = os.path.join(folder, name)
    r = user_rect(mark_rect(FIRST[ri], side, d))
    if producer == "raw":
        with open(path, "wb") as f:
            f.write(raw_pdf(kind, r, frame))
    elif producer == "reportlab":
        reportlab_pdf(kind, r, path)
    elif producer == "cairo":
        cairo_pdf(kind, r, path)
    else:
        gs_pdf(kind, r, path)
    return path


def check(letterkit, files, extra):
    out = subprocess.run([letterkit, "check", "--json", *extra, *files],
                         capture_output=True, text=True).stdout
    recs = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(recs) == len(files), (len(recs), len(files))
    return [rec["message"] == "content-outside-printable-area" for rec in recs]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--sample", type=int, default=int(os.environ.get("EDGE_ORACLE_SAMPLE", "40")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("EDGE_ORACLE_SEED", "19")))
    ap.add_argument("--letterkit", default=os.environ.get("LETTERKIT", "letterkit"))
    args = ap.parse_args()
    every = list(cases())
    chosen = every if args.all else sample(every, args.sample, args.seed)
    bad = 0
    with tempfile.TemporaryDirectory() as folder:
        files = [make(c, folder) for c in chosen]
        frames = [FRAMES[c[1]] for c in chosen]
        for mode, regions, extra in (("letter", FIRST, []), ("attachment", LATER, ["--attachment"])):
            want = [oracle_fails(f, regions, fr[0], fr[1]) for f, fr in zip(files, frames)]
            fast = check(args.letterkit, files, extra)
            full = check(args.letterkit, files, extra + ["--full-raster"])
            agree = sum(a == b == c for a, b, c in zip(want, fast, full))
            for f, a, b, c in zip(files, want, fast, full):
                if not a == b == c:
                    bad += 1
                    print(f"DISAGREE {mode} {os.path.basename(f)}: oracle {'fails' if a else 'passes'}, "
                          f"check {'fails' if b else 'passes'}, --full-raster {'fails' if c else 'passes'}",
                          file=sys.stderr)
            print(f"{mode}: {agree} of {len(files)} agree with the oracle "
                  f"({sum(want)} fail at the oracle; fast path = full raster on "
                  f"{sum(b == c for b, c in zip(fast, full))})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
