"""The A4 layout of the family-planning certificate (计划生育证明).

The page is A4 portrait, meant to print at 100 % scale. Every text is drawn with the
fonts of a :class:`FontSet`, switching font per character run, and every font is
embedded as a TrueType subset. The layout reserves a blank square for the issuing
office's hand-stamped round seal (32 mm) and prints nothing inside it, because a
certificate with print under or instead of the seal is invalid.

Coordinates are PDF points with the origin at the bottom-left corner of the page.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from fpcert_desktop.domain.certificate import CertificateContent
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, MessageTemplate
from fpcert_desktop.printing.errors import CertificateLayoutError
from fpcert_desktop.printing.fonts import FontSet, load_font_set
from fpcert_desktop.printing.text import EMPTY_VALUE, draw_runs, paragraph

PAGE_WIDTH, PAGE_HEIGHT = A4  # 595.27 x 841.89 pt
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN

TITLE = "计划生育证明"
FOOTER = "本证明手写、涂改或未加盖计划生育证明专用章无效。"
NONE_TEXT = "无"

LABELS = {
    "number": "编号：",
    "applicant_name": "姓名",
    "applicant_sex": "性别",
    "applicant_id_number": "公民身份号码",
    "applicant_birth_date": "出生日期",
    "applicant_ethnicity": "民族",
    "hukou_category": "户籍类别",
    "hukou_address": "户籍地址",
    "residence_address": "现居住地址",
    "marital_status": "婚姻状况",
    "marriage_date": "婚姻日期",
    "spouse_name": "配偶姓名",
    "spouse_id_number": "配偶公民身份号码",
    "children": "子女情况",
    "pregnancy": "现孕情况",
    "purpose_name": "证明用途",
    "validity": "有效期：",
    "office_name": "出具单位：",
    "issue_date": "出具日期：",
    "policy_version": "政策版本：",
    "qr_caption": "扫码核验",
}
CHILD_HEADERS = ("姓名", "性别", "出生日期", "孩次")


@dataclass(frozen=True)
class PageBox:
    """A rectangle on the page in points, origin at the bottom-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width

    def in_mm(self) -> tuple[float, float, float, float]:
        return (self.x / mm, self.y / mm, self.width / mm, self.height / mm)

    def pixel_bounds(self, dpi: float) -> tuple[int, int, int, int]:
        """Return ``(left, top, right, bottom)`` pixels of a page image, rounded inwards.

        The result is a Pillow crop box: origin at the top-left, right and bottom
        exclusive.
        """
        scale = dpi / 72
        left = math.ceil(self.x * scale)
        right = math.floor(self.right * scale)
        top = math.ceil((PAGE_HEIGHT - self.top) * scale)
        bottom = math.floor((PAGE_HEIGHT - self.y) * scale)
        return left, top, right, bottom


# The 40 mm square for the 32 mm seal, above the issuing office and date at the lower
# right, so the clerk stamps next to the office name and date that the seal confirms.
SEAL_BOX = PageBox(130 * mm, 63 * mm, 40 * mm, 40 * mm)
SEAL_BOX_MM = SEAL_BOX.in_mm()
# Issuing office and date, centred under the seal box.
OFFICE_BOX = PageBox(105 * mm, 22 * mm, 85 * mm, 38 * mm)
QR_BOX = PageBox(MARGIN, 26 * mm, 30 * mm, 30 * mm)
# The blank margin a QR reader needs around the code, inside QR_BOX.
QR_QUIET_ZONE_MODULES = 4
# Everything between the title and the seal box.
BODY_BOX = PageBox(MARGIN, SEAL_BOX.top + 5 * mm, CONTENT_WIDTH, 257 * mm - SEAL_BOX.top - 5 * mm)

TITLE_BASELINE = PAGE_HEIGHT - 32 * mm
NUMBER_BASELINE = PAGE_HEIGHT - 16 * mm
FOOTER_BASELINE = 14 * mm
POLICY_BASELINE = 9 * mm

BODY_FONT_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5)
OFFICE_FONT_SIZES = (12.0, 11.0, 10.0, 9.0, 8.0)

_TOO_LONG = QT_TRANSLATE_NOOP(
    "Printing",
    "The certificate {number} does not fit on one A4 page, even at the smallest font size "
    "({size} pt), because the {part} is too long. Shorten the addresses, the statement or "
    "the office name, then print again. The certificate was not printed.",
)
_PART_BODY = QT_TRANSLATE_NOOP("Printing", "applicant data and statement")
_PART_OFFICE = QT_TRANSLATE_NOOP("Printing", "issuing office name")


def render_certificate(content: CertificateContent, fonts: FontSet | None = None) -> bytes:
    """Lay out ``content`` on one A4 page and return the PDF.

    Every printed text is checked against the fonts before anything is drawn.

    Raises:
        MissingGlyphError: a character is in none of the fonts. The error names the field.
        CertificateLayoutError: the texts do not fit on the page at the smallest size.
        FontNotFoundError: ``fonts`` is None and no certificate font is installed.
    """
    fonts = fonts or load_font_set()
    fonts.check_texts(content.printed_texts())
    fonts.check_text(content.policy_version, field="policy_version")
    fonts.check_text(_form_text(), field="form")

    # Build both blocks before drawing, so a layout error leaves no half-made PDF.
    body = _fit_flowables(
        lambda size: _body_flowables(content, fonts, size),
        BODY_BOX,
        BODY_FONT_SIZES,
        content.number,
        _PART_BODY,
    )
    office = _fit_flowables(
        lambda size: _office_flowables(content, fonts, size),
        OFFICE_BOX,
        OFFICE_FONT_SIZES,
        content.number,
        _PART_OFFICE,
    )

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=fonts.main.name, initialFontSize=10)
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setTitle(content.number)
    canvas.setAuthor("fpcert-desktop")
    canvas.setCreator("fpcert-desktop")
    canvas.setSubject(TITLE)

    _draw_header(canvas, content, fonts)
    _draw_flowables(canvas, body, BODY_BOX)
    _draw_flowables(canvas, office, OFFICE_BOX)
    _draw_seal_marks(canvas)
    _draw_qr(canvas, content.qr_payload)
    _draw_footer(canvas, content, fonts)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _form_text() -> str:
    return "".join([TITLE, FOOTER, NONE_TEXT, EMPTY_VALUE, *LABELS.values(), *CHILD_HEADERS])


# --- Blocks ------------------------------------------------------------------------


def _fit_flowables(
    build: Callable[[float], list[Flowable]],
    box: PageBox,
    sizes: Sequence[float],
    number: str,
    part: MessageTemplate,
) -> list[Flowable]:
    """Build the block at the largest font size whose height fits ``box``."""
    for size in sizes:
        flowables = build(size)
        height = sum(flowable.wrap(box.width, box.height)[1] for flowable in flowables)
        if height <= box.height:
            return flowables
    raise CertificateLayoutError(_TOO_LONG.format(number=number, size=sizes[-1], part=part))


def _draw_flowables(canvas: Canvas, flowables: Sequence[Flowable], box: PageBox) -> None:
    top = box.top
    for flowable in flowables:
        _, height = flowable.wrap(box.width, box.height)
        flowable.drawOn(canvas, box.x, top - height)
        top -= height


def _body_flowables(content: CertificateContent, fonts: FontSet, size: float) -> list[Flowable]:
    return [
        _applicant_table(content, fonts, size),
        _Spacer(size * 1.2),
        paragraph(content.statement, fonts, size + 0.5, align=TA_JUSTIFY, indent=2 * size),
        _Spacer(size * 0.6),
        paragraph(LABELS["validity"] + content.validity, fonts, size + 0.5),
    ]


def _applicant_table(content: CertificateContent, fonts: FontSet, size: float) -> Table:
    def label(key: str) -> Paragraph:
        return paragraph(LABELS[key], fonts, size, align=TA_CENTER)

    def value(text: str) -> Paragraph:
        return paragraph(text, fonts, size)

    label_width = 34 * mm
    value_width = (CONTENT_WIDTH - 2 * label_width) / 2
    wide_width = CONTENT_WIDTH - label_width

    rows = [
        [label("applicant_name"), value(content.applicant_name),
         label("applicant_sex"), value(content.applicant_sex)],
        [label("applicant_id_number"), value(content.applicant_id_number),
         label("applicant_birth_date"), value(content.applicant_birth_date)],
        [label("applicant_ethnicity"), value(content.applicant_ethnicity),
         label("hukou_category"), value(content.hukou_category)],
        [label("hukou_address"), value(content.hukou_address), "", ""],
        [label("residence_address"), value(content.residence_address), "", ""],
        [label("marital_status"), value(content.marital_status),
         label("marriage_date"), value(content.marriage_date)],
        [label("spouse_name"), value(content.spouse_name),
         label("spouse_id_number"), value(content.spouse_id_number)],
        [label("children"), _children_cell(content, fonts, size, wide_width), "", ""],
        [label("pregnancy"), value(content.pregnancy), "", ""],
        [label("purpose_name"), value(content.purpose_name), "", ""],
    ]  # fmt: skip
    spanned_rows = (3, 4, 7, 8, 9)

    style = [
        # Table's own default is Helvetica, which would add an unembedded font.
        ("FONTNAME", (0, 0), (-1, -1), fonts.main.name),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), size * 0.35),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.45),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    style += [("SPAN", (1, row), (3, row)) for row in spanned_rows]
    if content.children:
        # The nested children table draws its own grid inside the cell.
        style += [("LEFTPADDING", (1, 7), (1, 7), 0), ("RIGHTPADDING", (1, 7), (1, 7), 0)]
        style += [("TOPPADDING", (1, 7), (1, 7), 0), ("BOTTOMPADDING", (1, 7), (1, 7), 0)]

    table = Table(rows, colWidths=[label_width, value_width, label_width, value_width])
    table.setStyle(TableStyle(style))
    return table


def _children_cell(
    content: CertificateContent, fonts: FontSet, size: float, width: float
) -> Flowable:
    if not content.children:
        return paragraph(NONE_TEXT, fonts, size)

    header = [paragraph(text, fonts, size, align=TA_CENTER) for text in CHILD_HEADERS]
    rows = [header]
    for child in content.children:
        cells = (child.name, child.sex, child.birth_date, child.birth_order)
        rows.append([paragraph(text, fonts, size, align=TA_CENTER) for text in cells])

    fractions = (0.34, 0.16, 0.32, 0.18)
    table = Table(rows, colWidths=[width * fraction for fraction in fractions])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.main.name),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), size * 0.3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.4),
            ]
        )
    )
    return table


def _office_flowables(content: CertificateContent, fonts: FontSet, size: float) -> list[Flowable]:
    return [
        paragraph(LABELS["office_name"] + content.office_name, fonts, size, align=TA_CENTER),
        _Spacer(size * 0.4),
        paragraph(LABELS["issue_date"] + content.issue_date, fonts, size, align=TA_CENTER),
    ]


class _Spacer(Flowable):
    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, self.height

    def draw(self) -> None:
        pass


# --- Page furniture ----------------------------------------------------------------


def _draw_header(canvas: Canvas, content: CertificateContent, fonts: FontSet) -> None:
    draw_runs(
        canvas,
        LABELS["number"] + content.number,
        fonts,
        10.5,
        x=PAGE_WIDTH - MARGIN,
        y=NUMBER_BASELINE,
        align="right",
    )
    draw_runs(
        canvas, TITLE, fonts, 24, x=PAGE_WIDTH / 2, y=TITLE_BASELINE, align="center", char_space=6
    )


def _draw_seal_marks(canvas: Canvas) -> None:
    """Draw faint L-shaped marks just outside the corners of the seal box."""
    gap, arm = 1.5 * mm, 4 * mm
    left, right = SEAL_BOX.x - gap, SEAL_BOX.right + gap
    bottom, top = SEAL_BOX.y - gap, SEAL_BOX.top + gap
    canvas.saveState()
    canvas.setStrokeColor(colors.Color(0.75, 0.75, 0.75))
    canvas.setLineWidth(0.5)
    for x, y, dx, dy in (
        (left, bottom, 1, 1),
        (right, bottom, -1, 1),
        (left, top, 1, -1),
        (right, top, -1, -1),
    ):
        canvas.line(x, y, x + dx * arm, y)
        canvas.line(x, y, x, y + dy * arm)
    canvas.restoreState()


_QR_ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]+")


def _draw_qr(canvas: Canvas, payload: str | None) -> None:
    """Draw the verification QR code in QR_BOX, or leave the square empty without one.

    The modules are drawn as filled rectangles straight on the canvas: reportlab's
    QrCodeWidget goes through a Drawing, which adds an unembedded Helvetica font.
    """
    if payload is None:
        return
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    if _QR_ALPHANUMERIC.fullmatch(payload):
        # The signed payload's base32 text fits here, in a smaller code than byte mode.
        code.addData(qrencoder.QRAlphaNum(payload))
    else:
        # Byte mode with UTF-8: the default mode choice would encode Chinese as Shift-JIS.
        code.addData(qrencoder.QR8bitByte(payload))
    code.make()

    count = code.getModuleCount()
    module = QR_BOX.width / (count + 2 * QR_QUIET_ZONE_MODULES)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    for row in range(count):
        column = 0
        for dark, modules in itertools.groupby(bool(code.isDark(row, c)) for c in range(count)):
            length = len(list(modules))
            if dark:
                x = QR_BOX.x + (column + QR_QUIET_ZONE_MODULES) * module
                y = QR_BOX.top - (row + QR_QUIET_ZONE_MODULES + 1) * module
                # A hair taller than a module, so adjacent rows leave no seam.
                canvas.rect(x, y, length * module, module * 1.02, stroke=0, fill=1)
            column += length
    canvas.restoreState()


def _draw_footer(canvas: Canvas, content: CertificateContent, fonts: FontSet) -> None:
    if content.qr_payload is not None:
        draw_runs(
            canvas,
            LABELS["qr_caption"],
            fonts,
            8,
            x=QR_BOX.x + QR_BOX.width / 2,
            y=QR_BOX.y - 4 * mm,
            align="center",
        )
    draw_runs(canvas, FOOTER, fonts, 9, x=PAGE_WIDTH / 2, y=FOOTER_BASELINE, align="center")

    canvas.saveState()
    canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
    draw_runs(
        canvas,
        LABELS["policy_version"] + content.policy_version,
        fonts,
        7,
        x=MARGIN,
        y=POLICY_BASELINE,
    )
    canvas.restoreState()
