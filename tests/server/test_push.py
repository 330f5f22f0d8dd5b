"""Push idempotency and item-by-item validation, and verification."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select

from fpcert_server.models import PushedAuditEventRow, PushedIssuanceRow
from tests.server.conftest import NOW, STREET, pull_all

NUMBER = f"{STREET}-01-2026-000001"


def issuance(clerk, *, number=NUMBER, valid_until="2027-06-03", **changes):
    item = {
        "uuid": str(uuid.uuid4()),
        "number": number,
        "office_code": STREET,
        "workstation": "01",
        "person_id": 1,
        "id_number_hash": "ab" * 32,
        "purpose_code": "school_enrolment",
        "issued_at": "2026-12-04T01:00:00Z",
        "valid_until": valid_until,
        "status": "printed",
        "policy_version": "2012-04-25",
        "user_id": clerk.user_id,
    }
    item.update(changes)
    return item


def push(client, clerk, kind, items):
    response = client.post(f"/v1/push/{kind}", headers=clerk.headers, json={"items": items})
    assert response.status_code == 200, response.text
    return response.json()


def test_same_uuid_twice_is_duplicate_and_stored_once(client, clerk, db):
    item = issuance(clerk)

    first = push(client, clerk, "issuances", [item])
    second = push(client, clerk, "issuances", [item])
    within = push(client, clerk, "issuances", [item | {"uuid": str(uuid.uuid4())}] * 2)

    assert first == {"accepted": [item["uuid"]], "duplicates": [], "rejected": []}
    assert second == {"accepted": [], "duplicates": [item["uuid"]], "rejected": []}
    assert len(within["accepted"]) == 1
    assert len(within["duplicates"]) == 1
    with db() as session:
        count = session.scalar(
            select(func.count())
            .select_from(PushedIssuanceRow)
            .where(PushedIssuanceRow.uuid == item["uuid"])
        )
    assert count == 1


def test_rejected_item_does_not_stop_others(client, clerk):
    good_before = issuance(clerk)
    wrong_user = issuance(clerk, number=f"{STREET}-01-2026-000002", user_id=clerk.user_id + 99)
    malformed = {"uuid": str(uuid.uuid4()), "number": "x"}
    not_an_object = "text"
    good_after = issuance(clerk, number=f"{STREET}-01-2026-000003")

    answer = push(
        client, clerk, "issuances", [good_before, wrong_user, malformed, not_an_object, good_after]
    )

    assert answer["accepted"] == [good_before["uuid"], good_after["uuid"]]
    reasons = {item["uuid"]: item["reason"] for item in answer["rejected"]}
    assert "not the clerk of this session" in reasons[wrong_user["uuid"]]
    assert malformed["uuid"] in reasons
    assert "" in reasons
    assert len(answer["rejected"]) == 3


def test_issuance_checks(client, clerk):
    cases = {
        "other workstation": issuance(clerk, number=f"{STREET}-02-2026-000001", workstation="02"),
        "number mismatch": issuance(clerk, number="440305002-01-2026-000001"),
        "outside office": issuance(
            clerk, number="440305002-01-2026-000001", office_code="440305002"
        ),
        "unknown person": issuance(clerk, person_id=10**9),
        "valid before issue": issuance(clerk, valid_until="2026-01-01"),
        "naive time": issuance(clerk, issued_at="2026-12-04T01:00:00"),
    }

    answer = push(client, clerk, "issuances", list(cases.values()))

    assert answer["accepted"] == []
    assert len(answer["rejected"]) == len(cases)


def test_number_reused_for_other_person_is_rejected(client, clerk):
    push(client, clerk, "issuances", [issuance(clerk)])

    answer = push(client, clerk, "issuances", [issuance(clerk, person_id=2)])

    assert "already used" in answer["rejected"][0]["reason"]


def test_push_body_over_500_items_is_400(client, clerk):
    response = client.post(
        "/v1/push/audit_events", headers=clerk.headers, json={"items": [{}] * 501}
    )

    assert response.status_code == 400


def test_unknown_push_kind_is_400(client, clerk):
    response = client.post("/v1/push/people", headers=clerk.headers, json={"items": []})

    assert response.status_code == 400


def test_void_of_unknown_number_is_rejected(client, clerk):
    void = {
        "uuid": str(uuid.uuid4()),
        "number": NUMBER,
        "reason": "misprint",
        "voided_at": "2026-12-04T01:30:00Z",
        "user_id": clerk.user_id,
    }

    answer = push(client, clerk, "voids", [void])

    assert "push its issuance first" in answer["rejected"][0]["reason"]


def audit_event(clerk, seq, **changes):
    item = {
        "uuid": str(uuid.uuid4()),
        "seq": seq,
        "at": "2026-12-04T01:00:00+00:00",
        "user_id": clerk.user_id,
        "workstation": "01",
        "event": "print",
        "subject": "440304********9805",
        "details": {"number": NUMBER},
        "prev_hash": "0" * 64,
        "hash": f"{seq:064x}",
    }
    item.update(changes)
    return item


def test_audit_event_user_and_id_checks(client, clerk, db):
    login_failure = audit_event(clerk, 1, user_id=None, event="login_failed")
    other_user = audit_event(clerk, 2, user_id=clerk.user_id + 1)
    full_id = audit_event(clerk, 3, subject="440304199003159805")

    answer = push(client, clerk, "audit_events", [login_failure, other_user, full_id])

    assert answer["accepted"] == [login_failure["uuid"], other_user["uuid"]]
    assert "full ID number" in answer["rejected"][0]["reason"]
    with db() as session:
        stored = session.scalars(select(PushedAuditEventRow)).all()
    assert {row.pushed_by_user_id for row in stored} == {clerk.user_id}


def test_reprint_and_referral_are_stored(client, clerk):
    push(client, clerk, "issuances", [issuance(clerk)])
    reprint = {
        "uuid": str(uuid.uuid4()),
        "number": NUMBER,
        "reason": "paper jam",
        "reprinted_at": "2026-12-04T01:40:00Z",
        "user_id": clerk.user_id,
    }
    referral = {
        "uuid": str(uuid.uuid4()),
        "person_id": 1,
        "purpose_code": "school_enrolment",
        "record_version": 1,
        "fields": [{"field": "residence_address", "record_value": "a", "document_value": "b"}],
        "responsible_office_code": "440304004001",
        "created_on": "2026-12-04",
        "user_id": clerk.user_id,
    }

    assert push(client, clerk, "reprints", [reprint])["accepted"] == [reprint["uuid"]]
    assert push(client, clerk, "referrals", [referral])["accepted"] == [referral["uuid"]]


def problem_entry(clerk, **changes):
    item = {
        "uuid": str(uuid.uuid4()),
        "entry_id": 7,
        "id_number": "440304199003159805",
        "category": "false_materials",
        "listed_on": "2026-11-30",
        "facts": "forged marriage certificate",
        "materials_location": "cabinet 3",
        "entered_by": clerk.user_id,
        "office_code": STREET,
        "feedback_state": "pending",
        "user_id": clerk.user_id,
    }
    item.update(changes)
    return item


def test_problem_list_push_reaches_stream(client, clerk):
    listed = problem_entry(clerk)
    removed = problem_entry(clerk, removed_on="2026-12-04", removal_reason="court ruling")

    push(client, clerk, "problem_list", [listed])
    push(client, clerk, "problem_list", [removed])
    items = pull_all(client, clerk.headers, "problem_list")

    assert [item["version"] for item in items] == [1, 2]
    assert items[0]["id"] == items[1]["id"]
    assert items[1]["data"]["removed_on"] == "2026-12-04"
    assert items[1]["data"]["id_number"] == "440304199003159805"
    assert "person_id" not in items[1]["data"]


def test_problem_list_outside_jurisdiction_not_pulled(client, clerk, db):
    from tests.server.conftest import enrol

    other = enrol(client, db, office="440305002")
    push(client, clerk, "problem_list", [problem_entry(clerk)])

    assert pull_all(client, other, "problem_list") == []


def verify(client, number=NUMBER):
    response = client.get(f"/v1/verify/{number}")
    assert response.status_code == 200, response.text
    return response.json()


def test_verify_statuses(client, clerk, clock):
    assert verify(client)["status"] == "unknown"
    push(client, clerk, "issuances", [issuance(clerk)])

    valid = verify(client)
    assert valid == {
        "number": NUMBER,
        "status": "valid",
        "purpose_code": "school_enrolment",
        "issued_on": "2026-12-04",
        "valid_until": "2027-06-03",
        "office_code": STREET,
    }

    # The last valid day ends at midnight China time (16:00 UTC).
    clock.now = dt.datetime(2027, 6, 3, 15, 59, tzinfo=dt.timezone.utc)
    assert verify(client)["status"] == "valid"
    clock.now = dt.datetime(2027, 6, 3, 16, 0, tzinfo=dt.timezone.utc)
    assert verify(client)["status"] == "expired"

    clock.now = NOW
    void = {
        "uuid": str(uuid.uuid4()),
        "number": NUMBER,
        "reason": "misprint",
        "voided_at": "2026-12-04T01:30:00Z",
        "user_id": clerk.user_id,
    }
    push(client, clerk, "voids", [void])
    assert verify(client)["status"] == "voided"


def test_verify_not_printed_and_malformed(client, clerk):
    push(client, clerk, "issuances", [issuance(clerk, status="not_printed")])

    assert verify(client)["status"] == "unknown"
    assert client.get("/v1/verify/not-a-number").status_code == 400
