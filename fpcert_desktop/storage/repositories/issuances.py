"""Issuance records and the allocation of certificate numbers."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import CHINA_TZ, china_date
from fpcert_desktop.domain.history import (
    CheckCertificate,
    CheckOwner,
    OriginalDocument,
    OriginalsConfirmation,
)
from fpcert_desktop.domain.issuance import CertificateNumber, Issuance, IssuanceStatus
from fpcert_desktop.domain.policy import Retention
from fpcert_desktop.storage.models import CertificateSerialRow, IssuanceRow
from fpcert_desktop.storage.repositories._checks import as_utc, require_text, starts_with


class IssuanceStateError(ValueError):
    """An operation that the issuance's status does not allow, such as voiding it twice."""


class IssuanceRepository:
    """Issuances of one session.

    Call :meth:`create_with_number` inside ``Database.write_session()``: the serial
    update and the insert then share one ``BEGIN IMMEDIATE`` transaction, so a
    serial is consumed only when the issuance commits and two workstations or threads
    never receive the same one.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def create_with_number(
        self,
        *,
        office_code: str,
        workstation: str,
        year: int,
        person_id: int,
        purpose_code: str,
        user_id: int,
        issued_at: datetime,
        valid_until: date | None,
        policy_version: str,
        content_json: str | dict[str, Any],
        originals: OriginalsConfirmation | None = None,
        check_certificate: CheckCertificate | None = None,
        retention: Retention | str | None = None,
        dispose_after: date | None = None,
    ) -> Issuance:
        """Take the next serial for (office, workstation, year) and insert a NOT_PRINTED issuance.

        Serials start at 1 each year. ``issued_at`` must be timezone-aware.
        ``content_json`` is the printed content as a JSON string or a JSON-ready dict.
        ``retention`` is a :class:`Retention` or its value. Long-term retention takes no
        ``dispose_after`` and one-year retention requires it, else ``ValueError``.
        """
        retention_class = _checked_retention(retention, dispose_after)
        serial = self._next_serial(office_code, workstation, year)
        number = CertificateNumber(office_code, workstation, year, serial)
        if not isinstance(content_json, str):
            content_json = json.dumps(content_json, ensure_ascii=False, sort_keys=True)

        row = IssuanceRow(
            issuance_id=str(uuid.uuid4()),
            number=str(number),
            office_code=office_code,
            workstation=workstation,
            year=year,
            serial=serial,
            person_id=person_id,
            purpose_code=purpose_code,
            user_id=user_id,
            issued_at=as_utc(issued_at),
            valid_until=valid_until,
            status=IssuanceStatus.NOT_PRINTED.value,
            policy_version=policy_version,
            print_attempts=0,
            content_json=content_json,
            originals_json=None if originals is None else _originals_to_json(originals),
            check_certificate_json=(
                None if check_certificate is None else _check_certificate_to_json(check_certificate)
            ),
            retention=None if retention_class is None else retention_class.value,
            dispose_after=dispose_after,
            reprint_count=0,
        )
        self._session.add(row)
        self._session.flush()
        return _to_issuance(row)

    def mark_printed(
        self, issuance_id: str, printer: str, job: str | None, at: datetime
    ) -> Issuance:
        """Record a confirmed print job: status PRINTED, one more print attempt.

        Raises :class:`IssuanceStateError` for a voided issuance, which stays voided.
        """
        row = self._require(issuance_id)
        if row.status == IssuanceStatus.VOIDED.value:
            raise IssuanceStateError(f"certificate {row.number} is voided and cannot be printed")
        row.status = IssuanceStatus.PRINTED.value
        row.printer = printer
        row.print_job = job
        row.last_error = None
        row.printed_at = as_utc(at)
        row.print_attempts += 1
        self._session.flush()
        return _to_issuance(row)

    def mark_print_failed(
        self, issuance_id: str, error: str, *, pending_job: str | None = None
    ) -> Issuance:
        """Record a failed print: the status is unchanged and the attempt is counted.

        ``pending_job`` is a job still in the printer queue that may print later. It is
        kept in ``print_job``, so the next attempt can ask the printer about it first.
        """
        row = self._require(issuance_id)
        row.print_attempts += 1
        row.last_error = error
        row.print_job = pending_job
        self._session.flush()
        return _to_issuance(row)

    def void(self, issuance_id: str, *, user_id: int, reason: str, at: datetime) -> Issuance:
        """Void a printed or unprinted certificate. Its number is never handed out again.

        The serial counter is left alone, so the next allocation takes the next serial.
        Raises ``ValueError`` for an empty reason, :class:`IssuanceStateError` when the
        issuance is already voided and ``LookupError`` when it does not exist.
        """
        text = require_text(reason, "void reason")
        row = self._require(issuance_id)
        if row.status == IssuanceStatus.VOIDED.value:
            raise IssuanceStateError(f"certificate {row.number} is already voided")
        row.status = IssuanceStatus.VOIDED.value
        row.voided_at = as_utc(at)
        row.voided_by = user_id
        row.void_reason = text
        self._session.flush()
        return _to_issuance(row)

    def record_reprint(self, issuance_id: str, *, reason: str, at: datetime) -> Issuance:
        """Count one more reprint of a PRINTED certificate and keep its reason.

        Raises ``ValueError`` for an empty reason and :class:`IssuanceStateError` unless
        the issuance is PRINTED. A certificate that never printed is printed again
        through :meth:`mark_printed`, not counted here.
        """
        text = require_text(reason, "reprint reason")
        row = self._require(issuance_id)
        if row.status != IssuanceStatus.PRINTED.value:
            raise IssuanceStateError(
                f"certificate {row.number} is {row.status}, but only a printed certificate "
                "can be reprinted"
            )
        row.reprint_count += 1
        row.last_reprint_reason = text
        row.last_reprinted_at = as_utc(at)
        self._session.flush()
        return _to_issuance(row)

    def last_issued_on(self, person_id: int) -> date | None:
        """Return the China Standard Time issue date of the person's latest PRINTED certificate.

        Voided and not-printed issuances do not count. Every purpose, office and
        workstation in this database counts.
        """
        query = (
            select(IssuanceRow.issued_at)
            .where(
                IssuanceRow.person_id == person_id,
                IssuanceRow.status == IssuanceStatus.PRINTED.value,
            )
            .order_by(IssuanceRow.issued_at.desc())
            .limit(1)
        )
        latest = self._session.scalar(query)
        return None if latest is None else china_date(latest)

    def due_for_disposal(self, on: date, office_code_prefix: str | None = None) -> list[Issuance]:
        """List issuances whose materials may be disposed of on ``on`` (``dispose_after < on``).

        ``dispose_after`` is the last day of retention, so disposal starts the day after.
        Long-term and unrecorded retention have no ``dispose_after`` and never appear.
        The status is not checked, so voided certificates are listed too. Ordered by
        ``dispose_after`` and number.
        """
        query = select(IssuanceRow).where(
            IssuanceRow.dispose_after.is_not(None), IssuanceRow.dispose_after < on
        )
        if office_code_prefix:
            query = query.where(starts_with(IssuanceRow.office_code, office_code_prefix))
        query = query.order_by(IssuanceRow.dispose_after, IssuanceRow.number)
        return [_to_issuance(row) for row in self._session.scalars(query)]

    def get(self, issuance_id: str) -> Issuance | None:
        row = self._session.get(IssuanceRow, issuance_id)
        return None if row is None else _to_issuance(row)

    def get_by_number(self, number: str | CertificateNumber) -> Issuance | None:
        text = str(number) if isinstance(number, CertificateNumber) else number.strip().upper()
        row = self._session.scalars(
            select(IssuanceRow).where(IssuanceRow.number == text)
        ).one_or_none()
        return None if row is None else _to_issuance(row)

    def list_for_day(
        self,
        office_code: str,
        workstation: str | None,
        day: date,
        tz: tzinfo = CHINA_TZ,
    ) -> list[Issuance]:
        """List issuances of a calendar day in ``tz`` (China Standard Time by default).

        ``workstation=None`` lists every workstation of the office. Ordered by time.
        """
        start = datetime(day.year, day.month, day.day, tzinfo=tz)
        end = datetime.fromordinal(day.toordinal() + 1).replace(tzinfo=tz)
        query = select(IssuanceRow).where(
            IssuanceRow.office_code == office_code,
            IssuanceRow.issued_at >= start.astimezone(timezone.utc),
            IssuanceRow.issued_at < end.astimezone(timezone.utc),
        )
        if workstation is not None:
            query = query.where(IssuanceRow.workstation == workstation)
        query = query.order_by(IssuanceRow.issued_at, IssuanceRow.serial)
        return [_to_issuance(row) for row in self._session.scalars(query)]

    def last_for_person(self, person_id: int) -> Issuance | None:
        """Return the person's most recent issuance of any status, or None."""
        query = (
            select(IssuanceRow)
            .where(IssuanceRow.person_id == person_id)
            .order_by(IssuanceRow.issued_at.desc())
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else _to_issuance(row)

    def content(self, issuance_id: str) -> dict[str, Any]:
        """Return the stored certificate content; raises ``LookupError`` if not found."""
        return json.loads(self._require(issuance_id).content_json)

    def _next_serial(self, office_code: str, workstation: str, year: int) -> int:
        # One statement reads and advances the counter. Inside BEGIN IMMEDIATE no other
        # connection can do the same until this transaction ends.
        statement = (
            sqlite_insert(CertificateSerialRow)
            .values(office_code=office_code, workstation=workstation, year=year, next_serial=2)
            .on_conflict_do_update(
                index_elements=["office_code", "workstation", "year"],
                set_={"next_serial": CertificateSerialRow.next_serial + 1},
            )
            .returning(CertificateSerialRow.next_serial)
        )
        next_serial = self._session.execute(statement).scalar_one()
        return next_serial - 1

    def _require(self, issuance_id: str) -> IssuanceRow:
        row = self._session.get(IssuanceRow, issuance_id)
        if row is None:
            raise LookupError(f"issuance {issuance_id} not found")
        return row


def _checked_retention(
    retention: Retention | str | None, dispose_after: date | None
) -> Retention | None:
    if retention is None:
        if dispose_after is not None:
            raise ValueError("dispose_after given without a retention class")
        return None
    try:
        retention_class = Retention(retention)
    except ValueError:
        allowed = ", ".join(item.value for item in Retention)
        raise ValueError(f"invalid retention {retention!r}, expected one of {allowed}") from None
    if retention_class is Retention.LONG_TERM and dispose_after is not None:
        raise ValueError("long-term retention takes no dispose_after date, so pass None")
    if retention_class is not Retention.LONG_TERM and dispose_after is None:
        raise ValueError(f"retention {retention_class.value!r} requires a dispose_after date")
    return retention_class


def _originals_to_json(originals: OriginalsConfirmation) -> str:
    # The enum lookups accept members and their value text alike, and raise ValueError
    # for anything else before the row is written.
    value = {
        "documents": [OriginalDocument(document).value for document in originals.documents],
        "applicant_signed": originals.applicant_signed,
    }
    return json.dumps(value, sort_keys=True)


def _originals_from_json(text: str | None) -> OriginalsConfirmation | None:
    if text is None:
        return None
    value = json.loads(text)
    return OriginalsConfirmation(
        documents=tuple(OriginalDocument(item) for item in value["documents"]),
        applicant_signed=bool(value["applicant_signed"]),
    )


def _check_certificate_to_json(certificate: CheckCertificate) -> str:
    value = {
        "owner": CheckOwner(certificate.owner).value,
        "issued_on": certificate.issued_on.isoformat(),
        "number": certificate.number,
        "institution_code": certificate.institution_code,
    }
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _check_certificate_from_json(text: str | None) -> CheckCertificate | None:
    if text is None:
        return None
    value = json.loads(text)
    return CheckCertificate(
        owner=CheckOwner(value["owner"]),
        issued_on=date.fromisoformat(value["issued_on"]),
        number=value["number"],
        institution_code=value["institution_code"],
    )


def _to_issuance(row: IssuanceRow) -> Issuance:
    return Issuance(
        issuance_id=row.issuance_id,
        number=CertificateNumber(row.office_code, row.workstation, row.year, row.serial),
        person_id=row.person_id,
        purpose_code=row.purpose_code,
        office_code=row.office_code,
        workstation=row.workstation,
        user_id=row.user_id,
        issued_at=row.issued_at,
        valid_until=row.valid_until,
        status=IssuanceStatus(row.status),
        policy_version=row.policy_version,
        print_attempts=row.print_attempts,
        printed_at=row.printed_at,
        printer=row.printer,
        print_job=row.print_job,
        last_error=row.last_error,
        originals=_originals_from_json(row.originals_json),
        check_certificate=_check_certificate_from_json(row.check_certificate_json),
        retention=None if row.retention is None else Retention(row.retention),
        dispose_after=row.dispose_after,
        voided_at=row.voided_at,
        voided_by=row.voided_by,
        void_reason=row.void_reason,
        reprint_count=row.reprint_count,
        last_reprint_reason=row.last_reprint_reason,
        last_reprinted_at=row.last_reprinted_at,
    )
