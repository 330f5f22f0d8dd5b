"""Input checks and query clauses shared by the repositories."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import InstrumentedAttribute

from fpcert_desktop.storage.repositories.audit import reject_full_id_numbers

# The highest code point: every string that starts with a prefix sorts below
# prefix + this character, so [prefix, prefix + MAX) is the index range of the prefix.
MAX_CHARACTER = "\U0010ffff"


def require_text(value: str, name: str) -> str:
    """Return ``value`` stripped of surrounding white space.

    Raises ``ValueError`` when it is empty or contains a full ID number, because these
    texts are copied into change rows and audit details, which hold masked numbers only.
    """
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValueError(f"{name} is missing. Enter a non-empty {name}")
    reject_full_id_numbers(name, text)
    return text


def as_utc(moment: datetime) -> datetime:
    """Convert an aware datetime to UTC. Raises ``ValueError`` for a naive one."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} given; pass an aware datetime")
    return moment.astimezone(timezone.utc)


def starts_with(column: InstrumentedAttribute[Any], prefix: str) -> ColumnElement[bool]:
    """Match codes that start with ``prefix`` through an index range, not ``LIKE``."""
    return and_(column >= prefix, column < prefix + MAX_CHARACTER)
