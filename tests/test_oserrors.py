"""Translated descriptions of operating system errors."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest

from fpcert_desktop import i18n
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.oserrors import describe_os_error


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
