from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fpcert_desktop.domain.idnumber import make_id_number
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.people import Sex
from fpcert_desktop.domain.users import Role
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import OfficeRepository, PeopleRepository, UserRepository


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "test.sqlite3")
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def offices(db: Database) -> None:
    with db.session() as session:
        OfficeRepository(session).add_many(
            [
                Office("440300", "深圳市卫生健康委员会", OfficeLevel.CITY),
                Office("440304", "福田区卫生健康局", OfficeLevel.DISTRICT, "440300"),
                Office("440304004", "福田街道计生办", OfficeLevel.STREET, "440304"),
                Office("440304004001", "福山社区工作站", OfficeLevel.COMMUNITY, "440304004"),
                Office("440305", "南山区卫生健康局", OfficeLevel.DISTRICT, "440300"),
            ]
        )


@pytest.fixture
def person_row() -> Callable[..., dict[str, Any]]:
    """Return the factory of ``people`` rows, for tests that insert people."""
    return make_person_row


def make_person_row(
    person_id: int,
    name: str,
    *,
    sex: Sex = Sex.FEMALE,
    birth_date: date = date(1990, 5, 1),
    district_code: str = "440304",
    sequence: int = 1,
    **overrides: Any,
) -> dict[str, Any]:
    """Build one ``people`` row with plausible defaults and a valid ID number."""
    row: dict[str, Any] = {
        "person_id": person_id,
        "id_number": make_id_number(district_code, birth_date, sequence, sex),
        "name": name,
        "sex": sex.value,
        "birth_date": birth_date,
        "ethnicity": "汉族",
        "population_type": "resident",
        "hukou_category": "shenzhen",
        "hukou_address": "深圳市福田区福田街道福山社区福华路1号1栋101室",
        "hukou_division_code": f"{district_code}004001",
        "residence_address": "深圳市福田区福田街道福山社区福华路1号1栋101室",
        "residence_division_code": f"{district_code}004001",
        "district_code": district_code,
        "marital_status": "unmarried",
        "marriage_date": None,
        "spouse_person_id": None,
        "spouse_name": None,
        "spouse_id_number": None,
        "record_version": 1,
        "updated_at": None,
    }
    row.update(overrides)
    return row


@pytest.fixture
def staffed(db: Database, offices: None, person_row: Callable[..., dict[str, Any]]) -> Database:
    """The office tree, people 1 and 2, clerk 7 (Futian community) and administrator 8 (Nanshan)."""
    with db.session() as session:
        PeopleRepository(session).add_people(
            [person_row(1, "李娜"), person_row(2, "王芳", sequence=2)]
        )
        users = UserRepository(session)
        users.add(
            user_id=7,
            name="陈静",
            role=Role.CLERK,
            office_code="440304004001",
            cert_fingerprint="ab" * 32,
            workstation="01",
        )
        users.add(
            user_id=8,
            name="刘洋",
            role=Role.ADMINISTRATOR,
            office_code="440305",
            cert_fingerprint="cd" * 32,
        )
    return db
