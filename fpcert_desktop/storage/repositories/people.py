"""Population records: lookup by ID number or person id, search by name, bulk insert."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, insert, or_, select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.idnumber import mask_id_number
from fpcert_desktop.domain.people import (
    Child,
    HukouCategory,
    MaritalStatus,
    Person,
    PopulationType,
    Pregnancy,
    Sex,
    SpouseSummary,
)
from fpcert_desktop.storage.models import ChildRow, PersonRow, PregnancyRow

# The highest code point: every string that starts with a prefix sorts below
# prefix + this character, so [prefix, prefix + MAX) is the index range of the prefix.
_MAX_CHARACTER = "\U0010ffff"


@dataclass(frozen=True)
class PersonSummary:
    """One line of a name search result; the ID number is masked."""

    person_id: int
    name: str
    sex: Sex
    birth_date: date
    masked_id_number: str
    district_code: str
    residence_address: str


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, person_id: int) -> Person | None:
        """Load one person with spouse, children and current pregnancy.

        Children are those where the person is the mother or the father, ordered by
        birth order and birth date. The pregnancy of a woman is her own registered one.
        For a man the family's current pregnancy is his wife's: when he is married
        (first marriage or remarried) to a spouse on record, her pregnancy row is
        returned as his, because the certificate describes the family.
        """
        row = self._session.get(PersonRow, person_id)
        return None if row is None else self._to_person(row)

    def get_by_id_number(self, value: str) -> Person | None:
        """Load a person by a normalized 18-character ID number (upper-case X)."""
        row = self._session.scalars(
            select(PersonRow).where(PersonRow.id_number == value)
        ).one_or_none()
        return None if row is None else self._to_person(row)

    def search_by_name(
        self,
        text: str,
        *,
        birth_year: int | None = None,
        district_code: str | None = None,
        limit: int = 50,
    ) -> list[PersonSummary]:
        """Find people whose name equals ``text``, then those whose name starts with it.

        Exact matches come first, then prefix matches ordered by name and birth date,
        at most ``limit`` in all. Both parts are index range scans on the name
        indexes; no query scans the table, so a 2-character name is as fast as a long
        one. ``birth_year`` and ``district_code`` (6 digits, of the residence) narrow
        the result.
        """
        name = text.strip()
        if not name or limit <= 0:
            return []

        exact = self._summary_query(birth_year, district_code).where(PersonRow.name == name)
        exact = exact.order_by(PersonRow.birth_date, PersonRow.person_id).limit(limit)
        found = [_to_summary(row) for row in self._session.execute(exact)]

        remaining = limit - len(found)
        if remaining > 0:
            prefix = self._summary_query(birth_year, district_code).where(
                PersonRow.name > name, PersonRow.name < name + _MAX_CHARACTER
            )
            prefix = prefix.order_by(PersonRow.name, PersonRow.birth_date).limit(remaining)
            found.extend(_to_summary(row) for row in self._session.execute(prefix))
        return found

    def add_people(
        self,
        people: Iterable[Mapping[str, Any]],
        *,
        children: Iterable[Mapping[str, Any]] = (),
        pregnancies: Iterable[Mapping[str, Any]] = (),
    ) -> int:
        """Insert rows with one executemany per table, for the generator and for sync.

        Each mapping has the column names of ``people``, ``children`` or
        ``pregnancies``. The spouse link is checked at commit, so spouses may refer
        to each other in any order within one transaction. Returns the number of
        people inserted.
        """
        # Core inserts on the tables: the ORM bulk path splits a batch into many small
        # executemany calls whenever rows differ in which columns are None.
        connection = self._session.connection()
        people_rows = list(people)
        for model, rows in (
            (PersonRow, people_rows),
            (ChildRow, list(children)),
            (PregnancyRow, list(pregnancies)),
        ):
            if rows:
                connection.execute(insert(model), rows)
        return len(people_rows)

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(PersonRow)) or 0

    def _summary_query(self, birth_year: int | None, district_code: str | None) -> Select:  # type: ignore[type-arg]
        query = select(
            PersonRow.person_id,
            PersonRow.name,
            PersonRow.sex,
            PersonRow.birth_date,
            PersonRow.id_number,
            PersonRow.district_code,
            PersonRow.residence_address,
        )
        if birth_year is not None:
            query = query.where(
                PersonRow.birth_date >= date(birth_year, 1, 1),
                PersonRow.birth_date <= date(birth_year, 12, 31),
            )
        if district_code is not None:
            query = query.where(PersonRow.district_code == district_code)
        return query

    def _to_person(self, row: PersonRow) -> Person:
        return Person(
            person_id=row.person_id,
            id_number=row.id_number,
            name=row.name,
            sex=Sex(row.sex),
            birth_date=row.birth_date,
            ethnicity=row.ethnicity,
            population_type=PopulationType(row.population_type),
            hukou_category=HukouCategory(row.hukou_category),
            hukou_address=row.hukou_address,
            hukou_division_code=row.hukou_division_code,
            residence_address=row.residence_address,
            residence_division_code=row.residence_division_code,
            marital_status=MaritalStatus(row.marital_status),
            marriage_date=row.marriage_date,
            spouse=self._spouse_of(row),
            children=self._children_of(row.person_id),
            pregnancy=self._pregnancy_of(row),
            record_version=row.record_version,
            updated_at=row.updated_at,
        )

    def _spouse_of(self, row: PersonRow) -> SpouseSummary | None:
        # The spouse's name and ID number are copied onto the row; a linked spouse
        # record fills in whatever the copy lacks.
        name, id_number = row.spouse_name, row.spouse_id_number
        if row.spouse_person_id is not None and (not name or not id_number):
            spouse = self._session.get(PersonRow, row.spouse_person_id)
            if spouse is not None:
                name = name or spouse.name
                id_number = id_number or spouse.id_number
        if not name and not id_number and row.spouse_person_id is None:
            return None
        return SpouseSummary(
            name=name or "", id_number=id_number or "", person_id=row.spouse_person_id
        )

    def _children_of(self, person_id: int) -> tuple[Child, ...]:
        query = (
            select(ChildRow)
            .where(
                or_(ChildRow.mother_person_id == person_id, ChildRow.father_person_id == person_id)
            )
            .order_by(ChildRow.birth_order, ChildRow.birth_date, ChildRow.id)
        )
        return tuple(
            Child(
                name=child.name,
                sex=Sex(child.sex),
                birth_date=child.birth_date,
                birth_order=child.birth_order,
                id_number=child.id_number,
            )
            for child in self._session.scalars(query)
        )

    def _pregnancy_of(self, row: PersonRow) -> Pregnancy | None:
        woman_id: int | None = row.person_id
        if row.sex == Sex.MALE.value:
            married = MaritalStatus(row.marital_status).is_married
            woman_id = row.spouse_person_id if married else None
        if woman_id is None:
            return None
        query = (
            select(PregnancyRow)
            .join(PersonRow, PersonRow.person_id == PregnancyRow.person_id)
            .where(PregnancyRow.person_id == woman_id, PersonRow.sex == Sex.FEMALE.value)
        )
        pregnancy = self._session.scalars(query).one_or_none()
        if pregnancy is None:
            return None
        return Pregnancy(
            registered_on=pregnancy.registered_on,
            expected_delivery=pregnancy.expected_delivery,
            planned_birth_order=pregnancy.planned_birth_order,
        )


def _to_summary(row: Any) -> PersonSummary:
    return PersonSummary(
        person_id=row.person_id,
        name=row.name,
        sex=Sex(row.sex),
        birth_date=row.birth_date,
        masked_id_number=mask_id_number(row.id_number),
        district_code=row.district_code,
        residence_address=row.residence_address,
    )
