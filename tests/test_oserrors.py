"""Translated descriptions of operating system errors."""

from __future__ import annotations

import errno
import shlex
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fpcert_desktop import i18n
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.oserrors import describe_connection_error, describe_os_error


@pytest.fixture
def marked_translation() -> Iterator[None]:
    """Route rendering through a translator that marks every translated text."""
    previous = (i18n._translate, i18n.current_language())
    i18n.install_translator(lambda context, source: f"[{context}] {source}", "zh_CN")
    yield
    i18n.install_translator(*previous)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (errno.EACCES, "permission denied"),
        (errno.EPERM, "permission denied"),
        (errno.EROFS, "the file system is read-only"),
        (errno.EISDIR, "the name is a folder, not a file"),
        (errno.ENOENT, "the file or folder does not exist"),
        (errno.ENOSPC, "the disk is full"),
        (errno.ENOTDIR, "a part of the path is not a folder"),
    ],
)
def test_common_errno_is_translated(marked_translation: None, number: int, expected: str) -> None:
    error = OSError(number, "system text", "/tmp/x")

    assert str(describe_os_error(error)) == f"[OsError] {expected}"


def test_other_errno_keeps_system_text(marked_translation: None) -> None:
    error = OSError(errno.EIO, "Input/output error", "/tmp/x")

    assert describe_os_error(error) == "Input/output error"


def test_error_without_errno_keeps_text() -> None:
    assert describe_os_error(OSError("no errno here")) == "no errno here"


def test_real_error_as_message_parameter(marked_translation: None, tmp_path: Path) -> None:
    template = QT_TRANSLATE_NOOP("Test", "Could not write {path}: {error}.")
    with pytest.raises(OSError) as raised:
        tmp_path.write_bytes(b"x")

    message = template.format(path=str(tmp_path), error=describe_os_error(raised.value))

    assert str(message) == (
        f"[Test] Could not write {tmp_path}: [OsError] the name is a folder, not a file."
    )
    assert message.english == f"Could not write {tmp_path}: the name is a folder, not a file."


def test_report_export_error_has_description(qapp, marked_translation: None) -> None:  # noqa: ANN001
    from fpcert_desktop.gui.reports_view import ReportSaveError

    error = ReportSaveError(Path("/tmp/nodir/r.pdf"), OSError(errno.ENOENT, "No such file"))

    assert str(error.reason) == "[OsError] the file or folder does not exist"


def test_connection_refused_described() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port once the probe socket is closed.
    with pytest.raises(requests.ConnectionError) as raised:
        requests.get(f"http://127.0.0.1:{port}/", timeout=5)

    cause = describe_connection_error(raised.value)

    assert cause.source.startswith("the connection was refused")
    assert "Max retries" not in str(cause)


@pytest.mark.parametrize(
    ("verify_message", "expected"),
    [
        ("certificate has expired", "has expired"),
        ("Hostname mismatch, certificate is not valid for 'x'.", "another host name"),
        ("unable to get local issuer certificate", "not issued by a trusted CA"),
    ],
)
def test_certificate_failures_described(verify_message: str, expected: str) -> None:
    inner = ssl.SSLCertVerificationError(1, "certificate verify failed")
    inner.verify_message = verify_message
    try:
        try:
            raise inner
        except ssl.SSLError as error:
            raise requests.exceptions.SSLError(error) from error
    except requests.exceptions.SSLError as wrapped:
        cause = describe_connection_error(wrapped)

    assert expected in cause.source


def test_cli_survives_closed_pipe(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'database_path = "{tmp_path / "fpcert.sqlite3"}"\n', encoding="utf-8")
    command = [sys.executable, "-m", "fpcert_desktop.cli", "--config", str(config), "doctor"]
    script = " ".join(shlex.quote(part) for part in command) + " | head -c 1"

    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)

    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr
