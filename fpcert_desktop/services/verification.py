"""Verify a certificate for a partner unit: the QR signature offline, the status online.

The input is what a USB scanner types (the ``FPC1:`` text of the QR code) or a typed
certificate number. A scanned code is checked against the local registry of signing
keys, whose certificates must chain to a city CA stored in ``signing_authorities``. The
central server's ``GET /v1/verify/{number}`` then gives the current status (voided,
expired) when it can be reached. A typed number without a code gets the server's status
only, and the result says so.

What a result shows: the certificate number, the purpose, the issue and valid-until
dates, the issuing office, the name of the clerk whose key signed it, and whether the ID
number typed from the presented ID card matches. It never shows the applicant's name,
ID number or address, because the payload does not carry them and the partner unit
compares the paper with the ID card itself. The audit records the masked ID
number only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from fpcert_desktop.domain.clock import china_date, utc_now
from fpcert_desktop.domain.idnumber import InvalidIdNumber, parse_id_number
from fpcert_desktop.domain.issuance import CertificateNumber
from fpcert_desktop.domain.qr_payload import (
    PayloadError,
    PayloadProblem,
    SignedPayload,
    clean_text,
    key_id_for,
    parse,
    signature_as_der,
)
from fpcert_desktop.ekey.certificates import (
    allows_digital_signature,
    fingerprint_sha256,
    subject_common_name,
    verify_signature,
)
from fpcert_desktop.ekey.errors import SignatureInvalid
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.services import audit
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import OfficeRepository
from fpcert_desktop.storage.repositories.signing_keys import SigningKey, SigningKeyRepository
from fpcert_desktop.sync.client import SigningKeyEntry, SyncClient, VerifyReply
from fpcert_desktop.sync.errors import SyncError

log = logging.getLogger(__name__)

StatusLookup = Callable[[str], VerifyReply]


class Outcome(str, Enum):
    """The verdict, from the partner unit's point of view."""

    GENUINE_VALID = "genuine_valid"
    GENUINE_VOIDED = "genuine_voided"
    GENUINE_EXPIRED = "genuine_expired"
    NOT_GENUINE = "not_genuine"
    UNREADABLE = "unreadable"
    NOT_CHECKED = "not_checked"
    SERVER_ONLY = "server_only"


_HEADLINES = {
    Outcome.GENUINE_VALID: QT_TRANSLATE_NOOP("Verification", "Genuine and valid"),
    Outcome.GENUINE_VOIDED: QT_TRANSLATE_NOOP(
        "Verification", "Genuine, but VOIDED: do not accept it"
    ),
    Outcome.GENUINE_EXPIRED: QT_TRANSLATE_NOOP(
        "Verification", "Genuine, but EXPIRED: do not accept it"
    ),
    Outcome.NOT_GENUINE: QT_TRANSLATE_NOOP("Verification", "NOT GENUINE: do not accept it"),
    Outcome.UNREADABLE: QT_TRANSLATE_NOOP("Verification", "Could not be read: scan again"),
    Outcome.NOT_CHECKED: QT_TRANSLATE_NOOP("Verification", "Could not be checked"),
    Outcome.SERVER_ONLY: QT_TRANSLATE_NOOP(
        "Verification", "Server status only (no QR code checked): {status}"
    ),
}

_SERVER_STATUS = {
    "valid": QT_TRANSLATE_NOOP("Verification", "valid"),
    "voided": QT_TRANSLATE_NOOP("Verification", "voided"),
    "expired": QT_TRANSLATE_NOOP("Verification", "expired"),
    "unknown": QT_TRANSLATE_NOOP("Verification", "not known to the server"),
}

_EMPTY_INPUT = QT_TRANSLATE_NOOP(
    "Verification",
    "Scan the QR code on the certificate, or type its number (such as "
    "440304001003-01-2026-000042).",
)
_NEITHER = QT_TRANSLATE_NOOP(
    "Verification",
    "The input is neither a verification code nor a certificate number. Scan the QR code "
    "again, or type the number printed at the top right of the certificate.",
)
_BAD_ID = QT_TRANSLATE_NOOP(
    "Verification", "The ID number typed from the ID card is invalid: {reason}"
)
_UNKNOWN_KEY = QT_TRANSLATE_NOOP(
    "Verification",
    "The code was signed with a key that is not in this computer's registry of clerks' "
    "keys. Synchronize and scan again; if it stays unknown, the certificate is forged.",
)
_NOT_FROM_CITY_CA = QT_TRANSLATE_NOOP(
    "Verification",
    "The signing key's certificate was not issued by the city's certificate authority.",
)
_BAD_SIGNATURE = QT_TRANSLATE_NOOP(
    "Verification",
    "The signature does not match the code's content, so the code was altered.",
)
_KEY_REVOKED = QT_TRANSLATE_NOOP(
    "Verification",
    "The signing key was revoked. Ask the issuing office whether the certificate stands.",
)
_SIGNED_OUTSIDE_VALIDITY = QT_TRANSLATE_NOOP(
    "Verification",
    "The issue date {issued_on} lies outside the signing key's validity ({start} to {end}).",
)
_OTHER_OFFICE = QT_TRANSLATE_NOOP(
    "Verification",
    "The signing clerk is registered at another office ({office}) now. A clerk who moved "
    "keeps the certificates signed before; if in doubt, ask the issuing office.",
)
_PAST_VALID_UNTIL = QT_TRANSLATE_NOOP(
    "Verification", "The certificate was valid until {valid_until}."
)
_SERVER_VOIDED = QT_TRANSLATE_NOOP(
    "Verification", "The central server reports that the certificate was voided."
)
_SERVER_EXPIRED = QT_TRANSLATE_NOOP(
    "Verification", "The central server reports that the certificate has expired."
)
_SERVER_UNKNOWN = QT_TRANSLATE_NOOP(
    "Verification",
    "The central server does not know this number yet: the issuing office may not have "
    "synchronized since printing it.",
)
_SERVER_DIFFERS = QT_TRANSLATE_NOOP(
    "Verification",
    "The central server's record differs from the signed code ({field}). Ask the issuing office.",
)
_FIELD_PURPOSE = QT_TRANSLATE_NOOP("Verification", "purpose")
_FIELD_ISSUE_DATE = QT_TRANSLATE_NOOP("Verification", "issue date")
_FIELD_OFFICE = QT_TRANSLATE_NOOP("Verification", "issuing office")
_SERVER_UNREACHABLE = QT_TRANSLATE_NOOP(
    "Verification",
    "The current status could not be checked with the central server. {error} The "
    "signature was checked offline, but a certificate voided since printing would not show.",
)
_NO_SERVER = QT_TRANSLATE_NOOP(
    "Verification",
    "No central server is configured, so the current status (voided or not) was not "
    "checked. The signature was checked offline.",
)
_NUMBER_WITHOUT_SERVER = QT_TRANSLATE_NOOP(
    "Verification",
    "A typed number can only be checked with the central server, and no central server is "
    "configured on this computer. Scan the QR code instead, or ask IT to set server_url.",
)
_SERVER_ONLY_NOTE = QT_TRANSLATE_NOOP(
    "Verification",
    "Only the number was checked, not the paper: a forged copy with a real number would "
    "pass. Scan the QR code to check the certificate itself.",
)
_SERVER_NEEDED = QT_TRANSLATE_NOOP(
    "Verification",
    "A typed number can only be checked with the central server, which could not be "
    "reached. {error} Scan the QR code instead, or try again later.",
)
_ID_MATCHES = QT_TRANSLATE_NOOP("Verification", "The ID number matches the certificate's holder.")
_ID_DIFFERS = QT_TRANSLATE_NOOP(
    "Verification",
    "The ID number does NOT match: this certificate was issued to someone else.",
)


@dataclass(frozen=True)
class Verification:
    """One verification's result; ``id_matches`` is None when no ID number was typed.

    ``id_number_masked`` is the compared ID number with only its first 6 and last 4
    characters shown, so a cleared ID field still shows whose number was checked.
    """

    outcome: Outcome
    headline: Message
    notes: tuple[Message, ...]
    number: str | None = None
    purpose_name: str | None = None
    issued_on: date | None = None
    valid_until: date | None = None
    office_name: str | None = None
    signer_name: str | None = None
    server_status: str | None = None
    id_matches: bool | None = None
    id_number_masked: str | None = None

    @property
    def payload_checked(self) -> bool:
        """True when a scanned code was read, whatever the verdict."""
        return self.outcome not in (Outcome.SERVER_ONLY, Outcome.NOT_CHECKED, Outcome.UNREADABLE)

    @property
    def accepted(self) -> bool:
        """True only for a genuine, valid certificate whose ID number, if typed, matches."""
        return self.outcome is Outcome.GENUINE_VALID and self.id_matches is not False


@dataclass(frozen=True)
class RegistryUpdate:
    stored: int
    rejected: int


def chains_to(certificate_der: bytes, authorities: Iterable[bytes]) -> bool:
    """Return True when a CA in ``authorities`` signed the certificate directly.

    The CA must be marked as a CA and the certificate must allow digital signatures.
    """
    try:
        certificate = x509.load_der_x509_certificate(certificate_der)
        if not allows_digital_signature(certificate_der):
            return False
    except ValueError:
        return False
    for authority_der in authorities:
        try:
            authority = x509.load_der_x509_certificate(authority_der)
            constraints = authority.extensions.get_extension_for_class(x509.BasicConstraints)
            if not constraints.value.ca:
                continue
            certificate.verify_directly_issued_by(authority)
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            continue
        return True
    return False


class SigningKeyRegistry:
    """The local registry of clerks' signing keys and the city CAs they must chain to."""

    def __init__(self, database: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._database = database
        self._clock = clock

    def trust_authority(self, certificate_der: bytes) -> None:
        """Trust a city CA certificate for checking signing certificates.

        The caller checks the certificate first: ``fpcert-desktop trust-ca`` compares it
        with the published fingerprint, and the demo trusts its own CA. A CA never comes
        from the server's key list.
        """
        name = subject_common_name(certificate_der) or ""
        with self._database.write_session() as db:
            SigningKeyRepository(db).add_authority(
                fingerprint_sha256(certificate_der), certificate_der, name, self._clock()
            )

    def authorities(self) -> list[bytes]:
        """Return the DER certificates of the trusted city CAs."""
        with self._database.session() as db:
            return SigningKeyRepository(db).authorities()

    def key_count(self) -> int:
        with self._database.session() as db:
            return len(SigningKeyRepository(db).all())

    def store(self, entries: Iterable[SigningKeyEntry]) -> RegistryUpdate:
        """Store the keys that chain to a trusted CA; skip and log the others.

        The validity dates come from the certificate itself, not from the server's list.
        """
        stored = rejected = 0
        now = self._clock()
        with self._database.write_session() as db:
            repository = SigningKeyRepository(db)
            authorities = repository.authorities()
            for entry in entries:
                if not chains_to(entry.certificate_der, authorities):
                    log.warning(
                        "signing key %s of %s does not chain to a trusted CA; not stored",
                        key_id_for(entry.certificate_der).hex(),
                        entry.office_code,
                    )
                    rejected += 1
                    continue
                certificate = x509.load_der_x509_certificate(entry.certificate_der)
                repository.put(
                    SigningKey(
                        key_id=key_id_for(entry.certificate_der).hex(),
                        fingerprint=fingerprint_sha256(entry.certificate_der),
                        certificate_der=entry.certificate_der,
                        holder_name=entry.holder_name,
                        office_code=entry.office_code,
                        not_before=certificate.not_valid_before_utc,
                        not_after=certificate.not_valid_after_utc,
                        revoked=entry.revoked,
                    ),
                    now,
                )
                stored += 1
        log.info("signing key registry: %d stored, %d rejected", stored, rejected)
        return RegistryUpdate(stored, rejected)


def refresh_signing_keys(context: ServiceContext, client: SyncClient) -> RegistryUpdate | None:
    """Fetch the server's signing keys into the registry; returns None when that failed.

    A failure is logged and not raised, so that a sync or a verification goes on with the
    keys fetched before.
    """
    try:
        entries = client.signing_keys()
    except SyncError as error:
        log.warning("fetching the signing keys failed: %s (%s)", error.message.english, error.code)
        return None
    return SigningKeyRegistry(context.database, context.clock).store(entries)


class VerificationService:
    """Check scanned codes and typed numbers; ``status_lookup`` is None without a server."""

    def __init__(self, context: ServiceContext, status_lookup: StatusLookup | None) -> None:
        self._context = context
        self._status_lookup = status_lookup

    def verify(self, session: UserSession, scanned: str, id_number: str = "") -> Verification:
        """Verify ``scanned`` (a code or a number) and compare ``id_number`` when given.

        Raises :class:`ServiceError` for empty input, input that is neither a code nor a
        number, and an invalid ID number. A code that was cut off or misread gets the
        UNREADABLE outcome, and only a complete code that fails a check is NOT_GENUINE.
        """
        text = clean_text(scanned)
        if not text:
            raise ServiceError(_EMPTY_INPUT.format(), code="empty")
        typed_id = self._checked_id_number(id_number)

        try:
            payload = parse(text)
        except PayloadError as error:
            if error.problem is PayloadProblem.NOT_A_PAYLOAD:
                result = self._verify_number(text)
            elif error.is_read_problem:
                result = _without_verdict(Outcome.UNREADABLE, error.message)
            elif error.problem in (PayloadProblem.UNKNOWN_VERSION, PayloadProblem.NO_SUCH_VERSION):
                result = _without_verdict(Outcome.NOT_CHECKED, error.message)
            else:
                result = _not_genuine(None, [error.message])
        else:
            result = self._verify_payload(payload, typed_id)

        self._audit(session, result, typed_id)
        return result

    def _checked_id_number(self, id_number: str) -> str | None:
        if not id_number.strip():
            return None
        try:
            return parse_id_number(id_number, today=china_date(self._context.clock())).value
        except InvalidIdNumber as error:
            raise ServiceError(_BAD_ID.format(reason=error.message), code="invalid_id") from None

    def _verify_number(self, text: str) -> Verification:
        try:
            number = str(CertificateNumber.parse(text))
        except ValueError:
            raise ServiceError(_NEITHER.format(), code="unrecognised") from None
        if self._status_lookup is None:
            raise ServiceError(_NUMBER_WITHOUT_SERVER.format(), code="no_server")
        try:
            reply = self._status_lookup(number)
        except SyncError as error:
            raise ServiceError(
                _SERVER_NEEDED.format(error=error.message), code="server_unreachable"
            ) from error
        status = _SERVER_STATUS[reply.status]
        return Verification(
            Outcome.SERVER_ONLY,
            _HEADLINES[Outcome.SERVER_ONLY].format(status=status),
            (_SERVER_ONLY_NOTE.format(),),
            number=number,
            purpose_name=self._purpose_name(reply.purpose_code),
            issued_on=reply.issued_on,
            valid_until=reply.valid_until,
            office_name=self._office_name(reply.office_code),
            server_status=reply.status,
        )

    def _verify_payload(self, payload: SignedPayload, typed_id: str | None) -> Verification:
        fields = payload.fields
        with self._context.database.session() as db:
            repository = SigningKeyRepository(db)
            key = repository.get(fields.key_id.hex())
            authorities = repository.authorities()

        problems = self._signature_problems(payload, key, authorities)
        if problems:
            return _not_genuine(str(fields.number), problems)
        assert key is not None

        notes: list[Message] = []
        outcome = Outcome.GENUINE_VALID
        # The issuing path numbers with the clerk's own office, so a difference means the
        # registry lists the clerk's current office after a move.
        if key.office_code != fields.office_code:
            notes.append(_OTHER_OFFICE.format(office=self._office_name(key.office_code)))
        today = china_date(self._context.clock())
        if fields.valid_until is not None and fields.valid_until < today:
            outcome = Outcome.GENUINE_EXPIRED
            notes.append(_PAST_VALID_UNTIL.format(valid_until=fields.valid_until.isoformat()))

        server_status = None
        if self._status_lookup is None:
            notes.append(_NO_SERVER.format())
        else:
            try:
                reply = self._status_lookup(str(fields.number))
            except SyncError as error:
                log.info("status of %s not checked: %s", fields.number, error.code)
                notes.append(_SERVER_UNREACHABLE.format(error=error.message))
            else:
                server_status = reply.status
                outcome = _with_server_status(outcome, reply, payload, notes)

        id_matches = None
        id_number_masked = None
        if typed_id is not None:
            id_matches = fields.matches_id_number(typed_id)
            id_number_masked = parse_id_number(typed_id).masked
            notes.insert(0, _ID_MATCHES.format() if id_matches else _ID_DIFFERS.format())

        return Verification(
            outcome,
            _HEADLINES[outcome].format(),
            tuple(notes),
            number=str(fields.number),
            purpose_name=self._purpose_name(fields.purpose_code),
            issued_on=fields.issued_on,
            valid_until=fields.valid_until,
            office_name=self._office_name(fields.office_code),
            signer_name=key.holder_name,
            server_status=server_status,
            id_matches=id_matches,
            id_number_masked=id_number_masked,
        )

    def _signature_problems(
        self, payload: SignedPayload, key: SigningKey | None, authorities: Sequence[bytes]
    ) -> list[Message]:
        if key is None:
            return [_UNKNOWN_KEY.format()]
        if key_id_for(key.certificate_der) != payload.fields.key_id:
            return [_UNKNOWN_KEY.format()]
        if not chains_to(key.certificate_der, authorities):
            return [_NOT_FROM_CITY_CA.format()]
        try:
            verify_signature(key.certificate_der, payload.signed_bytes, signature_as_der(payload))
        except (SignatureInvalid, ValueError):
            return [_BAD_SIGNATURE.format()]
        problems = []
        if key.revoked:
            problems.append(_KEY_REVOKED.format())
        start, end = china_date(key.not_before), china_date(key.not_after)
        if not start <= payload.fields.issued_on <= end:
            problems.append(
                _SIGNED_OUTSIDE_VALIDITY.format(
                    issued_on=payload.fields.issued_on.isoformat(),
                    start=start.isoformat(),
                    end=end.isoformat(),
                )
            )
        return problems

    def _purpose_name(self, code: str | None) -> str | None:
        if code is None:
            return None
        try:
            return self._context.policy.purpose(code).name
        except KeyError:
            return code

    def _office_name(self, code: str | None) -> str | None:
        if code is None:
            return None
        with self._context.database.session() as db:
            office = OfficeRepository(db).get(code)
        return office.name if office is not None else code

    def _audit(self, session: UserSession, result: Verification, typed_id: str | None) -> None:
        subject = parse_id_number(typed_id).masked if typed_id else ""
        # NOTE: the partner unit's window has no sync action. On its workstation these
        # events therefore wait in the outbox until a clerk synchronizes there.
        with self._context.database.write_session() as db:
            audit.record(
                db,
                "verify",
                workstation=self._context.workstation,
                user=session,
                subject=subject,
                number=result.number or "",
                outcome=result.outcome.value,
                server_status=result.server_status or "",
                id_matches=result.id_matches,
            )


def _with_server_status(
    outcome: Outcome, reply: VerifyReply, payload: SignedPayload, notes: list[Message]
) -> Outcome:
    """Combine the offline verdict with the server's status and note any difference."""
    fields = payload.fields
    if reply.status == "voided":
        notes.append(_SERVER_VOIDED.format())
        return Outcome.GENUINE_VOIDED
    if reply.status == "unknown":
        notes.append(_SERVER_UNKNOWN.format())
        return outcome
    for field, signed, served in (
        (_FIELD_PURPOSE, fields.purpose_code, reply.purpose_code),
        (_FIELD_ISSUE_DATE, fields.issued_on, reply.issued_on),
        (_FIELD_OFFICE, fields.office_code, reply.office_code),
    ):
        if served is not None and served != signed:
            notes.append(_SERVER_DIFFERS.format(field=field))
    if reply.status == "expired" and outcome is Outcome.GENUINE_VALID:
        notes.append(_SERVER_EXPIRED.format())
        return Outcome.GENUINE_EXPIRED
    return outcome


def _without_verdict(outcome: Outcome, reason: Message) -> Verification:
    return Verification(outcome, _HEADLINES[outcome].format(), (reason,))


def _not_genuine(number: str | None, problems: list[Message]) -> Verification:
    return Verification(
        Outcome.NOT_GENUINE, _HEADLINES[Outcome.NOT_GENUINE].format(), tuple(problems), number
    )
