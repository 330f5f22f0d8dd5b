"""Synthetic deltas after the first load: births, marriages and record corrections.

Each change bumps the person's ``record_version`` and appends ``changes`` rows, so the
next pull of the ``people`` stream carries it.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import china_date, utc_now
from fpcert_desktop.domain.people import MaritalStatus, Sex
from fpcert_desktop.synthetic import names
from fpcert_server import payloads
from fpcert_server.db import append_changes, change_row, dump_json, lock_change_log
from fpcert_server.models import OfficeRow, PersonRow

_MARRIED = (MaritalStatus.FIRST_MARRIAGE.value, MaritalStatus.REMARRIED.value)
# Minimum marriage ages of the Marriage Law: 20 for women, 22 for men.
_MARRIAGE_AGE = {Sex.FEMALE.value: 20, Sex.MALE.value: 22}


@dataclass(frozen=True)
class ChangeReport:
    """Person ids changed by :func:`apply_changes`, per kind of change."""

    births: tuple[int, ...]
    marriages: tuple[tuple[int, int], ...]
    corrections: tuple[int, ...]
    moves: tuple[int, ...]


def apply_changes(
    session: Session,
    *,
    births: int = 0,
    marriages: int = 0,
    corrections: int = 0,
    seed: int = 1,
    now: datetime | None = None,
) -> ChangeReport:
    """Apply random births, marriages and corrections in the caller's transaction.

    - a birth adds a child to a married couple who are both on record (updating
      both parents) and ends the mother's registered pregnancy;
    - a marriage links an unmarried woman of at least 20 and an unmarried man of at
      least 22 both ways;
    - a correction fixes the residence address; every second one also moves the
      residence to another community, which sends a delete to the offices that no
      longer cover the person.

    Asking for more changes than there are candidates applies as many as there are.
    """
    moment = now or utc_now()
    today = china_date(moment)
    rng = random.Random(seed)
    lock_change_log(session)

    born = _apply_births(session, rng, births, moment, today)
    married = _apply_marriages(session, rng, marriages, moment, today)
    corrected, moved = _apply_corrections(session, rng, corrections, moment)
    session.flush()
    return ChangeReport(tuple(born), tuple(married), tuple(corrected), tuple(moved))


def _sample(rng: random.Random, values: list[int], count: int) -> list[int]:
    return rng.sample(values, min(count, len(values)))


def _record_person(
    session: Session,
    person: PersonRow,
    moment: datetime,
    *,
    moved_from: tuple[str, str] | None = None,
) -> None:
    """Bump the version and append the change rows for one updated person."""
    person.record_version += 1
    person.updated_at = moment
    session.flush()
    scope = (person.hukou_division_code, person.residence_division_code)
    rows: list[dict[str, Any]] = []
    if moved_from is not None:
        rows.append(
            change_row(
                "people",
                str(person.person_id),
                person.record_version,
                None,
                moment,
                scope=moved_from,
                kept=scope,
            )
        )
    rows.append(
        change_row(
            "people",
            str(person.person_id),
            person.record_version,
            payloads.person_payload(person),
            moment,
            scope=scope,
        )
    )
    append_changes(session, rows)


def _apply_births(
    session: Session, rng: random.Random, count: int, moment: datetime, today: date
) -> list[int]:
    if count <= 0:
        return []
    mothers = list(
        session.scalars(
            select(PersonRow.person_id)
            .where(
                PersonRow.sex == Sex.FEMALE.value,
                PersonRow.marital_status.in_(_MARRIED),
                PersonRow.spouse_person_id.is_not(None),
            )
            .order_by(PersonRow.person_id)
        )
    )
    changed = []
    for mother_id in _sample(rng, mothers, count):
        mother = session.get_one(PersonRow, mother_id)
        father = session.get(PersonRow, mother.spouse_person_id)
        if father is None:
            continue
        children = json.loads(mother.children_json)
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        birth_date = max(today - timedelta(days=rng.randint(0, 20)), mother.marriage_date or today)
        child = {
            "name": names.surname_of(father.name) + names.make_given_name(rng, sex),
            "sex": sex.value,
            "birth_date": birth_date.isoformat(),
            "birth_order": len(children) + 1,
            # A newborn's ID number is issued with the hukou registration, later.
            "id_number": None,
        }
        for parent in (mother, father):
            family = json.loads(parent.children_json)
            family.append(child)
            parent.children_json = dump_json(family)
        mother.pregnancy_json = None
        _record_person(session, mother, moment)
        _record_person(session, father, moment)
        changed.append(mother_id)
    return changed


def _age(birth_date: date, today: date) -> int:
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def _unmarried(session: Session, sex: str, today: date) -> list[int]:
    latest_birth = today.replace(year=today.year - _MARRIAGE_AGE[sex])
    return list(
        session.scalars(
            select(PersonRow.person_id)
            .where(
                PersonRow.sex == sex,
                PersonRow.marital_status == MaritalStatus.UNMARRIED.value,
                PersonRow.birth_date <= latest_birth,
            )
            .order_by(PersonRow.person_id)
        )
    )


def _apply_marriages(
    session: Session, rng: random.Random, count: int, moment: datetime, today: date
) -> list[tuple[int, int]]:
    if count <= 0:
        return []
    women = _sample(rng, _unmarried(session, Sex.FEMALE.value, today), count)
    men = _sample(rng, _unmarried(session, Sex.MALE.value, today), count)
    couples = list(zip(women, men, strict=False))
    for woman_id, man_id in couples:
        woman = session.get_one(PersonRow, woman_id)
        man = session.get_one(PersonRow, man_id)
        for person, spouse in ((woman, man), (man, woman)):
            person.marital_status = MaritalStatus.FIRST_MARRIAGE.value
            person.marriage_date = today
            person.spouse_person_id = spouse.person_id
            person.spouse_name = spouse.name
            person.spouse_id_number = spouse.id_number
        _record_person(session, woman, moment)
        _record_person(session, man, moment)
    return couples


def _apply_corrections(
    session: Session, rng: random.Random, count: int, moment: datetime
) -> tuple[list[int], list[int]]:
    if count <= 0:
        return [], []
    people = list(session.scalars(select(PersonRow.person_id).order_by(PersonRow.person_id)))
    communities = list(
        session.execute(
            select(OfficeRow.code, OfficeRow.name)
            .where(OfficeRow.level == "community")
            .order_by(OfficeRow.code)
        )
    )
    corrected: list[int] = []
    moved: list[int] = []
    for index, person_id in enumerate(_sample(rng, people, count)):
        person = session.get_one(PersonRow, person_id)
        building = f"{rng.randint(1, 30)}栋{rng.randint(1, 33) * 100 + rng.randint(1, 8)}房"
        others = [item for item in communities if item[0] != person.residence_division_code]
        if index % 2 == 1 and others:
            code, name = rng.choice(others)
            old_scope = (person.hukou_division_code, person.residence_division_code)
            person.residence_division_code = code
            person.residence_address = f"广东省深圳市{name}辖区{rng.randint(1, 300)}号{building}"
            _record_person(session, person, moment, moved_from=old_scope)
            moved.append(person_id)
        else:
            base = person.residence_address.rsplit("号", 1)[0]
            person.residence_address = f"{base}号{building}"
            _record_person(session, person, moment)
        corrected.append(person_id)
    return corrected, moved
