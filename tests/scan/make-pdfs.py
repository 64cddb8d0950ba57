#!/usr/bin/env python3
"""make-pdfs.py: the PDFs the scan tests need, written into OUTDIR.

    make-pdfs.py OUTDIR [--encrypted]

letter.pdf     a clean one-page A4 letter (text in a Flate stream)
eicar.pdf      a valid PDF with the EICAR test string in a Flate-compressed
               embedded-file stream: found only if the PDF is parsed
encrypted.pdf  (--encrypted, needs Ghostscript) letter.pdf with a user password

The EICAR string is built from hex so that no file in the repository carries
it: a developer's own virus scanner would otherwise quarantine this script.
"""
import os
import subprocess
import sys
import zlib

EICAR = bytes.fromhex(
    "58354f2150254041505b345c505a58353428505e2937434329377d2445494341522d"
    "5354414e444152442d414e544956495255532d544553542d46494c452124482b482a")


def stream(dictionary, data):
    """A Flate-compressed stream object body."""
    packed = zlib.compress(data)
    return (b"<<" + dictionary + b" /Filter /FlateDecode /Length %d>>\nstream\n" % len(packed)
            + packed + b"\nendstream")


def write_pdf(path, objects, root=1):
    """Writes objects (bodies of 1..n) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<</Size %d /Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, path)


def page_objects(text, extra_catalog=b""):
    content = b"BT /F1 12 Tf 72 700 Td (%s) Tj ET" % text
    return [
        b"<</Type /Catalog /Pages 2 0 R" + extra_catalog + b">>",
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89]"
        b" /Resources <</Font <</F1 5 0 R>>>> /Contents 4 0 R>>",
        stream(b"", content),
        b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>",
    ]


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--encrypted"):
        print("usage: make-pdfs.py OUTDIR [--encrypted]", file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    letter = os.path.join(out, "letter.pdf")
    write_pdf(letter, page_objects(b"Dear resident, your bin day changes on 1 April."))
    objects = page_objects(b"A letter with an attachment.",
                           b" /Names <</EmbeddedFiles <</Names [(eicar.com) 6 0 R]>>>>")
    objects += [
        b"<</Type /Filespec /F (eicar.com) /UF (eicar.com) /EF <</F 7 0 R>>>>",
        stream(b" /Type /EmbeddedFile", EICAR),
    ]
    write_pdf(os.path.join(out, "eicar.pdf"), objects)
    if len(sys.argv) == 3:
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite",
                        "-sOwnerPassword=letterkit-owner", "-sUserPassword=letterkit",
                        "-dEncryptionR=3", "-dKeyLength=128",
                        "-o", os.path.join(out, "encrypted.pdf"), letter], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
