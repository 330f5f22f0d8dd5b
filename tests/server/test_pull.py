"""Pull streams: paging, cursors, jurisdiction and deletions."""

from __future__ import annotations

import base64

from sqlalchemy import func, select

from fpcert_server.changes import _record_person, apply_changes
from fpcert_server.models import OfficeRow, PersonRow
from fpcert_server.security import encode_cursor
from tests.server.conftest import DISTRICT, PEOPLE, STREET, enrol, pull_all


def test_pages_resume_from_cursor_exactly_once(client, db):
    headers = enrol(client, db, office="440300")
    with db() as session:
        offices = session.scalar(select(func.count()).select_from(OfficeRow))

    first = client.get("/v1/streams/offices", headers=headers, params={"limit": 100}).json()
    rest = pull_all(client, headers, "offices", limit=100, cursor=first["next_cursor"])

    ids = [item["id"] for item in first["items"] + rest]
    assert len(first["items"]) == 100
    assert first["has_more"] is True
    assert len(ids) == offices
    assert len(set(ids)) == offices
    assert first["as_of"].endswith("Z")


def test_last_page_has_no_more_and_keeps_cursor(client, db):
    headers = enrol(client, db)
    page = client.get("/v1/streams/policies", headers=headers).json()

    again = client.get(
        "/v1/streams/policies", headers=headers, params={"cursor": page["next_cursor"]}
    ).json()

    assert page["has_more"] is False
    assert page["items"][0]["data"]["text"].startswith("#")
    assert again["items"] == []
    assert again["next_cursor"] == page["next_cursor"]


def test_limit_bounds(client, db):
    headers = enrol(client, db)

    for limit in (0, 5001):
        response = client.get("/v1/streams/offices", headers=headers, params={"limit": limit})
        assert response.status_code == 400
    assert client.get("/v1/streams/offices", headers=headers, params={"limit": 5000}).is_success


def test_malformed_cursor_is_400(client, db):
    headers = enrol(client, db)
    other_stream = encode_cursor("people", 5)
    garbage = base64.urlsafe_b64encode(b"v2:offices:x").decode()

    for cursor in ("%%%", garbage, other_stream):
        response = client.get("/v1/streams/offices", headers=headers, params={"cursor": cursor})
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_cursor"


def test_unknown_stream_is_400(client, db):
    headers = enrol(client, db)

    assert client.get("/v1/streams/secrets", headers=headers).status_code == 400


def test_pull_needs_workstation(client):
    assert client.get("/v1/streams/offices").status_code == 401


def test_people_filtered_by_jurisdiction(client, db):
    headers = enrol(client, db)

    people = pull_all(client, headers, "people", limit=500)

    assert people
    for item in people:
        data = item["data"]
        assert STREET in (data["hukou_division_code"][:9], data["residence_division_code"][:9])
    with db() as session:
        expected = session.scalar(
            select(func.count())
            .select_from(PersonRow)
            .where(
                PersonRow.hukou_division_code.startswith(STREET)
                | PersonRow.residence_division_code.startswith(STREET)
            )
        )
    assert len(people) == expected


def test_city_office_sees_everyone(client, db):
    headers = enrol(client, db, office="440300")

    people = pull_all(client, headers, "people", limit=5000)

    assert len(people) == PEOPLE


def test_person_payload_fields(client, db):
    headers = enrol(client, db)

    people = pull_all(client, headers, "people", limit=5000)

    first = next(item for item in people if item["id"] == "1")
    assert first["op"] == "upsert"
    assert first["version"] == first["data"]["record_version"]
    assert first["data"]["id_number"] == "440304199003159805"
    assert first["data"]["spouse_person_id"] == 2
    assert len(first["data"]["children"]) == 1
    assert set(first["data"]["children"][0]) == {
        "name",
        "sex",
        "birth_date",
        "birth_order",
        "id_number",
    }


def test_move_sends_delete_to_old_office_only(client, db, clock):
    street_headers = enrol(client, db)
    district_headers = enrol(client, db, office=DISTRICT)
    before = pull_all(client, street_headers, "people", limit=5000)
    street_cursor = client.get(
        "/v1/streams/people", headers=street_headers, params={"limit": 5000}
    ).json()["next_cursor"]
    district_cursor = client.get(
        "/v1/streams/people", headers=district_headers, params={"limit": 5000}
    ).json()["next_cursor"]

    # Move someone who lives in the street but has no hukou there to another district.
    with db() as session, session.begin():
        person = session.scalars(
            select(PersonRow).where(
                PersonRow.residence_division_code.startswith(STREET),
                ~PersonRow.hukou_division_code.startswith(DISTRICT),
            )
        ).first()
        assert person is not None
        target = session.scalars(
            select(OfficeRow.code).where(
                OfficeRow.level == "community", ~OfficeRow.code.startswith(DISTRICT)
            )
        ).first()
        old_version = person.record_version
        old_scope = (person.hukou_division_code, person.residence_division_code)
        person.residence_division_code = target
        _record_person(session, person, clock.now, moved_from=old_scope)
        moved_id = str(person.person_id)

    street = pull_all(client, street_headers, "people", cursor=street_cursor)
    district = pull_all(client, district_headers, "people", cursor=district_cursor)

    assert moved_id in {item["id"] for item in before}
    assert [(item["op"], item["id"], item["version"]) for item in street] == [
        ("delete", moved_id, old_version + 1)
    ]
    assert street[0]["data"] is None
    assert [item["op"] for item in district] == ["delete"]


def test_apply_changes_deltas_reach_pull(client, db):
    headers = enrol(client, db, office="440300")
    cursor = client.get("/v1/streams/people", headers=headers, params={"limit": 5000}).json()[
        "next_cursor"
    ]

    with db() as session, session.begin():
        report = apply_changes(session, births=3, marriages=2, corrections=4, seed=3)

    deltas = pull_all(client, headers, "people", cursor=cursor)
    upserts = {item["id"]: item for item in deltas if item["op"] == "upsert"}
    assert len(report.births) == 3
    assert len(report.marriages) == 2
    assert len(report.corrections) == 4
    for mother in report.births:
        assert str(mother) in upserts
        assert upserts[str(mother)]["data"]["pregnancy"] is None
    for woman, man in report.marriages:
        assert upserts[str(woman)]["data"]["spouse_person_id"] == man
        assert upserts[str(man)]["data"]["spouse_person_id"] == woman
        assert upserts[str(man)]["data"]["marital_status"] == "first_marriage"
    for person in report.corrections:
        assert upserts[str(person)]["version"] >= 2
