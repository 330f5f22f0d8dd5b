"""The enrol and sync commands' messages, against `fpcert-server serve` on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from fpcert_desktop import i18n
from fpcert_desktop.config import Settings
from fpcert_desktop.logsetup import configure_logging
from fpcert_desktop.sync import credentials
from fpcert_desktop.sync.commands import run_enrol, run_sync
from fpcert_desktop.sync.protocol import WorkstationCredentials
from tests.server_process import server_command
from tests.sync.test_server_integration import (
    STREET,
    served,  # noqa: F401 - pytest fixture
)

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Render messages in English, whatever language an earlier test left installed."""
    previous = (i18n._translate, i18n.current_language())
    i18n.install_translator(lambda _context, source: source, "en")
    yield
    i18n.install_translator(*previous)


@pytest.fixture(autouse=True)
def credentials_file_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Keep credentials in a file of this test, away from the account's keyring."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(credentials.CONFIG_DIR_ENV, str(tmp_path / "user-config"))
    yield tmp_path / "user-config"
    keyring.set_keyring(previous)


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The probe closes the port again, so nothing listens on it unless another process took it.
    return f"http://127.0.0.1:{port}"


def test_sync_without_server_names_setting(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_sync(Settings(server_url="")) == 1

    error = capsys.readouterr().err
    assert "No central server is configured" in error
    assert "server_url" in error
    assert "not enrolled" not in error


def test_sync_without_enrolment_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_sync(Settings(server_url=_closed_port_url())) == 1

    assert "not enrolled" in capsys.readouterr().err


def test_enrol_without_server_names_setting(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_enrol(Settings(), office=STREET, workstation="01", code="x") == 1

    error = capsys.readouterr().err
    assert "Set server_url" in error
    assert "run fpcert-desktop enrol again" in error
    assert "sync again" not in error


@pytest.mark.parametrize(
    ("office", "workstation", "option", "expected"),
    [
        ("4403", "01", "--office", "6, 9 or 12 digits"),
        ("", "01", "--office", "6, 9 or 12 digits"),
        ("44030400４", "01", "--office", "6, 9 or 12 digits"),
        (STREET, "x y z", "--workstation", "2 to 4 characters"),
        (STREET, "ab", "--workstation", "2 to 4 characters"),
    ],
)
def test_enrol_checks_input_before_request(
    capsys: pytest.CaptureFixture[str], office: str, workstation: str, option: str, expected: str
) -> None:
    # Nothing listens at this address: a request would end in "could not be reached".
    settings = Settings(server_url=_closed_port_url())

    assert run_enrol(settings, office=office, workstation=workstation, code="x") == 2

    error = capsys.readouterr().err
    assert f"of {option} is invalid" in error
    assert expected in error
    assert "could not be reached" not in error


def test_enrol_wrong_code_asks_for_new_code(
    served: tuple[str, str],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, _code = served
    settings = Settings(server_url=base)

    assert run_enrol(settings, office=STREET, workstation="01", code="WRONG-CODE") == 1

    error = capsys.readouterr().err
    assert "rejected the enrolment code" in error
    assert "unknown, already used, expired" in error
    assert "Ask the server administrator for a new enrolment code" in error
    assert "credentials" not in error
    assert "invalid_enrolment_code" not in error


def test_enrol_used_code_and_taken_workstation(
    served: tuple[str, str],  # noqa: F811
    tmp_path: Path,
    credentials_file_only: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, code = served
    settings = Settings(server_url=base)

    assert run_enrol(settings, office=STREET, workstation="01", code=code) == 0
    enrolled = capsys.readouterr().out
    assert f"stored in the file {credentials_file_only / credentials.FILE_NAME}." in enrolled
    assert "file (" not in enrolled
    assert isinstance(credentials.load_credentials(), WorkstationCredentials)

    assert run_enrol(settings, office=STREET, workstation="02", code=code) == 1
    assert "rejected the enrolment code" in capsys.readouterr().err

    fresh = server_command("enrolment-code", "--office", STREET, db=tmp_path / "server.sqlite3")
    fresh = fresh.strip().splitlines()[-1]
    assert run_enrol(settings, office=STREET, workstation="01", code=fresh) == 1
    error = capsys.readouterr().err
    assert "already has a workstation 01 in office 440304004" in error
    assert "same version" not in error


def test_enrol_unreachable_server_names_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_path = configure_logging(tmp_path / "logs")
    url = _closed_port_url()

    assert run_enrol(Settings(server_url=url), office=STREET, workstation="01", code="x") == 1

    error = capsys.readouterr().err.splitlines()[-1]
    assert f"The central server at {url} could not be reached" in error
    assert "server_url" in error
    assert "run fpcert-desktop enrol again" in error
    assert "HTTPConnectionPool" not in error
    assert "sync again" not in error
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "Connection refused" in log_path.read_text(encoding="utf-8")


def test_sync_summary_names_streams_in_china_time(
    served: tuple[str, str],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, code = served
    settings = Settings(server_url=base, database_path=str(tmp_path / "client.sqlite3"))
    assert run_enrol(settings, office=STREET, workstation="01", code=code) == 0
    capsys.readouterr()

    assert run_sync(settings) == 0

    captured = capsys.readouterr()
    assert "population data:" in captured.out
    assert "problem list:" in captured.out
    assert "+00:00" not in captured.out
    # Under pytest stderr is not a terminal, so no carriage-return progress is written.
    assert "\r" not in captured.err
