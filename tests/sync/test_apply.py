"""apply_page: upserts, deletes, quarantine of invalid records, one transaction per page."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import func, select
from sync_records import person_data

from fpcert_desktop.domain.people import Sex
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.models import ChildRow, PersonRow
from fpcert_desktop.storage.repositories import (
    OfficeRepository,
    PeopleRepository,
    ProblemListRepository,
    QuarantineRepository,
    SyncStateRepository,
    UserRepository,
)
from fpcert_desktop.sync import apply as apply_module
from fpcert_desktop.sync.apply import apply_page
from fpcert_desktop.sync.protocol import PulledItem, PulledPage

AS_OF = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)
OFFICES = [
    {"code": "440304", "name": "福田区卫生健康局", "level": "district", "parent_code": None},
    {"code": "440304004", "name": "福田街道计生办", "level": "street", "parent_code": "440304"},
    {
        "code": "440304004001",
        "name": "福山社区工作站",
        "level": "community",
        "parent_code": "440304004",
    },
]


def page(stream: str, *items: PulledItem, cursor: str = "next", more: bool = False) -> PulledPage:
    return PulledPage(stream, tuple(items), cursor, more, AS_OF)


def upsert(item_id: Any, data: dict[str, Any], version: int = 1) -> PulledItem:
    return PulledItem("upsert", str(item_id), version, data)


def remove(item_id: Any) -> PulledItem:
    return PulledItem("delete", str(item_id), 9, None)


def load_offices(db: Database) -> None:
    apply_page(db, "offices", page("offices", *(upsert(o["code"], o) for o in OFFICES)))


def test_people_upsert_with_family(db: Database) -> None:
    wife = person_data(
        1,
        "李娜",
        spouse_person_id=2,
        spouse_name="王伟",
        children=[{"name": "王小明", "sex": "male", "birth_date": "2018-02-03", "birth_order": 1}],
        pregnancy={
            "registered_on": "2026-10-01",
            "expected_delivery": None,
            "planned_birth_order": 2,
        },
    )
    husband = person_data(2, "王伟", sex=Sex.MALE, spouse_person_id=1, spouse_name="李娜")
    wife["spouse_id_number"] = husband["id_number"]

    report = apply_page(db, "people", page("people", upsert(1, wife), upsert(2, husband)))

    with db.session() as session:
        people = PeopleRepository(session)
        loaded_wife = people.get(1)
        loaded_husband = people.get(2)
        state = SyncStateRepository(session).get("people")
    assert report.upserted == 2
    assert report.quarantined == 0
    assert loaded_wife is not None and loaded_husband is not None
    assert loaded_wife.spouse is not None
    assert loaded_wife.spouse.person_id == 2
    assert [child.name for child in loaded_wife.children] == ["王小明"]
    assert loaded_wife.pregnancy is not None
    assert loaded_husband.pregnancy == loaded_wife.pregnancy
    assert state is not None
    assert state.cursor == "next"
    assert state.as_of == AS_OF


def test_people_second_upsert_replaces(db: Database) -> None:
    first = person_data(
        1,
        "李娜",
        children=[
            {"name": "甲", "sex": "male", "birth_date": "2018-02-03", "birth_order": 1},
            {"name": "乙", "sex": "female", "birth_date": "2020-02-03", "birth_order": 2},
        ],
    )
    second = person_data(
        1,
        "李娜娜",
        record_version=2,
        children=[
            {"name": "甲", "sex": "male", "birth_date": "2018-02-03", "birth_order": 1},
        ],
    )
    apply_page(db, "people", page("people", upsert(1, first)))
    apply_page(db, "people", page("people", upsert(1, second, version=2)))

    with db.session() as session:
        person = PeopleRepository(session).get(1)
        child_rows = session.scalar(select(func.count()).select_from(ChildRow))
    assert person is not None
    assert person.name == "李娜娜"
    assert person.record_version == 2
    assert len(person.children) == 1
    assert child_rows == 1


def test_spouse_link_completed_later(db: Database) -> None:
    husband = person_data(2, "王伟", sex=Sex.MALE)
    wife = person_data(1, "李娜", spouse_person_id=2, spouse_id_number=husband["id_number"])
    apply_page(db, "people", page("people", upsert(1, wife)))
    with db.session() as session:
        before = session.get(PersonRow, 1)
        assert before is not None
        assert before.spouse_person_id is None

    apply_page(db, "people", page("people", upsert(2, husband)))

    with db.session() as session:
        after = session.get(PersonRow, 1)
        assert after is not None
        assert after.spouse_person_id == 2


def test_invalid_id_number_quarantined(db: Database) -> None:
    good = person_data(1, "李娜")
    bad = person_data(2, "张敏", id_number=good["id_number"][:17] + "0")
    if bad["id_number"] == good["id_number"]:
        bad["id_number"] = good["id_number"][:17] + "1"
    report = apply_page(db, "people", page("people", upsert(2, bad), upsert(1, good)))

    with db.session() as session:
        (record,) = QuarantineRepository(session).list("people")
        stored = PeopleRepository(session).count()
    assert report.upserted == 1
    assert report.quarantined == 1
    assert record.entity_id == "2"
    assert "check_character" in record.reason
    assert bad["id_number"] not in str(record.payload)
    assert stored == 1


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("sex", "unknown", "sex"),
        ("marital_status", "married", "marital_status"),
        ("birth_date", "1990-02-30", "birth_date"),
        (
            "children",
            [{"name": "甲", "sex": "male", "birth_date": "x", "birth_order": 1}],
            "birth_date",
        ),
        ("person_id", 99, "person_id"),
    ],
)
def test_invalid_fields_quarantined(db: Database, field: str, value: Any, reason: str) -> None:
    report = apply_page(
        db, "people", page("people", upsert(1, {**person_data(1, "李娜"), field: value}))
    )

    with db.session() as session:
        (record,) = QuarantineRepository(session).list()
    assert report.quarantined == 1
    assert reason in record.reason


def test_people_delete(db: Database) -> None:
    apply_page(db, "people", page("people", upsert(1, person_data(1, "李娜"))))
    report = apply_page(db, "people", page("people", remove(1), remove(404)))

    with db.session() as session:
        assert PeopleRepository(session).count() == 0
    assert report.deleted == 2


def test_crash_mid_page_applies_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = apply_module._upsert_person

    def crash_on_second(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("power cut")
        real(*args)

    monkeypatch.setitem(
        apply_module._HANDLERS, "people", (crash_on_second, apply_module._delete_person)
    )
    items = (upsert(1, person_data(1, "李娜")), upsert(2, person_data(2, "张敏")))
    with pytest.raises(RuntimeError):
        apply_page(db, "people", page("people", *items))

    with db.session() as session:
        assert PeopleRepository(session).count() == 0
        assert SyncStateRepository(session).get("people") is None


def test_offices_users_and_unknown_parent(db: Database) -> None:
    orphan = {"code": "440399001", "name": "x", "level": "street", "parent_code": "440399"}
    load_offices(db)
    report = apply_page(db, "offices", page("offices", upsert("440399001", orphan)))
    user = {
        "user_id": 5,
        "name": "陈静",
        "role": "clerk",
        "office_code": "440304004001",
        "cert_fingerprint": "AB" * 32,
        "active": True,
    }
    apply_page(db, "users", page("users", upsert(5, user)))
    apply_page(db, "users", page("users", remove(5)))

    with db.session() as session:
        offices = OfficeRepository(session).all()
        stored_user = UserRepository(session).get(5)
    assert report.quarantined == 1
    assert [office.code for office in offices] == [o["code"] for o in OFFICES]
    assert stored_user is not None
    assert stored_user.cert_fingerprint == "ab" * 32
    assert not stored_user.active


def test_institutions_and_policies_stored(db: Database) -> None:
    institution = {"code": "FT01", "name": "福田区妇幼保健院", "district_code": "440304"}
    policy = {"version": "2027.1", "effective_date": "2027-01-01", "text": 'version = "2027.1"\n'}
    broken = {"version": "bad", "effective_date": "2027-01-01", "text": "version = "}
    apply_page(db, "institutions", page("institutions", upsert("FT01", institution)))
    report = apply_page(
        db, "policies", page("policies", upsert("2027.1", policy), upsert("bad", broken))
    )

    from fpcert_desktop.storage.repositories.sync import synced_institutions

    with db.session() as session:
        institutions = synced_institutions(session)
    assert [item.code for item in institutions] == ["FT01"]
    assert report.upserted == 1
    assert report.quarantined == 1


def test_problem_list_maps_id_number(db: Database) -> None:
    load_offices(db)
    apply_page(
        db,
        "users",
        page(
            "users",
            upsert(
                5,
                {
                    "user_id": 5,
                    "name": "陈静",
                    "role": "administrator",
                    "office_code": "440304004",
                    "cert_fingerprint": "cd" * 32,
                    "active": True,
                },
            ),
        ),
    )
    person = person_data(1, "李娜")
    apply_page(db, "people", page("people", upsert(1, person)))
    entry = {
        "entry_id": 70,
        "id_number": person["id_number"],
        "category": "false_materials",
        "listed_on": "2026-03-01",
        "facts": "伪造结婚证",
        "materials_location": "档案室",
        "entered_by": 5,
        "office_code": "440304004",
        "feedback_state": "pending",
        "removed_on": None,
        "removal_reason": "",
    }
    unknown = {**entry, "entry_id": 71, "id_number": person_data(3, "x")["id_number"]}
    report = apply_page(
        db, "problem_list", page("problem_list", upsert(70, entry), upsert(71, unknown))
    )

    with db.session() as session:
        entries = ProblemListRepository(session).for_person(1)
        (record,) = QuarantineRepository(session).list("problem_list")
    assert [item.entry_id for item in entries] == [70]
    assert report.quarantined == 1
    assert "not on record" in record.reason
