#!/usr/bin/python3
"""Specimen letters made with cairo (python3-cairo), as report generators
and GTK applications make them. Writes into the directory given (default ../cairo)."""
import os
import sys

import cairo

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "cairo")
os.makedirs(out, exist_ok=True)
MM = 72 / 25.4
W, H = 210 * MM, 297 * MM


ADDRESS = ["Dr C Cairo", "3 Vector Lane", "Pathtown", "EH1 1YZ"]


def letter(name, extra=None, pages=1, address=ADDRESS):
    surface = cairo.PDFSurface(os.path.join(out, name), W, H)
    surface.set_metadata(cairo.PDF_METADATA_CREATE_DATE, "2026-01-01T00:00:00Z")
    ctx = cairo.Context(surface)
    ctx.select_font_face("DejaVu Sans")
    for n in range(pages):
        ctx.set_source_rgb(0, 0, 0)
        if n == 0:
            ctx.set_font_size(10)
            for i, line in enumerate(address):
                ctx.move_to(26 * MM, (45 + 4.5 * i) * MM)
                ctx.show_text(line)
            ctx.set_source_rgb(0.1, 0.3, 0.6)
            ctx.rectangle(15 * MM, 6 * MM, 30 * MM, 20 * MM)
            ctx.fill()
            ctx.set_source_rgb(0, 0, 0)
        ctx.set_font_size(11)
        ctx.move_to(20 * MM, (105 if n == 0 else 20) * MM)
        ctx.show_text("Text set by cairo, inside the body.")
        if extra:
            extra(ctx, n)
        ctx.show_page()
    surface.finish()


letter("valid-1-page.pdf")
letter("valid-3-pages.pdf", pages=3)


def margin_line(ctx, n):
    if n == 1:
        ctx.set_line_width(0.5 * MM)
        ctx.move_to(200 * MM, 50 * MM)
        ctx.line_to(200 * MM, 250 * MM)
        ctx.stroke()


letter("outside-rule-in-right-margin-page-2.pdf", extra=margin_line, pages=2)
letter("address-no-fixed-abode.pdf", address=["Mr D Cairo", "NFA", "Pathtown", "EH1 1YZ"])
letter("address-not-enough-lines.pdf", address=["Dr C Cairo", "EH1 1YZ"])
letter("address-ligature-unfolded.pdf", address=["Mr E Ruﬀ", "Cliﬀ Cottage", "Pathtown", "EH1 1YZ"])
