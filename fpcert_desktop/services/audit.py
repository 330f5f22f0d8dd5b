"""Writes to the append-only audit trail: every login, lock, query and print (谁使用谁负责).

Each event is also queued in the outbox, in the same transaction, so the central server
receives the whole chain. Without a server the items only wait in the outbox.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from fpcert_desktop.services.context import UserSession, Workstation
from fpcert_desktop.storage.repositories import AuditEvent, AuditLog, OutboxRepository

log = logging.getLogger(__name__)


def record(
    session: Session,
    event: str,
    *,
    workstation: Workstation,
    user: UserSession | None = None,
    subject: str = "",
    **details: Any,
) -> None:
    """Append one event in the caller's transaction, so it commits with the work it records."""
    # The workstation code repeats in every office, so the host name goes with it.
    entry = AuditLog(session).append(
        event,
        user_id=user.user.user_id if user else None,
        user_name=user.user.name if user else "",
        workstation=workstation.code,
        subject=subject,
        details={**details, "host": workstation.hostname},
    )
    OutboxRepository(session).add("audit_events", audit_event_item(entry))
    log.info("audit %s user=%s subject=%s", event, user.user.user_id if user else "-", subject)


def audit_event_item(event: AuditEvent) -> dict[str, Any]:
    """Return the push item of ``docs/sync-api.md`` for one stored audit event.

    ``at`` is the stored text, unchanged, because the hash covers it. ``user_name`` is
    not among the item fields the server reads, but the hash covers it too, so it is
    sent for a server that checks the chain.
    """
    return {
        "seq": event.seq,
        "at": event.at,
        "user_id": event.user_id,
        "user_name": event.user_name,
        "workstation": event.workstation,
        "event": event.event,
        "subject": event.subject,
        "details": event.details,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
