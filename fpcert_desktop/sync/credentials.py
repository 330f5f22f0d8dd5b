"""Where the workstation's id and secret are kept: the OS keyring, or else a private file.

Headless Linux without a D-Bus session has no keyring: ``keyring`` then selects
``keyring.backends.fail.Keyring``, whose ``set_password`` raises ``NoKeyringError``.
In that case, and only then, the credentials go to a file with mode 0600 in the user's
config folder, and a warning names the file. :func:`credential_store` returns the
store in use, so the enrol command can print it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
from keyring.backends import fail
from platformdirs import user_config_dir

from fpcert_desktop.sync.protocol import WorkstationCredentials

log = logging.getLogger(__name__)

SERVICE_NAME = "fpcert-desktop"
KEYRING_USERNAME = "workstation"
FILE_NAME = "workstation-credentials.json"
CONFIG_DIR_ENV = "FPCERT_USER_CONFIG_DIR"


@dataclass(frozen=True)
class CredentialStore:
    """The store in use: ``kind`` is "keyring" or "file"; ``location`` names it."""

    kind: str
    location: str


def credentials_file() -> Path:
    """Return the fallback file: in ``$FPCERT_USER_CONFIG_DIR`` or the user config folder."""
    override = os.environ.get(CONFIG_DIR_ENV)
    folder = Path(override) if override else Path(user_config_dir("fpcert-desktop", "fpcert"))
    return folder / FILE_NAME


def keyring_available() -> bool:
    """Tell whether ``keyring`` has a working backend (anything but the fail backend)."""
    return not isinstance(keyring.get_keyring(), fail.Keyring)


def credential_store() -> CredentialStore:
    """Return where credentials are saved and loaded on this machine."""
    if keyring_available():
        backend = keyring.get_keyring()
        return CredentialStore("keyring", f"{type(backend).__module__}.{type(backend).__name__}")
    return CredentialStore("file", str(credentials_file()))


def save_credentials(credentials: WorkstationCredentials) -> CredentialStore:
    """Save the credentials in the keyring, or in the fallback file when there is none."""
    value = json.dumps({"workstation_id": credentials.workstation_id, "secret": credentials.secret})
    if keyring_available():
        try:
            keyring.set_password(SERVICE_NAME, KEYRING_USERNAME, value)
            return credential_store()
        except keyring.errors.NoKeyringError:
            log.warning("the keyring backend has no keyring; using the credentials file")
    path = credentials_file()
    _write_private(path, value)
    log.warning(
        "no OS keyring is available, so the workstation secret was saved in %s "
        "(readable by this account only)",
        path,
    )
    return CredentialStore("file", str(path))


def load_credentials() -> WorkstationCredentials | None:
    """Load the saved credentials, or return None when this workstation was never enrolled."""
    value: str | None = None
    if keyring_available():
        try:
            value = keyring.get_password(SERVICE_NAME, KEYRING_USERNAME)
        except keyring.errors.NoKeyringError:
            value = None
    if value is None:
        path = credentials_file()
        if not path.is_file():
            return None
        value = path.read_text(encoding="utf-8")
    try:
        data = json.loads(value)
        return WorkstationCredentials(str(data["workstation_id"]), str(data["secret"]))
    except (ValueError, KeyError, TypeError):
        log.warning("the stored workstation credentials are unreadable; enrol again")
        return None


def delete_credentials() -> None:
    """Remove the credentials from the keyring and the fallback file, where present."""
    if keyring_available():
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE_NAME, KEYRING_USERNAME)
    credentials_file().unlink(missing_ok=True)


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically to a file that only this account can read."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temp_name = tempfile.mkstemp(prefix=".credentials-", dir=path.parent)
    try:
        os.chmod(temp_name, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
