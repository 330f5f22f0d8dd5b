"""The daily print summary computed from the records that workstations pushed.

The counting itself is :func:`fpcert_desktop.domain.reports.build_daily_report`, the
same as on a workstation. Purpose names are left as codes; the client names them
from its own policy.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import china_day_bounds
from fpcert_desktop.domain.issuance import CertificateNumber
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.reports import (
    DailyReport,
    EventFact,
    EventKind,
    IssuanceFact,
    ReportSource,
    build_daily_report,
    comparison_window,
)
from fpcert_server.models import (
    OfficeRow,
    PushedAuditEventRow,
    PushedIssuanceRow,
    PushedReprintRow,
    PushedVoidRow,
    UserRow,
    WorkstationRow,
)

REFUSAL_EVENT = "print_refused"
# Roles that read their own office and every office below it.
AREA_ROLES = frozenset({"supervisor", "administrator"})


def area_prefix(office_code: str, level: str) -> str:
    """Return the code prefix of an office's area; a city covers its first 4 digits."""
    return office_code[:4] if level == OfficeLevel.CITY.value else office_code


def report_access_problem(user: UserRow, user_office: OfficeRow | None, office_code: str) -> str:
    """Return why ``user`` may not read ``office_code``'s report, or "" when they may."""
    if user.role == "clerk":
        if office_code != user.office_code:
            return f"a print clerk reads only their own office {user.office_code}"
        return ""
    if user.role not in AREA_ROLES:
        return f"role {user.role} may not read reports"
    level = user_office.level if user_office is not None else ""
    if not office_code.startswith(area_prefix(user.office_code, level)):
        return f"office {office_code} is outside the user's office {user.office_code}"
    return ""


def daily_report(db: Session, office: OfficeRow, day: date, now: datetime) -> DailyReport:
    """Count ``day`` for ``office`` and the offices below it from the pushed records."""
    first, last = comparison_window(day)
    start, _ = china_day_bounds(first)
    _, end = china_day_bounds(last)
    prefix = area_prefix(office.code, office.level)
    domain_office = Office(office.code, office.name, OfficeLevel(office.level), office.parent_code)
    events = [
        *_voids(db, start, end, prefix),
        *_reprints(db, start, end, prefix),
        *_refusals(db, start, end, prefix),
    ]
    return build_daily_report(
        day,
        domain_office,
        _issuances(db, start, end, prefix),
        events,
        office_names={
            key: value for key, value in db.execute(select(OfficeRow.code, OfficeRow.name))
        },
        clerk_names={
            key: value for key, value in db.execute(select(UserRow.user_id, UserRow.name))
        },
        purpose_names={},
        source=ReportSource.SERVER,
        generated_at=now,
        outbox_pending=None,
    )


def _issuances(db: Session, start: datetime, end: datetime, prefix: str) -> list[IssuanceFact]:
    """Return one fact per number from its pushed snapshots, the latest deciding the status."""
    query = (
        select(PushedIssuanceRow)
        .where(
            PushedIssuanceRow.issued_at >= start,
            PushedIssuanceRow.issued_at < end,
            PushedIssuanceRow.office_code.startswith(prefix, autoescape=True),
        )
        .order_by(PushedIssuanceRow.id)
    )
    latest: dict[str, PushedIssuanceRow] = {}
    printed: set[str] = set()
    for row in db.scalars(query):
        latest[row.number] = row
        if row.status == "printed":
            printed.add(row.number)
    # NOTE: a pushed issuance carries no print time, so the first and last print
    # times of a server report are the times the numbers were allocated.
    return [
        IssuanceFact(
            office_code=row.office_code,
            workstation=row.workstation,
            user_id=row.user_id,
            purpose_code=row.purpose_code,
            issued_at=row.issued_at,
            printed=number in printed,
            not_printed=row.status == "not_printed",
        )
        for number, row in latest.items()
    ]


def _voids(db: Session, start: datetime, end: datetime, prefix: str) -> list[EventFact]:
    query = select(PushedVoidRow).where(
        PushedVoidRow.voided_at >= start, PushedVoidRow.voided_at < end
    )
    return _number_events(
        EventKind.VOID, ((r.number, r.user_id, r.voided_at) for r in db.scalars(query)), prefix
    )


def _reprints(db: Session, start: datetime, end: datetime, prefix: str) -> list[EventFact]:
    query = select(PushedReprintRow).where(
        PushedReprintRow.reprinted_at >= start, PushedReprintRow.reprinted_at < end
    )
    rows = ((row.number, row.user_id, row.reprinted_at) for row in db.scalars(query))
    return _number_events(EventKind.REPRINT, rows, prefix)


def _number_events(kind: EventKind, rows: Any, prefix: str) -> list[EventFact]:
    facts = []
    for number_text, user_id, at in rows:
        try:
            number = CertificateNumber.parse(number_text)
        except ValueError:
            continue
        if number.office_code.startswith(prefix):
            facts.append(EventFact(kind, number.office_code, number.workstation, user_id, at))
    return facts


def _refusals(db: Session, start: datetime, end: datetime, prefix: str) -> list[EventFact]:
    # ``at`` is the client's UTC ISO text with microseconds, so text order is time order.
    query = (
        select(PushedAuditEventRow, WorkstationRow.office_code)
        .join(
            WorkstationRow,
            WorkstationRow.workstation_id == PushedAuditEventRow.pushed_from_workstation_id,
        )
        .where(
            PushedAuditEventRow.event == REFUSAL_EVENT,
            PushedAuditEventRow.at >= _text(start),
            PushedAuditEventRow.at < _text(end),
        )
    )
    facts = []
    seen: set[str] = set()
    for row, workstation_office in db.execute(query):
        if row.hash in seen or row.user_id is None:
            continue
        seen.add(row.hash)
        details = json.loads(row.details_json)
        office_code = str(details.get("office") or workstation_office)
        if not office_code.startswith(prefix):
            continue
        facts.append(
            EventFact(
                EventKind.REFUSAL,
                office_code,
                row.workstation,
                row.user_id,
                datetime.fromisoformat(row.at),
                rule=str(details.get("rule", "")),
            )
        )
    return facts


def _text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
