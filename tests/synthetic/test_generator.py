from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from fpcert_desktop.domain.idnumber import parse_id_number
from fpcert_desktop.domain.people import MaritalStatus, Sex
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import OfficeRepository, PeopleRepository
from fpcert_desktop.synthetic import DEMO_PEOPLE, generate
from fpcert_desktop.synthetic.__main__ import main
from fpcert_desktop.synthetic.divisions import build_office_tree
from fpcert_desktop.synthetic.names import EXTENSION_A_CHARACTERS, EXTENSION_B_CHARACTERS

TODAY = date(2026, 1, 15)


def _generated(path: Path, people: int, seed: int) -> Database:
    database = Database(path)
    database.upgrade()
    generate(database, people=people, seed=seed, today=TODAY)
    return database


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = _generated(tmp_path_factory.mktemp("synthetic") / "p.sqlite3", 10_000, 20120425)
    yield database
    database.dispose()


def _rows(db: Database, query: str) -> list[tuple[object, ...]]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def test_same_seed_same_rows(tmp_path: Path) -> None:
    first = _generated(tmp_path / "a.sqlite3", 3_000, 7)
    second = _generated(tmp_path / "b.sqlite3", 3_000, 7)

    for table in ("people", "children", "pregnancies", "offices"):
        query = f"SELECT * FROM {table} ORDER BY 1"
        assert _rows(first, query) == _rows(second, query), table


def test_other_seed_other_rows(tmp_path: Path) -> None:
    first = _generated(tmp_path / "a.sqlite3", 3_000, 7)
    second = _generated(tmp_path / "b.sqlite3", 3_000, 8)

    query = "SELECT name, id_number FROM people WHERE person_id > 10 ORDER BY 1"
    assert _rows(first, query) != _rows(second, query)


def test_people_count(population: Database) -> None:
    assert _rows(population, "SELECT count(*) FROM people") == [(10_000,)]


def test_id_numbers_valid(population: Database) -> None:
    rows = _rows(population, "SELECT id_number, birth_date, sex FROM people")
    for id_number, birth_date, sex in rows:
        parsed = parse_id_number(str(id_number), today=TODAY)
        assert parsed.birth_date.isoformat() == birth_date, id_number
        assert parsed.sex is Sex(sex), id_number


def test_other_id_numbers_valid(population: Database) -> None:
    rows = _rows(
        population,
        "SELECT id_number, birth_date, sex FROM children WHERE id_number IS NOT NULL",
    )
    spouses = _rows(
        population, "SELECT spouse_id_number FROM people WHERE spouse_id_number IS NOT NULL"
    )

    for id_number, birth_date, sex in rows:
        parsed = parse_id_number(str(id_number), today=TODAY)
        assert parsed.birth_date.isoformat() == birth_date
        assert parsed.sex is Sex(sex)
    for (id_number,) in spouses:
        parse_id_number(str(id_number), today=TODAY)


def test_ages_within_range(population: Database) -> None:
    ((oldest, youngest),) = _rows(population, "SELECT min(birth_date), max(birth_date) FROM people")

    assert str(oldest) >= "1955-01-15"
    assert str(youngest) <= "2008-01-15"


def test_spouses_linked_both_ways(population: Database) -> None:
    broken = _rows(
        population,
        "SELECT a.person_id FROM people a JOIN people b ON b.person_id = a.spouse_person_id "
        "WHERE b.spouse_person_id != a.person_id OR b.name != a.spouse_name "
        "OR b.id_number != a.spouse_id_number OR a.sex = b.sex "
        "OR a.marriage_date != b.marriage_date",
    )
    linked = _rows(population, "SELECT count(*) FROM people WHERE spouse_person_id IS NOT NULL")

    assert broken == []
    assert linked[0][0] > 2_000


def test_marriage_after_legal_age(population: Database) -> None:
    too_young = _rows(
        population,
        "SELECT person_id FROM people WHERE marriage_date IS NOT NULL AND ("
        "(sex = 'female' AND marriage_date < date(birth_date, '+20 years')) OR "
        "(sex = 'male' AND marriage_date < date(birth_date, '+22 years')))",
    )

    assert too_young == []


def test_children_consistent_with_mother(population: Database) -> None:
    bad = _rows(
        population,
        "SELECT c.id FROM children c JOIN people m ON m.person_id = c.mother_person_id "
        "WHERE c.birth_date < date(m.birth_date, '+20 years') "
        "OR c.birth_date > date(m.birth_date, '+46 years') OR c.birth_date > '2026-01-15' "
        "OR c.birth_order NOT BETWEEN 1 AND 3",
    )

    assert bad == []


def test_pregnant_women_married(population: Database) -> None:
    bad = _rows(
        population,
        "SELECT p.person_id FROM pregnancies p JOIN people w ON w.person_id = p.person_id "
        "WHERE w.sex != 'female' OR w.marital_status NOT IN ('first_marriage', 'remarried')",
    )
    count = _rows(population, "SELECT count(*) FROM pregnancies")

    assert bad == []
    assert count[0][0] > 20


def test_marital_statuses_present(population: Database) -> None:
    statuses = {row[0] for row in _rows(population, "SELECT DISTINCT marital_status FROM people")}

    assert statuses == {status.value for status in MaritalStatus}


def test_spouse_not_on_record_present(population: Database) -> None:
    rows = _rows(
        population,
        "SELECT count(*) FROM people WHERE spouse_person_id IS NULL AND spouse_name IS NOT NULL",
    )

    assert rows[0][0] > 100


def test_resident_share_near_40_percent(population: Database) -> None:
    ((residents,),) = _rows(
        population, "SELECT count(*) FROM people WHERE population_type = 'resident'"
    )

    assert 3_200 < residents < 4_800


def test_hukou_matches_category(population: Database) -> None:
    rows = _rows(
        population, "SELECT hukou_category, hukou_division_code, hukou_address FROM people"
    )
    for category, code, address in rows:
        if category == "shenzhen":
            assert str(code).startswith("4403")
            assert str(address).startswith("深圳市")
        elif category == "guangdong_other":
            assert str(code).startswith("44")
            assert not str(code).startswith("4403")
            assert str(address).startswith("广东省")
        else:
            assert not str(code).startswith("44")


def test_residence_in_community(population: Database) -> None:
    with population.session() as session:
        communities = {o.code for o in OfficeRepository(session).all() if len(o.code) == 12}
    rows = _rows(population, "SELECT residence_division_code, district_code FROM people")

    for code, district in rows:
        assert code in communities
        assert str(code)[:6] == district


def test_name_mix_present(population: Database) -> None:
    names = [str(row[0]) for row in _rows(population, "SELECT name FROM people")]

    assert any(len(name) == 2 for name in names)
    assert any(len(name) == 3 for name in names)
    assert any(len(name) == 4 and "·" not in name for name in names)
    assert any("·" in name for name in names)
    assert any(any(ch in EXTENSION_A_CHARACTERS for ch in name) for name in names)
    assert any(any(ch in EXTENSION_B_CHARACTERS for ch in name) for name in names)


def test_uyghur_names_have_dot(population: Database) -> None:
    rows = _rows(population, "SELECT name FROM people WHERE ethnicity = '维吾尔族'")

    assert rows
    assert all("·" in str(name) for (name,) in rows)


def test_demo_people_present(population: Database) -> None:
    with population.session() as session:
        repository = PeopleRepository(session)
        for demo in DEMO_PEOPLE:
            person = repository.get_by_id_number(demo.id_number)
            assert person is not None, demo.name
            assert person.person_id == demo.person_id
            assert person.name == demo.name
            if demo.sex is Sex.FEMALE:
                assert person.born_children == len(demo.children), demo.name


def test_demo_families(population: Database) -> None:
    with population.session() as session:
        repository = PeopleRepository(session)
        one_child, husband, two_children, pregnant, pregnant_husband, both = (
            repository.get(person_id) for person_id in (1, 2, 3, 4, 5, 6)
        )

    assert one_child is not None and one_child.born_children == 1
    assert husband is not None and husband.born_children == 1
    assert two_children is not None and two_children.born_children == 2
    assert pregnant is not None and pregnant.pregnancy is not None
    assert pregnant.born_children == 0
    assert pregnant_husband is not None
    assert pregnant_husband.pregnancy is not None
    assert both is not None
    assert both.pregnancy is not None
    assert both.born_children == 1
    assert both.pregnancy.planned_birth_order == 2


def test_demo_ids_valid() -> None:
    for demo in DEMO_PEOPLE:
        parsed = parse_id_number(demo.id_number, today=TODAY)
        assert parsed.birth_date == demo.birth_date
        assert parsed.sex is demo.sex


def test_office_tree_shape() -> None:
    tree = build_office_tree(1)
    codes = {office.code for office in tree.offices}
    per_street: dict[str, int] = {}
    for community in tree.communities:
        per_street[community.code[:9]] = per_street.get(community.code[:9], 0) + 1

    assert "440300" in codes
    assert "440304" in codes
    assert "440304004" in codes
    assert "440304400" not in codes  # 福田保税区 is not a street
    assert "440305400" not in codes  # 前海合作区
    assert all(3 <= count <= 8 for count in per_street.values())
    assert all(office.parent_code in codes for office in tree.offices if office.parent_code)


def test_generate_rejects_filled_database(population: Database) -> None:
    with pytest.raises(ValueError, match="already has people"):
        generate(population, people=20, today=TODAY)


def test_ten_thousand_fast(tmp_path: Path) -> None:
    started = time.perf_counter()
    _generated(tmp_path / "fast.sqlite3", 10_000, 1)

    assert time.perf_counter() - started < 30


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.sqlite3"

    code = main(["--people", "1_000", "--seed", "3", "--db", str(path), "--quiet"])

    assert code == 0
    assert "1,000 people" in capsys.readouterr().out
    assert main(["--people", "10", "--db", str(path), "--quiet"]) == 1
