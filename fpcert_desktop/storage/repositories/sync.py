"""Sync bookkeeping: stream cursors, quarantined records and the outbox of pushes."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import utc_now
from fpcert_desktop.domain.history import Institution
from fpcert_desktop.domain.idnumber import mask_id_number
from fpcert_desktop.storage.models import (
    InstitutionRow,
    OutboxRow,
    SyncQuarantineRow,
    SyncStreamRow,
)
from fpcert_desktop.storage.repositories._checks import as_utc

# 18-character and legacy 15-digit ID numbers that are not part of a longer run.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


@dataclass(frozen=True)
class StreamState:
    """The stored position of one pull stream."""

    stream: str
    cursor: str | None
    as_of: datetime | None
    last_success_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class QuarantinedRecord:
    """A pulled record that was not applied; ``payload`` has every ID number masked."""

    id: int
    stream: str
    entity_id: str
    reason: str
    payload: Any
    received_at: datetime


@dataclass(frozen=True)
class OutboxItem:
    uuid: str
    kind: str
    payload: dict[str, Any]
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None


class SyncStateRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, stream: str) -> StreamState | None:
        row = self._session.get(SyncStreamRow, stream)
        if row is None:
            return None
        return StreamState(
            stream=row.stream,
            cursor=row.cursor,
            as_of=row.as_of,
            last_success_at=row.last_success_at,
            last_error=row.last_error,
        )

    def cursor(self, stream: str) -> str | None:
        state = self.get(stream)
        return None if state is None else state.cursor

    def data_as_of(self, stream: str) -> datetime | None:
        """Return the server time that the applied pages of ``stream`` reflect, or None."""
        state = self.get(stream)
        return None if state is None else state.as_of

    def set_position(
        self, stream: str, cursor: str | None, as_of: datetime, *, at: datetime | None = None
    ) -> None:
        """Store the cursor and ``as_of`` of an applied page and clear the last error."""
        row = self._row(stream)
        row.cursor = cursor
        row.as_of = as_utc(as_of)
        row.last_success_at = as_utc(at or utc_now())
        row.last_error = None
        self._session.flush()

    def set_error(self, stream: str, error: str) -> None:
        """Record why the last pull of ``stream`` failed; the cursor stays where it was."""
        row = self._row(stream)
        row.last_error = mask_id_numbers(error)
        self._session.flush()

    def all(self) -> list[StreamState]:
        streams = self._session.scalars(select(SyncStreamRow.stream).order_by(SyncStreamRow.stream))
        states = [self.get(stream) for stream in streams]
        return [state for state in states if state is not None]

    def _row(self, stream: str) -> SyncStreamRow:
        row = self._session.get(SyncStreamRow, stream)
        if row is None:
            row = SyncStreamRow(stream=stream)
            self._session.add(row)
        return row


class QuarantineRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        stream: str,
        entity_id: str,
        reason: str,
        payload: Any,
        *,
        received_at: datetime | None = None,
    ) -> QuarantinedRecord:
        """Keep a record that was not applied. Every ID number in it is masked first."""
        row = SyncQuarantineRow(
            stream=stream,
            entity_id=mask_id_numbers(str(entity_id)),
            reason=mask_id_numbers(reason),
            payload_json=json.dumps(mask_payload(payload), ensure_ascii=False, sort_keys=True),
            received_at=as_utc(received_at or utc_now()),
        )
        self._session.add(row)
        self._session.flush()
        return _to_quarantined(row)

    def list(self, stream: str | None = None, *, limit: int = 1000) -> list[QuarantinedRecord]:
        """List quarantined records, newest first, optionally of one stream."""
        query = select(SyncQuarantineRow)
        if stream is not None:
            query = query.where(SyncQuarantineRow.stream == stream)
        query = query.order_by(SyncQuarantineRow.id.desc()).limit(limit)
        return [_to_quarantined(row) for row in self._session.scalars(query)]

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(SyncQuarantineRow)) or 0


class OutboxRepository:
    """Items to push. Write them in the transaction of the change they report.

    An item is pending until it is marked sent. A rejected item keeps the server's
    reason in ``last_error`` and is no longer pending, because the server would reject
    it again. It stays in the table for IT to look at.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, kind: str, payload: Mapping[str, Any], *, at: datetime | None = None) -> str:
        """Queue ``payload`` for ``POST /v1/push/{kind}`` and return the item's new UUID4."""
        item_uuid = str(uuid.uuid4())
        self._session.add(
            OutboxRow(
                uuid=item_uuid,
                kind=kind,
                payload_json=json.dumps(dict(payload), ensure_ascii=False, sort_keys=True),
                created_at=as_utc(at or utc_now()),
                attempts=0,
            )
        )
        self._session.flush()
        return item_uuid

    def pending(
        self, kind: str, limit: int = 500, *, user_id: int | None = None
    ) -> list[OutboxItem]:
        """Return the oldest unsent, unrejected items of ``kind``, at most ``limit``.

        With ``user_id``, only items whose payload names that user, because the server
        accepts an item only from the session of the clerk it names.
        """
        query = select(OutboxRow).where(
            OutboxRow.kind == kind,
            OutboxRow.sent_at.is_(None),
            OutboxRow.last_error.is_(None),
        )
        if user_id is not None:
            query = query.where(func.json_extract(OutboxRow.payload_json, "$.user_id") == user_id)
        query = query.order_by(OutboxRow.created_at, OutboxRow.uuid).limit(limit)
        return [_to_item(row) for row in self._session.scalars(query)]

    def rejected(self, kind: str | None = None) -> list[OutboxItem]:
        query = select(OutboxRow).where(
            OutboxRow.sent_at.is_(None), OutboxRow.last_error.is_not(None)
        )
        if kind is not None:
            query = query.where(OutboxRow.kind == kind)
        query = query.order_by(OutboxRow.created_at, OutboxRow.uuid)
        return [_to_item(row) for row in self._session.scalars(query)]

    def mark_sent(self, uuids: Iterable[str], *, at: datetime | None = None) -> int:
        """Mark items as received by the server; returns how many rows changed."""
        ids = list(uuids)
        if not ids:
            return 0
        statement = (
            update(OutboxRow)
            .where(OutboxRow.uuid.in_(ids), OutboxRow.sent_at.is_(None))
            .values(
                sent_at=as_utc(at or utc_now()),
                attempts=OutboxRow.attempts + 1,
                last_error=None,
            )
        )
        return self._session.execute(statement).rowcount  # type: ignore[attr-defined, no-any-return]

    def mark_failed(self, uuids: Iterable[str], error: str) -> int:
        """Record a rejection with the server's reason; returns how many rows changed."""
        ids = list(uuids)
        if not ids:
            return 0
        statement = (
            update(OutboxRow)
            .where(OutboxRow.uuid.in_(ids), OutboxRow.sent_at.is_(None))
            .values(attempts=OutboxRow.attempts + 1, last_error=mask_id_numbers(error))
        )
        return self._session.execute(statement).rowcount  # type: ignore[attr-defined, no-any-return]

    def count_pending(self, kind: str | None = None) -> int:
        query = (
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.sent_at.is_(None), OutboxRow.last_error.is_(None))
        )
        if kind is not None:
            query = query.where(OutboxRow.kind == kind)
        return self._session.scalar(query) or 0

    def get(self, item_uuid: str) -> OutboxItem | None:
        row = self._session.get(OutboxRow, item_uuid)
        return None if row is None else _to_item(row)


def synced_institutions(session: Session) -> tuple[Institution, ...]:
    """Return the institutions pulled from the server, ordered by code; empty before a sync."""
    rows = session.scalars(select(InstitutionRow).order_by(InstitutionRow.code))
    return tuple(Institution(row.code, row.name, row.district_code) for row in rows)


def mask_id_numbers(text: str) -> str:
    """Replace every full ID number in ``text`` by its masked form."""
    return _ID_NUMBER.sub(lambda match: mask_id_number(match.group(0)), text)


def mask_payload(value: Any) -> Any:
    """Copy a JSON-like value with every full ID number in its strings masked."""
    if isinstance(value, str):
        return mask_id_numbers(value)
    if isinstance(value, Mapping):
        return {mask_id_numbers(str(key)): mask_payload(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_payload(item) for item in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return mask_id_numbers(str(value))


def _to_quarantined(row: SyncQuarantineRow) -> QuarantinedRecord:
    return QuarantinedRecord(
        id=row.id,
        stream=row.stream,
        entity_id=row.entity_id,
        reason=row.reason,
        payload=json.loads(row.payload_json),
        received_at=row.received_at,
    )


def _to_item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        uuid=row.uuid,
        kind=row.kind,
        payload=json.loads(row.payload_json),
        created_at=row.created_at,
        sent_at=row.sent_at,
        attempts=row.attempts,
        last_error=row.last_error,
    )
