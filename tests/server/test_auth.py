"""Enrolment, challenges and clerk sessions."""

from __future__ import annotations

import base64
import datetime as dt

from tests.server.conftest import (
    DISTRICT,
    NOW,
    STREET,
    add_enrolment_code,
    add_user,
    enrol,
    open_session,
)


def test_enrolment_code_is_one_time(client, db):
    code = add_enrolment_code(db, STREET, expires=NOW + dt.timedelta(days=1))
    body = {"office_code": STREET, "workstation_code": "01", "enrolment_code": code}

    first = client.post("/v1/workstations/enrol", json=body)
    second = client.post("/v1/workstations/enrol", json={**body, "workstation_code": "02"})

    assert first.status_code == 200
    assert set(first.json()) == {"workstation_id", "secret"}
    assert second.status_code == 401
    assert second.json()["error"] == "invalid_enrolment_code"


def test_enrolment_rejects_other_office_and_expired_code(client, db):
    other = add_enrolment_code(db, DISTRICT, expires=NOW + dt.timedelta(days=1))
    expired = add_enrolment_code(db, STREET, expires=NOW - dt.timedelta(seconds=1))

    for code in (other, expired):
        response = client.post(
            "/v1/workstations/enrol",
            json={"office_code": STREET, "workstation_code": "01", "enrolment_code": code},
        )
        assert response.status_code == 401


def test_enrolment_of_same_workstation_twice_conflicts(client, db):
    enrol(client, db, workstation="03")
    code = add_enrolment_code(db, STREET, expires=NOW + dt.timedelta(days=1))

    response = client.post(
        "/v1/workstations/enrol",
        json={"office_code": STREET, "workstation_code": "03", "enrolment_code": code},
    )

    assert response.status_code == 409


def test_invalid_enrol_body_is_400(client):
    response = client.post("/v1/workstations/enrol", json={"office_code": "44"})

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_calls_without_or_with_wrong_secret_are_401(client, db):
    headers = enrol(client, db)
    workstation_id = headers["Authorization"].split()[1].split(".")[0]

    missing = client.post("/v1/sessions/challenge")
    wrong = client.post(
        "/v1/sessions/challenge", headers={"Authorization": f"Bearer {workstation_id}.nope"}
    )

    assert missing.status_code == 401
    assert wrong.status_code == 401
    assert client.post("/v1/sessions/challenge", headers=headers).status_code == 200


def test_session_with_valid_signature(client, db, make_key):
    headers = enrol(client, db)
    key = make_key()
    user_id = add_user(db, key)

    response = open_session(client, headers, key)

    assert response.status_code == 200, response.text
    assert response.json()["user_id"] == user_id
    assert response.json()["session_token"]


def test_session_with_wrong_signature_is_401(client, db, make_key):
    headers = enrol(client, db)
    key, other = make_key(), make_key()
    add_user(db, key)
    challenge = client.post("/v1/sessions/challenge", headers=headers).json()["challenge"]

    response = client.post(
        "/v1/sessions",
        headers=headers,
        json={
            "challenge": challenge,
            "certificate": base64.b64encode(key.certificate).decode(),
            "signature": base64.b64encode(other.sign(base64.b64decode(challenge))).decode(),
        },
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_signature"


def test_challenge_is_single_use(client, db, make_key):
    headers = enrol(client, db)
    key = make_key()
    add_user(db, key)
    challenge = client.post("/v1/sessions/challenge", headers=headers).json()["challenge"]
    body = {
        "challenge": challenge,
        "certificate": base64.b64encode(key.certificate).decode(),
        "signature": base64.b64encode(key.sign(base64.b64decode(challenge))).decode(),
    }

    assert client.post("/v1/sessions", headers=headers, json=body).status_code == 200
    again = client.post("/v1/sessions", headers=headers, json=body)

    assert again.status_code == 401
    assert again.json()["error"] == "invalid_challenge"


def test_expired_challenge_is_401(client, db, make_key, clock):
    headers = enrol(client, db)
    key = make_key()
    add_user(db, key)
    challenge = client.post("/v1/sessions/challenge", headers=headers).json()["challenge"]
    clock.now = NOW + dt.timedelta(minutes=5)

    response = client.post(
        "/v1/sessions",
        headers=headers,
        json={
            "challenge": challenge,
            "certificate": base64.b64encode(key.certificate).decode(),
            "signature": base64.b64encode(key.sign(base64.b64decode(challenge))).decode(),
        },
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_challenge"


def test_challenge_of_other_workstation_is_401(client, db, make_key):
    first = enrol(client, db, workstation="01")
    second = enrol(client, db, workstation="02")
    key = make_key()
    add_user(db, key)
    challenge = client.post("/v1/sessions/challenge", headers=first).json()["challenge"]

    response = client.post(
        "/v1/sessions",
        headers=second,
        json={
            "challenge": challenge,
            "certificate": base64.b64encode(key.certificate).decode(),
            "signature": base64.b64encode(key.sign(base64.b64decode(challenge))).decode(),
        },
    )

    assert response.status_code == 401


def test_unknown_fingerprint_is_401(client, db, make_key):
    headers = enrol(client, db)

    response = open_session(client, headers, make_key())

    assert response.status_code == 401
    assert response.json()["error"] == "unknown_certificate"


def test_inactive_user_is_401(client, db, make_key):
    headers = enrol(client, db)
    key = make_key()
    add_user(db, key, active=False)

    assert open_session(client, headers, key).status_code == 401


def test_expired_certificate_is_401(client, db, make_key, clock):
    headers = enrol(client, db)
    key = make_key(days=1)
    add_user(db, key)
    clock.now = NOW + dt.timedelta(days=2)

    response = open_session(client, headers, key)

    assert response.status_code == 401
    assert response.json()["error"] == "certificate_not_valid"


def test_user_outside_office_is_403(client, db, make_key):
    headers = enrol(client, db)
    key = make_key()
    add_user(db, key, office="440305002")

    response = open_session(client, headers, key)

    assert response.status_code == 403
    assert response.json()["error"] == "outside_jurisdiction"


def test_district_workstation_accepts_street_user(client, db, make_key):
    headers = enrol(client, db, office=DISTRICT)
    key = make_key()
    add_user(db, key, office=STREET)

    assert open_session(client, headers, key).status_code == 200


def test_push_without_session_is_401(client, db):
    headers = enrol(client, db)

    response = client.post("/v1/push/audit_events", headers=headers, json={"items": []})

    assert response.status_code == 401
    assert response.json()["error"] == "missing_session"


def test_expired_session_is_401(client, clerk, clock):
    clock.now = NOW + dt.timedelta(hours=9)

    response = client.post("/v1/push/audit_events", headers=clerk.headers, json={"items": []})

    assert response.status_code == 401
    assert response.json()["error"] == "session_expired"
