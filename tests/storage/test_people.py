from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from fpcert_desktop.domain.people import HukouCategory, MaritalStatus, Sex
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import PeopleRepository
from fpcert_desktop.storage.repositories.people import _MAX_CHARACTER


@pytest.fixture
def family(db: Database, person_row: Callable[..., dict[str, Any]]) -> Database:
    """A married couple (1, 2) with two children and her pregnancy, plus a divorced man (3)."""
    wife = person_row(
        1,
        "李娜",
        sequence=1,
        marital_status="first_marriage",
        marriage_date=date(2015, 10, 1),
        spouse_person_id=2,
        spouse_name="王强",
    )
    husband = person_row(
        2,
        "王强",
        sex=Sex.MALE,
        birth_date=date(1988, 3, 3),
        sequence=2,
        marital_status="first_marriage",
        marriage_date=date(2015, 10, 1),
        spouse_person_id=1,
        spouse_name="李娜",
    )
    wife["spouse_id_number"] = husband["id_number"]
    husband["spouse_id_number"] = wife["id_number"]
    divorced = person_row(
        3, "王强", sex=Sex.MALE, birth_date=date(1975, 1, 1), marital_status="divorced"
    )
    children = [
        {
            "mother_person_id": 1,
            "father_person_id": 2,
            "name": "王小二",
            "sex": "male",
            "birth_date": date(2019, 6, 1),
            "birth_order": 2,
            "id_number": None,
        },
        {
            "mother_person_id": 1,
            "father_person_id": 2,
            "name": "王小一",
            "sex": "female",
            "birth_date": date(2017, 2, 1),
            "birth_order": 1,
            "id_number": None,
        },
    ]
    pregnancies = [
        {
            "person_id": 1,
            "registered_on": date(2025, 9, 1),
            "expected_delivery": date(2026, 3, 1),
            "planned_birth_order": 3,
        }
    ]
    with db.session() as session:
        PeopleRepository(session).add_people(
            [wife, husband, divorced], children=children, pregnancies=pregnancies
        )
    return db


def test_get_returns_family(family: Database) -> None:
    with family.session() as session:
        person = PeopleRepository(session).get(1)

    assert person is not None
    assert person.name == "李娜"
    assert person.sex is Sex.FEMALE
    assert person.marital_status is MaritalStatus.FIRST_MARRIAGE
    assert person.hukou_category is HukouCategory.SHENZHEN
    assert person.spouse is not None
    assert person.spouse.name == "王强"
    assert person.spouse.person_id == 2
    assert [child.birth_order for child in person.children] == [1, 2]
    assert [child.name for child in person.children] == ["王小一", "王小二"]
    assert person.pregnancy is not None
    assert person.pregnancy.planned_birth_order == 3


def test_husband_sees_children_and_wife_pregnancy(family: Database) -> None:
    with family.session() as session:
        husband = PeopleRepository(session).get(2)

    assert husband is not None
    assert husband.born_children == 2
    assert husband.pregnancy is not None
    assert husband.pregnancy.expected_delivery == date(2026, 3, 1)
    assert husband.children_including_pregnancy == 3


def test_divorced_man_has_no_pregnancy(family: Database) -> None:
    with family.session() as session:
        man = PeopleRepository(session).get(3)

    assert man is not None
    assert man.pregnancy is None
    assert man.children == ()
    assert man.spouse is None


def test_former_husband_loses_wife_pregnancy(family: Database) -> None:
    with family.session() as session:
        session.execute(text("UPDATE people SET marital_status = 'divorced' WHERE person_id = 2"))
        husband = PeopleRepository(session).get(2)

    assert husband is not None
    assert husband.pregnancy is None


def test_spouse_filled_from_linked_record(family: Database) -> None:
    with family.session() as session:
        session.execute(
            text(
                "UPDATE people SET spouse_name = NULL, spouse_id_number = NULL WHERE person_id = 1"
            )
        )
        wife = PeopleRepository(session).get(1)
        husband = PeopleRepository(session).get(2)

    assert wife is not None and husband is not None
    assert wife.spouse is not None
    assert wife.spouse.name == "王强"
    assert wife.spouse.id_number == husband.id_number


def test_get_by_id_number(family: Database) -> None:
    with family.session() as session:
        repository = PeopleRepository(session)
        wife = repository.get(1)
        assert wife is not None
        found = repository.get_by_id_number(wife.id_number)
        missing = repository.get_by_id_number("110101199001010000")

    assert found == wife
    assert missing is None


def test_get_unknown_person(db: Database) -> None:
    with db.session() as session:
        assert PeopleRepository(session).get(999) is None


@pytest.fixture
def named(db: Database, person_row: Callable[..., dict[str, Any]]) -> Database:
    names = [
        (10, "王芳", date(1990, 1, 1), "440304"),
        (11, "王芳", date(1985, 1, 1), "440305"),
        (12, "王芳芳", date(1992, 1, 1), "440304"),
        (13, "王芳华", date(1985, 7, 7), "440305"),
        (14, "王方", date(1990, 1, 1), "440304"),
        (15, "欧阳明华", date(1980, 2, 2), "440304"),
        (16, "欧阳明", date(1981, 2, 2), "440304"),
        (17, "张𠈌", date(1993, 3, 3), "440304"),
        (18, "阿依古丽·买买提", date(1994, 4, 4), "440305"),
        (19, "汪芳", date(1990, 1, 1), "440304"),
    ]
    rows = [
        person_row(pid, name, birth_date=born, district_code=district, sequence=pid)
        for pid, name, born, district in names
    ]
    with db.session() as session:
        PeopleRepository(session).add_people(rows)
    return db


def _ids(db: Database, text_: str, **filters: object) -> list[int]:
    with db.session() as session:
        results = PeopleRepository(session).search_by_name(text_, **filters)  # type: ignore[arg-type]
    return [summary.person_id for summary in results]


def test_search_exact_before_prefix(named: Database) -> None:
    # 华 (U+534E) sorts before 芳 (U+82B3).
    assert _ids(named, "王芳") == [11, 10, 13, 12]


def test_search_two_character_exact(named: Database) -> None:
    assert _ids(named, "王方") == [14]


def test_search_single_character_prefix(named: Database) -> None:
    assert set(_ids(named, "王")) == {10, 11, 12, 13, 14}


def test_search_compound_surname(named: Database) -> None:
    assert _ids(named, "欧阳明") == [16, 15]


def test_search_extension_b_name(named: Database) -> None:
    assert _ids(named, "张𠈌") == [17]
    assert _ids(named, "张") == [17]


def test_search_middle_dot_name(named: Database) -> None:
    assert _ids(named, "阿依古丽·买买提") == [18]
    assert _ids(named, "阿依古丽") == [18]


def test_search_by_birth_year(named: Database) -> None:
    assert _ids(named, "王芳", birth_year=1985) == [11, 13]


def test_search_by_district(named: Database) -> None:
    assert _ids(named, "王芳", district_code="440304") == [10, 12]


def test_search_limit(named: Database) -> None:
    assert _ids(named, "王芳", limit=1) == [11]
    assert _ids(named, "王芳", limit=3) == [11, 10, 13]


def test_search_blank_text(named: Database) -> None:
    assert _ids(named, "  ") == []


def test_search_no_infix_match(named: Database) -> None:
    assert _ids(named, "芳") == []


def test_search_summary_masks_id(named: Database) -> None:
    with named.session() as session:
        (summary,) = PeopleRepository(session).search_by_name("王方")

    assert summary.masked_id_number.startswith("440304********")
    assert len(summary.masked_id_number) == 18
    assert summary.district_code == "440304"


PLAN_QUERIES = {
    "exact": ("name = :name", {"name": "王芳"}),
    "prefix": (
        "name > :name AND name < :upper",
        {"name": "王芳", "upper": "王芳" + _MAX_CHARACTER},
    ),
    "exact_year": (
        "name = :name AND birth_date >= '1985-01-01' AND birth_date <= '1985-12-31'",
        {"name": "王芳"},
    ),
    "exact_district": ("name = :name AND district_code = '440304'", {"name": "王芳"}),
}


@pytest.mark.parametrize("case", sorted(PLAN_QUERIES))
def test_search_plan_uses_index(named: Database, case: str) -> None:
    condition, params = PLAN_QUERIES[case]
    with named.engine.connect() as connection:
        plan = connection.execute(
            text(f"EXPLAIN QUERY PLAN SELECT person_id FROM people WHERE {condition}"), params
        ).all()
    details = " | ".join(row[-1] for row in plan)

    assert "USING" in details and "INDEX ix_people_name_" in details, details
    assert "SCAN people" not in details.replace("SCAN people USING", ""), details


def test_repository_queries_use_index(named: Database) -> None:
    """Capture the SQL that search_by_name runs and check each plan."""
    from sqlalchemy import event

    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "FROM people" in statement:
            statements.append((statement, parameters))

    event.listen(named.engine, "before_cursor_execute", capture)
    try:
        _ids(named, "王芳", birth_year=1985)
        _ids(named, "王芳", district_code="440304")
    finally:
        event.remove(named.engine, "before_cursor_execute", capture)

    assert len(statements) == 4
    raw = named.engine.raw_connection()
    try:
        for statement, parameters in statements:
            plan = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            details = " | ".join(row[-1] for row in plan)
            assert "INDEX ix_people_name_" in details, details
    finally:
        raw.close()
