"""The committed OpenAPI schema, the CLI, and the server as a real subprocess."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from fpcert_server.app import create_app
from fpcert_server.cli import main, openapi_json
from fpcert_server.db import make_engine
from fpcert_server.models import Base
from tests.server.conftest import add_enrolment_code
from tests.server_process import running_server

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL_ENV = "FPCERT_TEST_POSTGRES_URL"


def test_committed_openapi_matches_app():
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")

    assert committed == openapi_json() + "\n", "run: fpcert-server openapi --out docs/openapi.json"


def test_openapi_has_every_documented_path():
    contract = (ROOT / "docs" / "sync-api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(?:GET|POST) (/v1/[^?` ]+)", contract))
    documented |= set(re.findall(r"`POST (/v1/[a-z/]+)`", contract))
    paths = set(json.loads(openapi_json())["paths"])

    assert documented >= {"/v1/workstations/enrol", "/v1/sessions", "/v1/verify/{number}"}
    assert documented <= paths


def test_serve_rejects_remote_host_without_tls(capsys):
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert main(["serve", "--host", "0.0.0.0", "--allow-remote"]) == 2
    assert "--certfile" in capsys.readouterr().err


def test_cli_init_user_code_changes(tmp_path, capsys):
    url = str(tmp_path / "cli.sqlite3")

    assert main(["init", "--db", url, "--people", "50", "--seed", "3"]) == 0
    assert (
        main(
            [
                "add-user",
                "--db",
                url,
                "--name",
                "王五",
                "--role",
                "clerk",
                "--office",
                "440304004",
                "--fingerprint",
                "ab" * 32,
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["enrolment-code", "--db", url, "--office", "440304004"]) == 0
    code = capsys.readouterr().out.strip()
    assert main(["changes", "--db", url, "--births", "1", "--corrections", "2"]) == 0

    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert (
        main(
            [
                "add-user",
                "--db",
                url,
                "--name",
                "x",
                "--role",
                "clerk",
                "--office",
                "440304004",
                "--fingerprint",
                "zz",
            ]
        )
        == 2
    )


@pytest.fixture
def served(tmp_path):
    """A loaded database and `fpcert-server serve` running on it in a subprocess."""
    url = str(tmp_path / "served.sqlite3")
    assert main(["init", "--db", url, "--people", "200", "--seed", "5"]) == 0
    with running_server(url, tmp_path / "serve.log") as base:
        yield url, base


def test_served_enrol_and_pull(served, capsys):
    url, base = served
    capsys.readouterr()
    assert main(["enrolment-code", "--db", url, "--office", "440304004"]) == 0
    code = capsys.readouterr().out.strip()

    enrolled = requests.post(
        f"{base}/v1/workstations/enrol",
        json={"office_code": "440304004", "workstation_code": "01", "enrolment_code": code},
        timeout=10,
    )
    assert enrolled.status_code == 200, enrolled.text
    body = enrolled.json()
    headers = {"Authorization": f"Bearer {body['workstation_id']}.{body['secret']}"}
    page = requests.get(
        f"{base}/v1/streams/people", headers=headers, params={"limit": 2}, timeout=10
    )

    assert page.status_code == 200, page.text
    assert len(page.json()["items"]) == 2
    assert page.json()["has_more"] is True


def test_postgres_load_and_pull(tmp_path):
    """Runs against FPCERT_TEST_POSTGRES_URL, an empty database the test may fill."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_URL_ENV} not set")
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{POSTGRES_URL_ENV} is set but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    Base.metadata.drop_all(engine)
    try:
        assert main(["init", "--db", url, "--people", "100", "--seed", "2"]) == 0
        assert (
            main(
                ["changes", "--db", url, "--births", "2", "--marriages", "1", "--corrections", "2"]
            )
            == 0
        )
        client = TestClient(create_app(url))
        expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
        code = add_enrolment_code(lambda: Session(engine), "440300", expires=expires)
        body = client.post(
            "/v1/workstations/enrol",
            json={"office_code": "440300", "workstation_code": "01", "enrolment_code": code},
        ).json()
        headers = {"Authorization": f"Bearer {body['workstation_id']}.{body['secret']}"}
        page = client.get("/v1/streams/people", headers=headers, params={"limit": 5000}).json()
        assert len({item["id"] for item in page["items"]}) == 100
    finally:
        Base.metadata.drop_all(engine)
        engine.dispose()
