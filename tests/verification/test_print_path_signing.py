"""The print path signs each new certificate's QR payload in the numbering transaction.

A software EC key replaces the e-key here, and the printer keeps the PDFs it gets,
so these tests need neither SoftHSM2 nor CUPS. The QR codes are still read back from
the rendered pages with pdftoppm and zbarimg.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text

from fpcert_desktop.domain import qr_payload
from fpcert_desktop.domain.history import CounterInput, OriginalDocument, OriginalsConfirmation
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.users import Role
from fpcert_desktop.ekey.certificates import fingerprint_sha256, verify_signature
from fpcert_desktop.ekey.errors import TokenError
from fpcert_desktop.ekey.softhsm import DemoCA
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.printing.errors import PrintFailed
from fpcert_desktop.printing.printer import PrintResult
from fpcert_desktop.services.context import (
    ServiceContext,
    ServiceError,
    UserSession,
    Workstation,
)
from fpcert_desktop.services.issuing import IssuingService
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import OfficeRepository, UserRepository
from fpcert_desktop.storage.repositories.signing_keys import stored_qr_payload
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from fpcert_desktop.synthetic.generator import generate

STREET = "440304004"
PURPOSE = "child_medical_insurance"
CHECKED = CounterInput(
    originals=OriginalsConfirmation((OriginalDocument.ID_CARD,), applicant_signed=True)
)
HOLDER = DEMO_PEOPLE[0]
_JAMMED = QT_TRANSLATE_NOOP("Tests", "paper jam")


class KeepingPrinter:
    """A printer that keeps each PDF, or fails while ``jammed`` is set."""

    name = "keeping"

    def __init__(self) -> None:
        self.pdfs: list[bytes] = []
        self.jammed = False

    def print_pdf(self, pdf: bytes, *, title: str, timeout: float = 60.0) -> PrintResult:
        if self.jammed:
            raise PrintFailed(_JAMMED.format())
        self.pdfs.append(pdf)
        return PrintResult(
            job_id=f"keeping-{len(self.pdfs)}",
            printer=self.name,
            completed_at=dt.datetime.now(dt.timezone.utc),
        )


class SoftwareKey:
    """An EC P-256 key with a demo CA certificate, signing as the token does (DER)."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        public = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        now = dt.datetime.now(dt.timezone.utc)
        self.certificate = DemoCA().issue_certificate(
            public, "王小红", "测试", (now - dt.timedelta(days=1), now + dt.timedelta(days=30))
        )

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


@pytest.fixture(scope="module")
def clerk_key() -> SoftwareKey:
    return SoftwareKey()


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database(tmp_path / "fpcert.sqlite")
    database.upgrade()
    generate(database, people=200)
    return database


@pytest.fixture
def session(database: Database, clerk_key: SoftwareKey) -> UserSession:
    fingerprint = fingerprint_sha256(clerk_key.certificate)
    with database.session() as db:
        office = OfficeRepository(db).children_of(STREET)[0]
        user = UserRepository(db).add(
            name="王小红", role=Role.CLERK, office_code=office.code, cert_fingerprint=fingerprint
        )
    return UserSession(
        user=user,
        office=office,
        workstation=Workstation(code="01"),
        token_serial="software",
        fingerprint=fingerprint,
        logged_in_at=dt.datetime.now(dt.timezone.utc),
        certificate_der=clerk_key.certificate,
    )


@pytest.fixture
def printer() -> KeepingPrinter:
    return KeepingPrinter()


@pytest.fixture
def service(database: Database, printer: KeepingPrinter) -> IssuingService:
    context = ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code="01"),
        printer_factory=lambda: printer,
    )
    return IssuingService(context)


def read_qr(pdf: bytes, folder: Path) -> str:
    for tool in ("pdftoppm", "zbarimg"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    path = folder / "page.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", str(path), str(folder / "page")],
        check=True,
        timeout=60,
    )
    completed = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(folder / "page.png")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return completed.stdout.strip()


def serials(database: Database) -> list[int]:
    with database.session() as db:
        return list(db.execute(text("SELECT serial FROM issuances ORDER BY serial")).scalars())


def test_printed_payload_is_stored_and_signed(
    service: IssuingService,
    session: UserSession,
    printer: KeepingPrinter,
    clerk_key: SoftwareKey,
    database: Database,
    tmp_path: Path,
) -> None:
    outcome = service.issue_and_print(
        session, HOLDER.person_id, PURPOSE, CHECKED, signer=clerk_key.sign
    )

    scanned = read_qr(printer.pdfs[-1], tmp_path)
    with database.session() as db:
        stored = stored_qr_payload(db, outcome.issuance.issuance_id)
    assert scanned == stored
    parsed = qr_payload.parse(scanned)
    assert parsed.fields.number == outcome.issuance.number
    assert parsed.fields.purpose_code == PURPOSE
    assert parsed.fields.valid_until == outcome.issuance.valid_until
    assert parsed.fields.key_id == qr_payload.key_id_for(clerk_key.certificate)
    assert parsed.fields.matches_id_number(HOLDER.id_number)
    verify_signature(
        clerk_key.certificate, parsed.signed_bytes, qr_payload.signature_as_der(parsed)
    )


def test_failed_signature_uses_no_number(
    service: IssuingService, session: UserSession, database: Database
) -> None:
    def pulled_key(_data: bytes) -> bytes:
        raise TokenError("DeviceRemoved")

    with pytest.raises(ServiceError) as raised:
        service.issue_and_print(session, HOLDER.person_id, PURPOSE, CHECKED, signer=pulled_key)

    assert raised.value.code == "sign_failed"
    assert serials(database) == []


def test_other_keys_signature_is_not_printed(
    service: IssuingService,
    session: UserSession,
    printer: KeepingPrinter,
    database: Database,
) -> None:
    other: Callable[[bytes], bytes] = SoftwareKey().sign

    with pytest.raises(ServiceError) as raised:
        service.issue_and_print(session, HOLDER.person_id, PURPOSE, CHECKED, signer=other)

    assert raised.value.code == "sign_failed"
    assert printer.pdfs == []
    assert serials(database) == []


def test_reprint_carries_the_same_payload(
    service: IssuingService,
    session: UserSession,
    printer: KeepingPrinter,
    clerk_key: SoftwareKey,
    tmp_path: Path,
) -> None:
    first = service.issue_and_print(
        session, HOLDER.person_id, PURPOSE, CHECKED, signer=clerk_key.sign
    )
    first_code = read_qr(printer.pdfs[-1], tmp_path)

    again = service.reprint(session, first.issuance.issuance_id, "卡纸")

    assert again.printed
    assert read_qr(printer.pdfs[-1], tmp_path) == first_code


def test_print_again_carries_the_payload(
    service: IssuingService,
    session: UserSession,
    printer: KeepingPrinter,
    clerk_key: SoftwareKey,
    database: Database,
    tmp_path: Path,
) -> None:
    printer.jammed = True
    failed = service.issue_and_print(
        session, HOLDER.person_id, PURPOSE, CHECKED, signer=clerk_key.sign
    )
    assert not failed.printed
    printer.jammed = False

    again = service.print_again(session, failed.issuance.issuance_id)

    assert again.printed
    with database.session() as db:
        stored = stored_qr_payload(db, failed.issuance.issuance_id)
    assert read_qr(printer.pdfs[-1], tmp_path) == stored
