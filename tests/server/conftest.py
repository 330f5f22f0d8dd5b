"""Fixtures for the reference server: a small loaded database, an app and a clerk."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from fpcert_desktop.ekey.certificates import fingerprint_sha256
from fpcert_desktop.ekey.softhsm import DemoCA
from fpcert_server import security
from fpcert_server.app import create_app
from fpcert_server.db import make_engine
from fpcert_server.load import load_synthetic
from fpcert_server.models import EnrolmentCodeRow, UserRow, create_schema

PEOPLE = 600
SEED = 7
# The demo people live in Nanshan street 440304004 (see fpcert_desktop.synthetic.demo).
DISTRICT = "440304"
STREET = "440304004"
NOW = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.timezone.utc)


class Clock:
    """A settable clock for create_app."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class KeyPair:
    key: ec.EllipticCurvePrivateKey
    certificate: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint_sha256(self.certificate)

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


@pytest.fixture(scope="session")
def demo_ca() -> DemoCA:
    return DemoCA(now=NOW)


@pytest.fixture(scope="session")
def make_key(demo_ca: DemoCA) -> Callable[..., KeyPair]:
    def make(name: str = "测试打证员", *, days: int = 365) -> KeyPair:
        key = ec.generate_private_key(ec.SECP256R1())
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        validity = (NOW - dt.timedelta(days=days), NOW + dt.timedelta(days=days))
        der = demo_ca.issue_certificate(public, name, "测试", validity)
        return KeyPair(key, der)

    return make


@pytest.fixture(scope="session")
def loaded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A loaded SQLite file, built once and copied for each test."""
    path = tmp_path_factory.mktemp("server") / "template.sqlite3"
    engine = make_engine(str(path))
    create_schema(engine)
    load_synthetic(engine, people=PEOPLE, seed=SEED, today=NOW.date())
    engine.dispose()
    return path


@pytest.fixture
def database_url(loaded_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "server.sqlite3"
    shutil.copy(loaded_template, path)
    return f"sqlite+pysqlite:///{path}"


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def client(database_url: str, clock: Clock) -> TestClient:
    return TestClient(create_app(database_url, clock=clock))


@pytest.fixture
def db(database_url: str) -> Callable[[], Session]:
    engine = make_engine(database_url)
    return lambda: Session(engine, expire_on_commit=False)


def add_user(
    db: Callable[[], Session], key: KeyPair, *, office: str = STREET, active: bool = True
) -> int:
    with db() as session, session.begin():
        user = UserRow(
            name="测试打证员",
            role="clerk",
            office_code=office,
            cert_fingerprint=key.fingerprint,
            active=active,
            version=1,
        )
        session.add(user)
        session.flush()
        return user.user_id


def add_enrolment_code(db: Callable[[], Session], office: str, *, expires: dt.datetime) -> str:
    code = security.new_enrolment_code()
    with db() as session, session.begin():
        session.add(
            EnrolmentCodeRow(
                code_hash=security.sha256_hex(security.normalise_enrolment_code(code)),
                office_code=office,
                created_at=NOW,
                expires_at=expires,
            )
        )
    return code


def enrol(
    client: TestClient, db: Callable[[], Session], office: str = STREET, workstation: str = "01"
) -> dict[str, str]:
    """Enrol a workstation and return its Authorization header."""
    code = add_enrolment_code(db, office, expires=NOW + dt.timedelta(days=1))
    response = client.post(
        "/v1/workstations/enrol",
        json={"office_code": office, "workstation_code": workstation, "enrolment_code": code},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return {"Authorization": f"Bearer {body['workstation_id']}.{body['secret']}"}


def open_session(client: TestClient, headers: dict[str, str], key: KeyPair) -> Any:
    challenge = client.post("/v1/sessions/challenge", headers=headers).json()["challenge"]
    signature = key.sign(base64.b64decode(challenge))
    return client.post(
        "/v1/sessions",
        headers=headers,
        json={
            "challenge": challenge,
            "certificate": base64.b64encode(key.certificate).decode(),
            "signature": base64.b64encode(signature).decode(),
        },
    )


@dataclass
class Clerk:
    headers: dict[str, str]
    user_id: int


@pytest.fixture
def clerk(client: TestClient, db: Callable[[], Session], make_key: Callable[..., KeyPair]) -> Clerk:
    """An enrolled workstation of the street office and a clerk session on it."""
    headers = enrol(client, db)
    key = make_key()
    user_id = add_user(db, key)
    response = open_session(client, headers, key)
    assert response.status_code == 200, response.text
    return Clerk(
        headers={**headers, "X-Clerk-Session": response.json()["session_token"]}, user_id=user_id
    )


def pull_all(client: TestClient, headers: dict[str, str], stream: str, **params: Any) -> list[Any]:
    items: list[Any] = []
    cursor = None
    while True:
        query = dict(params)
        if cursor:
            query["cursor"] = cursor
        page = client.get(f"/v1/streams/{stream}", headers=headers, params=query).json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return items
