"""The report exports: A4 PDFs read back with poppler, xlsx files read back with openpyxl."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fpcert_desktop.domain.clock import CHINA_TZ
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.reports import (
    DailyReport,
    DisposalLine,
    EventFact,
    EventKind,
    IssuanceFact,
    ProblemMaterialsLine,
    ReportSource,
    RetentionReport,
    build_daily_report,
)
from fpcert_desktop.printing.fonts import FontSet
from fpcert_desktop.printing.report_pdf import render_daily_report, render_retention_report
from fpcert_desktop.printing.report_xlsx import (
    DAILY_HEADER_ROW,
    daily_report_xlsx,
    retention_report_xlsx,
)

DAY = date(2026, 12, 4)
STREET = Office("440304004", "福田街道", OfficeLevel.STREET, "440304")
COMMUNITY = "440304004001"
OTHER_COMMUNITY = "440304004002"
GENERATED = datetime(2026, 12, 5, 1, 0, tzinfo=timezone.utc)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA_TZ)


def printed(
    office: str, workstation: str, user: int, purpose: str, moment: datetime
) -> IssuanceFact:
    return IssuanceFact(office, workstation, user, purpose, moment, True, False, moment)


def make_report(source: ReportSource = ReportSource.LOCAL) -> DailyReport:
    issuances = [
        *(printed(COMMUNITY, "01", 1, "child_medical_insurance", at(DAY, 9 + i)) for i in range(7)),
        printed(COMMUNITY, "01", 1, "civil_service_recruitment", at(DAY, 16, 45)),
        printed(OTHER_COMMUNITY, "02", 2, "child_medical_insurance", at(DAY, 10, 5)),
        IssuanceFact(OTHER_COMMUNITY, "02", 2, "child_medical_insurance", at(DAY, 11), False, True),
        printed(COMMUNITY, "01", 1, "child_medical_insurance", at(DAY - timedelta(days=1), 9)),
    ]
    events = [
        EventFact(EventKind.VOID, COMMUNITY, "01", 1, at(DAY, 12)),
        EventFact(EventKind.REPRINT, COMMUNITY, "01", 1, at(DAY, 12, 5)),
        EventFact(EventKind.REFUSAL, OTHER_COMMUNITY, "02", 2, at(DAY, 14), "problem_list"),
        EventFact(EventKind.REFUSAL, OTHER_COMMUNITY, "02", 2, at(DAY, 15), "level"),
    ]
    return build_daily_report(
        DAY,
        STREET,
        issuances,
        events,
        office_names={COMMUNITY: "福南社区", OTHER_COMMUNITY: "南园社区"},
        clerk_names={1: "王小红", 2: "林𠈌萍"},
        purpose_names={
            "child_medical_insurance": "办理少儿医保",
            "civil_service_recruitment": "公务员招考",
        },
        source=source,
        generated_at=GENERATED,
        outbox_pending=None if source is ReportSource.SERVER else 3,
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """Return the rows of pdffonts: name, type, encoding, emb, sub, uni, object, generation."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return [line.split() for line in output.splitlines()[2:] if line.strip()]


def page_sizes(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return re.findall(r"Page\s+\d+ size:\s+(.*)", output)


def test_daily_pdf_text_and_numbers(fonts: FontSet, tmp_path: Path) -> None:
    text = pdf_text(render_daily_report(make_report(), fonts), tmp_path)
    compact = re.sub(r"\s+", " ", text)

    for heading in ("每日打证统计", "合计与对比", "各窗口、打证员统计", "统计图", "按用途打印份数"):
        assert heading in text, heading
    assert "本工作站数据，未连接中心服务器" in text
    assert "福田街道（440304004）" in text
    assert "2026年12月04日" in text
    assert "本工作站待同步记录：3 条" in text
    assert "福南社区 01 王小红 8 1 1 0 0 09:00 16:45" in compact
    assert "南园社区 02 林𠈌萍 1 0 0 1 2 10:05 10:05" in compact
    assert "打印份数 9 1 +8 0 +9" in compact
    assert "列入问题名单" in text
    assert "公务员招考" in text


def test_daily_pdf_fonts_embedded_on_a4(fonts: FontSet, tmp_path: Path) -> None:
    pdf = render_daily_report(make_report(), fonts)
    rows = pdf_fonts(pdf, tmp_path)
    assert rows
    for row in rows:
        assert row[-5] == "yes", row
    assert not any(row[0] == "Helvetica" for row in rows)
    sizes = page_sizes(pdf, tmp_path)
    assert sizes
    assert all("(A4)" in size for size in sizes), sizes


def test_server_pdf_says_server(fonts: FontSet, tmp_path: Path) -> None:
    text = pdf_text(render_daily_report(make_report(ReportSource.SERVER), fonts), tmp_path)
    assert "中心服务器数据" in text
    assert "本工作站数据" not in text
    assert "待同步记录" not in text


def test_empty_day_pdf(fonts: FontSet, tmp_path: Path) -> None:
    report = build_daily_report(
        DAY + timedelta(days=30),
        STREET,
        [],
        [],
        office_names={},
        clerk_names={},
        purpose_names={},
        source=ReportSource.LOCAL,
        generated_at=GENERATED,
        outbox_pending=0,
    )
    text = pdf_text(render_daily_report(report, fonts), tmp_path)
    assert "当日没有打证、作废、补打或拒绝记录" in text


def test_many_windows_pdf_spans_pages(fonts: FontSet, tmp_path: Path) -> None:
    issuances = [
        printed(f"440304004{i:03d}", "01", i, "child_medical_insurance", at(DAY, 9))
        for i in range(120)
    ]
    report = build_daily_report(
        DAY,
        STREET,
        issuances,
        [],
        office_names={},
        clerk_names={},
        purpose_names={},
        source=ReportSource.LOCAL,
        generated_at=GENERATED,
    )
    pdf = render_daily_report(report, fonts)
    assert len(page_sizes(pdf, tmp_path)) > 1
    assert "图中仅列前 24 个窗口" in pdf_text(pdf, tmp_path)


def test_daily_xlsx_cells() -> None:
    report = make_report()
    workbook = load_workbook(io.BytesIO(daily_report_xlsx(report)))
    sheet = workbook["每日打证统计"]
    header = [cell.value for cell in sheet[DAILY_HEADER_ROW]]
    assert header == [
        "单位代码",
        "单位",
        "窗口",
        "打证员",
        "打印：办理少儿医保",
        "打印：公务员招考",
        "打印合计",
        "作废",
        "补打",
        "未打印",
        "拒绝：办理层级不符",
        "拒绝：列入问题名单",
        "拒绝合计",
        "首次打印",
        "末次打印",
        "待同步",
    ]
    first = [cell.value for cell in sheet[DAILY_HEADER_ROW + 1]]
    assert first == [
        COMMUNITY,
        "福南社区",
        "01",
        "王小红",
        7,
        1,
        8,
        1,
        1,
        0,
        0,
        0,
        0,
        "09:00",
        "16:45",
        0,
    ]
    second = [cell.value for cell in sheet[DAILY_HEADER_ROW + 2]]
    assert second[:4] == [OTHER_COMMUNITY, "南园社区", "02", "林𠈌萍"]
    assert second[4:13] == [1, 0, 1, 0, 0, 1, 1, 1, 2]
    totals = [cell.value for cell in sheet[DAILY_HEADER_ROW + 3]]
    assert totals[0] == "合计"
    assert totals[4:13] == [8, 1, 9, 1, 1, 1, 1, 1, 2]
    assert "本工作站数据" in str(sheet["A4"].value)

    comparison = workbook["对比"]
    assert [cell.value for cell in comparison[2]] == ["打印份数", 9, 1, 8, 0, 9]
    assert [cell.value for cell in comparison[6]] == ["拒绝次数", 2, 0, 2, 0, 2]


def make_retention() -> RetentionReport:
    return RetentionReport(
        on=DAY,
        office_code=STREET.code,
        office_name=STREET.name,
        generated_at=GENERATED,
        disposal=(
            DisposalLine(
                f"{COMMUNITY}-01-2025-000007",
                "李秀英",
                "办理少儿医保",
                date(2025, 3, 1),
                date(2026, 3, 1),
                voided=False,
            ),
        ),
        problem_materials=(
            ProblemMaterialsLine(
                "张建国",
                "440304********981X",
                "提供虚假证明材料",
                date(2026, 5, 6),
                "福田街道档案室 3 号柜",
                STREET.code,
                None,
            ),
        ),
    )


def test_retention_pdf_and_xlsx(fonts: FontSet, tmp_path: Path) -> None:
    report = make_retention()
    pdf = render_retention_report(report, fonts)
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "档案材料保管期限报告",
        "可销毁的打证档案材料（1 份）",
        f"{COMMUNITY}-01-2025-000007",
        "问题名单材料（长期保存，1 条）",
        "福田街道档案室 3 号柜",
        "440304********981X",
    ):
        assert expected in text, expected
    assert all("(A4)" in size for size in page_sizes(pdf, tmp_path))

    workbook = load_workbook(io.BytesIO(retention_report_xlsx(report)))
    disposal = workbook["可销毁材料"]
    assert [cell.value for cell in disposal[5]][:3] == [
        f"{COMMUNITY}-01-2025-000007",
        "李秀英",
        "办理少儿医保",
    ]
    assert disposal.cell(row=5, column=5).value.date() == date(2026, 3, 1)
    problems = workbook["问题名单材料"]
    assert problems.cell(row=2, column=5).value == "福田街道档案室 3 号柜"
