"""The daily print summary from the local database: counting, days, access, fallback."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fpcert_desktop.cli import main
from fpcert_desktop.config import Settings, save_settings
from fpcert_desktop.domain.clock import CHINA_TZ
from fpcert_desktop.domain.offices import Office
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.reports import ReportSource
from fpcert_desktop.domain.users import Role, User
from fpcert_desktop.printing.printer import Printer
from fpcert_desktop.printing.report_xlsx import DAILY_HEADER_ROW
from fpcert_desktop.services.context import (
    ServiceContext,
    ServiceError,
    UserSession,
    Workstation,
)
from fpcert_desktop.services.issuing import IssuingService
from fpcert_desktop.services.reports import ReportService
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import (
    AuditLog,
    IssuanceRepository,
    OfficeRepository,
    OutboxRepository,
    UserRepository,
)
from fpcert_desktop.sync.outbox import issuance_item
from fpcert_desktop.sync.protocol import WorkstationCredentials
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from fpcert_desktop.synthetic.generator import generate

STREET = "440304004"
DAY = date(2026, 12, 4)
NOW = datetime(2026, 12, 5, 2, 0, tzinfo=timezone.utc)
PURPOSE = "child_medical_insurance"
OTHER_PURPOSE = "civil_service_recruitment"
PERSON = DEMO_PEOPLE[0]


def china(day: date, hour: int, minute: int = 0) -> datetime:
    """Return an aware time of China Standard Time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA_TZ)


@dataclass
class Setup:
    database: Database
    street: Office
    community: Office
    other_community: Office
    sibling_street: Office
    clerk: User
    other_clerk: User
    supervisor: User
    sibling_clerk: User
    partner: User


def _no_printer() -> Printer:
    raise AssertionError("the report tests print nothing")


def make_context(database: Database) -> ServiceContext:
    return ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code="01"),
        printer_factory=_no_printer,
        clock=lambda: NOW,
    )


def session_for(setup: Setup, user: User, workstation: str = "01") -> UserSession:
    with setup.database.session() as db:
        office = OfficeRepository(db).get(user.office_code)
    assert office is not None
    return UserSession(
        user=user,
        office=office,
        workstation=Workstation(code=workstation),
        token_serial="test",
        fingerprint=user.cert_fingerprint,
        logged_in_at=NOW,
        certificate_der=b"not a certificate",
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reports") / "template.sqlite"
    database = Database(path)
    database.upgrade()
    generate(database, people=200)
    database.dispose()
    return path


@pytest.fixture
def setup(template: Path, tmp_path: Path) -> Setup:
    path = tmp_path / "fpcert.sqlite"
    path.write_bytes(template.read_bytes())
    database = Database(path)
    with database.session() as db:
        offices = OfficeRepository(db)
        street = offices.get(STREET)
        assert street is not None
        community, other_community = offices.children_of(STREET)[:2]
        sibling_street = next(
            office for office in offices.children_of(STREET[:6]) if office.code != STREET
        )
        users = UserRepository(db)

        def add(name: str, role: Role, office: Office, mark: str) -> User:
            return users.add(
                name=name, role=role, office_code=office.code, cert_fingerprint=mark * 64
            )

        result = Setup(
            database=database,
            street=street,
            community=community,
            other_community=other_community,
            sibling_street=sibling_street,
            clerk=add("王小红", Role.CLERK, community, "a"),
            other_clerk=add("李明", Role.CLERK, other_community, "b"),
            supervisor=add("周主任", Role.SUPERVISOR, street, "c"),
            sibling_clerk=add("陈平", Role.CLERK, sibling_street, "d"),
            partner=add("医保局", Role.PARTNER, street, "e"),
        )
    return result


def issue(
    setup: Setup,
    user: User,
    at: datetime,
    *,
    workstation: str = "01",
    purpose: str = PURPOSE,
    printed: bool = True,
    queue_push: bool = False,
) -> str:
    """Store one issuance, printed a minute after ``at`` unless ``printed`` is False."""
    with setup.database.write_session() as db:
        repository = IssuanceRepository(db)
        issuance = repository.create_with_number(
            office_code=user.office_code,
            workstation=workstation,
            year=at.year,
            person_id=PERSON.person_id,
            purpose_code=purpose,
            user_id=user.user_id,
            issued_at=at,
            valid_until=None,
            policy_version="test",
            content_json={},
            retention="long_term",
        )
        if printed:
            issuance = repository.mark_printed(
                issuance.issuance_id, "fpcert-pdf", "1", at + timedelta(minutes=1)
            )
        if queue_push:
            OutboxRepository(db).add("issuances", issuance_item(issuance, PERSON.id_number))
    return issuance.issuance_id


def void(setup: Setup, issuance_id: str, user: User, at: datetime) -> None:
    with setup.database.write_session() as db:
        IssuanceRepository(db).void(issuance_id, user_id=user.user_id, reason="卡纸", at=at)


def audit(setup: Setup, user: User, event: str, at: datetime, **details: object) -> None:
    with setup.database.write_session() as db:
        AuditLog(db).append(
            event,
            user_id=user.user_id,
            user_name=user.name,
            workstation="01",
            subject="440304********9805",
            details=details,
            at=at,
        )


def number_of(setup: Setup, issuance_id: str) -> str:
    with setup.database.session() as db:
        issuance = IssuanceRepository(db).get(issuance_id)
    assert issuance is not None
    return str(issuance.number)


@pytest.fixture
def busy_day(setup: Setup) -> Setup:
    """Prints, a void, a reprint and refusals on DAY; fewer the day before and a week before."""
    clerk, other = setup.clerk, setup.other_clerk
    first = issue(setup, clerk, china(DAY, 9), queue_push=True)
    issue(setup, clerk, china(DAY, 15), purpose=OTHER_PURPOSE)
    issue(setup, clerk, china(DAY, 16), printed=False)
    void(setup, first, clerk, china(DAY, 17))
    audit(setup, clerk, "reprint", china(DAY, 10), number=number_of(setup, first))
    for rule in ("level", "level", "child_count"):
        audit(setup, clerk, "print_refused", china(DAY, 11), rule=rule, purpose=PURPOSE)
    issue(setup, other, china(DAY, 23, 30), workstation="02")
    issue(setup, other, china(DAY + timedelta(days=1), 0, 30), workstation="02")

    yesterday = DAY - timedelta(days=1)
    issue(setup, clerk, china(yesterday, 9))
    issue(setup, clerk, china(yesterday, 10))
    audit(setup, clerk, "print_refused", china(yesterday, 11), rule="level", purpose=PURPOSE)
    issue(setup, clerk, china(DAY - timedelta(days=7), 9))

    issue(setup, setup.sibling_clerk, china(DAY, 12))
    return setup


@pytest.fixture
def utc_machine() -> Iterator[None]:
    """Run the test on a machine whose local time zone is UTC."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_day_boundary_on_utc_machine(busy_day: Setup, utc_machine: None) -> None:
    assert time.strftime("%Z") == "UTC"
    service = ReportService(make_context(busy_day.database))
    today = service.daily(None, DAY, STREET)
    tomorrow = service.daily(None, DAY + timedelta(days=1), STREET)

    other_today = [row for row in today.rows if row.workstation == "02"]
    other_tomorrow = [row for row in tomorrow.rows if row.workstation == "02"]
    assert [row.printed_total for row in other_today] == [1]
    assert [row.printed_total for row in other_tomorrow] == [1]
    assert other_today[0].last_print == china(DAY, 23, 31)
    assert other_tomorrow[0].first_print == china(DAY + timedelta(days=1), 0, 31)


def test_counts_per_window_and_clerk(busy_day: Setup) -> None:
    report = ReportService(make_context(busy_day.database)).daily(None, DAY, STREET)

    assert report.source is ReportSource.LOCAL
    assert [(row.office_code, row.workstation) for row in report.rows] == [
        (busy_day.community.code, "01"),
        (busy_day.other_community.code, "02"),
    ]
    row = report.rows[0]
    assert row.clerk_name == "王小红"
    assert row.printed_for(PURPOSE) == 1
    assert row.printed_for(OTHER_PURPOSE) == 1
    assert row.voids == 1
    assert row.reprints == 1
    assert row.not_printed == 1
    assert row.refused_for("level") == 2
    assert row.refused_for("child_count") == 1
    assert row.first_print == china(DAY, 9, 1)
    assert row.last_print == china(DAY, 15, 1)
    assert row.waiting_sync == 1
    assert [column.code for column in report.purposes] == sorted([PURPOSE, OTHER_PURPOSE])
    assert report.rules == ("child_count", "level")


def test_totals_and_comparisons(busy_day: Setup) -> None:
    report = ReportService(make_context(busy_day.database)).daily(None, DAY, STREET)

    assert report.totals.printed == 3
    assert report.totals.voids == 1
    assert report.totals.reprints == 1
    assert report.totals.not_printed == 1
    assert report.totals.refusals == 3
    assert report.previous_day.printed == 2
    assert report.previous_day.refusals == 1
    assert report.same_weekday_last_week.printed == 1
    assert report.change_from_previous_day.printed == 1
    assert report.change_from_previous_day.refusals == 2
    assert report.change_from_last_week.printed == 2
    assert report.outbox_pending == 1


def test_community_report_leaves_out_others(busy_day: Setup) -> None:
    service = ReportService(make_context(busy_day.database))
    report = service.daily(None, DAY, busy_day.community.code)
    assert [row.workstation for row in report.rows] == ["01"]
    sibling = service.daily(None, DAY, busy_day.sibling_street.code)
    assert [row.clerk_name for row in sibling.rows] == ["陈平"]


def test_access_by_role(busy_day: Setup) -> None:
    service = ReportService(make_context(busy_day.database))
    supervisor = session_for(busy_day, busy_day.supervisor)
    clerk = session_for(busy_day, busy_day.clerk)

    assert service.daily(supervisor, DAY, STREET).totals.printed == 3
    assert service.daily(supervisor, DAY, busy_day.community.code).totals.printed == 2
    assert service.daily(clerk, DAY, busy_day.community.code).totals.printed == 2
    denied = [
        (supervisor, busy_day.sibling_street.code),
        (clerk, STREET),
        (clerk, busy_day.other_community.code),
        (session_for(busy_day, busy_day.partner), STREET),
    ]
    for session, office in denied:
        with pytest.raises(ServiceError) as raised:
            service.daily(session, DAY, office)
        assert raised.value.code == "report_denied", (session.user.name, office)


def test_offices_offered_by_role(busy_day: Setup) -> None:
    service = ReportService(make_context(busy_day.database))
    supervisor = service.offices_for(session_for(busy_day, busy_day.supervisor))
    assert supervisor[0].code == STREET
    assert {office.code for office in supervisor} >= {
        busy_day.community.code,
        busy_day.other_community.code,
    }
    assert busy_day.sibling_street.code not in {office.code for office in supervisor}
    clerk = service.offices_for(session_for(busy_day, busy_day.clerk))
    assert [office.code for office in clerk] == [busy_day.community.code]
    assert service.offices_for(session_for(busy_day, busy_day.partner)) == []


def test_unknown_office_rejected(setup: Setup) -> None:
    with pytest.raises(ServiceError) as raised:
        ReportService(make_context(setup.database)).daily(None, DAY, "440399999")
    assert raised.value.code == "unknown_office"
    assert "440399999" in raised.value.message.english


@pytest.mark.parametrize("code", ["", "abc", "4403", "4403040041", "４４０３０４"])
def test_malformed_office_code_rejected(setup: Setup, code: str) -> None:
    with pytest.raises(ServiceError) as raised:
        ReportService(make_context(setup.database)).daily(None, DAY, code)
    assert raised.value.code == "invalid_office_code"
    assert "6, 9 or 12 digits" in raised.value.message.english


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1, 1, 8), date(9999, 12, 31)])
def test_day_without_utc_bounds_rejected(setup: Setup, day: date) -> None:
    with pytest.raises(ServiceError) as raised:
        ReportService(make_context(setup.database)).daily(None, day, STREET)
    assert raised.value.code == "invalid_date"
    assert "0001-01-09 to 9999-12-30" in raised.value.message.english


@pytest.mark.parametrize("day", [date(1, 1, 9), date(9999, 12, 30)])
def test_first_and_last_reportable_days(setup: Setup, day: date) -> None:
    report = ReportService(make_context(setup.database)).daily(None, day, STREET)
    assert report.day == day
    assert report.totals.printed == 0


def test_refusal_is_audited(setup: Setup) -> None:
    context = make_context(setup.database)
    session = session_for(setup, setup.clerk)
    with pytest.raises(ServiceError) as raised:
        IssuingService(context).preview(session, PERSON.person_id, "birth_hukou_registration")
    rule = raised.value.code.removeprefix("refused:")
    with setup.database.session() as db:
        event = AuditLog(db).recent(1)[0]
    assert event.event == "print_refused"
    assert event.details["rule"] == rule
    assert event.details["purpose"] == "birth_hukou_registration"
    assert event.subject == "440304********9805"
    # The audit trail writes the real time, so the refusal counts today.
    today = datetime.now(timezone.utc).astimezone(CHINA_TZ).date()
    report = ReportService(context).daily(session, today, setup.community.code)
    assert report.rows[0].refused_for(rule) == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_server_down_falls_back_to_local(busy_day: Setup) -> None:
    settings = Settings(server_url=f"http://127.0.0.1:{_closed_port()}")
    service = ReportService(
        make_context(busy_day.database),
        settings,
        credentials=lambda: WorkstationCredentials("workstation", "secret"),
    )
    supervisor = session_for(busy_day, busy_day.supervisor)
    signed: list[bytes] = []

    def sign(data: bytes) -> bytes:
        signed.append(data)
        return b""

    report = service.daily(supervisor, DAY, STREET, sign=sign)

    assert report.source is ReportSource.LOCAL
    assert "SyncConnectionError" in report.fallback_reason
    assert signed == []
    assert report.totals.printed == 3


def test_no_server_configured_is_local(busy_day: Setup) -> None:
    report = ReportService(make_context(busy_day.database)).daily(
        session_for(busy_day, busy_day.supervisor), DAY, STREET, sign=lambda data: b""
    )
    assert report.source is ReportSource.LOCAL
    assert report.fallback_reason == "no server configured"


def test_retention_lists_materials(setup: Setup) -> None:
    from fpcert_desktop.domain.history import ProblemCategory
    from fpcert_desktop.storage.repositories import ProblemListRepository

    with setup.database.write_session() as db:
        issuance = IssuanceRepository(db).create_with_number(
            office_code=setup.community.code,
            workstation="01",
            year=2025,
            person_id=PERSON.person_id,
            purpose_code=PURPOSE,
            user_id=setup.clerk.user_id,
            issued_at=china(date(2025, 3, 1), 9),
            valid_until=None,
            policy_version="test",
            content_json={},
            retention="one_year",
            dispose_after=date(2026, 3, 1),
        )
        ProblemListRepository(db).add(
            person_id=DEMO_PEOPLE[1].person_id,
            category=ProblemCategory.FALSE_MATERIALS,
            listed_on=date(2026, 5, 6),
            facts="伪造婚姻证明",
            materials_location="福田街道档案室 3 号柜",
            entered_by=setup.supervisor.user_id,
            office_code=STREET,
            at=NOW,
        )
    report = ReportService(make_context(setup.database)).retention(
        session_for(setup, setup.supervisor), STREET, DAY
    )
    assert [line.number for line in report.disposal] == [str(issuance.number)]
    assert report.disposal[0].dispose_after == date(2026, 3, 1)
    assert [line.materials_location for line in report.problem_materials] == [
        "福田街道档案室 3 号柜"
    ]
    assert report.problem_materials[0].masked_id_number.startswith(DEMO_PEOPLE[1].id_number[:6])
    assert DEMO_PEOPLE[1].id_number not in report.problem_materials[0].masked_id_number


# --- the command line ------------------------------------------------------------------


def write_config(setup: Setup, tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    save_settings(
        Settings(database_path=str(setup.database.path), workstation_code="01", language="en"),
        config,
    )
    return config


# The command installs its messages' language on the running Qt application. ``qapp``
# makes that a QApplication, because a bare QCoreApplication left behind would abort
# the GUI tests that run later in the same process.
def test_cli_writes_pdf_and_xlsx(qapp, busy_day: Setup, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    config = write_config(busy_day, tmp_path)
    pdf = tmp_path / "daily.pdf"
    xlsx = tmp_path / "daily.xlsx"
    daily = ["report", "daily", "--date", DAY.isoformat(), "--office", STREET]

    assert main(["--config", str(config), *daily, "--out", str(pdf)]) == 0
    assert main([*daily, "--out", str(xlsx), "--config", str(config)]) == 0

    assert pdf.read_bytes().startswith(b"%PDF")
    output = capsys.readouterr().out
    assert "3 printed" in output
    assert "Data of this workstation only" in output
    sheet = load_workbook(xlsx)["每日打证统计"]
    totals = [cell.value for cell in sheet[DAILY_HEADER_ROW + 3]]
    assert totals[0] == "合计"
    assert "本工作站数据" in str(sheet["A4"].value)

    retention = tmp_path / "retention.xlsx"
    command = ["report", "retention", "--office", STREET, "--out", str(retention)]
    assert main(["--config", str(config), *command]) == 0
    assert load_workbook(retention).sheetnames == ["可销毁材料", "问题名单材料"]


def test_cli_rejects_bad_input(qapp, setup: Setup, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    config = write_config(setup, tmp_path)
    out = tmp_path / "daily.pdf"
    base = ["--config", str(config), "report", "daily", "--office", STREET]

    assert main([*base, "--date", "2026-02-30", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "2026-02-30 does not exist" in error
    assert "YYYY-MM-DD" not in error
    assert main([*base, "--date", "20261204", "--out", str(out)]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    for edge in ("9999-12-31", "0001-01-01"):
        assert main([*base, "--date", edge, "--out", str(out)]) == 2
        error = capsys.readouterr().err
        assert f"No daily report can be made for {edge}" in error
        assert "Traceback" not in error
    for office in ("", "abc", "4403"):
        bad_office = ["--config", str(config), "report", "daily", "--office", office]
        assert main([*bad_office, "--date", DAY.isoformat(), "--out", str(out)]) == 2
        error = capsys.readouterr().err
        assert "6, 9 or 12 digits" in error
        assert "not in this workstation's database" not in error
    assert main([*base, "--date", DAY.isoformat(), "--out", str(tmp_path / "daily.csv")]) == 2
    assert ".pdf or .xlsx" in capsys.readouterr().err
    unknown = ["--config", str(config), "report", "daily", "--office", "440399999"]
    assert main([*unknown, "--date", DAY.isoformat(), "--out", str(out)]) == 2
    assert "440399999" in capsys.readouterr().err
    assert main([*base, "--date", DAY.isoformat(), "--out", ""]) == 2
    assert "The output file is missing" in capsys.readouterr().err
    folder_named_pdf = tmp_path / "taken.pdf"
    folder_named_pdf.mkdir()
    assert main([*base, "--date", DAY.isoformat(), "--out", str(folder_named_pdf)]) == 1
    error = capsys.readouterr().err
    assert "could not be written" in error
    assert "the name is a folder, not a file" in error
    assert "Is a directory" not in error
    assert not out.exists()
