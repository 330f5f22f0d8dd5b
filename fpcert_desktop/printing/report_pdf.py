"""The daily print summary and the retention report as A4 PDF documents in Chinese.

Like the certificate, every text is drawn with the fonts of a :class:`FontSet`,
switching font per character run, and the fonts are embedded, so the file prints
the same on any printer. Both documents are Chinese office documents, so their
labels are Chinese whatever language the program's screens use.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from fpcert_desktop.domain.clock import CHINA_TZ
from fpcert_desktop.domain.reports import (
    DailyReport,
    ReportRow,
    ReportSource,
    RetentionReport,
    rule_name_zh,
)
from fpcert_desktop.printing.fonts import FontSet, load_font_set
from fpcert_desktop.printing.text import markup, paragraph

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
TABLE_SIZE = 8.0
TEXT_SIZE = 10.0
TITLE_SIZE = 16.0
CHART_HEIGHT = 70 * mm

DAILY_TITLE = "每日打证统计"
RETENTION_TITLE = "档案材料保管期限报告"
LOCAL_NOTE = "本工作站数据，未连接中心服务器：其他窗口的打证不在其中。"
SERVER_NOTE = "中心服务器数据：含本单位及下级单位的全部窗口。"
NO_DATA = "当日没有打证、作废、补打或拒绝记录。"

ROW_HEADERS = (
    "单位",
    "窗口",
    "打证员",
    "打印",
    "作废",
    "补打",
    "未打印",
    "拒绝",
    "首次打印",
    "末次打印",
    "待同步",
)
TOTAL_LABELS = (
    ("printed", "打印份数"),
    ("voids", "作废份数"),
    ("reprints", "补打份数"),
    ("not_printed", "未打印"),
    ("refusals", "拒绝次数"),
)
CHART_SERIES = (
    ("打印", colors.HexColor("#2f6db5")),
    ("作废", colors.HexColor("#c0392b")),
    ("补打", colors.HexColor("#e6a118")),
    ("拒绝", colors.HexColor("#7f8c8d")),
)
# Bars of at most this many windows fit the page width; the rest are left off the chart.
MAX_CHART_ROWS = 24


def source_note(report: DailyReport) -> str:
    """Return the sentence that names the source of the counts."""
    return SERVER_NOTE if report.source is ReportSource.SERVER else LOCAL_NOTE


def china_time(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(CHINA_TZ).strftime("%H:%M")


def china_timestamp(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def signed(value: int) -> str:
    """Format a difference with its sign, for example +3, -1 or 0."""
    return f"{value:+d}" if value else "0"


def row_label(row: ReportRow) -> str:
    return f"{row.office_name} {row.workstation} {row.clerk_name}"


def comparison_lines(report: DailyReport) -> list[tuple[str, int, int, int, int, int]]:
    """Return (label, day, previous day, change, same weekday last week, change) per total."""
    lines = []
    for attribute, label in TOTAL_LABELS:
        today = getattr(report.totals, attribute)
        previous = getattr(report.previous_day, attribute)
        last_week = getattr(report.same_weekday_last_week, attribute)
        lines.append((label, today, previous, today - previous, last_week, today - last_week))
    return lines


def render_daily_report(report: DailyReport, fonts: FontSet | None = None) -> bytes:
    """Lay out the daily print summary on A4 pages and return the PDF.

    Raises:
        MissingGlyphError: a name is in none of the fonts.
        FontNotFoundError: ``fonts`` is None and no certificate font is installed.
    """
    fonts = fonts or load_font_set()
    day_text = report.day.strftime("%Y年%m月%d日")
    story: list[Flowable] = [
        paragraph(DAILY_TITLE, fonts, TITLE_SIZE, align=TA_CENTER),
        Spacer(1, 3 * mm),
        paragraph(
            f"单位：{report.office_name}（{report.office_code}）　日期：{day_text}",
            fonts,
            TEXT_SIZE,
        ),
        paragraph(
            f"生成时间：{china_timestamp(report.generated_at)}（北京时间）", fonts, TEXT_SIZE
        ),
        paragraph(f"数据来源：{source_note(report)}", fonts, TEXT_SIZE),
    ]
    if report.outbox_pending is not None:
        story.append(paragraph(f"本工作站待同步记录：{report.outbox_pending} 条", fonts, TEXT_SIZE))
    story += [Spacer(1, 4 * mm), _heading("合计与对比", fonts), _comparison_table(report, fonts)]
    story += [Spacer(1, 4 * mm), _heading("各窗口、打证员统计", fonts)]
    if report.rows:
        story.append(_rows_table(report, fonts))
        story += [
            Spacer(1, 4 * mm),
            KeepTogether([_heading("统计图", fonts), _chart(report, fonts)]),
        ]
        story += _breakdown(report, fonts)
    else:
        story.append(paragraph(NO_DATA, fonts, TEXT_SIZE))
    return _build(story, fonts, f"{DAILY_TITLE} {report.office_code} {report.day.isoformat()}")


def render_retention_report(report: RetentionReport, fonts: FontSet | None = None) -> bytes:
    """Lay out the retention report on A4 pages and return the PDF."""
    fonts = fonts or load_font_set()
    story: list[Flowable] = [
        paragraph(RETENTION_TITLE, fonts, TITLE_SIZE, align=TA_CENTER),
        Spacer(1, 3 * mm),
        paragraph(
            f"单位：{report.office_name}（{report.office_code}）　截至：{report.on.isoformat()}",
            fonts,
            TEXT_SIZE,
        ),
        paragraph(
            f"生成时间：{china_timestamp(report.generated_at)}（北京时间）", fonts, TEXT_SIZE
        ),
        Spacer(1, 4 * mm),
        _heading(f"可销毁的打证档案材料（{len(report.disposal)} 份）", fonts),
    ]
    if report.disposal:
        story.append(
            _table(
                ("证明编号", "申请人", "用途", "出具日期", "保管至", "已作废"),
                [
                    (
                        line.number,
                        line.applicant_name,
                        line.purpose_name,
                        line.issued_on.isoformat(),
                        line.dispose_after.isoformat(),
                        "是" if line.voided else "",
                    )
                    for line in report.disposal
                ],
                fonts,
                widths=(0.28, 0.12, 0.24, 0.13, 0.13, 0.10),
            )
        )
    else:
        story.append(paragraph("没有到期可销毁的材料。", fonts, TEXT_SIZE))
    story += [
        Spacer(1, 4 * mm),
        _heading(f"问题名单材料（长期保存，{len(report.problem_materials)} 条）", fonts),
    ]
    if report.problem_materials:
        story.append(
            _table(
                ("姓名", "公民身份号码", "类别", "列入日期", "材料存放位置", "移出日期"),
                [
                    (
                        line.name,
                        line.masked_id_number,
                        line.category,
                        line.listed_on.isoformat(),
                        line.materials_location,
                        line.removed_on.isoformat() if line.removed_on else "",
                    )
                    for line in report.problem_materials
                ],
                fonts,
                widths=(0.11, 0.2, 0.15, 0.13, 0.28, 0.13),
            )
        )
    else:
        story.append(paragraph("没有问题名单材料。", fonts, TEXT_SIZE))
    return _build(story, fonts, f"{RETENTION_TITLE} {report.office_code} {report.on.isoformat()}")


def _build(story: list[Flowable], fonts: FontSet, title: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="fpcert-desktop",
        creator="fpcert-desktop",
        initialFontName=fonts.main.name,
    )

    def number_page(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback signature
        canvas.saveState()
        canvas.setFont(fonts.main.name, TABLE_SIZE)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2, f"第 {doc.page} 页")
        canvas.restoreState()

    document.build(story, onFirstPage=number_page, onLaterPages=number_page)
    return buffer.getvalue()


def _heading(text: str, fonts: FontSet) -> Paragraph:
    return paragraph(text, fonts, 12)


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    fonts: FontSet,
    *,
    widths: Sequence[float] | None = None,
    total_row: bool = False,
) -> Table:
    """Return a grid table; ``widths`` are fractions of the body width."""
    data = [[_cell(str(cell), fonts) for cell in headers]]
    data += [[_cell(str(cell), fonts) for cell in row] for row in rows]
    column_widths = [BODY_WIDTH * share for share in widths] if widths else None
    table = Table(data, colWidths=column_widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), fonts.main.name, TABLE_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if total_row:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f4f4f4")))
    table.setStyle(TableStyle(style))
    return table


def _cell(text: str, fonts: FontSet) -> Paragraph:
    """Return a table cell; unlike :func:`paragraph`, an empty text stays empty."""
    style = ParagraphStyle(
        name="report-cell",
        fontName=fonts.main.name,
        fontSize=TABLE_SIZE,
        leading=TABLE_SIZE * 1.3,
        wordWrap="CJK",
    )
    return Paragraph(markup(text, fonts, fonts.main.name), style)


def _comparison_table(report: DailyReport, fonts: FontSet) -> Table:
    previous = report.previous_day.day.isoformat()
    last_week = report.same_weekday_last_week.day.isoformat()
    rows = [
        (label, today, before, signed(change), week, signed(week_change))
        for label, today, before, change, week, week_change in comparison_lines(report)
    ]
    headers = ("项目", "当日", f"前一日 {previous}", "变化", f"上周同日 {last_week}", "变化")
    return _table(headers, rows, fonts, widths=(0.2, 0.12, 0.2, 0.12, 0.24, 0.12))


def _rows_table(report: DailyReport, fonts: FontSet) -> Table:
    rows: list[Sequence[object]] = [
        (
            row.office_name,
            row.workstation,
            row.clerk_name,
            row.printed_total,
            row.voids,
            row.reprints,
            row.not_printed,
            row.refusals_total,
            china_time(row.first_print),
            china_time(row.last_print),
            "—" if row.waiting_sync is None else row.waiting_sync,
        )
        for row in report.rows
    ]
    totals = report.totals
    waiting = report.waiting_sync_total
    rows.append(
        (
            "合计",
            "",
            "",
            totals.printed,
            totals.voids,
            totals.reprints,
            totals.not_printed,
            totals.refusals,
            "",
            "",
            "—" if waiting is None else waiting,
        )
    )
    widths = (0.2, 0.06, 0.1, 0.07, 0.07, 0.07, 0.08, 0.07, 0.1, 0.1, 0.08)
    return _table(ROW_HEADERS, rows, fonts, widths=widths, total_row=True)


def _breakdown(report: DailyReport, fonts: FontSet) -> list[Flowable]:
    """Return the per-purpose and per-rule tables, one line per window, clerk and key."""
    story: list[Flowable] = []
    names = {column.code: column.name for column in report.purposes}
    by_purpose = [
        (row_label(row), names.get(pair.key, pair.key), pair.count)
        for row in report.rows
        for pair in row.printed
    ]
    if by_purpose:
        story += [Spacer(1, 4 * mm), _heading("按用途打印份数", fonts)]
        story.append(
            _table(("窗口、打证员", "用途", "份数"), by_purpose, fonts, widths=(0.45, 0.43, 0.12))
        )
    by_rule = [
        (row_label(row), rule_name_zh(pair.key), pair.count)
        for row in report.rows
        for pair in row.refusals
    ]
    if by_rule:
        story += [Spacer(1, 4 * mm), _heading("按规则拒绝次数", fonts)]
        story.append(
            _table(("窗口、打证员", "拒绝规则", "次数"), by_rule, fonts, widths=(0.45, 0.43, 0.12))
        )
    return story


def _chart(report: DailyReport, fonts: FontSet) -> Drawing:
    """Return grouped bars of prints, voids, reprints and refusals per window and clerk."""
    rows = report.rows[:MAX_CHART_ROWS]
    drawing = Drawing(BODY_WIDTH, CHART_HEIGHT, initialFontName=fonts.main.name)
    chart = VerticalBarChart()
    chart.x = 12 * mm
    chart.y = 22 * mm
    chart.width = BODY_WIDTH - 20 * mm
    chart.height = CHART_HEIGHT - 32 * mm
    chart.data = [
        [row.printed_total for row in rows],
        [row.voids for row in rows],
        [row.reprints for row in rows],
        [row.refusals_total for row in rows],
    ]
    # NOTE: chart labels use the main font only. A character it lacks (a rare
    # Extension B name) shows as an empty box on the chart, but never in the tables.
    chart.categoryAxis.categoryNames = [f"{row.workstation} {row.clerk_name}" for row in rows]
    chart.categoryAxis.labels.fontName = fonts.main.name
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(rows) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(rows) > 6 else "n"
    chart.valueAxis.valueMin = 0
    highest = max((max(series) for series in chart.data if series), default=0)
    chart.valueAxis.valueStep = max(1, -(-highest // 5))
    chart.valueAxis.labels.fontName = fonts.main.name
    chart.valueAxis.labels.fontSize = 7
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for index, (_name, color) in enumerate(CHART_SERIES):
        chart.bars[index].fillColor = color
    drawing.add(chart)

    legend = Legend()
    legend.x = chart.x
    legend.y = CHART_HEIGHT - 4 * mm
    legend.fontName = fonts.main.name
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 40
    legend.colorNamePairs = [(color, name) for name, color in CHART_SERIES]
    drawing.add(legend)
    if len(report.rows) > MAX_CHART_ROWS:
        drawing.add(
            String(
                BODY_WIDTH,
                2 * mm,
                f"图中仅列前 {MAX_CHART_ROWS} 个窗口，其余见上表。",
                fontName=fonts.main.name,
                fontSize=7,
                textAnchor="end",
            )
        )
    return drawing
