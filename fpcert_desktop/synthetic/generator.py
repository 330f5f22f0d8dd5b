"""Deterministic synthetic population for development, tests and demos.

:func:`generate` writes the office tree, the fixed demo people (:data:`DEMO_PEOPLE`)
and then random people in chunks of :data:`CHUNK_SIZE`, each chunk drawn from its own
``random.Random`` seeded with (seed, chunk number) and inserted in one transaction.
Memory stays flat whatever the size, apart from one counter per
(region code, birth date, sex) that keeps ID numbers unique.

What the data looks like:

- applicants aged 18 to 70; about 40 % registered residents (户籍人口, Shenzhen hukou)
  and 60 % floating population (流动人口, hukou elsewhere in Guangdong or in another
  province), every one living in a synthetic Shenzhen community;
- ID numbers valid under GB 11643 and agreeing with birth date and sex; a third of
  the residents keep the number of the province they moved from;
- married couples linked both ways, married no earlier than her 20th and his 22nd
  birthday; some married people whose spouse is not on record (name and ID number
  only); unmarried, divorced, remarried and widowed people;
- children (birth order 1 to 3) born after the marriage while the mother was 20 to
  45; registered pregnancies of married women aged 20 to 45.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from datetime import time as day_time
from typing import Any

from fpcert_desktop.domain.clock import china_date, utc_now
from fpcert_desktop.domain.idnumber import make_id_number
from fpcert_desktop.domain.people import MaritalStatus, PopulationType, Sex
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import OfficeRepository, PeopleRepository
from fpcert_desktop.synthetic import names, regions
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE, DemoPerson
from fpcert_desktop.synthetic.divisions import Community, OfficeTree, build_office_tree

logger = logging.getLogger(__name__)

DEFAULT_SEED = 20120425
CHUNK_SIZE = 10_000
MIN_AGE, MAX_AGE = 18, 70
RESIDENT_SHARE = 0.4
# Sequence numbers 0 to 449 give sequence codes 000 to 899; the demo people use 980+.
MAX_SEQUENCE = 449

# Minimum marriage ages of the Marriage Law: 20 for women, 22 for men.
_LEGAL_MARRIAGE_AGE = {Sex.FEMALE: 20, Sex.MALE: 22}

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class GenerationReport:
    """Counts of the rows :func:`generate` wrote, and its run time in seconds."""

    seed: int
    people: int
    demo_people: int
    children: int
    pregnancies: int
    offices: int
    seconds: float


def generate(
    db: Database,
    *,
    people: int = 50_000,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    progress: ProgressCallback | None = None,
) -> GenerationReport:
    """Fill an empty, migrated database with offices, the demo people and random people.

    ``people`` is the total number of people including the demo people, who are
    always written. The same ``seed`` and ``today`` give the same rows. ``today``
    defaults to the current date in China. ``progress(done, total)`` is called after
    each chunk. Raises ``ValueError`` when the database already has people.
    """
    started = time.perf_counter()
    today = today or china_date(utc_now())
    total = max(people, len(DEMO_PEOPLE))
    tree = build_office_tree(seed)
    logger.info("Generating %d people with seed %d", total, seed)

    with db.session() as session:
        if PeopleRepository(session).count():
            raise ValueError(f"database {db.path} already has people; generate into a new file")
        OfficeRepository(session).add_many(tree.offices)

    population = _Population(seed, tree, today)
    children = pregnancies = 0
    with db.session() as session:
        rows = population.demo_rows()
        PeopleRepository(session).add_people(
            rows.people, children=rows.children, pregnancies=rows.pregnancies
        )
        children += len(rows.children)
        pregnancies += len(rows.pregnancies)
    done = len(DEMO_PEOPLE)
    if progress is not None:
        progress(done, total)

    for rows in population.chunks(total - done):
        with db.session() as session:
            PeopleRepository(session).add_people(
                rows.people, children=rows.children, pregnancies=rows.pregnancies
            )
        done += len(rows.people)
        children += len(rows.children)
        pregnancies += len(rows.pregnancies)
        if progress is not None:
            progress(done, total)

    seconds = time.perf_counter() - started
    logger.info("Generated %d people in %.1f s", done, seconds)
    return GenerationReport(
        seed=seed,
        people=done,
        demo_people=len(DEMO_PEOPLE),
        children=children,
        pregnancies=pregnancies,
        offices=len(tree.offices),
        seconds=seconds,
    )


@dataclass
class _Rows:
    people: list[dict[str, Any]]
    children: list[dict[str, Any]]
    pregnancies: list[dict[str, Any]]


@dataclass
class _Household:
    """The community and address a person or couple lives at."""

    community: Community
    address: str


class _Population:
    def __init__(self, seed: int, tree: OfficeTree, today: date) -> None:
        self._seed = seed
        self._tree = tree
        self._today = today
        self._updated_at = datetime.combine(today, day_time(2, 0), timezone.utc)
        self._sequences: dict[tuple[str, int, bool], int] = {}
        self._next_person_id = len(DEMO_PEOPLE) + 1
        self._communities_by_street: dict[str, list[Community]] = {}
        for community in tree.communities:
            self._communities_by_street.setdefault(community.code[:9], []).append(community)

    # -- demo people ---------------------------------------------------------

    def demo_rows(self) -> _Rows:
        rows = _Rows([], [], [])
        for demo in DEMO_PEOPLE:
            rows.people.append(self._demo_person(demo))
            for order, child in enumerate(demo.children, start=1):
                mother = demo.person_id if demo.sex is Sex.FEMALE else None
                father = demo.spouse_person_id if demo.sex is Sex.FEMALE else demo.person_id
                rows.children.append(
                    _child_row(
                        mother,
                        father,
                        child.name,
                        child.sex,
                        child.birth_date,
                        order,
                        child.id_number,
                    )
                )
            if demo.pregnant:
                rows.pregnancies.append(
                    self._pregnancy_row(demo.person_id, len(demo.children) + 1, days_ago=60)
                )
        return rows

    def _demo_person(self, demo: DemoPerson) -> dict[str, Any]:
        community = self._communities_by_street[demo.street_code][0]
        residence = community.address(community.roads[0], 8 + demo.person_id, 2, 1001)
        if demo.shenzhen_hukou:
            hukou_address, hukou_code = residence, community.code
        else:
            hukou_code = demo.id_number[:6]
            hukou_address = f"{demo.hukou_address_prefix}人民路{demo.person_id}号"
        return self._person_row(
            person_id=demo.person_id,
            id_number=demo.id_number,
            name=demo.name,
            sex=demo.sex,
            birth_date=demo.birth_date,
            ethnicity=demo.ethnicity,
            hukou_code=hukou_code,
            hukou_address=hukou_address,
            community=community,
            residence=residence,
            marital_status=demo.marital_status,
            marriage_date=demo.marriage_date,
            spouse_person_id=demo.spouse_person_id,
            spouse_name=demo.spouse_name,
            spouse_id_number=demo.spouse_id_number,
        )

    # -- random people -------------------------------------------------------

    def chunks(self, count: int) -> Iterator[_Rows]:
        chunk_number = 0
        while count > 0:
            size = min(CHUNK_SIZE, count)
            rng = random.Random(f"people:{self._seed}:{chunk_number}")
            yield self._chunk(rng, size)
            count -= size
            chunk_number += 1

    def _chunk(self, rng: random.Random, size: int) -> _Rows:
        rows = _Rows([], [], [])
        while len(rows.people) < size:
            kind = rng.random()
            if kind < 0.50 and size - len(rows.people) >= 2:
                self._add_couple(rng, rows)
            elif kind < 0.65:
                self._add_married_alone(rng, rows)
            elif kind < 0.77:
                self._add_formerly_married(rng, rows)
            else:
                self._add_single(rng, rows, MaritalStatus.UNMARRIED)
        return rows

    def _add_single(self, rng: random.Random, rows: _Rows, status: MaritalStatus) -> None:
        sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
        max_age = 35 if status is MaritalStatus.UNMARRIED and rng.random() < 0.8 else MAX_AGE
        birth_date = self._birth_date(rng, MIN_AGE, max_age, mode=24)
        household = self._household(rng)
        rows.people.append(self._random_person(rng, sex, birth_date, household, status))

    def _add_formerly_married(self, rng: random.Random, rows: _Rows) -> None:
        """Add a divorced or widowed person; a woman keeps her children on record."""
        status = MaritalStatus.DIVORCED if rng.random() < 0.75 else MaritalStatus.WIDOWED
        sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
        birth_date = self._birth_date(rng, 24, MAX_AGE, mode=42)
        household = self._household(rng)
        person = self._random_person(rng, sex, birth_date, household, status)
        rows.people.append(person)
        if sex is Sex.FEMALE:
            since = _add_years(birth_date, 22 + rng.randint(0, 8))
            surname = names.pick_surname(rng)
            self._add_children(rng, rows, person, None, since, surname)

    def _add_married_alone(self, rng: random.Random, rows: _Rows) -> None:
        """Add a married person whose spouse is not in the data, only named on the record."""
        sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
        spouse_sex = Sex.FEMALE if sex is Sex.MALE else Sex.MALE
        birth_date = self._birth_date(rng, 22, MAX_AGE, mode=36)
        spouse_birth = _clamp_birth(
            birth_date + timedelta(days=rng.randint(-1500, 1500)),
            self._today,
            _LEGAL_MARRIAGE_AGE[spouse_sex],
        )
        household = self._household(rng)
        status = MaritalStatus.REMARRIED if rng.random() < 0.1 else MaritalStatus.FIRST_MARRIAGE
        person = self._random_person(rng, sex, birth_date, household, status)
        ethnicity = person["ethnicity"]
        spouse_name = names.make_name(rng, spouse_sex, ethnicity)
        spouse_region = self._id_region(rng, person["population_type"], ethnicity, spouse_birth)
        wife_birth, husband_birth = (
            (birth_date, spouse_birth) if sex is Sex.FEMALE else (spouse_birth, birth_date)
        )
        marriage = self._marriage_date(rng, wife_birth, husband_birth)
        person.update(
            marriage_date=marriage,
            spouse_name=spouse_name,
            spouse_id_number=self._id_number(spouse_region, spouse_birth, spouse_sex),
        )
        rows.people.append(person)

        surname = names.surname_of(person["name"] if sex is Sex.MALE else spouse_name)
        if sex is Sex.FEMALE:
            self._add_children(rng, rows, person, None, marriage, surname)
            self._maybe_pregnant(rng, rows, person)
        else:
            self._add_children(
                rng, rows, None, person, marriage, surname, mother_birth=spouse_birth
            )

    def _add_couple(self, rng: random.Random, rows: _Rows) -> None:
        """Add a married couple, both on record and linked to each other."""
        wife_birth = self._birth_date(rng, 20, MAX_AGE - 2, mode=36)
        wife_birth = _clamp_birth(wife_birth, self._today, _LEGAL_MARRIAGE_AGE[Sex.FEMALE])
        husband_birth = _clamp_birth(
            wife_birth - timedelta(days=int(rng.gauss(2.5, 3.0) * 365)),
            self._today,
            _LEGAL_MARRIAGE_AGE[Sex.MALE],
        )
        household = self._household(rng)
        remarried = rng.random() < 0.12
        husband_status = MaritalStatus.REMARRIED if remarried else MaritalStatus.FIRST_MARRIAGE
        wife_status = (
            MaritalStatus.REMARRIED
            if remarried and rng.random() < 0.6
            else MaritalStatus.FIRST_MARRIAGE
        )
        husband = self._random_person(rng, Sex.MALE, husband_birth, household, husband_status)
        wife = self._random_person(
            rng,
            Sex.FEMALE,
            wife_birth,
            household,
            wife_status,
            ethnicity=husband["ethnicity"] if husband["ethnicity"] == names.UYGHUR else None,
        )
        marriage = self._marriage_date(rng, wife_birth, husband_birth)
        for one, other in ((husband, wife), (wife, husband)):
            one.update(
                marriage_date=marriage,
                spouse_person_id=other["person_id"],
                spouse_name=other["name"],
                spouse_id_number=other["id_number"],
            )
        rows.people.extend((husband, wife))

        if husband["ethnicity"] == names.UYGHUR:
            surname = names.given_name_of_uyghur(husband["name"])
        else:
            surname = names.surname_of(husband["name"])
        self._add_children(rng, rows, wife, husband, marriage, surname)
        self._maybe_pregnant(rng, rows, wife)

    # -- families ------------------------------------------------------------

    def _add_children(
        self,
        rng: random.Random,
        rows: _Rows,
        mother: dict[str, Any] | None,
        father: dict[str, Any] | None,
        since: date,
        surname: str,
        *,
        mother_birth: date | None = None,
    ) -> None:
        """Add up to 3 children born after ``since`` while the mother was 20 to 45."""
        wanted = rng.choices((0, 1, 2, 3), (22, 43, 30, 5))[0]
        mother_birth = mother["birth_date"] if mother is not None else mother_birth
        assert mother_birth is not None
        earliest = max(since, _add_years(mother_birth, 20))
        latest = min(self._today - timedelta(days=30), _add_years(mother_birth, 45))
        uyghur = (mother or father or {}).get("ethnicity") == names.UYGHUR
        region_source = mother or father
        assert region_source is not None

        birth = earliest + timedelta(days=rng.randint(280, 1500))
        for order in range(1, wanted + 1):
            if birth > latest:
                break
            sex = Sex.MALE if rng.random() < 0.53 else Sex.FEMALE
            if uyghur:
                name = names.make_uyghur_name(rng, sex, father_given=surname)
            else:
                name = names.make_han_name(rng, sex, surname=surname)
            region = self._child_region(rng, region_source, birth)
            id_number = None if rng.random() < 0.03 else self._id_number(region, birth, sex)
            rows.children.append(
                _child_row(
                    mother["person_id"] if mother else None,
                    father["person_id"] if father else None,
                    name,
                    sex,
                    birth,
                    order,
                    id_number,
                )
            )
            birth = birth + timedelta(days=rng.randint(400, 2500))

    def _maybe_pregnant(self, rng: random.Random, rows: _Rows, wife: dict[str, Any]) -> None:
        age = _age(wife["birth_date"], self._today)
        if not 20 <= age <= 45 or rng.random() >= 0.07:
            return
        born = [c for c in rows.children if c["mother_person_id"] == wife["person_id"]]
        if len(born) >= 3:
            return
        days_ago = rng.randint(14, 200)
        if born and max(c["birth_date"] for c in born) > self._today - timedelta(
            days=days_ago + 365
        ):
            return
        rows.pregnancies.append(self._pregnancy_row(wife["person_id"], len(born) + 1, days_ago))

    def _pregnancy_row(self, person_id: int, order: int, days_ago: int) -> dict[str, Any]:
        registered = self._today - timedelta(days=days_ago)
        return {
            "person_id": person_id,
            "registered_on": registered,
            "expected_delivery": registered + timedelta(days=230),
            "planned_birth_order": order,
        }

    # -- one person ----------------------------------------------------------

    def _random_person(
        self,
        rng: random.Random,
        sex: Sex,
        birth_date: date,
        household: _Household,
        status: MaritalStatus,
        *,
        ethnicity: str | None = None,
    ) -> dict[str, Any]:
        ethnicity = ethnicity or names.pick_ethnicity(rng)
        resident = rng.random() < RESIDENT_SHARE and ethnicity != names.UYGHUR
        population = PopulationType.RESIDENT if resident else PopulationType.FLOATING
        region = self._id_region(rng, population.value, ethnicity, birth_date)

        if resident:
            if rng.random() < 0.6:
                hukou_community, hukou_address = household.community, household.address
            else:
                hukou_community = rng.choice(self._tree.communities)
                hukou_address = self._address(rng, hukou_community)
            hukou_code = hukou_community.code
        else:
            hukou_code = self._hukou_region(rng, ethnicity, region)
            hukou_address = self._outside_address(rng, hukou_code)

        person_id = self._next_person_id
        self._next_person_id += 1
        return self._person_row(
            person_id=person_id,
            id_number=self._id_number(region, birth_date, sex),
            name=names.make_name(rng, sex, ethnicity),
            sex=sex,
            birth_date=birth_date,
            ethnicity=ethnicity,
            hukou_code=hukou_code,
            hukou_address=hukou_address,
            community=household.community,
            residence=household.address,
            marital_status=status,
            population=population,
        )

    def _person_row(
        self,
        *,
        person_id: int,
        id_number: str,
        name: str,
        sex: Sex,
        birth_date: date,
        ethnicity: str,
        hukou_code: str,
        hukou_address: str,
        community: Community,
        residence: str,
        marital_status: MaritalStatus,
        population: PopulationType | None = None,
        marriage_date: date | None = None,
        spouse_person_id: int | None = None,
        spouse_name: str | None = None,
        spouse_id_number: str | None = None,
    ) -> dict[str, Any]:
        category = regions.hukou_category_of(hukou_code)
        if population is None:
            shenzhen = hukou_code.startswith("4403")
            population = PopulationType.RESIDENT if shenzhen else PopulationType.FLOATING
        return {
            "person_id": person_id,
            "id_number": id_number,
            "name": name,
            "sex": sex.value,
            "birth_date": birth_date,
            "ethnicity": ethnicity,
            "population_type": population.value,
            "hukou_category": category.value,
            "hukou_address": hukou_address,
            "hukou_division_code": hukou_code,
            "residence_address": residence,
            "residence_division_code": community.code,
            "district_code": community.district_code,
            "marital_status": marital_status.value,
            "marriage_date": marriage_date,
            "spouse_person_id": spouse_person_id,
            "spouse_name": spouse_name,
            "spouse_id_number": spouse_id_number,
            "record_version": 1,
            "updated_at": self._updated_at,
        }

    # -- places, dates and numbers -------------------------------------------

    def _household(self, rng: random.Random) -> _Household:
        community = rng.choice(self._tree.communities)
        return _Household(community, self._address(rng, community))

    def _address(self, rng: random.Random, community: Community) -> str:
        return community.address(
            rng.choice(community.roads),
            rng.randint(1, 300),
            rng.randint(1, 30),
            rng.randint(1, 33) * 100 + rng.randint(1, 8),
        )

    def _outside_address(self, rng: random.Random, region_code: str) -> str:
        prefix = regions.ADDRESS_PREFIX[region_code]
        town = rng.choice(names.FEMALE_GIVEN) + rng.choice(names.MALE_GIVEN)
        return f"{prefix}{town}镇{rng.choice(names.MALE_GIVEN)}家村{rng.randint(1, 200)}号"

    def _id_region(
        self, rng: random.Random, population: str, ethnicity: str, birth_date: date
    ) -> str:
        """Pick the region code of an ID number; a third of residents moved from elsewhere."""
        if population == PopulationType.RESIDENT.value and rng.random() < 0.67:
            return rng.choices(
                regions.SHENZHEN_ADULT_ID_REGIONS, regions.SHENZHEN_ADULT_ID_WEIGHTS
            )[0]
        return self._hukou_region(rng, ethnicity, None)

    def _hukou_region(self, rng: random.Random, ethnicity: str, id_region: str | None) -> str:
        if id_region is not None and id_region in regions.ADDRESS_PREFIX and rng.random() < 0.9:
            return id_region
        homes = regions.ETHNIC_HOMES.get(ethnicity)
        if homes is not None and (ethnicity == names.UYGHUR or rng.random() < 0.7):
            return rng.choice(homes)
        places = regions.GUANGDONG_OTHER if rng.random() < 0.35 else regions.OUTSIDE_GUANGDONG
        return rng.choice(places)[0]

    def _child_region(self, rng: random.Random, parent: dict[str, Any], birth: date) -> str:
        if parent["hukou_category"] != "shenzhen":
            return parent["hukou_division_code"][:6]
        district = parent["district_code"]
        since = regions.NEW_DISTRICTS_SINCE.get(district)
        if since is not None and birth.year < since:
            return "440301"
        return district

    def _id_number(self, region: str, birth_date: date, sex: Sex) -> str:
        """Build a unique ID number, moving to the next region code when one is full."""
        candidates = (region, *regions.SHENZHEN_ADULT_ID_REGIONS)
        for candidate in candidates:
            key = (candidate, birth_date.toordinal(), sex is Sex.MALE)
            sequence = self._sequences.get(key, 0)
            if sequence <= MAX_SEQUENCE:
                self._sequences[key] = sequence + 1
                return make_id_number(candidate, birth_date, sequence, sex)
        raise RuntimeError(f"no free ID sequence for birth date {birth_date.isoformat()}")

    def _birth_date(self, rng: random.Random, min_age: int, max_age: int, *, mode: int) -> date:
        """Draw a birth date for an age between ``min_age`` and ``max_age`` (triangular)."""
        age = rng.triangular(min_age, max_age + 1, mode)
        born = self._today.toordinal() - int(age * 365.2425)
        latest = _add_years(self._today, -min_age).toordinal() - 1
        earliest = _add_years(self._today, -max_age - 1).toordinal() + 1
        return date.fromordinal(max(earliest, min(latest, born)))

    def _marriage_date(self, rng: random.Random, wife_birth: date, husband_birth: date) -> date:
        """Draw a date after her 20th and his 22nd birthday and before today."""
        earliest = max(_add_years(wife_birth, 20), _add_years(husband_birth, 22))
        latest = self._today - timedelta(days=1)
        if earliest >= latest:
            return latest
        span = (latest - earliest).days
        offset = min(span, int(rng.expovariate(1 / 1400)))
        return earliest + timedelta(days=offset)


def _child_row(
    mother: int | None,
    father: int | None,
    name: str,
    sex: Sex,
    birth_date: date,
    order: int,
    id_number: str | None,
) -> dict[str, Any]:
    return {
        "mother_person_id": mother,
        "father_person_id": father,
        "name": name,
        "sex": sex.value,
        "birth_date": birth_date,
        "birth_order": order,
        "id_number": id_number,
    }


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _age(birth_date: date, today: date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def _clamp_birth(birth_date: date, today: date, min_age: int) -> date:
    """Move a birth date so the age is above ``min_age`` (strictly) and at most MAX_AGE."""
    latest = _add_years(today, -min_age) - timedelta(days=1)
    earliest = _add_years(today, -MAX_AGE)
    return max(earliest, min(latest, birth_date))
