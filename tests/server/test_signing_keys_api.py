"""GET /v1/signing-keys: the e-key certificates recorded when clerks open sessions."""

from __future__ import annotations

import base64

from fpcert_server.models import UserRow
from tests.server.conftest import add_user, enrol, open_session


def test_signing_keys_need_workstation_credentials(client):
    response = client.get("/v1/signing-keys")

    assert response.status_code == 401


def test_no_keys_before_any_session(client, db):
    headers = enrol(client, db)

    response = client.get("/v1/signing-keys", headers=headers)

    assert response.status_code == 200
    assert response.json() == {"keys": []}


def test_session_records_certificate_once(client, db, make_key):
    headers = enrol(client, db)
    key = make_key("王小红")
    add_user(db, key)

    assert open_session(client, headers, key).status_code == 200
    assert open_session(client, headers, key).status_code == 200
    keys = client.get("/v1/signing-keys", headers=headers).json()["keys"]

    assert len(keys) == 1
    assert base64.b64decode(keys[0]["certificate"]) == key.certificate
    assert keys[0]["holder_name"] == "测试打证员"
    assert keys[0]["office_code"] == "440304004"
    assert keys[0]["revoked"] is False


def test_failed_session_records_nothing(client, db, make_key):
    headers = enrol(client, db)
    key = make_key()

    assert open_session(client, headers, key).status_code == 401
    assert client.get("/v1/signing-keys", headers=headers).json() == {"keys": []}


def test_inactive_user_key_is_revoked(client, db, make_key):
    headers = enrol(client, db)
    key = make_key()
    user_id = add_user(db, key)
    assert open_session(client, headers, key).status_code == 200

    with db() as session, session.begin():
        user = session.get(UserRow, user_id)
        assert user is not None
        user.active = False
    keys = client.get("/v1/signing-keys", headers=headers).json()["keys"]

    assert [item["revoked"] for item in keys] == [True]
