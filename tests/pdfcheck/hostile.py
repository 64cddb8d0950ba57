#!/usr/bin/python3
"""hostile.py: hostile and broken PDFs, made at test time, each checked by
`letterkit check` under tight limits. Every file must end in its expected
verdict (or one of them), within the time limit plus start-up, with a JSON
record and exit status 0 or 1: never a crash, a hang or exit 2.

With --valgrind, each check runs under valgrind (the separate valgrind
suite): also no invalid read or write, no use of uninitialised memory and
no leak, on every hostile file; the time allowed grows by VALGRIND_SLACK,
and running out of it (resource-limit-exceeded) is an accepted verdict.

usage: hostile.py [--valgrind] [NAME...]   (rerun some cases)"""
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib

LETTERKIT = os.environ["LETTERKIT"]
MAX_SECONDS = 4
LIMIT = "resource-limit-exceeded"
UNREADABLE = "unable-to-read-the-file"
VALGRIND = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect"]
VALGRIND_SLACK = 120


def pdf(objects, root=1, trailer_extra=b""):
    """A PDF from object bodies (bytes; object i+1 is objects[i]) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def stream(dictionary, data, compress=False):
    if compress:
        dictionary += b" /Filter /FlateDecode"
        data = compress_data(data) if isinstance(data, bytes) else data
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def compress_data(data):
    return zlib.compress(data, 9)


def zeros_deflated(n):
    """n zero bytes, deflated in chunks (a bomb without holding it in memory)."""
    c = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    parts = [c.compress(chunk) for _ in range(n >> 20)]
    parts.append(c.flush())
    return b"".join(parts)


A4 = b"[0 0 595 842]"


def one_page(content, resources=b"<< >>", mediabox=A4):
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R /Resources %s >>" % (mediabox, resources),
                content])


def image_page(width, height, data, x=500, y=300, w=80, h=80):
    """An image XObject placed over the right margin, so it must be rendered."""
    content = stream(b"", b"q %d 0 0 %d %d %d cm /Im1 Do Q" % (w, h, x, y))
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
                content,
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(data))
                + data + b"\nendstream"])


def many_pages(n):
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    return pdf(objs)


def cyclic_page_tree():
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"])


def cyclic_xobject():
    """A form XObject that draws itself: infinite recursion if followed."""
    form = stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /F 5 0 R >> >>",
                  b"0 0 m 100 100 l S /F Do")
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /XObject << /F 5 0 R >> >> >>",
                stream(b"", b"/F Do"),
                form])


def cyclic_references():
    """Objects that refer to each other: Resources -> 5 -> 6 -> 5."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>",
                stream(b"", b"BT /F1 12 Tf 100 500 Td (x) Tj ET"),
                b"<< /Font 6 0 R >>",
                b"<< /F1 5 0 R >>"])


CASES = {
    # name: (bytes maker, accepted verdicts)
    "decompression-bomb-content": (lambda: one_page(
        b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(bomb_ops := zlib.compress(b"0 0 m 1 1 l S\n" * 8_000_000, 1))
        + bomb_ops + b"\nendstream"), {None, LIMIT}),
    "decompression-bomb-image": (lambda: image_page(16000, 16000, zeros_deflated(768 << 20)),
                                 {"content-outside-printable-area", LIMIT}),
    "huge-image-100000-px": (lambda: image_page(100000, 100000, zlib.compress(b"\xff" * 4096)),
                             {"content-outside-printable-area", LIMIT, UNREADABLE, None}),
    "gigantic-mediabox": (lambda: one_page(stream(b"", b"0 0 m 14000 14000 l S"), mediabox=b"[0 0 14400 14400]"),
                          {"letter-not-a4-portrait-oriented"}),
    "negative-mediabox": (lambda: one_page(stream(b"", b""), mediabox=b"[0 0 -595 -842]"),
                          {None, "letter-not-a4-portrait-oriented", "address-is-empty"}),
    "thousands-of-pages": (lambda: many_pages(5000), {"letter-too-long"}),
    "cyclic-page-tree": (cyclic_page_tree, {UNREADABLE, "letter-not-a4-portrait-oriented", "address-is-empty"}),
    "cyclic-form-xobject": (cyclic_xobject, {UNREADABLE, LIMIT, "content-outside-printable-area", "address-is-empty"}),
    "cyclic-object-references": (cyclic_references, {UNREADABLE, "address-is-empty", None}),
    "deep-clip-nesting": (lambda: one_page(stream(b"", b"q 0 0 595 842 re W n\n" * 20000 + b"0 0 m 1 1 l S\n"
                                                  + b"Q\n" * 20000)),
                          {"content-outside-printable-area"}),
    "deep-group-nesting": (lambda: one_page(stream(b"", b"q /GS0 gs\n" * 5000 + b"Q\n" * 5000),
                                            resources=b"<< /ExtGState << /GS0 << /BM /Multiply >> >> >>"),
                           {"address-is-empty", None}),
    "garbage-after-header": (lambda: b"%PDF-1.7\n" + os.urandom(20000) + b"\n%%EOF\n", {UNREADABLE}),
    "xref-pointing-nowhere": (lambda: one_page(stream(b"", b"")).replace(b"startxref\n", b"startxref\n9")
                              , {UNREADABLE, "address-is-empty", None}),
    "broken-stream-length": (lambda: one_page(b"<< /Length 999999 >>\nstream\n0 0 m 1 1 l S\nendstream"),
                             {"address-is-empty", UNREADABLE, "content-outside-printable-area", None}),
}


def main():
    args = sys.argv[1:]
    wrapper, slack = [], 0
    if args[:1] == ["--valgrind"]:
        args = args[1:]
        # The stage itself, not the driver: valgrind does not follow exec.
        wrapper, slack = VALGRIND + [os.path.join(os.environ["BUILD_ROOT"], "letterkit-check")], VALGRIND_SLACK
    names = args or list(CASES)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            make, accepted = CASES[name]
            if wrapper:
                # Under valgrind (tens of times slower) any file may run out of
                # time: this suite is for memory errors, the other for verdicts.
                accepted = accepted | {LIMIT}
            path = os.path.join(tmp, name + ".pdf")
            with open(path, "wb") as f:
                f.write(make())
            start = time.monotonic()
            try:
                command = wrapper or [LETTERKIT, "check"]
                run = subprocess.run(command + ["--json", "--max-seconds", str(MAX_SECONDS),
                                      "--max-memory", "256", path],
                                     capture_output=True, text=True, timeout=MAX_SECONDS + 30 + slack)
            except subprocess.TimeoutExpired:
                print(f"FAIL {name}: still running after {MAX_SECONDS + 30 + slack} s")
                failures += 1
                continue
            secs = time.monotonic() - start
            problems = []
            try:
                got = json.loads(run.stdout)
                message = got["message"]
            except (json.JSONDecodeError, KeyError):
                message = "?"
                problems.append(f"no JSON record: {run.stdout[:200]!r}")
            if run.returncode not in (0, 1):
                problems.append(f"exit {run.returncode}: {run.stderr[-300:]!r}")
            if message not in accepted:
                problems.append(f"verdict {message!r}, want one of {sorted(map(str, accepted))}")
            if secs > MAX_SECONDS + 10 + slack:
                problems.append(f"took {secs:.1f} s")
            if problems:
                failures += 1
                print(f"FAIL {name}: " + "; ".join(problems))
            else:
                print(f"ok   {name}: {message} in {secs:.2f} s")
    print(f"{len(names) - failures} of {len(names)} hostile files ended as expected")
    sys.exit(1 if failures else 0)


main()
