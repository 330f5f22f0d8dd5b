"""Checking and storing pushed items, one kind at a time.

Each ``store_*`` function returns None after adding the item to the session, or the
reason for rejecting it without adding anything. The caller has already reported
duplicates and items that fail the schema.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import china_date
from fpcert_desktop.domain.issuance import CertificateNumber
from fpcert_server import payloads
from fpcert_server.db import append_changes, change_row, dump_json
from fpcert_server.models import (
    PersonRow,
    ProblemListEntryRow,
    PushedAuditEventRow,
    PushedIssuanceRow,
    PushedProblemListRow,
    PushedReferralRow,
    PushedReprintRow,
    PushedVoidRow,
)
from fpcert_server.schemas import (
    AuditEventPushItem,
    IssuancePushItem,
    ProblemListPushItem,
    PushKind,
    ReferralPushItem,
    ReprintPushItem,
    VoidPushItem,
)

_FULL_ID_NUMBER = re.compile(r"\d{17}[\dXx]")

PUSHED_TABLES: dict[PushKind, type[Any]] = {
    PushKind.ISSUANCES: PushedIssuanceRow,
    PushKind.VOIDS: PushedVoidRow,
    PushKind.REPRINTS: PushedReprintRow,
    PushKind.PROBLEM_LIST: PushedProblemListRow,
    PushKind.REFERRALS: PushedReferralRow,
    PushKind.AUDIT_EVENTS: PushedAuditEventRow,
}


@dataclass(frozen=True)
class PushContext:
    """Who pushes: the clerk's user id, the workstation and its jurisdiction prefix."""

    user_id: int
    workstation_id: str
    workstation_code: str
    jurisdiction_prefix: str
    now: datetime

    def pushed_columns(self, uuid: str) -> dict[str, Any]:
        return {
            "uuid": uuid,
            "pushed_by_user_id": self.user_id,
            "pushed_from_workstation_id": self.workstation_id,
            "received_at": self.now,
        }


def _other_user(item_user_id: int, context: PushContext) -> str | None:
    if item_user_id != context.user_id:
        return (
            f"user_id {item_user_id} is not the clerk of this session ({context.user_id}); "
            "push it in a session of that user"
        )
    return None


def _latest_issuance(session: Session, number: str) -> PushedIssuanceRow | None:
    query = (
        select(PushedIssuanceRow)
        .where(PushedIssuanceRow.number == number)
        .order_by(PushedIssuanceRow.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def store_issuance(session: Session, item: IssuancePushItem, context: PushContext) -> str | None:
    if reason := _other_user(item.user_id, context):
        return reason
    try:
        number = CertificateNumber.parse(item.number)
    except ValueError:
        return f"number {item.number!r} is not a certificate number"
    if (number.office_code, number.workstation) != (item.office_code, item.workstation):
        return f"number {item.number} does not match office_code and workstation"
    if item.workstation != context.workstation_code:
        return f"workstation {item.workstation} is not the workstation that pushes"
    if not item.office_code.startswith(context.jurisdiction_prefix):
        return f"office_code {item.office_code} is outside this workstation's office"
    if item.valid_until is not None and item.valid_until < china_date(item.issued_at):
        return "valid_until is before the issue date"
    if session.get(PersonRow, item.person_id) is None:
        return f"person_id {item.person_id} not found"

    earlier = _latest_issuance(session, str(number))
    if earlier is not None and (earlier.person_id, earlier.purpose_code) != (
        item.person_id,
        item.purpose_code,
    ):
        return f"number {number} is already used for another certificate"

    values = item.model_dump(exclude={"uuid"})
    values["number"] = str(number)
    session.add(PushedIssuanceRow(**context.pushed_columns(str(item.uuid)), **values))
    return None


def _check_number_known(session: Session, number: str, context: PushContext) -> str | None:
    issuance = _latest_issuance(session, number)
    if issuance is None:
        return f"number {number} not found; push its issuance first"
    if not issuance.office_code.startswith(context.jurisdiction_prefix):
        return f"number {number} was issued outside this workstation's office"
    return None


def store_void(session: Session, item: VoidPushItem, context: PushContext) -> str | None:
    reason = _other_user(item.user_id, context) or _check_number_known(
        session, item.number, context
    )
    if reason:
        return reason
    values = item.model_dump(exclude={"uuid"})
    session.add(PushedVoidRow(**context.pushed_columns(str(item.uuid)), **values))
    return None


def store_reprint(session: Session, item: ReprintPushItem, context: PushContext) -> str | None:
    reason = _other_user(item.user_id, context) or _check_number_known(
        session, item.number, context
    )
    if reason:
        return reason
    values = item.model_dump(exclude={"uuid"})
    session.add(PushedReprintRow(**context.pushed_columns(str(item.uuid)), **values))
    return None


def store_problem_list(
    session: Session, item: ProblemListPushItem, context: PushContext
) -> str | None:
    """Create or update the entry for (office, person, category, listing date)."""
    if reason := _other_user(item.user_id, context):
        return reason
    if not item.office_code.startswith(context.jurisdiction_prefix):
        return f"office_code {item.office_code} is outside this workstation's office"
    person = session.scalars(
        select(PersonRow).where(PersonRow.id_number == item.id_number.upper())
    ).one_or_none()
    if person is None:
        return "no person with this id_number"

    entry = session.scalars(
        select(ProblemListEntryRow).where(
            ProblemListEntryRow.office_code == item.office_code,
            ProblemListEntryRow.id_number == person.id_number,
            ProblemListEntryRow.category == item.category,
            ProblemListEntryRow.listed_on == item.listed_on,
        )
    ).one_or_none()
    if entry is None:
        entry = ProblemListEntryRow(
            id_number=person.id_number,
            category=item.category,
            listed_on=item.listed_on,
            office_code=item.office_code,
            version=0,
        )
        session.add(entry)
    entry.facts = item.facts
    entry.materials_location = item.materials_location
    entry.entered_by = item.entered_by
    entry.feedback_state = item.feedback_state
    entry.removed_on = item.removed_on
    entry.removal_reason = item.removal_reason
    entry.version += 1
    session.flush()

    payload = payloads.problem_list_payload(entry)
    append_changes(
        session,
        [
            change_row(
                "problem_list",
                str(entry.entry_id),
                entry.version,
                payload,
                context.now,
                scope=(person.hukou_division_code, person.residence_division_code),
            )
        ],
    )
    session.add(
        PushedProblemListRow(
            **context.pushed_columns(str(item.uuid)),
            entry_id=entry.entry_id,
            client_entry_id=item.entry_id,
            user_id=item.user_id,
            payload_json=dump_json(payload),
        )
    )
    return None


def store_referral(session: Session, item: ReferralPushItem, context: PushContext) -> str | None:
    if reason := _other_user(item.user_id, context):
        return reason
    if session.get(PersonRow, item.person_id) is None:
        return f"person_id {item.person_id} not found"
    session.add(
        PushedReferralRow(
            **context.pushed_columns(str(item.uuid)),
            person_id=item.person_id,
            purpose_code=item.purpose_code,
            record_version=item.record_version,
            fields_json=json.dumps([field.model_dump() for field in item.fields]),
            responsible_office_code=item.responsible_office_code,
            created_on=item.created_on,
            resolved_on=item.resolved_on,
            user_id=item.user_id,
        )
    )
    return None


def store_audit_event(
    session: Session, item: AuditEventPushItem, context: PushContext
) -> str | None:
    """Store an audit event of any user of the workstation, or of no user (a failed login).

    The client's outbox carries the whole hash chain, including events of earlier
    sessions, so the user is not checked against the pushing clerk.
    """
    details = dump_json(item.details)
    if (item.subject and _FULL_ID_NUMBER.search(item.subject)) or _FULL_ID_NUMBER.search(details):
        return "the event contains a full ID number; mask it (440304********9805)"
    session.add(
        PushedAuditEventRow(
            **context.pushed_columns(str(item.uuid)),
            seq=item.seq,
            at=item.at,
            user_id=item.user_id,
            workstation=item.workstation,
            event=item.event,
            subject=item.subject,
            details_json=details,
            prev_hash=item.prev_hash,
            hash=item.hash,
        )
    )
    return None


STORE_FUNCTIONS: dict[PushKind, Any] = {
    PushKind.ISSUANCES: store_issuance,
    PushKind.VOIDS: store_void,
    PushKind.REPRINTS: store_reprint,
    PushKind.PROBLEM_LIST: store_problem_list,
    PushKind.REFERRALS: store_referral,
    PushKind.AUDIT_EVENTS: store_audit_event,
}
