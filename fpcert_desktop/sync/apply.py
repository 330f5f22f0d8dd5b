"""Apply one pulled page to the local database in one write transaction.

Every record is validated first. A record that fails validation, or that the database
rejects, goes to ``sync_quarantine`` with the reason and the rest of the page is still
applied. The stream's cursor and ``as_of`` are stored in the same transaction, so a
crash leaves either the whole page applied or none of it, and the page is pulled again.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import utc_now
from fpcert_desktop.domain.history import FeedbackState, ProblemCategory
from fpcert_desktop.domain.idnumber import InvalidIdNumber, parse_id_number
from fpcert_desktop.domain.offices import OfficeLevel
from fpcert_desktop.domain.people import HukouCategory, MaritalStatus, PopulationType, Sex
from fpcert_desktop.domain.users import Role
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.models import (
    ChildRow,
    InstitutionRow,
    IssuanceRow,
    OfficeRow,
    PersonRow,
    PolicyRow,
    PregnancyRow,
    ProblemListEntryRow,
    ReferralRow,
    UserRow,
)
from fpcert_desktop.storage.repositories import QuarantineRepository, SyncStateRepository
from fpcert_desktop.sync.protocol import (
    STREAMS,
    ProtocolError,
    PulledItem,
    PulledPage,
    parse_date,
    parse_time,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

log = logging.getLogger(__name__)


class InvalidRecord(ValueError):
    """A pulled record that must not be applied; the text is the quarantine reason."""


@dataclass
class ApplyReport:
    """Counts of the records one page upserted, deleted and quarantined."""

    stream: str
    upserted: int = 0
    deleted: int = 0
    quarantined: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return self.upserted + self.deleted


_Handler = Callable[[Session, PulledItem, datetime], None]


def apply_page(database: Database, stream: str, page: PulledPage) -> ApplyReport:
    """Apply ``page`` of ``stream`` and store its cursor, all in one write transaction."""
    if stream not in STREAMS:
        raise ValueError(f"unknown stream {stream!r}; known streams: {', '.join(STREAMS)}")
    if page.stream != stream:
        raise ValueError(f"page of stream {page.stream!r} given for stream {stream!r}")
    upsert, remove = _HANDLERS[stream]
    report = ApplyReport(stream)
    upserted_people: list[int] = []

    with database.write_session() as session:
        quarantine = QuarantineRepository(session)
        for item in page.items:
            handler = upsert if item.op == "upsert" else remove
            # A savepoint per record, so a record the database rejects leaves no trace.
            savepoint = session.begin_nested()
            try:
                handler(session, item, page.as_of)
                session.flush()
                savepoint.commit()
            except (InvalidRecord, ProtocolError, IntegrityError) as error:
                savepoint.rollback()
                reason = _reason(error)
                quarantine.add(stream, item.id, reason, _payload(item))
                report.quarantined += 1
                report.reasons.append(f"{stream} {item.id}: {reason}")
                log.warning("quarantined %s record %s: %s", stream, item.id, reason)
                continue
            if item.op == "upsert":
                report.upserted += 1
                if stream == "people":
                    upserted_people.append(int(item.id))
            else:
                report.deleted += 1
        _link_waiting_spouses(session, upserted_people)
        SyncStateRepository(session).set_position(stream, page.next_cursor, page.as_of)
    return report


def _reason(error: Exception) -> str:
    if isinstance(error, IntegrityError):
        return f"the database rejected the record: {error.orig}"
    if isinstance(error, InvalidIdNumber):
        return f"invalid ID number ({error.reason})"
    return str(error)


def _payload(item: PulledItem) -> dict[str, Any]:
    return {"op": item.op, "id": item.id, "version": item.version, "data": item.data}


# Field checks -----------------------------------------------------------------------


def _data(item: PulledItem) -> Mapping[str, Any]:
    if item.data is None:
        raise InvalidRecord("upsert without data")
    return item.data


def _text(data: Mapping[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if optional:
            return None
        raise InvalidRecord(f"{key} is missing")
    if not isinstance(value, str):
        raise InvalidRecord(f"{key} is not a string")
    return value


def _required_text(data: Mapping[str, Any], key: str) -> str:
    value = _text(data, key)
    assert value is not None
    return value


def _integer(data: Mapping[str, Any], key: str, *, optional: bool = False) -> int | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidRecord(f"{key} is {value!r}, not a whole number")
    return value


def _required_integer(data: Mapping[str, Any], key: str) -> int:
    value = _integer(data, key)
    assert value is not None
    return value


def _day(data: Mapping[str, Any], key: str, *, optional: bool = False) -> date | None:
    value = data.get(key)
    if value is None and optional:
        return None
    try:
        return parse_date(value)
    except ProtocolError:
        raise InvalidRecord(f"{key} is {value!r}, not a valid date") from None


def _required_day(data: Mapping[str, Any], key: str) -> date:
    value = _day(data, key)
    assert value is not None
    return value


def _enum_value(data: Mapping[str, Any], key: str, enum: type[Enum]) -> str:
    value = data.get(key)
    allowed = [member.value for member in enum]
    if value not in allowed:
        raise InvalidRecord(f"{key} is {value!r}; expected one of {', '.join(allowed)}")
    return str(value)


def _id_number(value: Any, key: str, *, today: date) -> str:
    if not isinstance(value, str):
        raise InvalidRecord(f"{key} is missing")
    try:
        return parse_id_number(value, today=today).value
    except InvalidIdNumber as error:
        raise InvalidRecord(f"{key} is invalid ({error.reason})") from None


def _entity_id(item: PulledItem) -> int:
    try:
        return int(item.id)
    except ValueError:
        raise InvalidRecord(f"id {item.id!r} is not a whole number") from None


def _check_same_id(item: PulledItem, value: object, key: str) -> None:
    if str(value) != item.id:
        raise InvalidRecord(f"{key} {value!r} differs from the item id {item.id!r}")


# People -----------------------------------------------------------------------------


def _upsert_person(session: Session, item: PulledItem, as_of: datetime) -> None:
    data = _data(item)
    person_id = _entity_id(item)
    _check_same_id(item, data.get("person_id"), "person_id")
    today = as_of.date()
    sex = _enum_value(data, "sex", Sex)
    residence_division_code = _required_text(data, "residence_division_code")
    updated_at = data.get("updated_at")
    row_values: dict[str, Any] = {
        "person_id": person_id,
        "id_number": _id_number(data.get("id_number"), "id_number", today=today),
        "name": _required_text(data, "name"),
        "sex": sex,
        "birth_date": _required_day(data, "birth_date"),
        "ethnicity": _required_text(data, "ethnicity"),
        "population_type": _enum_value(data, "population_type", PopulationType),
        "hukou_category": _enum_value(data, "hukou_category", HukouCategory),
        "hukou_address": _required_text(data, "hukou_address"),
        "hukou_division_code": _required_text(data, "hukou_division_code"),
        "residence_address": _required_text(data, "residence_address"),
        "residence_division_code": residence_division_code,
        "district_code": residence_division_code[:6],
        "marital_status": _enum_value(data, "marital_status", MaritalStatus),
        "marriage_date": _day(data, "marriage_date", optional=True),
        "spouse_name": _text(data, "spouse_name", optional=True),
        "spouse_id_number": None,
        "record_version": _integer(data, "record_version", optional=True) or item.version,
        "updated_at": None if updated_at is None else parse_time(updated_at),
    }
    spouse_id_number = data.get("spouse_id_number")
    if spouse_id_number:
        row_values["spouse_id_number"] = _id_number(
            spouse_id_number, "spouse_id_number", today=today
        )
    children = [_child(child, index, today) for index, child in enumerate(_list(data, "children"))]
    pregnancy = _pregnancy(data.get("pregnancy"))

    # The spouse link is kept only when the spouse is on record here, because the
    # foreign key would fail otherwise. The copied name and ID number still show the
    # spouse, and the link is completed when the spouse's record arrives.
    spouse_person_id = _integer(data, "spouse_person_id", optional=True)
    if spouse_person_id is not None and session.get(PersonRow, spouse_person_id) is None:
        spouse_person_id = None
    row_values["spouse_person_id"] = spouse_person_id

    row = session.get(PersonRow, person_id)
    if row is None:
        session.add(PersonRow(**row_values))
    else:
        for key, value in row_values.items():
            setattr(row, key, value)
    session.flush()

    _detach_children(session, person_id)
    parent_column = "mother_person_id" if sex == Sex.FEMALE.value else "father_person_id"
    for child in children:
        session.add(ChildRow(**child, **{parent_column: person_id}))
    session.execute(delete(PregnancyRow).where(PregnancyRow.person_id == person_id))
    # A man's record shows his wife's pregnancy, which is stored on her own record.
    if pregnancy is not None and sex == Sex.FEMALE.value:
        session.add(PregnancyRow(person_id=person_id, **pregnancy))


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidRecord(f"{key} is not a list")
    return value


def _child(value: Any, index: int, today: date) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidRecord(f"child {index + 1} is not an object")
    birth_order = _required_integer(value, "birth_order")
    if birth_order < 1:
        raise InvalidRecord(f"child {index + 1} has birth_order {birth_order}; it starts at 1")
    id_number = value.get("id_number")
    return {
        "name": _required_text(value, "name"),
        "sex": _enum_value(value, "sex", Sex),
        "birth_date": _required_day(value, "birth_date"),
        "birth_order": birth_order,
        "id_number": (
            _id_number(id_number, f"id_number of child {index + 1}", today=today)
            if id_number
            else None
        ),
    }


def _pregnancy(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidRecord("pregnancy is not an object")
    planned = _required_integer(value, "planned_birth_order")
    if planned < 1:
        raise InvalidRecord(f"pregnancy has planned_birth_order {planned}; it starts at 1")
    return {
        "registered_on": _required_day(value, "registered_on"),
        "expected_delivery": _day(value, "expected_delivery", optional=True),
        "planned_birth_order": planned,
    }


def _link_waiting_spouses(session: Session, person_ids: list[int]) -> None:
    """Link records that named one of ``person_ids`` as spouse before that record arrived.

    It runs once per page, not once per person, because ``spouse_id_number`` has no
    index. Each search scans the people without a spouse link, so a search per person
    would make a full pull take time quadratic in the number of people.
    """
    if not person_ids:
        return
    arrived: dict[str, int] = {
        id_number: person_id
        for id_number, person_id in session.execute(
            select(PersonRow.id_number, PersonRow.person_id).where(
                PersonRow.person_id.in_(person_ids)
            )
        )
    }
    waiting = session.execute(
        select(PersonRow.person_id, PersonRow.spouse_id_number).where(
            PersonRow.spouse_person_id.is_(None),
            PersonRow.spouse_id_number.in_(list(arrived)),
        )
    ).all()
    for person_id, spouse_id_number in waiting:
        spouse_person_id = arrived.get(spouse_id_number or "")
        if spouse_person_id is None or spouse_person_id == person_id:
            continue
        session.execute(
            update(PersonRow)
            .where(PersonRow.person_id == person_id)
            .values(spouse_person_id=spouse_person_id)
        )


def _detach_children(session: Session, person_id: int) -> None:
    """Remove this person's child rows; a row shared with the other parent stays theirs."""
    rows = session.scalars(
        select(ChildRow).where(
            or_(ChildRow.mother_person_id == person_id, ChildRow.father_person_id == person_id)
        )
    ).all()
    for row in rows:
        if row.mother_person_id == person_id:
            row.mother_person_id = None
        if row.father_person_id == person_id:
            row.father_person_id = None
        if row.mother_person_id is None and row.father_person_id is None:
            session.delete(row)
    session.flush()


def _delete_person(session: Session, item: PulledItem, as_of: datetime) -> None:
    person_id = _entity_id(item)
    if session.get(PersonRow, person_id) is None:
        return
    for model, column in (
        (IssuanceRow, IssuanceRow.person_id),
        (ProblemListEntryRow, ProblemListEntryRow.person_id),
        (ReferralRow, ReferralRow.person_id),
    ):
        if session.scalar(select(column).where(column == person_id).limit(1)) is not None:
            raise InvalidRecord(
                f"not deleted: local {model.__tablename__} refer to this person, "
                "so the record is kept"
            )
    _detach_children(session, person_id)
    session.execute(delete(PregnancyRow).where(PregnancyRow.person_id == person_id))
    session.execute(
        update(PersonRow)
        .where(PersonRow.spouse_person_id == person_id)
        .values(spouse_person_id=None)
    )
    session.execute(delete(PersonRow).where(PersonRow.person_id == person_id))


# Offices, users, institutions, policies -----------------------------------------------


def _upsert_office(session: Session, item: PulledItem, as_of: datetime) -> None:
    data = _data(item)
    code = _required_text(data, "code")
    _check_same_id(item, code, "code")
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise InvalidRecord(f"office code {code!r} is not 6, 9 or 12 digits")
    parent_code = _text(data, "parent_code", optional=True)
    if parent_code is not None and session.get(OfficeRow, parent_code) is None:
        raise InvalidRecord(f"parent office {parent_code} is not on record")
    session.merge(
        OfficeRow(
            code=code,
            name=_required_text(data, "name"),
            level=_enum_value(data, "level", OfficeLevel),
            parent_code=parent_code,
        )
    )


def _delete_office(session: Session, item: PulledItem, as_of: datetime) -> None:
    # Users, issuances and the problem list refer to offices; the database rejects the
    # delete while any does, and the record goes to quarantine.
    session.execute(delete(OfficeRow).where(OfficeRow.code == item.id))


def _upsert_user(session: Session, item: PulledItem, as_of: datetime) -> None:
    data = _data(item)
    user_id = _entity_id(item)
    _check_same_id(item, data.get("user_id"), "user_id")
    office_code = _required_text(data, "office_code")
    if session.get(OfficeRow, office_code) is None:
        raise InvalidRecord(f"office {office_code} is not on record")
    fingerprint = _required_text(data, "cert_fingerprint").lower()
    if len(fingerprint) != 64 or any(c not in "0123456789abcdef" for c in fingerprint):
        raise InvalidRecord("cert_fingerprint is not 64 hex digits")
    active = data.get("active")
    if not isinstance(active, bool):
        raise InvalidRecord(f"active is {active!r}, not true or false")
    values = {
        "name": _required_text(data, "name"),
        "role": _enum_value(data, "role", Role),
        "office_code": office_code,
        "cert_fingerprint": fingerprint,
        "active": active,
    }
    row = session.get(UserRow, user_id)
    if row is None:
        session.add(UserRow(user_id=user_id, **values))
    else:
        # ``workstation`` is local configuration and keeps its value.
        for key, value in values.items():
            setattr(row, key, value)


def _delete_user(session: Session, item: PulledItem, as_of: datetime) -> None:
    # Issuances and audit records name the user, so the account is disabled, not deleted.
    session.execute(update(UserRow).where(UserRow.user_id == _entity_id(item)).values(active=False))


def _upsert_institution(session: Session, item: PulledItem, as_of: datetime) -> None:
    data = _data(item)
    code = _required_text(data, "code")
    _check_same_id(item, code, "code")
    district_code = _required_text(data, "district_code")
    if not district_code.isdigit() or len(district_code) != 6:
        raise InvalidRecord(f"district_code {district_code!r} is not 6 digits")
    session.merge(
        InstitutionRow(code=code, name=_required_text(data, "name"), district_code=district_code)
    )


def _delete_institution(session: Session, item: PulledItem, as_of: datetime) -> None:
    session.execute(delete(InstitutionRow).where(InstitutionRow.code == item.id))


def _upsert_policy(session: Session, item: PulledItem, as_of: datetime) -> None:
    data = _data(item)
    version = _required_text(data, "version")
    _check_same_id(item, version, "version")
    text = _required_text(data, "text")
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidRecord(f"policy text is not valid TOML: {error}") from None
    session.merge(
        PolicyRow(
            version=version,
            effective_date=_required_day(data, "effective_date"),
            text=text,
            received_at=utc_now(),
        )
    )


def _delete_policy(session: Session, item: PulledItem, as_of: datetime) -> None:
    session.execute(delete(PolicyRow).where(PolicyRow.version == item.id))


# Problem list -------------------------------------------------------------------------


def _upsert_problem(session: Session, item: PulledItem, as_of: datetime) -> None:
    data = _data(item)
    entry_id = _entity_id(item)
    _check_same_id(item, data.get("entry_id", item.id), "entry_id")
    id_number = _id_number(data.get("id_number"), "id_number", today=as_of.date())
    person_id = session.scalar(select(PersonRow.person_id).where(PersonRow.id_number == id_number))
    if person_id is None:
        raise InvalidRecord("the person is not on record here")
    entered_by = _required_integer(data, "entered_by")
    if session.get(UserRow, entered_by) is None:
        raise InvalidRecord(f"user {entered_by} (entered_by) is not on record")
    office_code = _required_text(data, "office_code")
    if session.get(OfficeRow, office_code) is None:
        raise InvalidRecord(f"office {office_code} is not on record")
    values = {
        "person_id": person_id,
        "category": _enum_value(data, "category", ProblemCategory),
        "listed_on": _required_day(data, "listed_on"),
        "facts": _required_text(data, "facts"),
        "materials_location": _required_text(data, "materials_location"),
        "entered_by": entered_by,
        "office_code": office_code,
        "feedback_state": (
            _enum_value(data, "feedback_state", FeedbackState)
            if data.get("feedback_state") is not None
            else FeedbackState.PENDING.value
        ),
        "removed_on": _day(data, "removed_on", optional=True),
        "removal_reason": _text(data, "removal_reason", optional=True),
        "updated_at": as_of,
    }
    row = session.get(ProblemListEntryRow, entry_id)
    if row is None:
        session.add(ProblemListEntryRow(entry_id=entry_id, created_at=as_of, **values))
        return
    # NOTE: entry ids of entries made at this workstation and of pulled entries share
    # one sequence. An entry of another person under the same id is not overwritten.
    if row.person_id != person_id:
        raise InvalidRecord(f"local problem-list entry {entry_id} belongs to another person")
    for key, value in values.items():
        setattr(row, key, value)


def _delete_problem(session: Session, item: PulledItem, as_of: datetime) -> None:
    # Problem-list entries are removed by date, never deleted, so a delete ends the entry.
    row = session.get(ProblemListEntryRow, _entity_id(item))
    if row is not None and row.removed_on is None:
        row.removed_on = as_of.date()
        row.removal_reason = "removed on the central server"
        row.updated_at = as_of


_HANDLERS: dict[str, tuple[_Handler, _Handler]] = {
    "people": (_upsert_person, _delete_person),
    "offices": (_upsert_office, _delete_office),
    "users": (_upsert_user, _delete_user),
    "institutions": (_upsert_institution, _delete_institution),
    "policies": (_upsert_policy, _delete_policy),
    "problem_list": (_upsert_problem, _delete_problem),
}
