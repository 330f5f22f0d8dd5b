"""Decide, number, render and print a certificate, and keep the issuance record true.

The number is allocated in the same transaction as the issuance record, before printing,
and the record stays "not printed" until the printer confirms the job. A failed print
therefore leaves a numbered record that the clerk prints again under the same number:
no number is lost and none is used twice. A voided number stays voided and is never
allocated again, because serials only move forward.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NoReturn

from sqlalchemy.orm import Session

from fpcert_desktop.domain import qr_payload
from fpcert_desktop.domain.certificate import CertificateContent
from fpcert_desktop.domain.clock import china_date
from fpcert_desktop.domain.eligibility import Decision, decide
from fpcert_desktop.domain.history import CounterInput
from fpcert_desktop.domain.idnumber import parse_id_number
from fpcert_desktop.domain.issuance import Issuance, IssuanceStatus
from fpcert_desktop.domain.people import Person
from fpcert_desktop.ekey.certificates import verify_signature
from fpcert_desktop.ekey.errors import EKeyError
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message, current_language
from fpcert_desktop.printing.errors import PrintingError
from fpcert_desktop.printing.layout import render_certificate
from fpcert_desktop.printing.printer import Printer, PrintResult
from fpcert_desktop.services import audit
from fpcert_desktop.services.content import build_content
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.storage.repositories import (
    IssuanceRepository,
    OutboxRepository,
    PeopleRepository,
    SyncStateRepository,
    history_for,
)
from fpcert_desktop.storage.repositories.signing_keys import store_qr_payload, stored_qr_payload
from fpcert_desktop.sync.outbox import issuance_item, reprint_item, void_item

log = logging.getLogger(__name__)

# Signs bytes with the logged-in clerk's e-key and returns the token's signature (ECDSA
# as DER), e.g. ``lambda data: worker.sign_payload(data, fingerprint).result(30)``.
PayloadSigner = Callable[[bytes], bytes]

PRINT_TIMEOUT_SECONDS = 90.0
MAX_REASON_LENGTH = 200

_REFUSED = QT_TRANSLATE_NOOP("Issuing", "This certificate may not be printed: {reasons}")
_NOT_READY = QT_TRANSLATE_NOOP("Issuing", "Record these before printing: {requirements}")
_UNKNOWN_PURPOSE = QT_TRANSLATE_NOOP(
    "Issuing", "The purpose {code} is not in the policy in force. Choose it again from the list."
)
_PERSON_GONE = QT_TRANSLATE_NOOP("Issuing", "The record was not found any more. Search again.")
_NOT_REPRINTABLE = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} is {status}; only a certificate that did not print can be printed "
    "again here.",
)
_NOT_PRINTED_YET = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} is {status}, so there is nothing to reprint. Use Print again for "
    "a certificate that did not print.",
)
_ALREADY_VOIDED = QT_TRANSLATE_NOOP(
    "Issuing", "Certificate {number} was voided already; a voided number is never used again."
)
_REASON_MISSING = QT_TRANSLATE_NOOP(
    "Issuing",
    "Type the reason (at most {limit} characters); it is kept in the audit trail.",
)
_ISSUANCE_GONE = QT_TRANSLATE_NOOP(
    "Issuing", "The certificate's record was not found. Refresh the list and choose it again."
)
_PRINTED = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} was printed on {printer}. Stamp it with the office's seal "
    "(计划生育证明专用章) in the empty square before handing it over.",
)
_REPRINTED = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} was printed again on {printer}. Destroy the spoiled copy and "
    "stamp the new one with the office's seal.",
)
_PRINT_FAILED = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} did not print: {error} The record is kept as not printed; "
    "fix the printer and print it again from today's list under the same number.",
)
_REPRINT_FAILED = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} did not print again: {error} Fix the printer and reprint it "
    "from today's list.",
)
_JOB_STILL_QUEUED = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} is still waiting in the queue of printer {printer} as job {job}, "
    "so printing it again now would make a second copy. Fix the printer and let the job "
    "print, or have IT cancel job {job}, then print again.",
)
_PRINTED_LATE = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} was printed after all, by the earlier job {job}; no second copy "
    "was printed. Take it from the printer and stamp it with the office's seal.",
)
_VOIDED = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} is voided. Its number is never used again; destroy any printed copy.",
)
_WRONG_CLERK = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} belongs to another office or workstation and cannot be changed here.",
)
_NEVER_SYNCED = QT_TRANSLATE_NOOP(
    "Issuing",
    "The population data has never been synchronized with the central server, so no "
    "certificate may be printed. Synchronize now (or ask IT to), then print again.",
)
_SIGN_FAILED = QT_TRANSLATE_NOOP(
    "Issuing",
    "The e-key could not sign the certificate's QR code ({error}), so nothing was printed "
    "and no number was used. Check that your e-key is plugged in, then print again.",
)
_DATA_TOO_OLD = QT_TRANSLATE_NOOP(
    "Issuing",
    "The population data was last synchronized on {as_of}, more than {days} days ago, so "
    "no certificate may be printed. Synchronize now (or ask IT to), then print again.",
)


@dataclass(frozen=True)
class Preview:
    decision: Decision
    content: CertificateContent
    pdf: bytes


@dataclass(frozen=True)
class PrintOutcome:
    """The issuance after the attempt; ``printed`` is True only when the job completed."""

    issuance: Issuance
    printed: bool
    message: Message
    pdf: bytes


@dataclass(frozen=True)
class IssuanceLine:
    """One row of a list of issuances: the issuance and the applicant's name."""

    issuance: Issuance
    applicant_name: str
    purpose_name: str


class IssuingService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def decide(
        self,
        session: UserSession,
        person_id: int,
        purpose_code: str,
        counter: CounterInput | None = None,
    ) -> Decision:
        """Decide with the applicant's history and what the clerk recorded so far."""
        return self._decide(session, self._load_person(person_id), purpose_code, counter)

    def preview(
        self,
        session: UserSession,
        person_id: int,
        purpose_code: str,
        counter: CounterInput | None = None,
    ) -> Preview:
        """Decide and render without a number; the glyph check runs here already.

        A refused certificate is not rendered: a page that looks issued must not exist
        for it. Each preview is audited, because it shows the applicant's data.
        """
        person = self._load_person(person_id)
        decision = self._decide(session, person, purpose_code, counter)
        if not decision.allowed:
            self._refuse(session, person, decision)
        with self._context.database.write_session() as db:
            audit.record(
                db,
                "preview",
                workstation=session.workstation,
                user=session,
                subject=_masked(person.id_number),
                purpose=decision.purpose.code,
            )
        content = build_content(
            person,
            decision.purpose,
            self._context.policy,
            session.office,
            issued_on=self._today(),
        )
        return Preview(decision=decision, content=content, pdf=render_certificate(content))

    def issue_and_print(
        self,
        session: UserSession,
        person_id: int,
        purpose_code: str,
        counter: CounterInput | None = None,
        signer: PayloadSigner | None = None,
    ) -> PrintOutcome:
        """Decide again, allocate the number with the record, render, print, confirm.

        ``signer`` signs the QR payload with the clerk's e-key (see :func:`sign_qr_payload`)
        in the transaction that allocates the number, so a failed signature uses no
        number. Without a signer the certificate prints with an empty QR square.
        """
        counter = counter or CounterInput()
        self._check_data_age()
        person = self._load_person(person_id)
        decision = self._decide(session, person, purpose_code, counter)
        if not decision.allowed:
            self._refuse(session, person, decision)
        if decision.requirements:
            codes = ",".join(requirement.code for requirement in decision.requirements)
            raise ServiceError(
                _NOT_READY.format(requirements=_joined(r.message for r in decision.requirements)),
                code=f"requirement:{codes}",
            )
        issued_on = self._today()
        draft = build_content(
            person, decision.purpose, self._context.policy, session.office, issued_on=issued_on
        )
        # Both checks run before a number is used: a missing glyph or no printer at all
        # must not leave a numbered record behind.
        render_certificate(draft)
        printer = self._context.printer_factory()
        retention, dispose_after = self._context.policy.retention_for(decision.purpose, issued_on)

        with self._context.database.write_session() as db:
            issuance = IssuanceRepository(db).create_with_number(
                office_code=session.office.code,
                workstation=session.workstation.code,
                year=issued_on.year,
                person_id=person.person_id,
                purpose_code=decision.purpose.code,
                user_id=session.user.user_id,
                issued_at=self._context.clock(),
                valid_until=decision.purpose.valid_until(issued_on),
                policy_version=decision.policy_version,
                content_json=json.dumps(draft.to_json_dict(), ensure_ascii=False),
                originals=counter.originals,
                check_certificate=counter.check_certificate,
                retention=retention.value,
                dispose_after=dispose_after,
            )
            payload_text = None
            if signer is not None:
                payload_text = sign_qr_payload(
                    signer, session, issuance, person.id_number, issued_on
                )
                store_qr_payload(db, issuance.issuance_id, payload_text)
            audit.record(
                db,
                "issue",
                workstation=session.workstation,
                user=session,
                subject=_masked(person.id_number),
                number=str(issuance.number),
                purpose=decision.purpose.code,
                policy_version=decision.policy_version,
                check_certificate=counter.check_certificate is not None,
            )
        log.info("allocated certificate %s", issuance.number)
        content = dataclasses.replace(draft, number=str(issuance.number), qr_payload=payload_text)
        return self._print_new(session, issuance, content, printer)

    def print_again(self, session: UserSession, issuance_id: str) -> PrintOutcome:
        """Print a certificate that did not print, under its own number and content."""
        issuance, content = self._stored(session, issuance_id)
        if issuance.status is not IssuanceStatus.NOT_PRINTED:
            raise ServiceError(
                _NOT_REPRINTABLE.format(number=str(issuance.number), status=issuance.status.label),
                code="not_reprintable",
            )
        printer = self._context.printer_factory()
        late = self._pending_job_outcome(session, issuance, content, printer)
        if late is not None:
            return late
        return self._print_new(session, issuance, content, printer)

    def _pending_job_outcome(
        self,
        session: UserSession,
        issuance: Issuance,
        content: CertificateContent,
        printer: Printer,
    ) -> PrintOutcome | None:
        """Ask the printer about the job an earlier attempt left in the queue.

        When that job has printed after all, record it and return the outcome, so no
        second copy is made. While it still waits, raise. When it failed, return None,
        because printing again is then safe.
        """
        job = issuance.print_job
        check_job = getattr(printer, "check_job", None)
        if job is None or check_job is None:
            return None
        number = str(issuance.number)
        try:
            result = check_job(job)
        except PrintingError as error:
            log.info("earlier job %s of certificate %s did not print: %s", job, number, error)
            return None
        if result is None:
            raise ServiceError(
                _JOB_STILL_QUEUED.format(number=number, job=job, printer=printer.name),
                code="job_still_queued",
            )
        with self._context.database.write_session() as db:
            repository = IssuanceRepository(db)
            printed = repository.mark_printed(
                issuance.issuance_id, result.printer, job, result.completed_at
            )
            OutboxRepository(db).add(
                "issuances", issuance_item(printed, content.applicant_id_number)
            )
            audit.record(
                db,
                "print",
                workstation=session.workstation,
                user=session,
                subject=_masked(content.applicant_id_number),
                number=number,
                printer=result.printer,
                job=job,
                late=True,
            )
            updated = repository.get(issuance.issuance_id)
        assert updated is not None
        message = _PRINTED_LATE.format(number=number, job=job)
        return PrintOutcome(issuance=updated, printed=True, message=message, pdf=b"")

    def reprint(self, session: UserSession, issuance_id: str, reason: str) -> PrintOutcome:
        """Print a printed certificate again (补打), after a jam, under the same number."""
        reason = _checked_reason(reason)
        issuance, content = self._stored(session, issuance_id)
        if issuance.status is not IssuanceStatus.PRINTED:
            raise ServiceError(
                _NOT_PRINTED_YET.format(number=str(issuance.number), status=issuance.status.label),
                code="not_printed",
            )

        printer = self._context.printer_factory()
        pdf = render_certificate(content)
        number = str(issuance.number)
        result = self._send(printer, pdf, number)

        with self._context.database.write_session() as db:
            repository = IssuanceRepository(db)
            if isinstance(result, PrintingError):
                event, message = (
                    "reprint_failed",
                    _REPRINT_FAILED.format(number=number, error=result.message),
                )
            else:
                reprinted_at = self._context.clock()
                repository.record_reprint(issuance_id, reason=reason, at=reprinted_at)
                OutboxRepository(db).add(
                    "reprints", reprint_item(number, reason, reprinted_at, session.user.user_id)
                )
                event, message = "reprint", _REPRINTED.format(number=number, printer=result.printer)
            audit.record(
                db,
                event,
                workstation=session.workstation,
                user=session,
                subject=_masked(content.applicant_id_number),
                number=number,
                reason=reason,
                printer=printer.name,
            )
            updated = repository.get(issuance_id)

        assert updated is not None
        printed = not isinstance(result, PrintingError)
        return PrintOutcome(issuance=updated, printed=printed, message=message, pdf=pdf)

    def void(self, session: UserSession, issuance_id: str, reason: str) -> PrintOutcome:
        """Void a certificate (作废) with a reason; its number is never used again."""
        reason = _checked_reason(reason)
        issuance, content = self._stored(session, issuance_id)
        number = str(issuance.number)
        if issuance.status is IssuanceStatus.VOIDED:
            raise ServiceError(_ALREADY_VOIDED.format(number=number), code="already_voided")
        with self._context.database.write_session() as db:
            repository = IssuanceRepository(db)
            voided_at = self._context.clock()
            voided = repository.void(
                issuance_id, user_id=session.user.user_id, reason=reason, at=voided_at
            )
            outbox = OutboxRepository(db)
            if issuance.status is IssuanceStatus.NOT_PRINTED:
                # Never pushed yet: the server learns the number first, as voided.
                outbox.add("issuances", issuance_item(voided, content.applicant_id_number))
            outbox.add("voids", void_item(number, reason, voided_at, session.user.user_id))
            audit.record(
                db,
                "void",
                workstation=session.workstation,
                user=session,
                subject=_masked(content.applicant_id_number),
                number=number,
                reason=reason,
                previous_status=issuance.status.value,
            )
            updated = repository.get(issuance_id)
        assert updated is not None
        log.info("certificate %s voided", number)
        return PrintOutcome(
            issuance=updated, printed=False, message=_VOIDED.format(number=number), pdf=b""
        )

    def todays_issuances(self, session: UserSession, day: date | None = None) -> list[IssuanceLine]:
        day = day or self._today()
        with self._context.database.session() as db:
            issuances = IssuanceRepository(db).list_for_day(
                session.office.code, session.workstation.code, day
            )
            return self._lines(db, issuances)

    def due_for_disposal(self, session: UserSession, on: date | None = None) -> list[IssuanceLine]:
        """List this office's issuances whose archived materials may be disposed of by ``on``."""
        on = on or self._today()
        with self._context.database.session() as db:
            issuances = IssuanceRepository(db).due_for_disposal(on, session.office.code)
            return self._lines(db, issuances)

    def _lines(self, db: Session, issuances: list[Issuance]) -> list[IssuanceLine]:
        people = PeopleRepository(db)
        lines = []
        for issuance in issuances:
            person = people.get(issuance.person_id)
            purpose = self._context.policy.purpose(issuance.purpose_code)
            lines.append(
                IssuanceLine(
                    issuance=issuance,
                    applicant_name=person.name if person else "",
                    purpose_name=purpose.name,
                )
            )
        return lines

    def _stored(
        self, session: UserSession, issuance_id: str
    ) -> tuple[Issuance, CertificateContent]:
        """Load an issuance of this office and workstation with its printed content."""
        with self._context.database.session() as db:
            repository = IssuanceRepository(db)
            issuance = repository.get(issuance_id)
            if issuance is None:
                raise ServiceError(_ISSUANCE_GONE.format(), code="not_found")
            if (
                issuance.office_code != session.office.code
                or issuance.workstation != session.workstation.code
            ):
                raise ServiceError(
                    _WRONG_CLERK.format(number=str(issuance.number)), code="other_workstation"
                )
            stored = CertificateContent.from_json_dict(repository.content(issuance_id))
            # Reprints carry the payload signed at issue: its facts have not changed, and
            # the reprinting clerk's key may not be the issuing clerk's.
            payload_text = stored_qr_payload(db, issuance_id)
        return issuance, dataclasses.replace(
            stored, number=str(issuance.number), qr_payload=payload_text
        )

    def _send(self, printer: Printer, pdf: bytes, number: str) -> PrintResult | PrintingError:
        try:
            return printer.print_pdf(pdf, title=number, timeout=PRINT_TIMEOUT_SECONDS)
        except PrintingError as error:
            log.warning("certificate %s did not print: %s", number, error)
            return error

    def _print_new(
        self,
        session: UserSession,
        issuance: Issuance,
        content: CertificateContent,
        printer: Printer,
    ) -> PrintOutcome:
        """Print a not-printed issuance and record the outcome."""
        pdf = render_certificate(content)
        number = str(issuance.number)
        result = self._send(printer, pdf, number)
        with self._context.database.write_session() as db:
            repository = IssuanceRepository(db)
            details: dict[str, object]
            if isinstance(result, PrintingError):
                repository.mark_print_failed(
                    issuance.issuance_id, str(result.message), pending_job=result.job_id
                )
                event, details = "print_failed", {"error": type(result).__name__}
                message = _PRINT_FAILED.format(number=number, error=result.message)
            else:
                printed_issuance = repository.mark_printed(
                    issuance.issuance_id, result.printer, result.job_id, result.completed_at
                )
                OutboxRepository(db).add(
                    "issuances", issuance_item(printed_issuance, content.applicant_id_number)
                )
                event, details = "print", {"job": result.job_id}
                message = _PRINTED.format(number=number, printer=result.printer)
                log.info(
                    "certificate %s printed on %s as job %s", number, printer.name, result.job_id
                )
            audit.record(
                db,
                event,
                workstation=session.workstation,
                user=session,
                subject=_masked(content.applicant_id_number),
                number=number,
                printer=printer.name,
                **details,
            )
            updated = repository.get(issuance.issuance_id)
        assert updated is not None
        printed = not isinstance(result, PrintingError)
        return PrintOutcome(issuance=updated, printed=printed, message=message, pdf=pdf)

    def _refuse(self, session: UserSession, person: Person, decision: Decision) -> NoReturn:
        """Record the refusal in its own transaction, so refusals per rule can be counted."""
        with self._context.database.write_session() as db:
            audit.record(
                db,
                "print_refused",
                workstation=session.workstation,
                user=session,
                subject=_masked(person.id_number),
                purpose=decision.purpose.code,
                rule=decision.rule,
                office=session.office.code,
            )
        raise ServiceError(
            _REFUSED.format(reasons=_joined(decision.reasons)),
            code=f"refused:{decision.rule}",
        )

    def _load_person(self, person_id: int) -> Person:
        with self._context.database.session() as db:
            person = PeopleRepository(db).get(person_id)
        if person is None:
            raise ServiceError(_PERSON_GONE.format(), code="person_not_found")
        return person

    def _decide(
        self,
        session: UserSession,
        person: Person,
        purpose_code: str,
        counter: CounterInput | None,
    ) -> Decision:
        policy = self._context.policy
        try:
            purpose = policy.purpose(purpose_code)
        except KeyError:
            raise ServiceError(
                _UNKNOWN_PURPOSE.format(code=purpose_code), code="unknown_purpose"
            ) from None
        with self._context.database.session() as db:
            history = history_for(db, person.person_id)
        return decide(
            policy,
            session.office,
            person,
            purpose,
            today=self._today(),
            history=history,
            counter=counter or CounterInput(),
            institutions=self._context.institutions,
        )

    def _today(self) -> date:
        return china_date(self._context.clock())

    def _check_data_age(self) -> None:
        """Reject printing when the people stream is older than the policy allows.

        Applies only when the workstation syncs with a server (``sync_required``): the
        demo and offline installations have no server and no sync state.
        """
        if not self._context.sync_required:
            return
        with self._context.database.session() as db:
            as_of = SyncStateRepository(db).data_as_of("people")
        problem = data_age_problem(
            as_of, self._context.clock(), self._context.policy.data_max_age_days
        )
        if problem is not None:
            raise ServiceError(problem, code="data_too_old")


def sign_qr_payload(
    signer: PayloadSigner,
    session: UserSession,
    issuance: Issuance,
    id_number: str,
    issued_on: date,
) -> str:
    """Build the QR payload of a new issuance, sign it with the e-key and return its text.

    The signature is checked against the session's certificate before it is used, so a
    payload that a partner unit would reject is never printed.
    """
    certificate = session.certificate_der
    try:
        algorithm = qr_payload.algorithm_for(certificate)
    except ValueError as error:
        raise ServiceError(_SIGN_FAILED.format(error=str(error)), code="sign_failed") from None
    fields = qr_payload.new_fields(
        issuance.number,
        issuance.purpose_code,
        issued_on,
        issuance.valid_until,
        id_number,
        certificate,
    )
    data = qr_payload.bytes_to_sign(fields, algorithm)
    try:
        signature = qr_payload.signature_from_token(algorithm, signer(data))
        signed = qr_payload.SignedPayload(fields, algorithm, signature, data)
        verify_signature(certificate, data, qr_payload.signature_as_der(signed))
    except (EKeyError, TimeoutError, ValueError) as error:
        log.warning("signing the QR payload of %s failed: %r", issuance.number, error)
        raise ServiceError(_SIGN_FAILED.format(error=str(error)), code="sign_failed") from error
    return signed.text()


def data_age_problem(as_of: datetime | None, now: datetime, max_age_days: int) -> Message | None:
    """Return why data synchronized at ``as_of`` is too old at ``now``, or None when usable."""
    if as_of is None:
        return _NEVER_SYNCED.format()
    if now - as_of > timedelta(days=max_age_days):
        return _DATA_TOO_OLD.format(as_of=china_date(as_of).isoformat(), days=max_age_days)
    return None


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON_LENGTH:
        raise ServiceError(_REASON_MISSING.format(limit=MAX_REASON_LENGTH), code="reason_missing")
    return reason


def _joined(messages: Iterable[object]) -> str:
    """Join sentences as the language writes them: Chinese puts no space between them."""
    separator = "" if current_language().startswith("zh") else " "
    return separator.join(str(message) for message in messages)


def _masked(id_number: str) -> str:
    return parse_id_number(id_number).masked
