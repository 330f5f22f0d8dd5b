"""The Qt print path used where CUPS is absent, printed to a PDF file."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from PIL import Image, ImageOps
from pypdf import PdfReader

from fpcert_desktop.gui.qt_printer import QtPrinter
from fpcert_desktop.printing.layout import render_certificate
from fpcert_desktop.printing.sample import sample_certificate_content


def test_qt_printer_full_a4_page(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    output = tmp_path / "printed.pdf"
    pdf = render_certificate(sample_certificate_content())

    result = QtPrinter("", output_file=str(output)).print_pdf(pdf, title="T-1")

    assert result.job_id == "qt-T-1"
    page = PdfReader(output).pages[0]
    assert round(float(page.mediabox.width)) == 595
    assert round(float(page.mediabox.height)) == 842
    printed = _ink(pypdfium2.PdfDocument(str(output)))
    submitted = _ink(pypdfium2.PdfDocument(pdf))
    # At 100 % scale with no margins the printed content sits where the PDF puts it:
    # the box around all ink matches within one pixel at 36 dpi.
    printed_box, submitted_box = printed.getbbox(), submitted.getbbox()
    assert printed_box is not None and submitted_box is not None
    for printed_edge, submitted_edge in zip(printed_box, submitted_box, strict=True):
        assert abs(printed_edge - submitted_edge) <= 1
    printed_ink = sum(1 for value in printed.tobytes() if value)
    submitted_ink = sum(1 for value in submitted.tobytes() if value)
    assert printed_ink > 0.5 * submitted_ink


def _ink(document: pypdfium2.PdfDocument) -> Image.Image:
    """Return the page at 36 dpi with dark pixels white and the rest black."""
    grey = document[0].render(scale=0.5).to_pil().convert("L")
    return ImageOps.invert(grey).point(lambda value: 255 if value > 60 else 0)
