"""Issuance records and the allocation of certificate numbers."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import CHINA_TZ
from fpcert_desktop.domain.issuance import CertificateNumber, Issuance, IssuanceStatus
from fpcert_desktop.storage.models import CertificateSerialRow, IssuanceRow


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
    ) -> Issuance:
        """Take the next serial for (office, workstation, year) and insert a NOT_PRINTED issuance.

        Serials start at 1 each year. ``issued_at`` must be timezone-aware.
        ``content_json`` is the printed content as a JSON string or a JSON-ready dict.
        """
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
            issued_at=_as_utc(issued_at),
            valid_until=valid_until,
            status=IssuanceStatus.NOT_PRINTED.value,
            policy_version=policy_version,
            print_attempts=0,
            content_json=content_json,
        )
        self._session.add(row)
        self._session.flush()
        return _to_issuance(row)

    def mark_printed(
        self, issuance_id: str, printer: str, job: str | None, at: datetime
    ) -> Issuance:
        """Record a confirmed print job: status PRINTED, one more print attempt."""
        row = self._require(issuance_id)
        row.status = IssuanceStatus.PRINTED.value
        row.printer = printer
        row.print_job = job
        row.printed_at = _as_utc(at)
        row.print_attempts += 1
        self._session.flush()
        return _to_issuance(row)

    def mark_print_failed(self, issuance_id: str, error: str) -> Issuance:
        """Record a failed print: the status is unchanged and the attempt is counted."""
        row = self._require(issuance_id)
        row.print_attempts += 1
        row.last_error = error
        self._session.flush()
        return _to_issuance(row)

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


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} given; pass an aware datetime")
    return moment.astimezone(timezone.utc)


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
    )
