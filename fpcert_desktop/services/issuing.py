"""Decide, number, render and print a certificate, and keep the issuance record true.

The number is allocated in the same transaction as the issuance record, before printing,
and the record stays "not printed" until the printer confirms the job. A failed print
therefore leaves a numbered record that the clerk prints again under the same number:
no number is lost and none is used twice.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass
from datetime import date

from fpcert_desktop.domain.certificate import CertificateContent
from fpcert_desktop.domain.clock import china_date
from fpcert_desktop.domain.eligibility import Decision, decide
from fpcert_desktop.domain.idnumber import parse_id_number
from fpcert_desktop.domain.issuance import Issuance, IssuanceStatus
from fpcert_desktop.domain.people import Person
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.printing.errors import PrintingError
from fpcert_desktop.printing.layout import render_certificate
from fpcert_desktop.printing.printer import Printer
from fpcert_desktop.services import audit
from fpcert_desktop.services.content import build_content
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.storage.repositories import IssuanceRepository, PeopleRepository

log = logging.getLogger(__name__)

PRINT_TIMEOUT_SECONDS = 90.0

_REFUSED = QT_TRANSLATE_NOOP("Issuing", "This certificate may not be printed: {reasons}")
_PERSON_GONE = QT_TRANSLATE_NOOP("Issuing", "The record was not found any more. Search again.")
_NOT_REPRINTABLE = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} is {status}; only a certificate that did not print can be printed "
    "again here.",
)
_ISSUANCE_GONE = QT_TRANSLATE_NOOP("Issuing", "Certificate {number} was not found.")
_PRINTED = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} was printed on {printer}. Stamp it with the office's seal "
    "(计划生育证明专用章) in the empty square before handing it over.",
)
_PRINT_FAILED = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} did not print: {error} The record is kept as not printed; "
    "fix the printer and print it again from today's list under the same number.",
)
_WRONG_CLERK = QT_TRANSLATE_NOOP(
    "Issuing",
    "Certificate {number} belongs to another office or workstation and cannot be printed here.",
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
    """One row of today's list: the issuance and the applicant's name."""

    issuance: Issuance
    applicant_name: str
    purpose_name: str


class IssuingService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def preview(self, session: UserSession, person_id: int, purpose_code: str) -> Preview:
        """Decide and render without a number; the glyph check runs here already."""
        person = self._load_person(person_id)
        decision = self._decide(session, person, purpose_code)
        content = build_content(
            person,
            decision.purpose,
            self._context.policy,
            session.office,
            issued_on=self._today(),
        )
        return Preview(decision=decision, content=content, pdf=render_certificate(content))

    def issue_and_print(
        self, session: UserSession, person_id: int, purpose_code: str
    ) -> PrintOutcome:
        """Decide again, allocate the number with the record, render, print, confirm."""
        person = self._load_person(person_id)
        decision = self._decide(session, person, purpose_code)
        if not decision.allowed:
            raise ServiceError(
                _REFUSED.format(reasons="; ".join(str(reason) for reason in decision.reasons)),
                code=f"refused:{decision.rule}",
            )
        issued_on = self._today()
        draft = build_content(
            person, decision.purpose, self._context.policy, session.office, issued_on=issued_on
        )
        # Both checks run before a number is used: a missing glyph or no printer at all
        # must not leave a numbered record behind.
        render_certificate(draft)
        printer = self._context.printer_factory()

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
            )
            audit.record(
                db,
                "issue",
                workstation=session.workstation,
                user=session,
                subject=_masked(person.id_number),
                number=str(issuance.number),
                purpose=decision.purpose.code,
                policy_version=decision.policy_version,
            )
        log.info("allocated certificate %s", issuance.number)
        content = dataclasses.replace(draft, number=str(issuance.number))
        return self._print(session, issuance, content, printer)

    def print_again(self, session: UserSession, issuance_id: str) -> PrintOutcome:
        """Print a certificate that did not print, under its own number and content."""
        with self._context.database.session() as db:
            repository = IssuanceRepository(db)
            issuance = repository.get(issuance_id)
            if issuance is None:
                raise ServiceError(_ISSUANCE_GONE.format(number=issuance_id), code="not_found")
            if (
                issuance.office_code != session.office.code
                or issuance.workstation != session.workstation.code
            ):
                raise ServiceError(
                    _WRONG_CLERK.format(number=str(issuance.number)), code="other_workstation"
                )
            if issuance.status is not IssuanceStatus.NOT_PRINTED:
                raise ServiceError(
                    _NOT_REPRINTABLE.format(
                        number=str(issuance.number), status=issuance.status.label
                    ),
                    code="not_reprintable",
                )
            stored = CertificateContent.from_json_dict(repository.content(issuance_id))
        content = dataclasses.replace(stored, number=str(issuance.number))
        return self._print(session, issuance, content, self._context.printer_factory())

    def todays_issuances(self, session: UserSession, day: date | None = None) -> list[IssuanceLine]:
        day = day or self._today()
        with self._context.database.session() as db:
            issuances = IssuanceRepository(db).list_for_day(
                session.office.code, session.workstation.code, day
            )
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

    def _print(
        self,
        session: UserSession,
        issuance: Issuance,
        content: CertificateContent,
        printer: Printer,
    ) -> PrintOutcome:
        pdf = render_certificate(content)
        number = str(issuance.number)
        try:
            result = printer.print_pdf(pdf, title=number, timeout=PRINT_TIMEOUT_SECONDS)
        except PrintingError as error:
            log.warning("certificate %s did not print: %s", number, error)
            with self._context.database.write_session() as db:
                repository = IssuanceRepository(db)
                repository.mark_print_failed(issuance.issuance_id, str(error.message))
                audit.record(
                    db,
                    "print_failed",
                    workstation=session.workstation,
                    user=session,
                    subject=_masked(content.applicant_id_number),
                    number=number,
                    printer=printer.name,
                    error=type(error).__name__,
                )
                updated = repository.get(issuance.issuance_id)
            assert updated is not None
            message = _PRINT_FAILED.format(number=number, error=error.message)
            return PrintOutcome(issuance=updated, printed=False, message=message, pdf=pdf)

        with self._context.database.write_session() as db:
            repository = IssuanceRepository(db)
            repository.mark_printed(
                issuance.issuance_id, result.printer, result.job_id, result.completed_at
            )
            audit.record(
                db,
                "print",
                workstation=session.workstation,
                user=session,
                subject=_masked(content.applicant_id_number),
                number=number,
                printer=result.printer,
                job=result.job_id,
            )
            updated = repository.get(issuance.issuance_id)
        assert updated is not None
        log.info("certificate %s printed on %s as job %s", number, result.printer, result.job_id)
        message = _PRINTED.format(number=number, printer=result.printer)
        return PrintOutcome(issuance=updated, printed=True, message=message, pdf=pdf)

    def _load_person(self, person_id: int) -> Person:
        with self._context.database.session() as db:
            person = PeopleRepository(db).get(person_id)
        if person is None:
            raise ServiceError(_PERSON_GONE.format(), code="person_not_found")
        return person

    def _decide(self, session: UserSession, person: Person, purpose_code: str) -> Decision:
        policy = self._context.policy
        return decide(
            policy, session.office, person, policy.purpose(purpose_code), today=self._today()
        )

    def _today(self) -> date:
        return china_date(self._context.clock())


def _masked(id_number: str) -> str:
    return parse_id_number(id_number).masked
