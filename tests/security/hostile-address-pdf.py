#!/usr/bin/env python3
"""hostile-address-pdf.py OUT.pdf: a one-page A4 letter whose address text
holds terminal escapes: ESC ] 0 ; ... BEL (sets the window title) and
ESC [ 2 J (clears the screen). Raw PDF, no library: the Helvetica font has a
ToUnicode map from each byte to the same code point, so the text MuPDF reads
back holds the control characters themselves. The last line is not a
postcode, so check fails the address and shows it "as read"."""
import sys


def pdf(lines, out):
    pt = lambda mm: mm * 72 / 25.4
    content = b"BT /F1 10 Tf\n"
    for i, line in enumerate(lines):
        esc = line.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        content += b"1 0 0 1 %.2f %.2f Tm (%s) Tj\n" % (pt(26), 842 - pt(45 + 4.5 * i), esc)
    content += b"ET\n"
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Identity-Latin def 1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"1 beginbfrange <00> <FF> <0000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end\n")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream"]
    data = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(data))
        data += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        data += b"%010d 00000 n \n" % o
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(out, "wb").write(data)

if __name__ == "__main__":
    pdf([b"Mr \x1b]0;pwned\x07 Example", b"\x1b[2J1 Example Street", b"Exampletown"], sys.argv[1])
