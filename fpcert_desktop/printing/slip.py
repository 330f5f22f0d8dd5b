"""A guidance slip for the applicant, printed on the upper half of an A4 sheet.

The counter hands it out when no certificate can be printed yet, for example to tell
an applicant who is not in the provincial system where to have the population archive
card (人口档案卡) made. It is not a certificate: it carries no number and no seal box.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.printing.errors import CertificateLayoutError
from fpcert_desktop.printing.fonts import FontSet, load_font_set
from fpcert_desktop.printing.text import paragraph

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
SLIP_HEIGHT = PAGE_HEIGHT / 2
BODY_SIZE = 11.0

_TOO_LONG = QT_TRANSLATE_NOOP(
    "Printing",
    "The slip {title} has more text than fits on half a page. Shorten the entered text, "
    "then print again.",
)


@dataclass(frozen=True)
class SlipContent:
    """Every printed text of a slip, in Chinese; ``facts`` are label and value pairs."""

    title: str
    facts: Sequence[tuple[str, str]]
    body: str
    office_name: str
    date_text: str


def render_slip(content: SlipContent, fonts: FontSet | None = None) -> bytes:
    """Lay out ``content`` on the top half of an A4 page and return the PDF.

    Raises:
        MissingGlyphError: a character is in none of the fonts.
        CertificateLayoutError: the texts do not fit on half a page.
    """
    fonts = fonts or load_font_set()
    texts = {"title": content.title, "body": content.body, "office": content.office_name}
    texts.update({f"fact.{label}": f"{label}{value}" for label, value in content.facts})
    texts["date"] = content.date_text
    fonts.check_texts(texts)

    flowables = [paragraph(content.title, fonts, 16, align=TA_CENTER)]
    flowables += [
        paragraph(f"{label}：{value}", fonts, BODY_SIZE) for label, value in content.facts
    ]
    flowables.append(paragraph(content.body, fonts, BODY_SIZE, indent=2 * BODY_SIZE))
    flowables.append(paragraph(f"{content.office_name}　{content.date_text}", fonts, BODY_SIZE))

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=fonts.main.name)
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setTitle(content.title)
    canvas.setAuthor("fpcert-desktop")
    frame = Frame(
        MARGIN,
        PAGE_HEIGHT - SLIP_HEIGHT,
        PAGE_WIDTH - 2 * MARGIN,
        SLIP_HEIGHT - MARGIN,
        showBoundary=0,
    )
    remaining = list(flowables)
    frame.addFromList(remaining, canvas)
    if remaining:
        raise CertificateLayoutError(_TOO_LONG.format(title=content.title))
    canvas.setDash(3, 3)
    canvas.line(MARGIN, PAGE_HEIGHT - SLIP_HEIGHT, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - SLIP_HEIGHT)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
