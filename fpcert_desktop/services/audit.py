"""Writes to the append-only audit trail: every login, lock, query and print (谁使用谁负责)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from fpcert_desktop.services.context import UserSession, Workstation
from fpcert_desktop.storage.repositories import AuditLog

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
    AuditLog(session).append(
        event,
        user_id=user.user.user_id if user else None,
        user_name=user.user.name if user else "",
        workstation=workstation.code,
        subject=subject,
        details={**details, "host": workstation.hostname},
    )
    log.info("audit %s user=%s subject=%s", event, user.user.user_id if user else "-", subject)
