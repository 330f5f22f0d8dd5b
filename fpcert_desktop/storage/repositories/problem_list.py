"""The problem list (问题名单) and the history of every change to it.

An entry is never deleted: removing it sets ``removed_on`` and its reason. Each add,
correction, removal and feedback update writes a ``problem_list_changes`` row with the
entry as JSON before and after, because a correction or removal has to be justified.
Free texts (facts, materials location, reasons) may not contain a full ID number,
because they are copied into those rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.history import FeedbackState, ProblemCategory, ProblemListEntry
from fpcert_desktop.storage.models import ProblemListChangeRow, ProblemListEntryRow
from fpcert_desktop.storage.repositories._checks import as_utc, require_text, starts_with

# The fields that correct() may change. person_id is not among them: an entry for the
# wrong person is removed and a new one added.
CORRECTABLE_FIELDS = ("category", "listed_on", "facts", "materials_location", "office_code")


class ChangeAction(str, Enum):
    """The kind of change that a ``problem_list_changes`` row records."""

    ADD = "add"
    CORRECT = "correct"
    REMOVE = "remove"
    FEEDBACK = "feedback"


@dataclass(frozen=True)
class ProblemListChange:
    """One stored change. ``before`` is None for ADD, and both are entry snapshots otherwise."""

    change_id: int
    entry_id: int
    changed_at: datetime
    user_id: int
    action: ChangeAction
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ProblemListRepository:
    """Problem-list entries of one session. Every write also appends a change row."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        person_id: int,
        category: ProblemCategory | str,
        listed_on: date,
        facts: str,
        materials_location: str,
        entered_by: int,
        office_code: str,
        *,
        at: datetime,
    ) -> ProblemListEntry:
        """Insert an entry with feedback PENDING and record the ADD change.

        Raises ``ValueError`` for an unknown category, or for ``facts`` or
        ``materials_location`` that is empty or contains a full ID number.
        """
        moment = as_utc(at)
        row = ProblemListEntryRow(
            person_id=person_id,
            category=ProblemCategory(category).value,
            listed_on=listed_on,
            facts=require_text(facts, "facts"),
            materials_location=require_text(materials_location, "materials location"),
            entered_by=entered_by,
            office_code=office_code,
            feedback_state=FeedbackState.PENDING.value,
            created_at=moment,
            updated_at=moment,
        )
        self._session.add(row)
        self._session.flush()
        self._record(row, ChangeAction.ADD, user_id=entered_by, at=moment, before=None)
        return _to_entry(row)

    def correct(
        self, entry_id: int, *, user_id: int, reason: str, at: datetime, **fields: Any
    ) -> ProblemListEntry:
        """Change some of :data:`CORRECTABLE_FIELDS` of an active entry and record why.

        Raises ``ValueError`` for an empty reason, no fields, a field outside
        :data:`CORRECTABLE_FIELDS` or a removed entry, and ``LookupError`` for an
        unknown ``entry_id``.
        """
        text = require_text(reason, "correction reason")
        unknown = sorted(set(fields) - set(CORRECTABLE_FIELDS))
        if unknown:
            raise ValueError(
                f"cannot correct {', '.join(unknown)}, "
                f"expected only {', '.join(CORRECTABLE_FIELDS)}"
            )
        if not fields:
            raise ValueError(
                f"no fields to correct given, expected some of {', '.join(CORRECTABLE_FIELDS)}"
            )
        values = _checked_corrections(fields)

        row = self._require(entry_id)
        if row.removed_on is not None:
            raise ValueError(f"problem-list entry {entry_id} was removed and cannot be corrected")
        before = _snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        moment = as_utc(at)
        row.updated_at = moment
        self._session.flush()
        self._record(
            row, ChangeAction.CORRECT, user_id=user_id, at=moment, before=before, reason=text
        )
        return _to_entry(row)

    def remove(
        self, entry_id: int, *, user_id: int, reason: str, on: date, at: datetime
    ) -> ProblemListEntry:
        """Mark an entry removed from ``on`` with its reason. The row itself stays.

        Raises ``ValueError`` for an empty reason or an entry already removed.
        """
        text = require_text(reason, "removal reason")
        row = self._require(entry_id)
        if row.removed_on is not None:
            raise ValueError(
                f"problem-list entry {entry_id} was already removed on {row.removed_on}"
            )
        before = _snapshot(row)
        moment = as_utc(at)
        row.removed_on = on
        row.removal_reason = text
        row.updated_at = moment
        self._session.flush()
        self._record(
            row, ChangeAction.REMOVE, user_id=user_id, at=moment, before=before, reason=text
        )
        return _to_entry(row)

    def set_feedback(
        self, entry_id: int, state: FeedbackState | str, *, user_id: int, at: datetime
    ) -> ProblemListEntry:
        """Record whether the entry has been fed back to the person's community workstation."""
        new_state = FeedbackState(state)
        row = self._require(entry_id)
        before = _snapshot(row)
        moment = as_utc(at)
        row.feedback_state = new_state.value
        row.feedback_updated_at = moment
        row.updated_at = moment
        self._session.flush()
        self._record(row, ChangeAction.FEEDBACK, user_id=user_id, at=moment, before=before)
        return _to_entry(row)

    def get(self, entry_id: int) -> ProblemListEntry | None:
        row = self._session.get(ProblemListEntryRow, entry_id)
        return None if row is None else _to_entry(row)

    def for_person(
        self, person_id: int, *, include_removed: bool = False
    ) -> list[ProblemListEntry]:
        """List the person's entries, oldest listing first."""
        query = select(ProblemListEntryRow).where(ProblemListEntryRow.person_id == person_id)
        if not include_removed:
            query = query.where(ProblemListEntryRow.removed_on.is_(None))
        query = query.order_by(ProblemListEntryRow.listed_on, ProblemListEntryRow.entry_id)
        return [_to_entry(row) for row in self._session.scalars(query)]

    def search(
        self,
        *,
        office_code_prefix: str | None = None,
        category: ProblemCategory | str | None = None,
        listed_from: date | None = None,
        listed_to: date | None = None,
        include_removed: bool = False,
        limit: int = 200,
    ) -> list[ProblemListEntry]:
        """List entries by the office that entered them, category and listing date.

        ``listed_from`` and ``listed_to`` are both inclusive. Newest listing first, at
        most ``limit`` entries.
        """
        if limit <= 0:
            return []
        query = select(ProblemListEntryRow)
        if office_code_prefix:
            query = query.where(starts_with(ProblemListEntryRow.office_code, office_code_prefix))
        if category is not None:
            query = query.where(ProblemListEntryRow.category == ProblemCategory(category).value)
        if listed_from is not None:
            query = query.where(ProblemListEntryRow.listed_on >= listed_from)
        if listed_to is not None:
            query = query.where(ProblemListEntryRow.listed_on <= listed_to)
        if not include_removed:
            query = query.where(ProblemListEntryRow.removed_on.is_(None))
        query = query.order_by(
            ProblemListEntryRow.listed_on.desc(), ProblemListEntryRow.entry_id.desc()
        ).limit(limit)
        return [_to_entry(row) for row in self._session.scalars(query)]

    def changes(self, entry_id: int) -> list[ProblemListChange]:
        """List the changes of one entry in the order they were made."""
        query = (
            select(ProblemListChangeRow)
            .where(ProblemListChangeRow.entry_id == entry_id)
            .order_by(ProblemListChangeRow.change_id)
        )
        return [_to_change(row) for row in self._session.scalars(query)]

    def _record(
        self,
        row: ProblemListEntryRow,
        action: ChangeAction,
        *,
        user_id: int,
        at: datetime,
        before: dict[str, Any] | None,
        reason: str | None = None,
    ) -> None:
        change = ProblemListChangeRow(
            entry_id=row.entry_id,
            changed_at=at,
            user_id=user_id,
            action=action.value,
            reason=reason,
            before_json=None if before is None else _dump(before),
            after_json=_dump(_snapshot(row)),
        )
        self._session.add(change)
        self._session.flush()

    def _require(self, entry_id: int) -> ProblemListEntryRow:
        row = self._session.get(ProblemListEntryRow, entry_id)
        if row is None:
            raise LookupError(f"problem-list entry {entry_id} not found")
        return row


def _checked_corrections(fields: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "category":
            values[name] = ProblemCategory(value).value
        elif name == "listed_on":
            if not isinstance(value, date):
                raise ValueError(f"listed_on must be a date, not {value!r}")
            values[name] = value
        else:
            values[name] = require_text(value, name.replace("_", " "))
    return values


def _snapshot(row: ProblemListEntryRow) -> dict[str, Any]:
    # The person is referred to by person_id only, never by ID number.
    return {
        "entry_id": row.entry_id,
        "person_id": row.person_id,
        "category": row.category,
        "listed_on": row.listed_on.isoformat(),
        "facts": row.facts,
        "materials_location": row.materials_location,
        "entered_by": row.entered_by,
        "office_code": row.office_code,
        "feedback_state": row.feedback_state,
        "removed_on": None if row.removed_on is None else row.removed_on.isoformat(),
        "removal_reason": row.removal_reason,
    }


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _to_entry(row: ProblemListEntryRow) -> ProblemListEntry:
    return ProblemListEntry(
        entry_id=row.entry_id,
        person_id=row.person_id,
        category=ProblemCategory(row.category),
        listed_on=row.listed_on,
        facts=row.facts,
        materials_location=row.materials_location,
        entered_by=row.entered_by,
        office_code=row.office_code,
        feedback_state=FeedbackState(row.feedback_state),
        removed_on=row.removed_on,
        removal_reason=row.removal_reason or "",
    )


def _to_change(row: ProblemListChangeRow) -> ProblemListChange:
    return ProblemListChange(
        change_id=row.change_id,
        entry_id=row.entry_id,
        changed_at=row.changed_at,
        user_id=row.user_id,
        action=ChangeAction(row.action),
        reason=row.reason,
        before=None if row.before_json is None else json.loads(row.before_json),
        after=None if row.after_json is None else json.loads(row.after_json),
    )
