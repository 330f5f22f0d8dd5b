"""The daily print summary and the retention report as Excel workbooks (.xlsx).

Counts are stored as numbers, so a supervisor can sum and chart them in Excel. Times
are China Standard Time text (``HH:MM``), because Excel has no time zones.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from fpcert_desktop.domain.reports import DailyReport, RetentionReport, rule_name_zh
from fpcert_desktop.printing.report_pdf import (
    DAILY_TITLE,
    RETENTION_TITLE,
    china_time,
    china_timestamp,
    comparison_lines,
    source_note,
)

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
# The row of the column headers of the main table on the daily sheet (1-based).
DAILY_HEADER_ROW = 6


def daily_headers(report: DailyReport) -> list[str]:
    """Return the column headers of the daily sheet's main table, left to right."""
    return [
        "单位代码",
        "单位",
        "窗口",
        "打证员",
        *(f"打印：{column.name}" for column in report.purposes),
        "打印合计",
        "作废",
        "补打",
        "未打印",
        *(f"拒绝：{rule_name_zh(rule)}" for rule in report.rules),
        "拒绝合计",
        "首次打印",
        "末次打印",
        "待同步",
    ]


def daily_report_xlsx(report: DailyReport) -> bytes:
    """Return the daily print summary as an .xlsx file with a table and a comparison sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DAILY_TITLE
    sheet["A1"] = DAILY_TITLE
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = f"单位：{report.office_name}（{report.office_code}）"
    sheet["A3"] = (
        f"日期：{report.day.isoformat()}　生成时间：{china_timestamp(report.generated_at)}"
    )
    sheet["A4"] = f"数据来源：{source_note(report)}"

    _header(sheet, DAILY_HEADER_ROW, daily_headers(report))
    row_number = DAILY_HEADER_ROW
    for row in report.rows:
        row_number += 1
        values: list[object] = [row.office_code, row.office_name, row.workstation, row.clerk_name]
        values += [row.printed_for(column.code) for column in report.purposes]
        values += [row.printed_total, row.voids, row.reprints, row.not_printed]
        values += [row.refused_for(rule) for rule in report.rules]
        values += [
            row.refusals_total,
            china_time(row.first_print),
            china_time(row.last_print),
            row.waiting_sync,
        ]
        _write(sheet, row_number, values)

    totals = report.totals
    total_values: list[object] = ["合计", "", "", ""]
    total_values += [
        sum(row.printed_for(column.code) for row in report.rows) for column in report.purposes
    ]
    total_values += [totals.printed, totals.voids, totals.reprints, totals.not_printed]
    total_values += [sum(row.refused_for(rule) for row in report.rows) for rule in report.rules]
    total_values += [totals.refusals, "", "", report.waiting_sync_total]
    _write(sheet, row_number + 1, total_values)
    for cell in sheet[row_number + 1]:
        cell.font = BOLD
    _widths(sheet, [14, 16, 6, 10])

    comparison = workbook.create_sheet("对比")
    _header(
        comparison,
        1,
        [
            "项目",
            f"当日 {report.day.isoformat()}",
            f"前一日 {report.previous_day.day.isoformat()}",
            "变化",
            f"上周同日 {report.same_weekday_last_week.day.isoformat()}",
            "变化",
        ],
    )
    for index, line in enumerate(comparison_lines(report), start=2):
        _write(comparison, index, list(line))
    _widths(comparison, [12, 16, 18, 8, 20, 8])
    return _saved(workbook)


def retention_report_xlsx(report: RetentionReport) -> bytes:
    """Return the retention report as an .xlsx file, one sheet per list."""
    workbook = Workbook()
    disposal = workbook.active
    assert disposal is not None
    disposal.title = "可销毁材料"
    disposal["A1"] = RETENTION_TITLE
    disposal["A1"].font = TITLE_FONT
    disposal["A2"] = (
        f"单位：{report.office_name}（{report.office_code}）　截至：{report.on.isoformat()}"
    )
    _header(disposal, 4, ["证明编号", "申请人", "用途", "出具日期", "保管至", "已作废"])
    for index, line in enumerate(report.disposal, start=5):
        _write(
            disposal,
            index,
            [
                line.number,
                line.applicant_name,
                line.purpose_name,
                line.issued_on,
                line.dispose_after,
                "是" if line.voided else "",
            ],
        )
    _widths(disposal, [30, 10, 24, 12, 12, 8])

    problems = workbook.create_sheet("问题名单材料")
    _header(problems, 1, ["姓名", "公民身份号码", "类别", "列入日期", "材料存放位置", "移出日期"])
    for index, item in enumerate(report.problem_materials, start=2):
        _write(
            problems,
            index,
            [
                item.name,
                item.masked_id_number,
                item.category,
                item.listed_on,
                item.materials_location,
                item.removed_on,
            ],
        )
    _widths(problems, [10, 20, 18, 12, 36, 12])
    return _saved(workbook)


def _header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    _write(sheet, row, list(titles))
    for cell in sheet[row]:
        cell.font = BOLD


def _write(sheet: Worksheet, row: int, values: Sequence[object]) -> None:
    for column, value in enumerate(values, start=1):
        sheet.cell(row=row, column=column, value=value)  # type: ignore[arg-type]


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
