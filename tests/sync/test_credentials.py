"""Workstation credentials: the keyring when there is one, a private file otherwise."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from fpcert_desktop.sync import credentials
from fpcert_desktop.sync.protocol import WorkstationCredentials

CREDENTIALS = WorkstationCredentials("ws-7", "s3cret-value")


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(credentials.CONFIG_DIR_ENV, str(tmp_path / "config"))
    previous = keyring.get_keyring()
    yield tmp_path / "config"
    keyring.set_keyring(previous)


def test_keyring_store_round_trip() -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)

    store = credentials.save_credentials(CREDENTIALS)

    assert store.kind == "keyring"
    assert credentials.credential_store().kind == "keyring"
    assert credentials.load_credentials() == CREDENTIALS
    assert ("fpcert-desktop", "workstation") in backend.values
    assert not credentials.credentials_file().exists()


def test_file_fallback_without_keyring(caplog: pytest.LogCaptureFixture) -> None:
    keyring.set_keyring(fail.Keyring())

    with caplog.at_level(logging.WARNING):
        store = credentials.save_credentials(CREDENTIALS)

    path = credentials.credentials_file()
    assert store.kind == "file"
    assert store.location == str(path)
    assert credentials.credential_store().kind == "file"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert credentials.load_credentials() == CREDENTIALS
    assert str(path) in caplog.text
    assert CREDENTIALS.secret not in caplog.text


def test_load_without_enrolment_returns_none() -> None:
    keyring.set_keyring(MemoryKeyring())

    assert credentials.load_credentials() is None


def test_delete_removes_both_stores() -> None:
    keyring.set_keyring(fail.Keyring())
    credentials.save_credentials(CREDENTIALS)
    keyring.set_keyring(MemoryKeyring())
    credentials.save_credentials(CREDENTIALS)

    credentials.delete_credentials()

    assert credentials.load_credentials() is None
