"""The issuing service writes outbox items in its own transactions and checks data age."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fpcert_desktop.domain.history import CounterInput, OriginalDocument, OriginalsConfirmation
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.users import Role
from fpcert_desktop.printing.printer import PrintResult
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession, Workstation
from fpcert_desktop.services.issuing import IssuingService
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import (
    OfficeRepository,
    OutboxRepository,
    SyncStateRepository,
    UserRepository,
)
from fpcert_desktop.sync.outbox import id_number_hash
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from fpcert_desktop.synthetic.generator import generate

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)
ONE_CHILD = DEMO_PEOPLE[0]
PURPOSE = "child_medical_insurance"
CHECKED = CounterInput(
    originals=OriginalsConfirmation((OriginalDocument.ID_CARD,), applicant_signed=True)
)


class MemoryPrinter:
    name = "memory"

    def __init__(self) -> None:
        self.jobs = 0

    def print_pdf(self, pdf: bytes, *, title: str, timeout: float = 60.0) -> PrintResult:
        self.jobs += 1
        return PrintResult(job_id=f"memory-{self.jobs}", printer=self.name, completed_at=NOW)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "fpcert.sqlite"
    database = Database(path)
    database.upgrade()
    generate(database, people=200)
    database.dispose()
    return path


@pytest.fixture
def database(template: Path, tmp_path: Path) -> Database:
    path = tmp_path / "fpcert.sqlite"
    path.write_bytes(template.read_bytes())
    return Database(path)


def clerk(database: Database) -> UserSession:
    with database.session() as db:
        office = OfficeRepository(db).children_of("440304004")[0]
        user = UserRepository(db).add(
            name="王小红", role=Role.CLERK, office_code=office.code, cert_fingerprint="ab" * 32
        )
    return UserSession(user, office, Workstation(code="01"), "test", user.cert_fingerprint, NOW)


def service(database: Database, *, sync_required: bool = False) -> IssuingService:
    printer = MemoryPrinter()
    context = ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code="01"),
        printer_factory=lambda: printer,
        clock=lambda: NOW,
        sync_required=sync_required,
    )
    return IssuingService(context)


def pending(database: Database, kind: str) -> list[dict[str, object]]:
    with database.session() as db:
        return [item.payload for item in OutboxRepository(db).pending(kind)]


def test_printed_issuance_queued_once(database: Database) -> None:
    session = clerk(database)
    outcome = service(database).issue_and_print(session, ONE_CHILD.person_id, PURPOSE, CHECKED)

    (item,) = pending(database, "issuances")
    assert outcome.printed
    assert item["number"] == str(outcome.issuance.number)
    assert item["status"] == "printed"
    assert item["id_number_hash"] == id_number_hash(ONE_CHILD.id_number)
    assert item["issued_at"] == "2026-12-04T02:00:00.000000Z"
    assert item["user_id"] == session.user.user_id
    assert ONE_CHILD.id_number not in str(item)


def test_void_and_reprint_queued(database: Database) -> None:
    session = clerk(database)
    issuing = service(database)
    outcome = issuing.issue_and_print(session, ONE_CHILD.person_id, PURPOSE, CHECKED)
    issuing.reprint(session, outcome.issuance.issuance_id, "卡纸")
    issuing.void(session, outcome.issuance.issuance_id, "填写错误")

    (reprint,) = pending(database, "reprints")
    (void,) = pending(database, "voids")
    assert len(pending(database, "issuances")) == 1
    assert reprint["reason"] == "卡纸"
    assert void["number"] == str(outcome.issuance.number)
    assert void["reason"] == "填写错误"


def test_stale_data_rejects_printing(database: Database) -> None:
    session = clerk(database)

    with pytest.raises(ServiceError) as never:
        service(database, sync_required=True).issue_and_print(
            session, ONE_CHILD.person_id, PURPOSE, CHECKED
        )
    with database.session() as db:
        SyncStateRepository(db).set_position("people", "c", NOW - timedelta(days=8))
    with pytest.raises(ServiceError) as old:
        service(database, sync_required=True).issue_and_print(
            session, ONE_CHILD.person_id, PURPOSE, CHECKED
        )
    with database.session() as db:
        SyncStateRepository(db).set_position("people", "c", NOW - timedelta(days=1))
    fresh = service(database, sync_required=True).issue_and_print(
        session, ONE_CHILD.person_id, PURPOSE, CHECKED
    )

    assert never.value.code == "data_too_old"
    assert "never" in never.value.message.english
    assert old.value.code == "data_too_old"
    assert "7 days" in old.value.message.english
    assert fresh.printed
    assert pending(database, "issuances") != []
