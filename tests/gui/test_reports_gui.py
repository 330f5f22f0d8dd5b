"""The daily print summary tab with the demo's street supervisor e-key."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QTabWidget
from sqlalchemy import select

from fpcert_desktop.demo import DemoSetup
from fpcert_desktop.domain.clock import china_date, utc_now
from fpcert_desktop.domain.reports import DailyReport, ReportSource
from fpcert_desktop.domain.users import Role
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.gui.reports_view import ReportsPage, export_path
from fpcert_desktop.printing.printer import PrintResult
from fpcert_desktop.services.reports import LOCAL_ONLY_NOTE
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.models import PersonRow
from fpcert_desktop.storage.repositories import IssuanceRepository, UserRepository
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from tests.gui.test_counter_path import log_in

pytestmark = [pytest.mark.gui, pytest.mark.softhsm, pytest.mark.cups]


def seed_prints(setup: DemoSetup, count: int) -> str:
    """Store ``count`` printed certificates of the community clerk, issued an hour ago."""
    community = next(clerk for clerk in setup.clerks if clerk.label == "fpcert-community")
    database = Database(setup.settings.database_path)
    moment = utc_now() - timedelta(hours=1)
    if china_date(moment) != china_date(utc_now()):
        moment = utc_now()
    demo_ids = [person.person_id for person in DEMO_PEOPLE]
    with database.write_session() as db:
        user = UserRepository(db).by_fingerprint(community.fingerprint)
        assert user is not None
        # A generated person, so the demo applicants of the other GUI tests keep no
        # recent certificate that would bring in the six-month re-issue rule.
        person_id = db.scalar(
            select(PersonRow.person_id).where(PersonRow.person_id.not_in(demo_ids)).limit(1)
        )
        assert person_id is not None
        repository = IssuanceRepository(db)
        for _ in range(count):
            issuance = repository.create_with_number(
                office_code=community.office_code,
                workstation="07",
                year=moment.year,
                person_id=person_id,
                purpose_code="child_medical_insurance",
                user_id=user.user_id,
                issued_at=moment,
                valid_until=None,
                policy_version="test",
                content_json={},
                retention="long_term",
            )
            repository.mark_printed(issuance.issuance_id, "fpcert-pdf", "1", moment)
    database.dispose()
    return community.office_code


def test_supervisor_reads_exports_and_prints(
    qtbot,  # noqa: ANN001
    counter_app: CounterApp,
    demo_setup: DemoSetup,
    tmp_path: Path,
) -> None:
    community_code = seed_prints(demo_setup, 3)
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-supervisor")
    main: MainWindowController = shown.args[0]
    page = main.reports_page
    assert page is not None
    assert main.tabs.indexOf(page.widget) >= 0

    with qtbot.waitSignal(page.report_shown, timeout=30_000) as reported:
        main.tabs.setCurrentWidget(page.widget)
    report: DailyReport = reported.args[0]
    street = next(clerk for clerk in demo_setup.clerks if clerk.label == "fpcert-supervisor")
    assert page.office_combo.itemData(0) == street.office_code
    assert report.office_code == street.office_code
    assert report.source is ReportSource.LOCAL
    assert page.source_label.text() == str(LOCAL_ONLY_NOTE)
    rows = [row for row in report.rows if row.workstation == "07"]
    assert [row.office_code for row in rows] == [community_code]
    assert rows[0].printed_total >= 3
    assert page.model is not None
    assert page.model.rowCount() == len(report.rows)
    assert page.chart.rows == report.rows
    assert str(report.totals.printed) in page.summary_label.text()

    # The community alone, picked in the office combo box.
    page.select_office(community_code)
    with qtbot.waitSignal(page.report_shown, timeout=30_000) as reported:
        page.refresh()
    assert reported.args[0].office_code == community_code

    pdf = tmp_path / "daily.pdf"
    with qtbot.waitSignal(page.saved, timeout=30_000):
        page.export_to(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "每日打证统计" in text
    assert "本工作站数据" in text

    xlsx = tmp_path / "daily.xlsx"
    with qtbot.waitSignal(page.saved, timeout=30_000):
        page.export_to(xlsx)
    sheet = load_workbook(xlsx)["每日打证统计"]
    assert sheet["A2"].value.endswith(f"（{community_code}）")

    docx = tmp_path / "gui.docx"
    page.export_to(docx)
    assert not docx.exists()
    assert "gui.docx" in page.status_label.text()

    retention = tmp_path / "retention.pdf"
    with qtbot.waitSignal(page.saved, timeout=30_000):
        page.export_retention_to(retention)
    assert retention.read_bytes().startswith(b"%PDF")

    with qtbot.waitSignal(page.printed, timeout=60_000) as printed:
        page.print_report()
    result: PrintResult = printed.args[0]
    assert result.printer == demo_setup.settings.printer
    assert result.job_id

    with qtbot.waitSignal(page.failed, timeout=30_000) as failed:
        page.export_to(tmp_path / "missing" / "daily.pdf")
    assert "missing" in failed.args[0]


def test_export_path_adds_format_suffix() -> None:
    assert export_path(Path("/tmp/gui.docx"), "xlsx") == Path("/tmp/gui.docx.xlsx")
    assert export_path(Path("/tmp/daily"), "pdf") == Path("/tmp/daily.pdf")
    assert export_path(Path("/tmp/daily.PDF"), "pdf") == Path("/tmp/daily.PDF")
    assert export_path(Path("/tmp/daily.xlsx"), "pdf") == Path("/tmp/daily.xlsx")


def test_clerk_has_no_report_tab(qtbot, counter_app: CounterApp) -> None:  # noqa: ANN001
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-community")
    main: MainWindowController = shown.args[0]
    assert main.reports_page is None
    titles = [main.tabs.tabText(index) for index in range(main.tabs.count())]
    assert not any("Daily print summary" in title or "每日打证统计" in title for title in titles)

    partner = dataclasses.replace(
        main.session, user=dataclasses.replace(main.session.user, role=Role.PARTNER)
    )
    tabs = QTabWidget()
    assert ReportsPage.attach(main.window, tabs, partner, None, None, None) is None  # type: ignore[arg-type]
    assert tabs.count() == 0
