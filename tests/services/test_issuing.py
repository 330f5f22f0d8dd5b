"""Issuing against a real CUPS queue: numbers are never lost, skipped or used twice."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from fpcert_desktop.config import Settings
from fpcert_desktop.domain.history import CounterInput, OriginalDocument, OriginalsConfirmation
from fpcert_desktop.domain.issuance import IssuanceStatus
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.users import Role
from fpcert_desktop.printing.cups import CupsPrinter
from fpcert_desktop.printing.cups_admin import CUPS_PDF_PPD_FILE as PPD
from fpcert_desktop.printing.errors import MissingGlyphError
from fpcert_desktop.services.context import (
    ServiceContext,
    ServiceError,
    UserSession,
    Workstation,
)
from fpcert_desktop.services.issuing import IssuingService
from fpcert_desktop.services.setup import cups_printer_factory
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import (
    AuditLog,
    IssuanceRepository,
    OfficeRepository,
    UserRepository,
)
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from fpcert_desktop.synthetic.generator import generate

pytestmark = pytest.mark.cups

COMMUNITY_STREET = "440304004"
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shenzhen
# Applicants with one child: a community workstation issues their children's insurance.
ONE_CHILD = DEMO_PEOPLE[0]
OTHER_ONE_CHILD = next(person for person in DEMO_PEOPLE if person.name == "欧阳晓燕")
PURPOSE = "child_medical_insurance"
CHECKED = CounterInput(
    originals=OriginalsConfirmation((OriginalDocument.ID_CARD,), applicant_signed=True)
)


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database(tmp_path / "fpcert.sqlite")
    database.upgrade()
    generate(database, people=200)
    return database


@pytest.fixture
def session(database: Database) -> UserSession:
    with database.session() as db:
        office = OfficeRepository(db).children_of(COMMUNITY_STREET)[0]
        user = UserRepository(db).add(
            name="王小红", role=Role.CLERK, office_code=office.code, cert_fingerprint="ab" * 32
        )
    return UserSession(
        user=user,
        office=office,
        workstation=Workstation(code="01"),
        token_serial="test",
        fingerprint=user.cert_fingerprint,
        logged_in_at=NOW,
    )


def make_service(database: Database, queue_name: str | None) -> IssuingService:
    printer = cups_printer_factory(Settings(printer=queue_name or ""))

    context = ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code="01"),
        printer_factory=printer,
        clock=lambda: NOW,
    )
    return IssuingService(context)


def serials(database: Database) -> list[int]:
    with database.session() as db:
        rows = db.execute(text("SELECT serial FROM issuances ORDER BY serial")).scalars()
        return list(rows)


def test_print_confirms_job_and_audits(
    database: Database, session: UserSession, queue: str
) -> None:
    outcome = make_service(database, queue).issue_and_print(
        session, ONE_CHILD.person_id, PURPOSE, CHECKED
    )
    assert outcome.printed
    assert outcome.issuance.status is IssuanceStatus.PRINTED
    assert str(outcome.issuance.number) == f"{session.office.code}-01-2026-000001"
    assert outcome.issuance.print_job is not None
    with database.session() as db:
        events = [event.event for event in AuditLog(db).recent(10)]
        assert AuditLog(db).verify_chain()
    assert events.count("issue") == 1
    assert events.count("print") == 1


def test_failed_print_keeps_number_for_reprint(
    database: Database, session: UserSession, queue: str
) -> None:
    service = make_service(database, queue)
    subprocess.run(["cupsreject", queue], check=True)
    try:
        failed = service.issue_and_print(session, ONE_CHILD.person_id, PURPOSE, CHECKED)
    finally:
        subprocess.run(["cupsaccept", queue], check=True)
    assert not failed.printed
    assert failed.issuance.status is IssuanceStatus.NOT_PRINTED
    assert failed.issuance.print_attempts == 1
    assert failed.issuance.last_error
    assert str(failed.issuance.number) in str(failed.message)

    again = service.print_again(session, failed.issuance.issuance_id)
    assert again.printed
    assert again.issuance.number == failed.issuance.number
    assert again.issuance.print_attempts == 2

    # Another applicant: a second certificate for the same one would need a check certificate.
    following = service.issue_and_print(session, OTHER_ONE_CHILD.person_id, PURPOSE, CHECKED)
    assert following.issuance.number.serial == failed.issuance.number.serial + 1
    assert serials(database) == [1, 2]
    with pytest.raises(ServiceError) as raised:
        service.print_again(session, failed.issuance.issuance_id)
    assert raised.value.code == "not_reprintable"


def test_refused_purpose_uses_no_number(
    database: Database, session: UserSession, queue: str
) -> None:
    service = make_service(database, queue)
    with pytest.raises(ServiceError) as raised:
        service.issue_and_print(session, ONE_CHILD.person_id, "birth_hukou_registration", CHECKED)
    assert raised.value.code.startswith("refused:")
    assert serials(database) == []
    assert (
        service.issue_and_print(
            session, ONE_CHILD.person_id, PURPOSE, CHECKED
        ).issuance.number.serial
        == 1
    )


def test_unprintable_name_stops_before_numbering(
    database: Database, session: UserSession, queue: str
) -> None:
    with database.session() as db:
        db.execute(
            text("UPDATE people SET name = :name WHERE person_id = :id"),
            {"name": "李\ue000英", "id": ONE_CHILD.person_id},
        )
    with pytest.raises(MissingGlyphError) as raised:
        make_service(database, queue).issue_and_print(
            session, ONE_CHILD.person_id, PURPOSE, CHECKED
        )
    assert "U+E000" in str(raised.value.message)
    assert serials(database) == []


def test_no_printer_uses_no_number(
    database: Database, session: UserSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fpcert_desktop.services.setup.default_cups_queue", lambda: None)
    with pytest.raises(ServiceError) as raised:
        make_service(database, None).issue_and_print(session, ONE_CHILD.person_id, PURPOSE, CHECKED)
    assert raised.value.code == "no_printer"
    with database.session() as db:
        assert IssuanceRepository(db).last_for_person(ONE_CHILD.person_id) is None


STUCK_QUEUE = "fpcert-services-stuck"


@pytest.fixture
def stuck_queue(queue: str) -> Iterator[str]:
    """A queue whose device is a closed port on this machine, so jobs wait in it."""
    subprocess.run(
        ["lpadmin", "-p", STUCK_QUEUE, "-E", "-v", "socket://127.0.0.1:9", "-P", str(PPD)],
        check=True,
    )
    yield STUCK_QUEUE
    subprocess.run(["cancel", "-a", STUCK_QUEUE], check=False)
    subprocess.run(["lpadmin", "-x", STUCK_QUEUE], check=False)


def test_waiting_job_is_not_printed_twice(
    database: Database,
    session: UserSession,
    stuck_queue: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("fpcert_desktop.services.issuing.PRINT_TIMEOUT_SECONDS", 3.0)
    service = make_service(database, stuck_queue)
    failed = service.issue_and_print(session, ONE_CHILD.person_id, PURPOSE, CHECKED)
    assert not failed.printed
    first_job = failed.issuance.print_job
    assert first_job is not None

    with pytest.raises(ServiceError) as raised:
        service.print_again(session, failed.issuance.issuance_id)
    assert raised.value.code == "job_still_queued"
    assert first_job in str(raised.value.message)

    # The printer comes back: the waiting job prints, and "print again" only records it.
    subprocess.run(["lpadmin", "-p", stuck_queue, "-v", "cups-pdf:/"], check=True)
    subprocess.run(["cupsenable", stuck_queue], check=True)
    printer = CupsPrinter(stuck_queue)
    deadline = time.monotonic() + 60
    while printer.check_job(first_job) is None and time.monotonic() < deadline:
        time.sleep(0.5)
    late = service.print_again(session, failed.issuance.issuance_id)
    assert late.printed
    assert late.issuance.status is IssuanceStatus.PRINTED
    assert late.issuance.print_job == first_job
    assert first_job in str(late.message)
