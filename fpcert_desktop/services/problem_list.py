"""The problem list (问题名单): entries made by district and street administrators.

A person found to have had a birth outside the rules or to have handed in false
certificates or materials is listed after verification, with the supporting materials
filed by category and kept long-term, and the entry is fed back to the person's
community workstation. Every change needs a reason and is audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import china_date
from fpcert_desktop.domain.history import FeedbackState, ProblemCategory, ProblemListEntry
from fpcert_desktop.domain.idnumber import InvalidIdNumber, parse_id_number
from fpcert_desktop.domain.offices import OfficeLevel
from fpcert_desktop.domain.users import Role
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.services import audit
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.storage.repositories import (
    OutboxRepository,
    PeopleRepository,
    ProblemListRepository,
)

log = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 2000

_NOT_ADMINISTRATOR = QT_TRANSLATE_NOOP(
    "ProblemList",
    "Only the administrator of a district or street office may change the problem list. "
    "Ask your office's administrator.",
)
_NOT_REGISTERED = QT_TRANSLATE_NOOP(
    "ProblemList",
    "No record with ID number {masked} is held here, so it cannot be listed. Check the "
    "number against the verified materials.",
)
_FUTURE_DATE = QT_TRANSLATE_NOOP(
    "ProblemList",
    "The listing date {listed_on} is after today ({today}). Enter the date the facts were "
    "verified.",
)
_TEXT_MISSING = QT_TRANSLATE_NOOP(
    "ProblemList",
    "Describe the facts found and where the supporting materials are filed (at most "
    "{limit} characters each); both are required.",
)
_REASON_MISSING = QT_TRANSLATE_NOOP(
    "ProblemList",
    "Type the reason for removing or correcting the entry; it is kept with the entry's history.",
)
_ENTRY_GONE = QT_TRANSLATE_NOOP("ProblemList", "Problem-list entry {entry} was not found.")
_OUTSIDE_AREA = QT_TRANSLATE_NOOP(
    "ProblemList",
    "Entry {entry} was made by office {office}, outside your office's area, so you may "
    "not change it.",
)


@dataclass(frozen=True)
class ProblemLine:
    """One row of the problem-list page."""

    entry: ProblemListEntry
    name: str
    masked_id_number: str


class ProblemListService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def add(
        self,
        session: UserSession,
        id_number: str,
        category: ProblemCategory,
        listed_on: date,
        facts: str,
        materials_location: str,
    ) -> ProblemListEntry:
        self._require_administrator(session)
        try:
            parsed = parse_id_number(id_number)
        except InvalidIdNumber as error:
            raise ServiceError(error.message, code=f"invalid_id_number:{error.reason}") from error
        today = self._today()
        if listed_on > today:
            raise ServiceError(
                _FUTURE_DATE.format(listed_on=listed_on.isoformat(), today=today.isoformat()),
                code="future_date",
            )
        facts, materials_location = _checked_text(facts), _checked_text(materials_location)
        with self._context.database.write_session() as db:
            person = PeopleRepository(db).get_by_id_number(parsed.value)
            if person is None:
                raise ServiceError(
                    _NOT_REGISTERED.format(masked=parsed.masked), code="person_not_found"
                )
            entry = ProblemListRepository(db).add(
                person.person_id,
                category,
                listed_on,
                facts,
                materials_location,
                session.user.user_id,
                session.office.code,
                at=self._context.clock(),
            )
            _queue_push(db, entry, session, id_number=parsed.value)
            audit.record(
                db,
                "problem_add",
                workstation=session.workstation,
                user=session,
                subject=parsed.masked,
                entry=entry.entry_id,
                category=category.value,
                listed_on=listed_on.isoformat(),
            )
        log.info("problem-list entry %s added", entry.entry_id)
        return entry

    def search(
        self,
        session: UserSession,
        *,
        category: ProblemCategory | None = None,
        include_removed: bool = False,
    ) -> list[ProblemLine]:
        """List the entries made within the user's office area, streets included for a district."""
        with self._context.database.write_session() as db:
            entries = ProblemListRepository(db).search(
                office_code_prefix=_area_prefix(session),
                category=category,
                include_removed=include_removed,
            )
            people = PeopleRepository(db)
            lines = []
            for entry in entries:
                person = people.get(entry.person_id)
                lines.append(
                    ProblemLine(
                        entry=entry,
                        name=person.name if person else "",
                        masked_id_number=parse_id_number(person.id_number).masked if person else "",
                    )
                )
            audit.record(
                db,
                "problem_search",
                workstation=session.workstation,
                user=session,
                subject=f"office:{_area_prefix(session)}",
                results=len(lines),
            )
        return lines

    def remove(self, session: UserSession, entry_id: int, reason: str) -> ProblemListEntry:
        reason = _checked_reason(reason)
        self._require_administrator(session)
        with self._context.database.write_session() as db:
            repository = ProblemListRepository(db)
            self._require_in_area(session, repository.get(entry_id), entry_id)
            entry = repository.remove(
                entry_id,
                user_id=session.user.user_id,
                reason=reason,
                on=self._today(),
                at=self._context.clock(),
            )
            _queue_push(db, entry, session)
            audit.record(
                db,
                "problem_remove",
                workstation=session.workstation,
                user=session,
                subject=f"person:{entry.person_id}",
                entry=entry_id,
                reason=reason,
            )
        return entry

    def correct(
        self,
        session: UserSession,
        entry_id: int,
        reason: str,
        *,
        facts: str | None = None,
        materials_location: str | None = None,
        listed_on: date | None = None,
        category: ProblemCategory | None = None,
    ) -> ProblemListEntry:
        reason = _checked_reason(reason)
        self._require_administrator(session)
        changes: dict[str, object] = {}
        if facts is not None:
            changes["facts"] = _checked_text(facts)
        if materials_location is not None:
            changes["materials_location"] = _checked_text(materials_location)
        if listed_on is not None:
            today = self._today()
            if listed_on > today:
                raise ServiceError(
                    _FUTURE_DATE.format(listed_on=listed_on.isoformat(), today=today.isoformat()),
                    code="future_date",
                )
            changes["listed_on"] = listed_on
        if category is not None:
            changes["category"] = category
        with self._context.database.write_session() as db:
            repository = ProblemListRepository(db)
            before = repository.get(entry_id)
            self._require_in_area(session, before, entry_id)
            assert before is not None
            entry = repository.correct(
                entry_id,
                user_id=session.user.user_id,
                reason=reason,
                at=self._context.clock(),
                **changes,
            )
            if (before.category, before.listed_on) != (entry.category, entry.listed_on):
                # The server identifies a listing by office, person, category and date, so
                # end the listing under its old category or date there, then send the new one.
                ended = replace(before, removed_on=self._today(), removal_reason=reason)
                _queue_push(db, ended, session)
            _queue_push(db, entry, session)
            audit.record(
                db,
                "problem_correct",
                workstation=session.workstation,
                user=session,
                subject=f"person:{entry.person_id}",
                entry=entry_id,
                reason=reason,
                fields=sorted(changes),
            )
        return entry

    def set_feedback(
        self, session: UserSession, entry_id: int, state: FeedbackState
    ) -> ProblemListEntry:
        self._require_administrator(session)
        with self._context.database.write_session() as db:
            repository = ProblemListRepository(db)
            self._require_in_area(session, repository.get(entry_id), entry_id)
            entry = repository.set_feedback(
                entry_id, state, user_id=session.user.user_id, at=self._context.clock()
            )
            _queue_push(db, entry, session)
            audit.record(
                db,
                "problem_feedback",
                workstation=session.workstation,
                user=session,
                subject=f"person:{entry.person_id}",
                entry=entry_id,
                state=state.value,
            )
        return entry

    def _require_administrator(self, session: UserSession) -> None:
        if session.user.role is not Role.ADMINISTRATOR or session.office.level not in (
            OfficeLevel.DISTRICT,
            OfficeLevel.STREET,
        ):
            raise ServiceError(_NOT_ADMINISTRATOR.format(), code="not_administrator")

    def _require_in_area(
        self, session: UserSession, entry: ProblemListEntry | None, entry_id: int
    ) -> None:
        if entry is None:
            raise ServiceError(_ENTRY_GONE.format(entry=entry_id), code="not_found")
        if not entry.office_code.startswith(_area_prefix(session)):
            raise ServiceError(
                _OUTSIDE_AREA.format(entry=entry_id, office=entry.office_code),
                code="outside_area",
            )

    def _today(self) -> date:
        return china_date(self._context.clock())


def problem_list_item(entry: ProblemListEntry, id_number: str, user_id: int) -> dict[str, Any]:
    """Return the ``problem_list`` push item: a snapshot of the entry and who changed it."""
    return {
        "entry_id": entry.entry_id,
        "id_number": id_number,
        "category": entry.category.value,
        "listed_on": entry.listed_on.isoformat(),
        "facts": entry.facts,
        "materials_location": entry.materials_location,
        "entered_by": entry.entered_by,
        "office_code": entry.office_code,
        "feedback_state": entry.feedback_state.value,
        "removed_on": None if entry.removed_on is None else entry.removed_on.isoformat(),
        "removal_reason": entry.removal_reason,
        "user_id": user_id,
    }


def _queue_push(
    db: Session, entry: ProblemListEntry, session: UserSession, *, id_number: str = ""
) -> None:
    """Queue the entry's snapshot for the server in the transaction of the change."""
    if not id_number:
        person = PeopleRepository(db).get(entry.person_id)
        if person is None:
            raise ServiceError(_ENTRY_GONE.format(entry=entry.entry_id), code="not_found")
        id_number = person.id_number
    OutboxRepository(db).add(
        "problem_list", problem_list_item(entry, id_number, session.user.user_id)
    )


def _area_prefix(session: UserSession) -> str:
    """Return the division-code prefix of the user's area: a district covers its streets."""
    return session.office.code


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text or len(text) > MAX_TEXT_LENGTH:
        raise ServiceError(_TEXT_MISSING.format(limit=MAX_TEXT_LENGTH), code="text_missing")
    return text


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > MAX_TEXT_LENGTH:
        raise ServiceError(_REASON_MISSING.format(), code="reason_missing")
    return reason
