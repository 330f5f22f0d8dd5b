"""The support bundle: one zip file that IT support can read without this workstation.

It contains the log files, the configuration file with secret-looking keys removed, the
doctor's report as text and JSON, and the versions of the program and its platform. It
never holds the database, the keyring's content or the workstation credentials file.
Every text goes through :func:`fpcert_desktop.logsetup.mask_id_numbers` again, because
log files written before the masking filter existed may contain full ID numbers.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import platform
import re
import sqlite3
import stat
import sys
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from fpcert_desktop import package_version
from fpcert_desktop.doctor import CheckResult, report_json, report_text
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.logsetup import default_log_dir, mask_id_numbers

log = logging.getLogger(__name__)

# A key whose name contains one of these words is dropped from the bundled configuration.
SECRET_KEY = re.compile(r"password|passwd|secret|token|credential|pin", re.IGNORECASE)
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z0-9_.\"'-]+)\s*=")
LOG_FILE_PATTERN = "fpcert-desktop.log*"
# Rotation keeps 6 files of 2 MB; this cap keeps a bundle mailable if the folder has more.
MAX_LOG_BYTES = 20 * 1024 * 1024

BUNDLE_SUFFIX = ".zip"
# The zip names clerks and workstations: only the account that wrote it may read it.
BUNDLE_MODE = 0o600

_NOT_ZIP = QT_TRANSLATE_NOOP(
    "Doctor",
    "The support bundle name {path} must end in .zip, for example fpcert-support.zip.",
)
_IS_FOLDER = QT_TRANSLATE_NOOP(
    "Doctor",
    "{path} is a folder. Give a file name ending in .zip for the support bundle.",
)
_NO_FOLDER = QT_TRANSLATE_NOOP(
    "Doctor",
    "The folder {folder} for the support bundle does not exist. Create it or choose "
    "another folder.",
)

_PACKAGES = (
    "fpcert-desktop",
    "PySide6-Essentials",
    "python-pkcs11",
    "reportlab",
    "SQLAlchemy",
    "alembic",
    "requests",
    "keyring",
    "cryptography",
)


def write_support_bundle(
    destination: Path,
    results: Sequence[CheckResult],
    *,
    config_path: Path | None,
    log_dir: Path | None = None,
) -> Path:
    """Write the zip file to ``destination`` with mode 0600 and return its path.

    The folder must exist. Raises ``OSError`` when the file cannot be written, and
    removes a partly written file.
    """
    log_dir = log_dir or default_log_dir()
    descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, BUNDLE_MODE)
    try:
        # O_CREAT's mode applies to a new file only, so narrow an existing one too.
        # Windows has no fchmod before Python 3.13, and there the folder's ACL applies.
        if hasattr(os, "fchmod") and stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.fchmod(descriptor, BUNDLE_MODE)
        with os.fdopen(descriptor, "wb") as stream:
            _write_entries(stream, results, config_path=config_path, log_dir=log_dir)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    log.info("support bundle written to %s", destination)
    return destination


def bundle_path_problem(destination: Path) -> Message | None:
    """Return why ``destination`` cannot be a support bundle's name, or None if it can."""
    if destination.is_dir():
        return _IS_FOLDER.format(path=str(destination))
    if destination.suffix.lower() != BUNDLE_SUFFIX:
        return _NOT_ZIP.format(path=str(destination))
    folder = destination.parent
    if not folder.is_dir():
        return _NO_FOLDER.format(folder=str(folder))
    return None


def _write_entries(
    stream: IO[bytes], results: Sequence[CheckResult], *, config_path: Path | None, log_dir: Path
) -> None:
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("doctor.txt", mask_id_numbers(report_text(results)))
        report = json.dumps(report_json(results), ensure_ascii=False, indent=2)
        bundle.writestr("doctor.json", mask_id_numbers(report))
        bundle.writestr("versions.json", json.dumps(platform_versions(), indent=2))
        if config_path is not None and config_path.is_file():
            text = config_path.read_text(encoding="utf-8", errors="replace")
            bundle.writestr("config.toml", mask_id_numbers(strip_secrets(text)))
        for path, name in _log_files(log_dir):
            text = path.read_text(encoding="utf-8", errors="replace")
            bundle.writestr(f"logs/{name}", mask_id_numbers(text))


def strip_secrets(config_text: str) -> str:
    """Replace every ``key = value`` line whose key looks secret with a comment.

    The removal works on lines, so it also applies to a file that is not valid TOML.
    """
    lines = []
    for line in config_text.splitlines():
        match = _ASSIGNMENT.match(line)
        if match and SECRET_KEY.search(match.group(1)):
            lines.append(f"# {match.group(1).strip()} removed from the support bundle")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def platform_versions() -> dict[str, Any]:
    libc, libc_version = platform.libc_ver()
    packages: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            packages[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            packages[name] = None
    return {
        "app": package_version(),
        "python": sys.version,
        "qt": _qt_version(),
        "os": platform.platform(),
        "machine": platform.machine(),
        "libc": f"{libc} {libc_version}".strip() or None,
        "sqlite": sqlite3.sqlite_version,
        "packages": packages,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _qt_version() -> str | None:
    # Read from the wheel's metadata: the core does not import PySide6.
    for name in ("PySide6-Essentials", "PySide6"):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def _log_files(log_dir: Path) -> list[tuple[Path, str]]:
    """Return the newest log files first, up to MAX_LOG_BYTES in all."""
    if not log_dir.is_dir():
        return []
    files = sorted(
        (path for path in log_dir.glob(LOG_FILE_PATTERN) if path.is_file()),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    chosen: list[tuple[Path, str]] = []
    total = 0
    for path in files:
        size = path.stat().st_size
        if chosen and total + size > MAX_LOG_BYTES:
            log.warning("support bundle: left out %s and older logs (size cap)", path.name)
            break
        chosen.append((path, path.name))
        total += size
    return chosen
