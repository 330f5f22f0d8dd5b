"""Verdicts that need no printer or server: dates, revoked and foreign keys, bad input.

Payloads are signed with software EC keys certified by a demo CA, and the server's
status comes from a function that returns a fixed reply or raises a sync error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text

from fpcert_desktop.domain import qr_payload
from fpcert_desktop.domain.issuance import CertificateNumber
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.users import Role, User
from fpcert_desktop.ekey.softhsm import DemoCA
from fpcert_desktop.printing.printer import Printer
from fpcert_desktop.services.context import (
    ServiceContext,
    ServiceError,
    UserSession,
    Workstation,
)
from fpcert_desktop.services.verification import (
    Outcome,
    SigningKeyRegistry,
    StatusLookup,
    VerificationService,
)
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import AuditLog
from fpcert_desktop.sync import errors as sync_errors
from fpcert_desktop.sync.client import SigningKeyEntry, VerifyReply
from fpcert_desktop.sync.errors import SyncConnectionError

ID_NUMBER = "440304199003159805"
NUMBER = "440304004001-01-2026-000042"
NOW = dt.datetime.now(dt.timezone.utc)
TODAY = (NOW + dt.timedelta(hours=8)).date()


class Key:
    def __init__(self, authority: DemoCA, *, days_valid: tuple[int, int] = (-1, 30)) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        public = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        start, end = (NOW + dt.timedelta(days=days) for days in days_valid)
        self.certificate = authority.issue_certificate(public, "王小红", "测试", (start, end))

    def code(self, *, issued_on: dt.date = TODAY, valid_until: dt.date | None = None) -> str:
        fields = qr_payload.new_fields(
            CertificateNumber.parse(NUMBER),
            "child_medical_insurance",
            issued_on,
            valid_until,
            ID_NUMBER,
            self.certificate,
        )
        algorithm = qr_payload.SignatureAlgorithm.ECDSA_P256_SHA256
        data = qr_payload.bytes_to_sign(fields, algorithm)
        signature = qr_payload.signature_from_token(
            algorithm, self.key.sign(data, ec.ECDSA(hashes.SHA256()))
        )
        return qr_payload.SignedPayload(fields, algorithm, signature, data).text()


def _no_printer() -> Printer:
    raise AssertionError("verification never prints")


@pytest.fixture(scope="module")
def authority() -> DemoCA:
    return DemoCA()


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database(tmp_path / "partner.sqlite")
    database.upgrade()
    return database


@pytest.fixture
def session() -> UserSession:
    return UserSession(
        user=User(1, "示范小学招生办", Role.PARTNER, "440304", "ab" * 32),
        office=Office("440304", "福田区", OfficeLevel.DISTRICT),
        workstation=Workstation(code="P1"),
        token_serial="partner",
        fingerprint="ab" * 32,
        logged_in_at=NOW,
    )


def _service(database: Database, lookup: StatusLookup | None = None) -> VerificationService:
    context = ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code="P1"),
        printer_factory=_no_printer,
    )
    return VerificationService(context, lookup)


def _register(database: Database, authority: DemoCA, key: Key, *, revoked: bool = False) -> None:
    registry = SigningKeyRegistry(database)
    registry.trust_authority(authority.certificate_der)
    update = registry.store([SigningKeyEntry(key.certificate, "王小红", "440304004001", revoked)])
    assert update.stored == 1


def _reply(status: str) -> StatusLookup:
    def lookup(number: str) -> VerifyReply:
        return VerifyReply(number, status, "child_medical_insurance", TODAY, None, "440304004001")

    return lookup


def test_past_valid_until_is_expired(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority, days_valid=(-400, 30))
    _register(database, authority, key)
    code = key.code(
        issued_on=TODAY - dt.timedelta(days=200), valid_until=TODAY - dt.timedelta(days=1)
    )

    result = _service(database).verify(session, code)

    assert result.outcome is Outcome.GENUINE_EXPIRED
    assert not result.accepted


def test_server_expired_status_wins(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key)

    result = _service(database, _reply("expired")).verify(session, key.code())

    assert result.outcome is Outcome.GENUINE_EXPIRED
    assert result.server_status == "expired"


def test_server_unknown_number_stays_valid(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key)

    result = _service(database, _reply("unknown")).verify(session, key.code())

    assert result.outcome is Outcome.GENUINE_VALID
    assert "does not know this number" in result.notes[-1].english


def test_revoked_key_is_not_genuine(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key, revoked=True)

    result = _service(database).verify(session, key.code())

    assert result.outcome is Outcome.NOT_GENUINE
    assert "revoked" in result.notes[0].english


def test_issue_date_outside_key_validity(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority, days_valid=(-10, 30))
    _register(database, authority, key)

    result = _service(database).verify(session, key.code(issued_on=TODAY - dt.timedelta(days=60)))

    assert result.outcome is Outcome.NOT_GENUINE
    assert "outside the signing key's validity" in result.notes[0].english


def test_key_of_distrusted_ca_is_not_genuine(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key)
    code = key.code()
    # A registry row whose CA is no longer trusted: checked again at verification time.
    with database.write_session() as db:
        db.execute(text("DELETE FROM signing_authorities"))

    result = _service(database).verify(session, code)

    assert result.outcome is Outcome.NOT_GENUINE
    assert "city's certificate authority" in result.notes[0].english


def test_no_server_is_noted(database: Database, authority: DemoCA, session: UserSession) -> None:
    key = Key(authority)
    _register(database, authority, key)

    result = _service(database).verify(session, key.code())

    assert result.outcome is Outcome.GENUINE_VALID
    assert "No central server is configured" in result.notes[-1].english


def test_typed_number_without_server_is_rejected(database: Database, session: UserSession) -> None:
    with pytest.raises(ServiceError) as raised:
        _service(database).verify(session, NUMBER)

    assert raised.value.code == "no_server"
    message = raised.value.message.english
    assert "no central server is configured" in message
    assert "signature" not in message
    assert "(" not in message


def test_typed_number_with_server_down_is_rejected(
    database: Database, session: UserSession
) -> None:
    def down(_number: str) -> VerifyReply:
        raise SyncConnectionError(
            sync_errors.UNREACHABLE.format(url="http://127.0.0.1:9", attempts=1, error="refused"),
            code="unreachable",
        )

    with pytest.raises(ServiceError) as raised:
        _service(database, down).verify(session, NUMBER)

    assert raised.value.code == "server_unreachable"
    message = raised.value.message.english
    assert "could not be reached after 1 attempts" in message
    assert "signature" not in message


@pytest.mark.parametrize(
    ("scanned", "code"),
    [("", "empty"), ("   ", "empty"), ("hello", "unrecognised"), ("4403-01", "unrecognised")],
)
def test_bad_input_is_rejected(
    database: Database, session: UserSession, scanned: str, code: str
) -> None:
    with pytest.raises(ServiceError) as raised:
        _service(database).verify(session, scanned)

    assert raised.value.code == code


def test_invalid_id_number_is_rejected(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key)

    with pytest.raises(ServiceError) as raised:
        _service(database).verify(session, key.code(), "440304199003159806")

    assert raised.value.code == "invalid_id"


def test_unknown_version_is_not_checked(database: Database, session: UserSession) -> None:
    result = _service(database).verify(session, "FPC2:AAAAAAAA")

    assert result.outcome is Outcome.NOT_CHECKED
    assert not result.accepted


def test_version_zero_is_not_checked(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key)
    code = key.code()

    result = _service(database).verify(session, "FPC0:" + code[len("FPC1:") :])

    assert result.outcome is Outcome.NOT_CHECKED
    assert "Update" not in result.notes[0].english


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("cut_7", "incomplete"),
        ("cut_100", "incomplete"),
        ("prefix_only", "empty"),
        ("trailing_mark", "misread"),
        ("huge", "at most"),
    ],
)
def test_misread_code_is_unreadable(
    database: Database, authority: DemoCA, session: UserSession, damage: str, reason: str
) -> None:
    key = Key(authority)
    _register(database, authority, key)
    code = key.code()
    scanned = {
        "cut_7": code[:-7],
        "cut_100": code[:-100],
        "prefix_only": "FPC1:",
        "trailing_mark": code + "!",
        "huge": "FPC1:" + "A" * 100_000,
    }[damage]

    result = _service(database).verify(session, scanned, ID_NUMBER)

    assert result.outcome is Outcome.UNREADABLE
    assert result.headline.english == "Could not be read: scan again"
    assert reason in result.notes[0].english
    assert not result.accepted
    assert not result.payload_checked
    assert result.id_matches is None


def test_zero_width_space_is_ignored(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key)
    code = key.code()

    result = _service(database).verify(session, code[:50] + "\u200b" + code[50:] + "\ufeff")

    assert result.outcome is Outcome.GENUINE_VALID


def test_complete_altered_code_is_not_genuine(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key)
    code = key.code()
    altered = code[:-10] + ("B" if code[-10] != "B" else "C") + code[-9:]

    result = _service(database).verify(session, altered)

    assert result.outcome is Outcome.NOT_GENUINE
    assert "altered" in result.notes[0].english


def test_audit_never_has_full_id_number(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key)

    _service(database).verify(session, key.code(), ID_NUMBER)

    with database.session() as db:
        (event,) = [event for event in AuditLog(db).recent(10) if event.event == "verify"]
    assert event.subject == "440304********9805"
    assert ID_NUMBER not in repr(event)
    assert event.details["outcome"] == "genuine_valid"
    assert event.details["id_matches"] is True


def test_result_shows_masked_id_number(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    _register(database, authority, key)

    result = _service(database).verify(session, key.code(), ID_NUMBER)

    assert result.id_number_masked == "440304********9805"
    assert ID_NUMBER not in repr(result)


def test_clerk_of_other_office_is_noted(
    database: Database, authority: DemoCA, session: UserSession
) -> None:
    key = Key(authority)
    registry = SigningKeyRegistry(database)
    registry.trust_authority(authority.certificate_der)
    registry.store([SigningKeyEntry(key.certificate, "王小红", "440304005001", False)])

    result = _service(database).verify(session, key.code())

    assert result.outcome is Outcome.GENUINE_VALID
    assert "registered at another office (440304005001)" in result.notes[0].english
