"""The JSON shapes of the sync API as typed values, and their parsing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

# Pull order: offices before the users and institutions that refer to them, people
# before the problem list that names them by ID number.
STREAMS = ("offices", "users", "institutions", "policies", "people", "problem_list")
PUSH_KINDS = ("issuances", "voids", "reprints", "problem_list", "referrals", "audit_events")
MAX_PAGE_SIZE = 5000
MAX_PUSH_ITEMS = 500


class ProtocolError(ValueError):
    """A server response that does not have the shape of docs/sync-api.md."""


@dataclass(frozen=True)
class PulledItem:
    op: str
    id: str
    version: int
    data: Mapping[str, Any] | None


@dataclass(frozen=True)
class PulledPage:
    stream: str
    items: tuple[PulledItem, ...]
    next_cursor: str | None
    has_more: bool
    as_of: datetime


@dataclass(frozen=True)
class Rejection:
    uuid: str
    reason: str


@dataclass(frozen=True)
class PushResult:
    accepted: tuple[str, ...]
    duplicates: tuple[str, ...]
    rejected: tuple[Rejection, ...]


@dataclass(frozen=True)
class ClerkSession:
    """A clerk session on the server; ``token`` goes into the X-Clerk-Session header."""

    token: str
    user_id: int
    expires_at: datetime

    def __repr__(self) -> str:
        return f"ClerkSession(user_id={self.user_id}, expires_at={self.expires_at.isoformat()})"


@dataclass(frozen=True)
class WorkstationCredentials:
    """The workstation id and secret from enrolment; ``repr`` hides the secret."""

    workstation_id: str
    secret: str

    @property
    def bearer(self) -> str:
        return f"{self.workstation_id}.{self.secret}"

    def __repr__(self) -> str:
        return f"WorkstationCredentials(workstation_id={self.workstation_id!r}, secret=<hidden>)"


def parse_time(value: Any) -> datetime:
    """Parse an ISO 8601 UTC time such as ``2026-12-04T02:00:00Z`` into an aware datetime."""
    if not isinstance(value, str):
        raise ProtocolError(f"expected an ISO 8601 time, got {value!r}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ProtocolError(f"invalid ISO 8601 time {value!r}") from None
    if moment.tzinfo is None:
        raise ProtocolError(f"time {value!r} has no zone; the API sends UTC with a Z")
    return moment.astimezone(timezone.utc)


def parse_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ProtocolError(f"expected an ISO 8601 date, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ProtocolError(f"invalid ISO 8601 date {value!r}") from None


def format_time(moment: datetime) -> str:
    """Format an aware datetime as the API writes times: UTC with a ``Z``."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} given; pass an aware datetime")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_page(body: Any, stream: str) -> PulledPage:
    """Check and convert the body of ``GET /v1/streams/{stream}``."""
    if not isinstance(body, Mapping):
        raise ProtocolError("the page is not a JSON object")
    if body.get("stream") != stream:
        raise ProtocolError(f"asked for stream {stream!r}, got {body.get('stream')!r}")
    raw_items = body.get("items")
    if not isinstance(raw_items, list):
        raise ProtocolError("the page has no list of items")
    items = tuple(_parse_item(raw) for raw in raw_items)
    next_cursor = body.get("next_cursor")
    if next_cursor is not None and not isinstance(next_cursor, str):
        raise ProtocolError("next_cursor is not a string")
    has_more = body.get("has_more")
    if not isinstance(has_more, bool):
        raise ProtocolError("has_more is not true or false")
    if has_more and next_cursor is None:
        raise ProtocolError("has_more is true but next_cursor is missing")
    return PulledPage(stream, items, next_cursor, has_more, parse_time(body.get("as_of")))


def parse_push_result(body: Any) -> PushResult:
    """Check and convert the body of ``POST /v1/push/{kind}``."""
    if not isinstance(body, Mapping):
        raise ProtocolError("the push result is not a JSON object")
    accepted = _strings(body.get("accepted"), "accepted")
    duplicates = _strings(body.get("duplicates"), "duplicates")
    raw_rejected = body.get("rejected")
    if not isinstance(raw_rejected, list):
        raise ProtocolError("rejected is not a list")
    rejected = []
    for entry in raw_rejected:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("uuid"), str):
            raise ProtocolError("an entry of rejected has no uuid")
        rejected.append(Rejection(entry["uuid"], str(entry.get("reason", ""))))
    return PushResult(accepted, duplicates, tuple(rejected))


def _parse_item(raw: Any) -> PulledItem:
    if not isinstance(raw, Mapping):
        raise ProtocolError("an item is not a JSON object")
    op = raw.get("op")
    if op not in ("upsert", "delete"):
        raise ProtocolError(f"item op {op!r} is neither upsert nor delete")
    item_id = raw.get("id")
    if not isinstance(item_id, (str, int)) or isinstance(item_id, bool):
        raise ProtocolError(f"item id {item_id!r} is not a string")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProtocolError(f"item version {version!r} is not a whole number")
    data = raw.get("data")
    if op == "upsert" and not isinstance(data, Mapping):
        raise ProtocolError(f"upsert of item {item_id} has no data object")
    return PulledItem(op, str(item_id), version, data if op == "upsert" else None)


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ProtocolError(f"{name} is not a list of strings")
    return tuple(value)
