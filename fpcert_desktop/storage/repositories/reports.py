"""The facts of the daily print summary, read from this workstation's database."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import china_day_bounds
from fpcert_desktop.domain.issuance import CertificateNumber, IssuanceStatus
from fpcert_desktop.domain.reports import EventFact, EventKind, IssuanceFact
from fpcert_desktop.storage.models import (
    AuditEventRow,
    IssuanceRow,
    OfficeRow,
    OutboxRow,
    UserRow,
)
from fpcert_desktop.storage.repositories._checks import starts_with

REFUSAL_EVENT = "print_refused"
REPRINT_EVENT = "reprint"


class ReportFactsRepository:
    """Reads issuances, voids, reprints and refusals of a range of China dates."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def issuances(self, first: date, last: date, office_prefix: str) -> list[IssuanceFact]:
        """Return the issuances allocated from ``first`` to ``last`` (China dates, inclusive)."""
        start, end = _utc_range(first, last)
        waiting = self._numbers_waiting_sync()
        query = select(IssuanceRow).where(
            IssuanceRow.issued_at >= start,
            IssuanceRow.issued_at < end,
            starts_with(IssuanceRow.office_code, office_prefix),
        )
        return [
            IssuanceFact(
                office_code=row.office_code,
                workstation=row.workstation,
                user_id=row.user_id,
                purpose_code=row.purpose_code,
                issued_at=row.issued_at,
                printed=row.printed_at is not None,
                not_printed=row.status == IssuanceStatus.NOT_PRINTED.value,
                printed_at=row.printed_at,
                waiting_sync=row.number in waiting,
            )
            for row in self._session.scalars(query)
        ]

    def events(self, first: date, last: date, office_prefix: str) -> list[EventFact]:
        """Return voids, successful reprints and refusals from ``first`` to ``last``."""
        start, end = _utc_range(first, last)
        facts = [
            EventFact(
                kind=EventKind.VOID,
                office_code=row.office_code,
                workstation=row.workstation,
                user_id=row.voided_by if row.voided_by is not None else row.user_id,
                at=row.voided_at,
            )
            for row in self._session.scalars(
                select(IssuanceRow).where(
                    IssuanceRow.voided_at >= start,
                    IssuanceRow.voided_at < end,
                    starts_with(IssuanceRow.office_code, office_prefix),
                )
            )
            if row.voided_at is not None
        ]
        facts.extend(self._audit_facts(start, end, office_prefix))
        return facts

    def _audit_facts(self, start: datetime, end: datetime, office_prefix: str) -> list[EventFact]:
        # The stored ``at`` is UTC ISO text with microseconds, so text order is time order.
        query = select(AuditEventRow).where(
            AuditEventRow.at >= _audit_text(start),
            AuditEventRow.at < _audit_text(end),
            AuditEventRow.event.in_((REFUSAL_EVENT, REPRINT_EVENT)),
        )
        user_offices = {
            key: value
            for key, value in self._session.execute(select(UserRow.user_id, UserRow.office_code))
        }
        facts = []
        for row in self._session.scalars(query):
            details = json.loads(row.details_json)
            if row.user_id is None:
                continue
            if row.event == REPRINT_EVENT:
                try:
                    number = CertificateNumber.parse(str(details.get("number", "")))
                except ValueError:
                    continue
                office_code, workstation = number.office_code, number.workstation
                kind, rule = EventKind.REPRINT, ""
            else:
                office_code = str(details.get("office") or user_offices.get(row.user_id, ""))
                workstation = row.workstation
                kind, rule = EventKind.REFUSAL, str(details.get("rule", ""))
            if not office_code.startswith(office_prefix):
                continue
            facts.append(
                EventFact(
                    kind=kind,
                    office_code=office_code,
                    workstation=workstation,
                    user_id=row.user_id,
                    at=datetime.fromisoformat(row.at),
                    rule=rule,
                )
            )
        return facts

    def office_names(self) -> dict[str, str]:
        return {
            key: value
            for key, value in self._session.execute(select(OfficeRow.code, OfficeRow.name))
        }

    def clerk_names(self) -> dict[int, str]:
        return {
            key: value
            for key, value in self._session.execute(select(UserRow.user_id, UserRow.name))
        }

    def _numbers_waiting_sync(self) -> set[str]:
        query = select(OutboxRow.payload_json).where(
            OutboxRow.kind == "issuances",
            OutboxRow.sent_at.is_(None),
            OutboxRow.last_error.is_(None),
        )
        return {json.loads(payload).get("number", "") for payload in self._session.scalars(query)}


def _utc_range(first: date, last: date) -> tuple[datetime, datetime]:
    start, _ = china_day_bounds(first)
    _, end = china_day_bounds(last)
    return start, end


def _audit_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
