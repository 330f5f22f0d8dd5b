"""E-key failures, each with a translatable message that states the cause and the next step.

:func:`map_pkcs11_error` converts python-pkcs11 exceptions. Two cases need context that
only the caller has. After ``PinIncorrect`` the token layer re-reads the PIN flags. After
``GeneralError`` or an invalid handle it checks whether the key is still present,
because SoftHSM 2.6.1 reports a deleted token that way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from pkcs11 import exceptions as p11

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message, MessageTemplate

_MODULE_LOAD_FAILED = QT_TRANSLATE_NOOP(
    "EKey",
    "The PKCS#11 module at {path} could not be loaded ({reason}). Check the "
    "pkcs11_module setting or install the e-key driver.",
)
MODULE_FILE_MISSING = QT_TRANSLATE_NOOP("EKey", "the file does not exist")
_NOT_A_PKCS11_MODULE = QT_TRANSLATE_NOOP(
    "EKey", "the file is a library but not a PKCS#11 module: it has no C_GetFunctionList"
)
_NOT_A_LIBRARY = QT_TRANSLATE_NOOP("EKey", "the file is not a library this computer can load")
_MODULE_NOT_FOUND = QT_TRANSLATE_NOOP(
    "EKey",
    "No PKCS#11 module for the e-key was found. Searched: {candidates}. Install the "
    "e-key driver or set pkcs11_module to the path of the driver's PKCS#11 module.",
)
_NO_KEY_PRESENT = QT_TRANSLATE_NOOP(
    "EKey", "No e-key was found. Insert your e-key into a USB port and try again."
)
_KEY_NOT_FOUND = QT_TRANSLATE_NOOP(
    "EKey",
    "The e-key with serial number {serial} was not found. Insert that e-key, or choose "
    "another one.",
)
_PIN_INCORRECT = QT_TRANSLATE_NOOP("EKey", "The PIN is incorrect. Enter the PIN again.")
_PIN_INCORRECT_COUNT_LOW = QT_TRANSLATE_NOOP(
    "EKey",
    "The PIN is incorrect, and few tries are left before the e-key locks. Check the PIN "
    "carefully before you enter it again.",
)
_PIN_INCORRECT_FINAL_TRY = QT_TRANSLATE_NOOP(
    "EKey",
    "The PIN is incorrect, and only one try is left. A further wrong PIN locks the e-key. "
    "If you are not sure of the PIN, ask your administrator to reset it.",
)
_PIN_LOCKED = QT_TRANSLATE_NOOP(
    "EKey",
    "The e-key PIN is locked after too many wrong tries. Ask your administrator to "
    "unlock the e-key.",
)
_PIN_EXPIRED = QT_TRANSLATE_NOOP(
    "EKey",
    "The e-key PIN has expired. Change the PIN with the e-key's management tool, then "
    "log in again.",
)
_PIN_INVALID_LENGTH = QT_TRANSLATE_NOOP(
    "EKey",
    "The PIN is too short or too long for this e-key. Check the PIN and enter it again.",
)
_CERTIFICATE_MISSING = QT_TRANSLATE_NOOP(
    "EKey",
    "The e-key {serial} holds no certificate that matches one of its private keys. Ask "
    "your administrator to issue a certificate onto this e-key.",
)
_CERTIFICATE_NOT_YET_VALID = QT_TRANSLATE_NOOP(
    "EKey",
    "The certificate on the e-key is not valid before {not_before}. Check the date and "
    "time of this computer, or wait until then.",
)
_CERTIFICATE_EXPIRED = QT_TRANSLATE_NOOP(
    "EKey",
    "The certificate on the e-key expired on {not_after}. Ask your administrator to "
    "renew the certificate.",
)
_SIGNATURE_INVALID = QT_TRANSLATE_NOOP(
    "EKey",
    "The e-key's signature does not verify against its certificate, so the key and the "
    "certificate do not belong together. Ask your administrator to check the e-key.",
)
_KEY_REMOVED = QT_TRANSLATE_NOOP(
    "EKey", "The e-key {serial} was removed. Insert it again and log in."
)
_NOT_LOGGED_IN = QT_TRANSLATE_NOOP("EKey", "No e-key is logged in. Log in with your e-key first.")
_TOKEN_ERROR = QT_TRANSLATE_NOOP(
    "EKey",
    "The e-key reported an error ({error}). Remove the e-key, insert it again and retry. "
    "If the error repeats, contact IT support.",
)

_DATE_FORMAT = "%Y-%m-%d %H:%M UTC"


class EKeyError(Exception):
    """Base of every e-key failure. ``message`` is the text to show the clerk."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.english)
        self.message = message


class ModuleLoadFailed(EKeyError):
    def __init__(self, path: Path | str, reason: str | MessageTemplate) -> None:
        super().__init__(_MODULE_LOAD_FAILED.format(path=str(path), reason=reason))
        self.path = Path(path)
        self.reason = reason


def load_failure_reason(error: BaseException) -> str | MessageTemplate:
    """Return a translated reason for a failed module load, else the loader's own text.

    python-pkcs11 reports both cases below as an English OS exception text.
    """
    text = str(error)
    if "C_GetFunctionList" in text:
        return _NOT_A_PKCS11_MODULE
    if "invalid ELF header" in text or "file too short" in text or "not a valid Win32" in text:
        return _NOT_A_LIBRARY
    return text or type(error).__name__


class ModuleNotFound(EKeyError):
    """No PKCS#11 module was configured and none of the usual module files exists."""

    def __init__(self, candidates: Sequence[Path]) -> None:
        listed = ", ".join(str(candidate) for candidate in candidates)
        super().__init__(_MODULE_NOT_FOUND.format(candidates=listed))
        self.candidates = tuple(candidates)


class NoKeyPresent(EKeyError):
    def __init__(self) -> None:
        super().__init__(_NO_KEY_PRESENT.format())


class KeyNotFound(EKeyError):
    """Other keys are present, but none with the requested serial number."""

    def __init__(self, serial: str) -> None:
        super().__init__(_KEY_NOT_FOUND.format(serial=serial))
        self.serial = serial


class PinIncorrect(EKeyError):
    """A wrong PIN, with the token's PIN flags as read after the failed login."""

    def __init__(self, *, count_low: bool = False, final_try: bool = False) -> None:
        if final_try:
            message = _PIN_INCORRECT_FINAL_TRY.format()
        elif count_low:
            message = _PIN_INCORRECT_COUNT_LOW.format()
        else:
            message = _PIN_INCORRECT.format()
        super().__init__(message)
        self.count_low = count_low
        self.final_try = final_try


class PinLocked(EKeyError):
    def __init__(self) -> None:
        super().__init__(_PIN_LOCKED.format())


class PinExpired(EKeyError):
    def __init__(self) -> None:
        super().__init__(_PIN_EXPIRED.format())


class PinInvalidLength(EKeyError):
    def __init__(self) -> None:
        super().__init__(_PIN_INVALID_LENGTH.format())


class CertificateMissing(EKeyError):
    def __init__(self, serial: str) -> None:
        super().__init__(_CERTIFICATE_MISSING.format(serial=serial))
        self.serial = serial


class CertificateNotYetValid(EKeyError):
    def __init__(self, not_before: datetime) -> None:
        super().__init__(_CERTIFICATE_NOT_YET_VALID.format(not_before=_format_date(not_before)))
        self.not_before = not_before


class CertificateExpired(EKeyError):
    def __init__(self, not_after: datetime) -> None:
        super().__init__(_CERTIFICATE_EXPIRED.format(not_after=_format_date(not_after)))
        self.not_after = not_after


class SignatureInvalid(EKeyError):
    def __init__(self) -> None:
        super().__init__(_SIGNATURE_INVALID.format())


class KeyRemoved(EKeyError):
    def __init__(self, serial: str) -> None:
        super().__init__(_KEY_REMOVED.format(serial=serial))
        self.serial = serial


class NotLoggedIn(EKeyError):
    def __init__(self) -> None:
        super().__init__(_NOT_LOGGED_IN.format())


class TokenError(EKeyError):
    """Any other PKCS#11 failure, named by its python-pkcs11 exception class."""

    def __init__(self, error_name: str) -> None:
        super().__init__(_TOKEN_ERROR.format(error=error_name))
        self.error_name = error_name


def map_pkcs11_error(error: p11.PKCS11Error, *, serial: str) -> EKeyError:
    """Convert a python-pkcs11 exception raised while using the key ``serial``.

    ``PinIncorrect`` maps without PIN flags, and ``GeneralError`` maps to
    :class:`TokenError`. Callers that can read the token refine both.
    """
    if isinstance(error, p11.PinIncorrect):
        return PinIncorrect()
    if isinstance(error, p11.PinLocked):
        return PinLocked()
    if isinstance(error, p11.PinExpired):
        return PinExpired()
    if isinstance(error, p11.PinLenRange):
        return PinInvalidLength()

    # A handle that stopped working means the device went away under an open session.
    removed = (p11.TokenNotPresent, p11.DeviceRemoved, p11.SessionHandleInvalid, p11.SessionClosed)
    if isinstance(error, removed):
        return KeyRemoved(serial)

    # UserAlreadyLoggedIn means another session of this process logged in to the same
    # token. The token layer resolves it before it gets here, so what remains is a bug.
    return TokenError(type(error).__name__)


def _format_date(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime(_DATE_FORMAT)
