"""Print signed certificates through cups-pdf, read the QR code back, verify it.

A clerk's SoftHSM2 e-key signs each certificate's QR payload at print time. The page
that cups-pdf writes is rasterised with pdftoppm and the code decoded with zbarimg, as
a partner unit's scanner would read the paper. The status comes from `fpcert-server
serve` running as a real process on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from fpcert_desktop.config import Settings
from fpcert_desktop.domain.history import CounterInput, OriginalDocument, OriginalsConfirmation
from fpcert_desktop.domain.issuance import CertificateNumber
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.qr_payload import PREFIX
from fpcert_desktop.domain.users import Role, User
from fpcert_desktop.ekey.certificates import fingerprint_sha256
from fpcert_desktop.ekey.errors import NotLoggedIn
from fpcert_desktop.ekey.softhsm import DemoCA, SoftHsmEnvironment, find_softhsm_module
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.printing import cups_admin
from fpcert_desktop.printing.layout import render_certificate
from fpcert_desktop.printing.sample import sample_certificate_content
from fpcert_desktop.services.context import ServiceContext, UserSession, Workstation
from fpcert_desktop.services.issuing import IssuingService, PrintOutcome, sign_qr_payload
from fpcert_desktop.services.setup import cups_printer_factory
from fpcert_desktop.services.sync_service import SyncService
from fpcert_desktop.services.verification import (
    Outcome,
    SigningKeyRegistry,
    Verification,
    VerificationService,
)
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import (
    AuditLog,
    OfficeRepository,
    PeopleRepository,
    UserRepository,
)
from fpcert_desktop.sync.client import SigningKeyEntry, SyncClient
from fpcert_desktop.sync.protocol import WorkstationCredentials
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from tests.server_process import free_port, running_server, server_command

pytestmark = [pytest.mark.cups, pytest.mark.softhsm]
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]
PIN = "123456"
SO_PIN = "12345678"
DISTRICT = "440304"
STREET = "440304004"
WORKSTATION = "01"
PURPOSE = "child_medical_insurance"
CHECKED = CounterInput(
    originals=OriginalsConfirmation((OriginalDocument.ID_CARD,), applicant_signed=True)
)
HOLDER = DEMO_PEOPLE[0]  # 李秀英, one child
OTHER = DEMO_PEOPLE[1]
QUEUE = "fpcert-verify-test"


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{tool} is required when CI=true")
        pytest.skip(f"{tool} is not installed")


@dataclass
class Tokens:
    env: SoftHsmEnvironment
    authority: DemoCA
    serials: dict[str, str]
    certificates: dict[str, bytes]


@dataclass
class Server:
    base: str
    credentials: WorkstationCredentials
    clerk_id: int
    clerk_office: str


@dataclass
class Printed:
    """Texts decoded from the printed pages, by certificate."""

    genuine: str
    voided: str
    stranger: str
    genuine_number: str
    database: Database
    clerk_registry_keys: int


@pytest.fixture(scope="module")
def tokens() -> Iterator[Tokens]:
    """A clerk's EC e-key certified by the city CA, and a stranger's key never registered."""
    for tool in ("softhsm2-util", "pdftoppm", "zbarimg"):
        _require(tool)
    if find_softhsm_module() is None:
        pytest.skip("libsofthsm2.so is not installed")
    base_dir = Path(tempfile.mkdtemp(prefix="fpcert-verify-"))
    previous_conf = os.environ.get("SOFTHSM2_CONF")
    env = SoftHsmEnvironment(base_dir)
    env.activate()
    authority = DemoCA()
    serials: dict[str, str] = {}
    certificates: dict[str, bytes] = {}
    try:
        for label, name in (("verify-clerk", "王小红"), ("verify-stranger", "冒名者")):
            serials[label] = env.init_token(label, PIN, SO_PIN)
            certificates[label] = authority.issue_on_token(
                env, serials[label], PIN, name, "福田区", key_type="ec"
            )
        yield Tokens(env, authority, serials, certificates)
    finally:
        if previous_conf is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous_conf
        shutil.rmtree(base_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def worker(tokens: Tokens) -> Iterator[EKeyWorker]:
    ekey_worker = EKeyWorker(tokens.env.module_path)
    ekey_worker.start().result(timeout=30)
    yield ekey_worker
    ekey_worker.stop()


@pytest.fixture(scope="module")
def server(tokens: Tokens, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    db = folder / "server.sqlite3"
    server_command("init", "--people", "300", db=db)
    import sqlite3

    with sqlite3.connect(db) as connection:
        (community,) = connection.execute(
            "SELECT code FROM offices WHERE parent_code = ? ORDER BY code LIMIT 1", (STREET,)
        ).fetchone()
    output = server_command(
        "add-user",
        "--name",
        "王小红",
        "--role",
        "clerk",
        "--office",
        community,
        "--fingerprint",
        fingerprint_sha256(tokens.certificates["verify-clerk"]),
        db=db,
    )
    clerk_id = int(output.strip().split()[-1])
    code = server_command("enrolment-code", "--office", DISTRICT, db=db).strip().splitlines()[-1]

    with running_server(db, folder / "serve.log") as base:
        credentials = SyncClient(base, workstation_credentials=None).enrol(
            DISTRICT, WORKSTATION, code
        )
        yield Server(base, credentials, clerk_id, community)


@pytest.fixture(scope="module")
def queue() -> Iterator[str]:
    if shutil.which("lpadmin") is None or os.geteuid() != 0:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("a CUPS queue is required when CI=true")
        pytest.skip("CUPS is not installed or this is not root")
    if not cups_admin.is_cupsd_running():
        cups_admin.start_cupsd()
    yield cups_admin.ensure_cups_pdf_queue(QUEUE)


def _context(database: Database, queue: str, workstation: str = WORKSTATION) -> ServiceContext:
    return ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code=workstation),
        printer_factory=cups_printer_factory(Settings(printer=queue)),
        sync_required=True,
    )


def _session(database: Database, certificate: bytes, serial: str) -> UserSession:
    fingerprint = fingerprint_sha256(certificate)
    with database.session() as db:
        user = UserRepository(db).by_fingerprint(fingerprint)
        assert user is not None
        office = OfficeRepository(db).get(user.office_code)
        assert office is not None
    return UserSession(
        user=user,
        office=office,
        workstation=Workstation(code=WORKSTATION),
        token_serial=serial,
        fingerprint=fingerprint,
        logged_in_at=dt.datetime.now(dt.timezone.utc),
        certificate_der=certificate,
    )


def _signer(worker: EKeyWorker, session: UserSession):  # noqa: ANN202
    return lambda data: worker.sign_payload(data, session.fingerprint).result(timeout=30)


def decode_printed_qr(outcome: PrintOutcome, submitted_at: float, folder: Path) -> str:
    """Find the PDF cups-pdf wrote for the job, rasterise it and decode its QR code."""
    job = outcome.issuance.print_job
    assert job is not None
    output_dir = cups_admin.cups_pdf_output_dir()
    path = None
    for _ in range(50):
        path = cups_admin.find_cups_pdf_output(job, output_dir, after=submitted_at)
        if path is not None:
            break
        time.sleep(0.1)
    assert path is not None, f"no PDF for job {job} in {output_dir}"
    return decode_pdf_qr(path, folder)


def decode_pdf_qr(pdf: Path, folder: Path) -> str:
    prefix = folder / pdf.stem
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True,
        timeout=60,
    )
    (image,) = folder.glob(f"{pdf.stem}*.png")
    completed = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, f"zbarimg found no code in {image}: {completed.stderr}"
    return completed.stdout.strip()


def _print(
    service: IssuingService, session: UserSession, worker: EKeyWorker, person_id: int
) -> tuple[PrintOutcome, float]:
    submitted_at = time.time() - 1
    outcome = service.issue_and_print(
        session, person_id, PURPOSE, CHECKED, signer=_signer(worker, session)
    )
    assert outcome.printed, outcome.message.english
    return outcome, submitted_at


@pytest.fixture(scope="module")
def printed(
    tokens: Tokens,
    worker: EKeyWorker,
    server: Server,
    queue: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Printed:
    """Pull, print two certificates, void one, push, then print one with a stranger's key."""
    folder = tmp_path_factory.mktemp("printed")
    database = Database(folder / "client.sqlite3")
    database.upgrade()
    context = _context(database, queue)
    settings = Settings().with_values(server_url=server.base)
    sync = SyncService(context, settings, credentials=lambda: server.credentials)

    clerk_certificate = tokens.certificates["verify-clerk"]
    worker.login(tokens.serials["verify-clerk"], PIN).result(timeout=30)
    placeholder = UserSession(
        user=User(
            server.clerk_id,
            "王小红",
            Role.CLERK,
            server.clerk_office,
            fingerprint_sha256(clerk_certificate),
        ),
        office=Office(server.clerk_office, "社区", OfficeLevel.COMMUNITY),
        workstation=Workstation(code=WORKSTATION),
        token_serial=tokens.serials["verify-clerk"],
        fingerprint=fingerprint_sha256(clerk_certificate),
        logged_in_at=dt.datetime.now(dt.timezone.utc),
        certificate_der=clerk_certificate,
    )
    sync.synchronize(placeholder, worker)

    clerk = _session(database, clerk_certificate, tokens.serials["verify-clerk"])
    with database.session() as db:
        holder = PeopleRepository(db).get_by_id_number(HOLDER.id_number)
        other = PeopleRepository(db).get_by_id_number(OTHER.id_number)
    assert holder is not None and other is not None
    issuing = IssuingService(context)

    genuine, genuine_at = _print(issuing, clerk, worker, holder.person_id)
    voided, voided_at = _print(issuing, clerk, worker, other.person_id)
    issuing.void(clerk, voided.issuance.issuance_id, "打印后发现申请材料不实")
    # With the city CA trusted, the clerk's sync fills the registry as well.
    SigningKeyRegistry(database).trust_authority(tokens.authority.certificate_der)
    sync.synchronize(clerk, worker)
    clerk_registry_keys = SigningKeyRegistry(database).key_count()

    # The stranger's key has a city CA certificate, but the server never saw it. Its
    # certificate is rendered with the real layout instead of printed, because the
    # applicant already has one this half year.
    stranger_certificate = tokens.certificates["verify-stranger"]
    worker.login(tokens.serials["verify-stranger"], PIN).result(timeout=30)
    stranger = replace(
        clerk,
        fingerprint=fingerprint_sha256(stranger_certificate),
        certificate_der=stranger_certificate,
    )
    forged_text = sign_qr_payload(
        _signer(worker, stranger),
        stranger,
        replace(
            genuine.issuance, number=CertificateNumber.parse(f"{clerk.office.code}-01-2026-000099")
        ),
        HOLDER.id_number,
        dt.date.today(),
    )
    worker.logout().result(timeout=30)
    forged_pdf = folder / "forged.pdf"
    forged_pdf.write_bytes(
        render_certificate(replace(sample_certificate_content(), qr_payload=forged_text))
    )

    return Printed(
        genuine=decode_printed_qr(genuine, genuine_at, folder),
        voided=decode_printed_qr(voided, voided_at, folder),
        stranger=decode_pdf_qr(forged_pdf, folder),
        genuine_number=str(genuine.issuance.number),
        database=database,
        clerk_registry_keys=clerk_registry_keys,
    )


@dataclass
class Partner:
    service: VerificationService
    session: UserSession
    database: Database


@pytest.fixture(scope="module")
def partner(
    tokens: Tokens, server: Server, printed: Printed, tmp_path_factory: pytest.TempPathFactory
) -> Partner:
    """A partner unit's own database: the city CA trusted and the server's keys fetched."""
    folder = tmp_path_factory.mktemp("partner")
    database = Database(folder / "partner.sqlite3")
    database.upgrade()
    context = _context(database, "", workstation="P1")
    client = SyncClient(server.base, workstation_credentials=server.credentials)
    registry = SigningKeyRegistry(context.database)
    registry.trust_authority(tokens.authority.certificate_der)
    update = registry.store(client.signing_keys())
    assert update.stored == 1
    assert update.rejected == 0

    with database.session() as db:
        user = UserRepository(db).add(
            name="福田区某小学招生办",
            role=Role.PARTNER,
            office_code=_ensure_office(database),
            cert_fingerprint="cd" * 32,
        )
    session = UserSession(
        user=user,
        office=Office(DISTRICT, "福田区", OfficeLevel.DISTRICT),
        workstation=Workstation(code="P1"),
        token_serial="partner",
        fingerprint=user.cert_fingerprint,
        logged_in_at=dt.datetime.now(dt.timezone.utc),
    )
    return Partner(VerificationService(context, client.verify_number), session, database)


def _ensure_office(database: Database) -> str:
    from fpcert_desktop.storage.models import OfficeRow

    with database.session() as db:
        if db.get(OfficeRow, DISTRICT) is None:
            db.add(OfficeRow(code=DISTRICT, name="福田区", level="district", parent_code=None))
            db.commit()
    return DISTRICT


def _verify(partner: Partner, text: str, id_number: str = "") -> Verification:
    return partner.service.verify(partner.session, text, id_number)


def test_printed_code_is_signed_payload(printed: Printed) -> None:
    assert printed.genuine.startswith(PREFIX)
    assert printed.genuine != printed.voided


def test_clerk_sync_fills_registry(printed: Printed) -> None:
    assert printed.clerk_registry_keys == 1


def test_genuine_certificate_is_valid(partner: Partner, printed: Printed) -> None:
    result = _verify(partner, printed.genuine + "\r\n")

    assert result.outcome is Outcome.GENUINE_VALID
    assert result.server_status == "valid"
    assert result.number == printed.genuine_number
    assert result.signer_name == "王小红"
    assert result.id_matches is None
    assert result.accepted


def test_matching_id_number_is_accepted(partner: Partner, printed: Printed) -> None:
    result = _verify(partner, printed.genuine, HOLDER.id_number)

    assert result.outcome is Outcome.GENUINE_VALID
    assert result.id_matches is True
    assert result.accepted


def test_other_id_number_is_refused(partner: Partner, printed: Printed) -> None:
    result = _verify(partner, printed.genuine, OTHER.id_number)

    assert result.outcome is Outcome.GENUINE_VALID
    assert result.id_matches is False
    assert not result.accepted
    assert "does NOT match" in result.notes[0].english


def test_one_changed_character_is_not_genuine(partner: Partner, printed: Printed) -> None:
    index = len(PREFIX) + 40
    replacement = "Q" if printed.genuine[index] != "Q" else "R"
    altered = printed.genuine[:index] + replacement + printed.genuine[index + 1 :]

    result = _verify(partner, altered)

    assert result.outcome is Outcome.NOT_GENUINE
    assert not result.accepted


def test_voided_certificate_is_genuine_but_voided(partner: Partner, printed: Printed) -> None:
    result = _verify(partner, printed.voided)

    assert result.outcome is Outcome.GENUINE_VOIDED
    assert result.server_status == "voided"
    assert not result.accepted


def test_unknown_key_is_not_genuine(partner: Partner, printed: Printed) -> None:
    result = _verify(partner, printed.stranger, HOLDER.id_number)

    assert result.outcome is Outcome.NOT_GENUINE
    assert "not in this computer's registry" in result.notes[0].english
    assert not result.accepted


def test_typed_number_gets_server_status_only(partner: Partner, printed: Printed) -> None:
    result = _verify(partner, printed.genuine_number)

    assert result.outcome is Outcome.SERVER_ONLY
    assert result.server_status == "valid"
    assert "Server status only" in result.headline.english


def test_unreachable_server_still_checks_signature(
    partner: Partner, printed: Printed, tokens: Tokens
) -> None:
    closed = SyncClient(
        f"http://127.0.0.1:{free_port()}", workstation_credentials=None, max_attempts=1
    )
    offline = VerificationService(_context(partner.database, "", "P1"), closed.verify_number)

    result = offline.verify(partner.session, printed.genuine)

    assert result.outcome is Outcome.GENUINE_VALID
    assert result.server_status is None
    assert "could not be checked" in result.notes[-1].english


def test_registry_rejects_key_of_other_ca(partner: Partner, tokens: Tokens) -> None:
    other_ca = DemoCA()
    certificate = other_ca.issue_certificate(
        _public_key_der(tokens.certificates["verify-clerk"]),
        "他市打证员",
        "他市",
        (
            dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1),
            dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30),
        ),
    )
    registry = SigningKeyRegistry(partner.database)

    update = registry.store([SigningKeyEntry(certificate, "他市打证员", "110101", False)])

    assert update.rejected == 1
    assert update.stored == 0


def test_verifications_are_audited_masked(partner: Partner, printed: Printed) -> None:
    _verify(partner, printed.genuine, HOLDER.id_number)

    with partner.database.session() as db:
        events = [event for event in AuditLog(db).recent(50) if event.event == "verify"]
    assert events
    latest = events[0]
    assert latest.subject == HOLDER.id_number[:6] + "********" + HOLDER.id_number[-4:]
    assert HOLDER.id_number not in repr(latest)


def _public_key_der(certificate: bytes) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    public_key = x509.load_der_x509_certificate(certificate).public_key()
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_sign_payload_rejects_other_key(
    worker: EKeyWorker, tokens: Tokens, printed: Printed
) -> None:
    worker.login(tokens.serials["verify-stranger"], PIN).result(timeout=30)
    try:
        clerk_fingerprint = fingerprint_sha256(tokens.certificates["verify-clerk"])
        with pytest.raises(NotLoggedIn):
            worker.sign_payload(b"payload", clerk_fingerprint).result(timeout=30)
    finally:
        worker.logout().result(timeout=30)
