"""The append-only, hash-chained audit trail (谁使用谁负责: who uses it answers for it).

Each row's ``hash`` is the SHA-256 (hex) of its ``prev_hash`` followed by the canonical
JSON of its other columns (sorted keys, no spaces, UTF-8). The first row's
``prev_hash`` is 64 zeros. Editing, deleting or reordering a row breaks the chain at
that row. Database triggers reject UPDATE and DELETE on the table.

NOTE: removing the newest entries leaves a shorter chain that still verifies; only a
copy held elsewhere (the server's) can show that entries are missing at the end.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fpcert_desktop.storage.models import AuditEventRow

GENESIS_HASH = "0" * 64

# 17 digits and a check digit or X: the shape of a full resident ID number. Any run
# of 18 or more digits also matches, which errs on the side of rejecting.
_FULL_ID_NUMBER = re.compile(r"\d{17}[\dXx]")


@dataclass(frozen=True)
class AuditEvent:
    """One stored audit entry."""

    seq: int
    at: str
    user_id: int | None
    user_name: str
    workstation: str
    event: str
    subject: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainVerification:
    """Result of :meth:`AuditLog.verify_chain`; true when the chain is intact.

    ``first_broken_seq`` is the first entry whose hash or link does not match.
    """

    ok: bool
    first_broken_seq: int | None = None
    checked: int = 0

    def __bool__(self) -> bool:
        return self.ok


class AuditLog:
    """Appends to and checks the audit trail.

    Append inside ``Database.write_session()``, so that two writers cannot both
    read the same last hash.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def append(
        self,
        event: str,
        *,
        user_id: int | None,
        user_name: str,
        workstation: str,
        subject: str | int | None,
        details: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> AuditEvent:
        """Append one entry, chained to the last one.

        ``subject`` is a masked ID number or a person id. Raises ``ValueError`` when
        ``subject`` or any string or number inside ``details`` contains a full
        18-character ID number.
        """
        subject_text = None if subject is None else str(subject)
        details_dict = dict(details or {})
        reject_full_id_numbers("audit subject", subject_text)
        reject_full_id_numbers("audit details", details_dict)

        moment = (at or datetime.now(timezone.utc)).astimezone(timezone.utc)
        last = self._session.execute(
            select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc())
        ).first()
        seq = 1 if last is None else last.seq + 1
        prev_hash = GENESIS_HASH if last is None else last.hash

        fields = {
            "seq": seq,
            "at": moment.isoformat(timespec="microseconds"),
            "user_id": user_id,
            "user_name": user_name,
            "workstation": workstation,
            "event": event,
            "subject": subject_text,
            "details_json": _canonical_json(details_dict),
        }
        row_hash = compute_hash(prev_hash, fields)
        row = AuditEventRow(**fields, prev_hash=prev_hash, hash=row_hash)
        self._session.add(row)
        self._session.flush()
        return _to_event(row)

    def verify_chain(self) -> ChainVerification:
        """Recompute every hash in order and report the first entry that does not match."""
        prev_hash = GENESIS_HASH
        checked = 0
        expected_seq: int | None = None
        for row in self._session.scalars(select(AuditEventRow).order_by(AuditEventRow.seq)):
            fields = _hashed_fields(row)
            broken = (
                row.prev_hash != prev_hash
                or compute_hash(prev_hash, fields) != row.hash
                or (expected_seq is not None and row.seq != expected_seq)
            )
            if broken:
                return ChainVerification(False, row.seq, checked)
            prev_hash = row.hash
            expected_seq = row.seq + 1
            checked += 1
        return ChainVerification(True, None, checked)

    def recent(self, limit: int = 100) -> list[AuditEvent]:
        """Return the newest entries first."""
        query = select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(limit)
        return [_to_event(row) for row in self._session.scalars(query)]

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(AuditEventRow)) or 0


def compute_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """Return the hex SHA-256 of ``prev_hash`` followed by the canonical JSON of ``fields``."""
    payload = prev_hash + _canonical_json(dict(fields))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hashed_fields(row: AuditEventRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "user_id": row.user_id,
        "user_name": row.user_name,
        "workstation": row.workstation,
        "event": row.event,
        "subject": row.subject,
        "details_json": row.details_json,
    }


def _canonical_json(value: Any) -> str:
    # default=str stores dates and similar values as their ISO text.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def reject_full_id_numbers(where: str, value: Any) -> None:
    """Raise ``ValueError`` if ``value`` or any key or item inside it contains a full ID number.

    ``where`` names the value in the message, for example "audit subject".
    """
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, (str, int)):
        if _FULL_ID_NUMBER.search(str(value)):
            raise ValueError(f"{where} contains a full ID number; record the masked number instead")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            reject_full_id_numbers(where, key)
            reject_full_id_numbers(where, item)
        return
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            reject_full_id_numbers(where, item)
        return
    reject_full_id_numbers(where, str(value))


def _to_event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        seq=row.seq,
        at=row.at,
        user_id=row.user_id,
        user_name=row.user_name,
        workstation=row.workstation,
        event=row.event,
        subject=row.subject,
        details=json.loads(row.details_json),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
