#!/usr/bin/python3
"""End-to-end test of fix's `shrink` downsampling images above 300 dpi.

- A letter over 2 MiB, still over when rewritten losslessly, whose bulk is a
  600 dpi photo (JPEG) drawn 10 x 10 cm on page 1 and again 4 x 4 cm on page
  2, beside a 300 dpi photo and a 600 dpi picture with a soft mask: fixed
  under 2 MiB, it passes `letterkit check`; pdfimages shows the photo at 300
  dpi at its largest use (so 750 at its smaller one), its soft-masked
  neighbour and its mask at 300, the 300 dpi photo untouched (same size and
  bytes); text and images kept; the pages look the same (MuPDF and poppler).
- A letter with ten 600 dpi pictures of every kind: Indexed, 16-bit grey, a
  CMYK JPEG with an inverting /Decode, ICC-based RGB, grey with /Decode
  [1 0], RGB, and the photo drawn in a form XObject in another; and the
  kinds left alone (Indexed noise of four colours, whose RGB samples would
  be larger; Lab; an image mask; 1-bit grey): each downsampled looks as it
  did; each left alone is byte for byte as it was, and the record says
  which were left and why.
- A letter over 2 MiB that a lossless rewrite brings under: its 600 dpi
  image is not downsampled.
Run with Debian's python3 (reportlab and PIL)."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import producers  # noqa: E402
from PIL import Image, ImageChops, ImageStat  # noqa: E402

LK = os.environ["LETTERKIT"]
MIB2 = 2 * 1024 * 1024
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL", msg)


def check_ok(path):
    return subprocess.run([LK, "check", "-q", path], capture_output=True).returncode == 0


def fix(path, out):
    p = subprocess.run([LK, "fix", "-o", out, path], capture_output=True, timeout=120)
    return p.returncode, json.loads(p.stdout.decode().splitlines()[0]), p.stderr.decode()


def images(path):
    """pdfimages -list: (page, type, width, height, enc, object, x-ppi, y-ppi) a placement."""
    out = subprocess.run(["pdfimages", "-list", path], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        f = line.split()
        rows.append((int(f[0]), f[2], int(f[3]), int(f[4]), f[8], int(f[10]), int(f[12]), int(f[13])))
    return rows


def stream_digests(path):
    """Each image's stream (as poppler extracts it, raw: -all keeps JPEGs as they are) by placement."""
    d = tempfile.mkdtemp(prefix="lk-img-")
    try:
        subprocess.run(["pdfimages", "-all", path, os.path.join(d, "i")], check=True)
        return [hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
                for f in sorted(os.listdir(d))]
    finally:
        shutil.rmtree(d)


def renders(path, page, tool):
    d = tempfile.mkdtemp(prefix="lk-draw-")
    try:
        if tool == "mutool":
            png = os.path.join(d, "p.png")
            subprocess.run(["mutool", "draw", "-q", "-r", "100", "-o", png, path, str(page)],
                           check=True, capture_output=True)
        else:
            subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", str(page), "-l", str(page), path,
                            os.path.join(d, "p")], check=True)
            png = os.path.join(d, os.listdir(d)[0])
        return Image.open(png).convert("RGB")
    finally:
        shutil.rmtree(d)


def looks_same(before, after, page, box_mm, what, limit=3.0):
    """The region (mm from the top left) drawn from both letters differs by little on average."""
    k = 100 / 25.4
    box = tuple(int(v * k) for v in box_mm)
    for tool in ("mutool", "pdftoppm"):
        a, b = renders(before, page, tool).crop(box), renders(after, page, tool).crop(box)
        diff = max(ImageStat.Stat(ImageChops.difference(a, b)).mean)
        shift = max(abs(x - y) for x, y in zip(ImageStat.Stat(a).mean, ImageStat.Stat(b).mean))
        if diff > limit or shift > 2:
            fail("%s: drawn by %s it looks different after shrink (mean difference %.1f, colour shift %.1f)"
                 % (what, tool, diff, shift))


def expect_common(rec, path, out):
    f = rec["fix"]
    name = os.path.basename(path)
    if not (f["valid"] and f["changed"]) or not os.path.exists(out):
        fail("%s: not fixed: %s" % (name, json.dumps(f)))
        return False
    if os.path.getsize(out) > MIB2 or f["size_after"] > MIB2:
        fail("%s: %d bytes after shrink" % (name, os.path.getsize(out)))
    if not check_ok(out):
        fail("%s: the fixed letter fails check" % name)
    if producers.text(out) != producers.text(path):
        fail("%s: text changed" % name)
    if len(images(out)) != len(images(path)):
        fail("%s: %d image placements, not %d" % (name, len(images(out)), len(images(path))))
    return True


def photos(tmp):
    path, out = os.path.join(tmp, "photos.pdf"), os.path.join(tmp, "photos-fixed.pdf")
    producers.photos(path, tmp)
    if check_ok(path) or os.path.getsize(path) <= MIB2:
        fail("photos.pdf passes check before fixing: the generator is wrong")
    rc, rec, err = fix(path, out)
    if rc != 0 or not expect_common(rec, path, out):
        return fail("photos.pdf: rc %d %s" % (rc, err))
    notes = " ".join(rec["fix"]["notes"])
    print("ok photos.pdf:", notes)
    m = re.search(r"streams recompressed \(to (\d+) bytes\)", notes)
    if not m or int(m.group(1)) <= MIB2:
        fail("photos.pdf: downsampling not needed to get under 2 MiB, the test proves nothing: %s" % notes)
    if "2 images and 1 soft mask downsampled from 600 to 300 dpi" not in notes:
        fail("photos.pdf: the record does not say what was downsampled: %s" % notes)
    before, after = images(path), images(out)
    print("   before", before)
    print("   after ", after)
    want = [  # page, type, width, x-ppi at that placement
        (1, "image", 1182, 300), (1, "image", 591, 300), (2, "image", 1182, 750),
        (2, "image", 355, 300), (2, "smask", 355, 300)]
    for (pg, typ, w, ppi), got in zip(want, after):
        if (got[0], got[1], got[2]) != (pg, typ, w) or abs(got[6] - ppi) > 2 or abs(got[7] - ppi) > 2 \
                or got[2] != got[3]:
            fail("photos.pdf: placement %s, not page %d %s %d pixels at %d ppi" % (got, pg, typ, w, ppi))
    # The 300 dpi photo is left alone: the same JPEG, byte for byte.
    if stream_digests(path)[1] != stream_digests(out)[1]:
        fail("photos.pdf: the 300 dpi photo was changed")
    looks_same(path, out, 1, (21, 131, 119, 229), "photos.pdf's 600 dpi photo", limit=8)
    looks_same(path, out, 2, (101, 71, 129, 99), "photos.pdf's soft-masked picture", limit=8)
    looks_same(path, out, 1, (131, 131, 179, 179), "photos.pdf's 300 dpi photo", limit=0.01)


def kinds(tmp):
    path, out = os.path.join(tmp, "kinds.pdf"), os.path.join(tmp, "kinds-fixed.pdf")
    kinds = producers.image_kinds(path, tmp)
    rc, rec, err = fix(path, out)
    if rc != 0 or not expect_common(rec, path, out):
        return fail("kinds.pdf: rc %d %s" % (rc, err))
    notes = rec["fix"]["notes"]
    print("ok kinds.pdf:", notes)
    if not any("7 images downsampled from 599-600 to 300 dpi" in n for n in notes):
        fail("kinds.pdf: not 6 images downsampled: %s" % notes)
    if not any("4 images above 300 dpi left as they were: no smaller downsampled, "
               "colour space not handled, image mask, 1-bit" in n
               for n in notes):
        fail("kinds.pdf: the images left alone are not said: %s" % notes)
    before, after = images(path), images(out)
    # The photo, two form XObjects deep, found and downsampled.
    if (after[0][2], abs(after[0][6] - 300) <= 2) != (1182, True):
        fail("kinds.pdf: the photo in a form in a form not downsampled: %s" % (after[0],))
    digests_before, digests_after = stream_digests(path), stream_digests(out)
    for i, (name, down) in enumerate(kinds):
        b, a = before[i + 1], after[i + 1]
        x, y = 20 + 25 * (i % 7), 236 + 25 * (i // 7)
        if down and (a[2], a[3], abs(a[6] - 300) <= 2) != (237, 237, True):
            fail("kinds.pdf %s: not downsampled to 300 dpi: %s" % (name, a))
        if not down and (a[2:4] != b[2:4] or digests_after[i + 1] != digests_before[i + 1]):
            fail("kinds.pdf %s: changed, though it is to be left alone: %s -> %s" % (name, b, a))
        looks_same(path, out, 1, (x + 1, y + 1, x + 19, y + 19), "kinds.pdf %s" % name,
                   limit=3 if down else 0.01)
        print("   %-22s %s -> %s" % (name, b[1:5] + b[6:], a[1:5] + a[6:]))


def lossless_enough(tmp):
    """Over 2 MiB by an uncompressed content stream, with a 600 dpi photo: the
    lossless rewrite is enough, so the photo is kept as it is."""
    base = os.path.join(tmp, "lossless-base.pdf")
    path, out = os.path.join(tmp, "lossless.pdf"), os.path.join(tmp, "lossless-fixed.pdf")
    from reportlab.pdfgen import canvas
    jpg = os.path.join(tmp, "small-600.jpg")
    producers.photo_image(jpg, 472, seed=9)
    c = canvas.Canvas(base, pagesize=producers.A4, invariant=1, pageCompression=0)
    producers._rl_first(c, producers.A4[1])
    c.drawImage(jpg, 20 * producers.MM, producers.A4[1] - 200 * producers.MM, 20 * producers.MM,
                20 * producers.MM)
    c._code.append("q Q\n" * 600000)
    c.showPage()
    c.save()
    shutil.copy(base, path)
    rc, rec, err = fix(path, out)
    if rc != 0 or not expect_common(rec, path, out):
        return fail("lossless.pdf: rc %d %s" % (rc, err))
    notes = " ".join(rec["fix"]["notes"])
    if "downsampled" in notes or images(out)[0][2] != 472 or stream_digests(out) != stream_digests(path):
        fail("lossless.pdf: its image was downsampled though the lossless rewrite was enough: %s %s"
             % (notes, images(out)))
    else:
        print("ok lossless.pdf:", notes)


def main():
    tmp = tempfile.mkdtemp(prefix="lk-shrink-")
    photos(tmp)
    kinds(tmp)
    lossless_enough(tmp)
    shutil.rmtree(tmp)
    print("%d failures" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
