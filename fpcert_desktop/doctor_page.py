"""The doctor's A4 test page: the certificate's print area, a ruler and test texts.

It goes through the same fonts and printer as a certificate, so a page that prints
right shows that fonts, scaling and the queue work. It carries no personal data.
"""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from fpcert_desktop import package_version
from fpcert_desktop.printing.fonts import FontSet
from fpcert_desktop.printing.layout import MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from fpcert_desktop.printing.text import draw_runs, paragraph

TITLE = "计划生育证明 打印测试页"
RULER_MM = 100
FRAME_TEXT = (
    "外框为证明的打印区域，宽{width}毫米、高{height}毫米；下方直线长{ruler}毫米。"
    "量得的尺寸与此不符时，请检查打印机的缩放设置。"
)
CHARACTERS_TEXT = "以下文字应完整清晰，不应出现方框或问号："


def render_test_page(fonts: FontSet, test_text: str, *, now: datetime | None = None) -> bytes:
    """Return a one-page A4 PDF with the print-area frame, a ruler and ``test_text``."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    canvas.setTitle(TITLE)
    canvas.setViewerPreference("PrintScaling", "None")

    canvas.setLineWidth(0.5)
    canvas.rect(MARGIN, MARGIN, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN)
    top = PAGE_HEIGHT - MARGIN
    draw_runs(canvas, TITLE, fonts, 20, x=PAGE_WIDTH / 2, y=top - 20 * mm, align="center")

    width_mm = round((PAGE_WIDTH - 2 * MARGIN) / mm)
    height_mm = round((PAGE_HEIGHT - 2 * MARGIN) / mm)
    explanation = FRAME_TEXT.format(width=width_mm, height=height_mm, ruler=RULER_MM)
    ruler_y = top - 60 * mm
    canvas.setLineWidth(1)
    canvas.line(MARGIN + 10 * mm, ruler_y, MARGIN + (10 + RULER_MM) * mm, ruler_y)

    stamp = (now or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    texts = [
        paragraph(explanation, fonts, 12),
        paragraph(CHARACTERS_TEXT, fonts, 12),
        paragraph(test_text, fonts, 14),
        paragraph(f"fpcert-desktop {package_version()}　{stamp}", fonts, 10),
    ]
    frame = Frame(
        MARGIN + 10 * mm,
        MARGIN + 10 * mm,
        PAGE_WIDTH - 2 * MARGIN - 20 * mm,
        ruler_y - MARGIN - 20 * mm,
        showBoundary=0,
    )
    frame.addFromList(texts, canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
