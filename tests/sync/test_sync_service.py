"""SyncService against `fpcert-server serve` running as a real subprocess on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fpcert_desktop.config import Settings
from fpcert_desktop.domain.history import (
    CounterInput,
    MismatchField,
    OriginalDocument,
    OriginalsConfirmation,
    ProblemCategory,
)
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.users import Role, User
from fpcert_desktop.ekey.certificates import fingerprint_sha256
from fpcert_desktop.ekey.softhsm import DemoCA
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.printing.printer import PrintResult
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession, Workstation
from fpcert_desktop.services.issuing import IssuingService
from fpcert_desktop.services.problem_list import ProblemListService
from fpcert_desktop.services.referrals import ReferralService
from fpcert_desktop.services.sync_service import SyncService, SyncStep
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import (
    OfficeRepository,
    OutboxRepository,
    PeopleRepository,
    UserRepository,
)
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.errors import SyncConfigError
from fpcert_desktop.sync.protocol import STREAMS, WorkstationCredentials
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from tests.server_process import running_server, server_command

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = "440304"
STREET = "440304004"  # the demo people 李秀英 and 张建国 live here
WORKSTATION = "01"
PURPOSE = "child_medical_insurance"
CHECKED = CounterInput(
    originals=OriginalsConfirmation((OriginalDocument.ID_CARD,), applicant_signed=True)
)


@dataclass
class SoftwareKey:
    """An ECDSA key with a demo-CA certificate, standing in for an e-key."""

    key: ec.EllipticCurvePrivateKey
    certificate: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint_sha256(self.certificate)


class KeyWorker:
    """The part of EKeyWorker that the sync service uses: ``sign`` returning a future."""

    def __init__(self, key: SoftwareKey) -> None:
        self._key = key

    def sign(self, data: bytes) -> Future[bytes]:
        future: Future[bytes] = Future()
        future.set_result(self._key.key.sign(data, ec.ECDSA(hashes.SHA256())))
        return future


class MemoryPrinter:
    name = "memory"

    def print_pdf(self, pdf: bytes, *, title: str, timeout: float = 60.0) -> PrintResult:
        return PrintResult(
            job_id="memory-1", printer=self.name, completed_at=dt.datetime.now(dt.timezone.utc)
        )


@dataclass
class Server:
    base: str
    db: Path
    credentials: WorkstationCredentials
    clerk_key: SoftwareKey
    clerk_id: int
    clerk_office: str
    admin_key: SoftwareKey
    admin_id: int

    def rows(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db) as connection:
            return connection.execute(query, params).fetchall()


def _make_key(authority: DemoCA, name: str) -> SoftwareKey:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = dt.datetime.now(dt.timezone.utc)
    validity = (now - dt.timedelta(days=1), now + dt.timedelta(days=30))
    return SoftwareKey(key, authority.issue_certificate(public, name, "测试", validity))


def _add_user(db: Path, key: SoftwareKey, name: str, role: str, office: str) -> int:
    output = server_command(
        "add-user",
        "--name",
        name,
        "--role",
        role,
        "--office",
        office,
        "--fingerprint",
        key.fingerprint,
        db=db,
    )
    return int(output.strip().split()[-1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """Start a server with 300 people, a clerk, a street administrator and a workstation
    enrolled for the district, whose jurisdiction contains a few dozen of the people."""
    db = tmp_path / "server.sqlite3"
    server_command("init", "--people", "300", db=db)
    with sqlite3.connect(db) as connection:
        (community,) = connection.execute(
            "SELECT code FROM offices WHERE parent_code = ? ORDER BY code LIMIT 1", (STREET,)
        ).fetchone()
    authority = DemoCA()
    clerk_key = _make_key(authority, "王小红")
    admin_key = _make_key(authority, "赵强")
    clerk_id = _add_user(db, clerk_key, "王小红", "clerk", community)
    admin_id = _add_user(db, admin_key, "赵强", "administrator", STREET)
    code = server_command("enrolment-code", "--office", DISTRICT, db=db).strip().splitlines()[-1]

    with running_server(db, tmp_path / "serve.log") as base:
        credentials = SyncClient(base, workstation_credentials=None).enrol(
            DISTRICT, WORKSTATION, code
        )
        yield Server(base, db, credentials, clerk_key, clerk_id, community, admin_key, admin_id)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "client.sqlite3")
    database.upgrade()
    yield database
    database.dispose()


def _context(database: Database) -> ServiceContext:
    return ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code=WORKSTATION, office_code=""),
        printer_factory=MemoryPrinter,
        sync_required=True,
    )


def _sync_service(
    database: Database, server: Server, *, enrolled: bool = True, page_size: int = 20
) -> SyncService:
    settings = Settings().with_values(server_url=server.base)
    credentials = server.credentials if enrolled else None
    return SyncService(
        _context(database), settings, credentials=lambda: credentials, page_size=page_size
    )


def _session(database: Database, key: SoftwareKey, *, user_id: int | None = None) -> UserSession:
    """Build the session a login with ``key`` makes, from the pulled users and offices."""
    with database.session() as db:
        user = UserRepository(db).by_fingerprint(key.fingerprint)
        assert user is not None, "pull the users stream first"
        office = OfficeRepository(db).get(user.office_code)
        assert office is not None
    if user_id is not None:
        user = replace(user, user_id=user_id)
    return UserSession(
        user=user,
        office=office,
        workstation=Workstation(code=WORKSTATION),
        token_serial="software",
        fingerprint=key.fingerprint,
        logged_in_at=dt.datetime.now(dt.timezone.utc),
        certificate_der=key.certificate,
    )


def _worker(key: SoftwareKey) -> EKeyWorker:
    return cast(EKeyWorker, KeyWorker(key))


def _pull_first(database: Database, server: Server) -> SyncService:
    """Pull once with the clerk's session, so the users, offices and people are local."""
    service = _sync_service(database, server)
    service.synchronize(_placeholder_session(server), _worker(server.clerk_key))
    return service


def _placeholder_session(server: Server) -> UserSession:
    # Before the first pull the local database has no users, so the session is built
    # from the server's user id and office.
    user = User(
        server.clerk_id, "王小红", Role.CLERK, server.clerk_office, server.clerk_key.fingerprint
    )
    return UserSession(
        user=user,
        office=Office(server.clerk_office, "社区", OfficeLevel.COMMUNITY),
        workstation=Workstation(code=WORKSTATION),
        token_serial="software",
        fingerprint=server.clerk_key.fingerprint,
        logged_in_at=dt.datetime.now(dt.timezone.utc),
        certificate_der=server.clerk_key.certificate,
    )


def _pending(database: Database, kind: str | None = None) -> int:
    with database.session() as db:
        return OutboxRepository(db).count_pending(kind)


def test_first_sync_pulls_every_stream(database: Database, server: Server) -> None:
    service = _sync_service(database, server)
    steps: list[SyncStep] = []
    assert service.data_as_of() == dict.fromkeys(STREAMS)

    summary = service.synchronize(
        _placeholder_session(server), _worker(server.clerk_key), steps.append
    )

    as_of = service.data_as_of()
    with database.session() as db:
        people = PeopleRepository(db).count()
    assert people > 0
    assert set(as_of) == set(STREAMS)
    assert all(moment is not None for moment in as_of.values())
    assert summary.as_of["people"] == as_of["people"]
    assert summary.pages >= len(STREAMS)
    pulled_people = [step for step in steps if step.phase == "pull" and step.name == "people"]
    assert pulled_people[-1].pages >= 2
    assert pulled_people[-1].records == people
    assert summary.push.rejected == 0
    assert "Synchronization finished" in summary.messages()[0].english


def test_sync_pushes_every_kind(database: Database, server: Server) -> None:
    service = _pull_first(database, server)
    clerk = _session(database, server.clerk_key)
    admin = _session(database, server.admin_key)
    context = _context(database)
    applicant = DEMO_PEOPLE[0]
    with database.session() as db:
        person = PeopleRepository(db).get_by_id_number(applicant.id_number)
    assert person is not None

    printed = IssuingService(context).issue_and_print(clerk, person.person_id, PURPOSE, CHECKED)
    ReferralService(context).refer(
        clerk, person.person_id, PURPOSE, [MismatchField("姓名", person.name, "李秀")]
    )
    ProblemListService(context).add(
        admin,
        DEMO_PEOPLE[1].id_number,
        ProblemCategory.FALSE_MATERIALS,
        dt.date.today() - dt.timedelta(days=1),
        "伪造婚姻证明",
        "街道档案室 A-12",
    )
    assert _pending(database, "issuances") == 1
    assert _pending(database, "referrals") == 1
    assert _pending(database, "problem_list") == 1

    clerk_summary = service.synchronize(clerk, _worker(server.clerk_key))
    admin_summary = service.synchronize(admin, _worker(server.admin_key))

    number = str(printed.issuance.number)
    assert clerk_summary.push.rejections == []
    assert admin_summary.push.rejections == []
    assert server.rows("SELECT status FROM pushed_issuances WHERE number = ?", number) == [
        ("printed",)
    ]
    assert server.rows("SELECT user_id FROM pushed_referrals") == [(server.clerk_id,)]
    assert server.rows("SELECT user_id FROM pushed_problem_list") == [(server.admin_id,)]
    events = {row[0] for row in server.rows("SELECT event FROM pushed_audit_events")}
    assert {"print", "referral", "problem_add", "sync"} <= events
    verified = requests.get(f"{server.base}/v1/verify/{number}", timeout=10).json()
    assert verified["status"] == "valid"
    # Only the audit event of the last sync itself waits for the next run.
    assert _pending(database) == 1
    assert _pending(database, "audit_events") == 1


def test_other_clerk_items_wait(database: Database, server: Server) -> None:
    service = _pull_first(database, server)
    admin = _session(database, server.admin_key)
    ProblemListService(_context(database)).add(
        admin,
        DEMO_PEOPLE[1].id_number,
        ProblemCategory.FALSE_MATERIALS,
        dt.date.today(),
        "伪造婚姻证明",
        "街道档案室 A-12",
    )

    summary = service.synchronize(_session(database, server.clerk_key), _worker(server.clerk_key))

    assert _pending(database, "problem_list") == 1
    assert summary.waiting >= 1
    assert any("other clerks" in message.english for message in summary.messages())
    assert server.rows("SELECT COUNT(*) FROM pushed_problem_list") == [(0,)]


def test_not_configured(database: Database) -> None:
    service = SyncService(_context(database), Settings(), credentials=lambda: None)

    with pytest.raises(SyncConfigError) as raised:
        service.synchronize(cast(UserSession, None), cast(EKeyWorker, None))

    assert not service.configured
    assert raised.value.code == "no_server"
    assert "No central server is configured" in raised.value.message.english


def test_not_enrolled(database: Database, server: Server) -> None:
    service = _sync_service(database, server, enrolled=False)

    with pytest.raises(SyncConfigError) as raised:
        service.synchronize(_placeholder_session(server), _worker(server.clerk_key))

    assert raised.value.code == "not_enrolled"
    assert "not enrolled" in raised.value.message.english


def test_server_user_differs(database: Database, server: Server) -> None:
    service = _pull_first(database, server)
    session = _session(database, server.clerk_key, user_id=server.clerk_id + 100)

    with pytest.raises(ServiceError) as raised:
        service.synchronize(session, _worker(server.clerk_key))

    assert raised.value.code == "user_mismatch"
    assert server.rows("SELECT COUNT(*) FROM pushed_issuances") == [(0,)]


def test_missing_certificate(database: Database, server: Server) -> None:
    service = _pull_first(database, server)
    session = _session(database, server.clerk_key)
    without = replace(session, certificate_der=b"")

    with pytest.raises(ServiceError) as raised:
        service.synchronize(without, _worker(server.clerk_key))

    assert raised.value.code == "no_certificate"
