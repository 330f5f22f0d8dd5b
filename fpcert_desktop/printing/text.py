"""Text with per-character font fallback, shared by the certificate and the slips."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from fpcert_desktop.printing.fonts import FontSet

EMPTY_VALUE = "／"


def markup(text: str, fonts: FontSet, base_font: str) -> str:
    """Return Paragraph markup for ``text`` with a <font> tag around each fallback run."""
    parts: list[str] = []
    for font_name, run in fonts.split_runs(text):
        escaped = escape(run).replace("\n", "<br/>")
        if font_name == base_font:
            parts.append(escaped)
        else:
            parts.append(f'<font name="{font_name}">{escaped}</font>')
    return "".join(parts)


def paragraph(
    text: str, fonts: FontSet, size: float, *, align: int = TA_LEFT, indent: float = 0
) -> Paragraph:
    style = ParagraphStyle(
        name="certificate",
        fontName=fonts.main.name,
        fontSize=size,
        leading=size * 1.45,
        alignment=align,
        firstLineIndent=indent,
        wordWrap="CJK",
    )
    return Paragraph(markup(text or EMPTY_VALUE, fonts, fonts.main.name), style)


def draw_runs(
    canvas: Canvas,
    text: str,
    fonts: FontSet,
    size: float,
    *,
    x: float,
    y: float,
    align: str = "left",
    char_space: float = 0,
) -> None:
    """Draw one line of ``text`` at baseline ``y``, switching font per run."""
    runs = fonts.split_runs(text)
    width = sum(stringWidth(run, font, size) for font, run in runs)
    width += char_space * max(len(text) - 1, 0)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width

    # Character spacing is part of the graphics state and outlives the text object,
    # so restore the state before later text is drawn.
    canvas.saveState()
    text_object = canvas.beginText(x, y)
    text_object.setCharSpace(char_space)
    for font_name, run in runs:
        text_object.setFont(font_name, size)
        text_object.textOut(run)
    canvas.drawText(text_object)
    canvas.restoreState()
