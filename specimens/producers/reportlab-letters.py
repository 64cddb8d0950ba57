#!/usr/bin/python3
"""Specimen letters made with ReportLab (python3-reportlab), as many services
make their letters. Writes into the directory given (default ../reportlab)."""
import os
import sys

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "reportlab")
os.makedirs(out, exist_ok=True)
H = A4[1]


pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
ADDRESS = ["Mr B Sample", "Flat 2", "10 Sample Road", "Sampleford", "BS1 4DJ"]


def first_page(c, address=ADDRESS):
    c.setFillGray(0.4)
    c.rect(15 * mm, H - 28 * mm, 40 * mm, 20 * mm, fill=1, stroke=0)
    c.setFillGray(0)
    c.setFont("Helvetica", 9)
    c.drawString(130 * mm, H - 15 * mm, "HM Example Office")
    c.drawString(130 * mm, H - 20 * mm, "Example House, Exampleton")
    t = c.beginText(26 * mm, H - 45 * mm)
    t.setFont("DejaVu", 10)
    for line in address:
        t.textLine(line)
    c.drawText(t)
    c.setFont("Helvetica", 11)
    c.drawString(20 * mm, H - 105 * mm, "Dear Mr Sample,")
    c.drawString(20 * mm, H - 115 * mm, "Your application has been received.")


def letter(name, pages=1, extra=None, size=A4, address=ADDRESS):
    c = canvas.Canvas(os.path.join(out, name), pagesize=size, invariant=1)
    for n in range(pages):
        if n == 0:
            first_page(c, address)
        else:
            c.setFont("Helvetica", 11)
            c.drawString(20 * mm, H - 20 * mm, f"Page {n + 1} of the letter")
        if extra:
            extra(c, n)
        c.showPage()
    c.save()


letter("valid-2-pages.pdf", pages=2)
letter("outside-footer-in-bottom-margin.pdf",
       extra=lambda c, n: c.drawString(20 * mm, 2 * mm, "Printed by a footer too close to the edge"))
letter("too-long-12-pages.pdf", pages=12)
letter("not-a4-landscape.pdf", size=landscape(A4))


def white_tag_on_page_2(c, n):
    if n == 1:
        c.setFillGray(1)
        c.setFont("Helvetica", 6)
        c.drawString(1.8 * mm, H - 3.9 * mm, "NOTIFY")
        c.setFillGray(0)


letter("notify-tag-on-page-2.pdf", pages=2, extra=white_tag_on_page_2)
letter("address-welsh-valid.pdf", address=["Mrs Ŵyn Llŷr", "Tŷ Gwyn", "Ffordd y Môr", "Abertawe", "SA1 1AA", "Cymru"])
letter("address-germany-in-welsh.pdf", address=["Herr B Beispiel", "Hauptstraße 1", "10115 Berlin", "Yr Almaen"])
letter("address-invalid-first-character.pdf", address=["Ms C Sample", "<Flat 3>", "11 Sample Road", "BS1 4DJ"])
