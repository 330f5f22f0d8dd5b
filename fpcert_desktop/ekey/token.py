"""The client layer over python-pkcs11: list keys, log in, read the certificate, sign.

Every method checks that it runs on the thread that created the :class:`EKeyLibrary`,
because the module is initialised without locking callbacks. In the application that
thread is the :class:`fpcert_desktop.ekey.worker.EKeyWorker` thread.

python-pkcs11 caches one ``lib`` object per module path per process, so all
``EKeyLibrary`` objects for a path share one PKCS#11 initialisation. Only one may be open
at a time: :meth:`EKeyLibrary.close` finalises the module, which ends every session of the
process, and the next ``EKeyLibrary`` initialises it afresh (SoftHSM then re-reads
``SOFTHSM2_CONF`` and its token folder).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pkcs11
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11
from pkcs11.util.ec import encode_ecdsa_signature

from fpcert_desktop.ekey.certificates import allows_digital_signature
from fpcert_desktop.ekey.errors import (
    MODULE_FILE_MISSING,
    CertificateMissing,
    KeyNotFound,
    KeyRemoved,
    ModuleLoadFailed,
    NoKeyPresent,
    PinIncorrect,
    PinLocked,
    TokenError,
    load_failure_reason,
    map_pkcs11_error,
)

log = logging.getLogger(__name__)

_open_modules: set[str] = set()
_open_modules_lock = threading.Lock()


@dataclass(frozen=True)
class TokenInfo:
    """A snapshot of one key's token information and PIN flags."""

    serial: str
    label: str
    manufacturer: str
    model: str
    pin_count_low: bool
    pin_final_try: bool
    pin_locked: bool
    protected_auth_path: bool

    @classmethod
    def from_token(cls, token: Any) -> TokenInfo:
        flags = token.flags
        return cls(
            serial=_serial_text(token.serial),
            label=token.label.strip(),
            manufacturer=token.manufacturer_id.strip(),
            model=token.model.strip(),
            pin_count_low=bool(flags & TokenFlag.USER_PIN_COUNT_LOW),
            pin_final_try=bool(flags & TokenFlag.USER_PIN_FINAL_TRY),
            pin_locked=bool(flags & TokenFlag.USER_PIN_LOCKED),
            protected_auth_path=bool(flags & TokenFlag.PROTECTED_AUTHENTICATION_PATH),
        )


class EKeyLibrary:
    """One loaded PKCS#11 module, used from the thread that created it.

    ``loader`` replaces ``pkcs11.lib`` in unit tests.
    """

    def __init__(
        self, module_path: Path | str, *, loader: Callable[[str], Any] = pkcs11.lib
    ) -> None:
        self.module_path = Path(module_path)
        self._owner = threading.current_thread()
        self._session: EKeySession | None = None
        self._closed = False

        key = str(self.module_path)
        with _open_modules_lock:
            if key in _open_modules:
                raise RuntimeError(
                    f"the PKCS#11 module {key} is already open in this process. "
                    "Close the other EKeyLibrary first."
                )
            _open_modules.add(key)
        try:
            self._lib = _load_module(self.module_path, loader)
        except BaseException:
            with _open_modules_lock:
                _open_modules.discard(key)
            raise
        log.info("Loaded PKCS#11 module %s", self.module_path)

    def assert_owner_thread(self) -> None:
        """Raise AssertionError unless called on the thread that created this library."""
        # An explicit raise, unlike an assert statement, also works under python -O.
        if threading.current_thread() is not self._owner:
            raise AssertionError(
                f"PKCS#11 call on thread {threading.current_thread().name!r}; "
                f"only {self._owner.name!r} may use this module"
            )

    def list_tokens(self) -> list[TokenInfo]:
        """Return the initialised keys present, skipping slots whose token cannot be read."""
        self.assert_owner_thread()
        return [TokenInfo.from_token(token) for token in self._present_tokens()]

    def is_present(self, serial: str) -> bool:
        """Return True when the token information of key ``serial`` is readable.

        Any error counts as absent.

        SoftHSM keeps reporting a deleted token's slot as present while reading its
        token information fails with CKR_GENERAL_ERROR, so slot flags alone are not
        enough.
        """
        self.assert_owner_thread()
        try:
            return self._find_token(serial) is not None
        except p11.PKCS11Error:
            return False

    def login(self, serial: str, pin: str | None) -> EKeySession:
        """Log in to the key ``serial`` and return its session, closing any earlier one.

        ``pin`` is ignored for keys with a PIN pad (protected authentication path).
        Raises :class:`NoKeyPresent`, :class:`KeyNotFound`, the PIN errors,
        :class:`CertificateMissing` or :class:`TokenError`.
        """
        self.assert_owner_thread()
        self.close_session()

        token = self._require_token(serial)
        info = TokenInfo.from_token(token)
        if info.pin_locked:
            raise PinLocked()
        if info.protected_auth_path:
            user_pin: object = pkcs11.PROTECTED_AUTH
        elif pin is None:
            raise ValueError("a PIN is required for a key without a PIN pad")
        else:
            user_pin = pin

        raw_session = self._open_user_session(serial, token, user_pin)
        try:
            session = EKeySession(self, raw_session, info)
        except BaseException:
            _close_quietly(raw_session)
            raise
        self._session = session
        return session

    def reinitialize(self) -> None:
        """Finalise and initialise the module again, ending every session.

        Some modules only see a key inserted after initialisation once they are
        initialised again.
        """
        self.assert_owner_thread()
        if self._session is not None:
            self._session.invalidate()
            self._session = None
        self._lib.reinitialize()

    def close_session(self) -> None:
        """Close the open session, if any, ignoring errors from a key already gone."""
        self.assert_owner_thread()
        if self._session is not None:
            self._session.close()
            self._session = None

    def close(self) -> None:
        """Close the session and finalise the module so that the next load starts afresh."""
        self.assert_owner_thread()
        if self._closed:
            return
        self._closed = True
        self.close_session()
        try:
            self._lib.finalize()
        except p11.PKCS11Error as error:
            log.warning("Finalising PKCS#11 module %s failed: %r", self.module_path, error)
        with _open_modules_lock:
            _open_modules.discard(str(self.module_path))

    def _forget_session(self, session: EKeySession) -> None:
        if self._session is session:
            self._session = None

    def _present_tokens(self) -> list[Any]:
        tokens = []
        for slot in self._lib.get_slots(token_present=True):
            try:
                token = slot.get_token()
            except p11.PKCS11Error as error:
                log.debug("Skipping slot %s: %r", slot.slot_id, error)
                continue
            # SoftHSM always offers one uninitialised token to set up.
            if token.flags & TokenFlag.TOKEN_INITIALIZED and _serial_text(token.serial):
                tokens.append(token)
        return tokens

    def _find_token(self, serial: str) -> Any | None:
        # lib.get_token(token_serial=...) stops at the first slot that raises anything
        # but TokenNotPresent, so one pulled key would hide every other key. Search the
        # slots one by one instead.
        for token in self._present_tokens():
            if _serial_text(token.serial) == serial:
                return token
        return None

    def _require_token(self, serial: str) -> Any:
        try:
            tokens = self._present_tokens()
        except p11.PKCS11Error as error:
            raise TokenError(type(error).__name__) from error
        for token in tokens:
            if _serial_text(token.serial) == serial:
                return token
        if not tokens:
            raise NoKeyPresent()
        raise KeyNotFound(serial)

    def _open_user_session(self, serial: str, token: Any, user_pin: object) -> Any:
        try:
            return self._open_with_retry(serial, token, user_pin)
        except p11.PinIncorrect as error:
            raise self._pin_incorrect(serial) from error
        except p11.PKCS11Error as error:
            raise map_pkcs11_error(error, serial=serial) from error

    def _open_with_retry(self, serial: str, token: Any, user_pin: object) -> Any:
        # NOTE: when C_Login fails, python-pkcs11 0.10.1 does not close the session it
        # opened for the login, so each wrong PIN leaves one session open until the
        # module is finalised.
        try:
            return token.open(user_pin=user_pin)
        except p11.UserAlreadyLoggedIn:
            # PKCS#11 keeps the login per process and token, so another session of this
            # process is still logged in. Initialising again ends that session, and
            # then the login is tried once more.
            log.warning("E-key %s was already logged in; initialising the module again", serial)
            self._lib.reinitialize()
            return self._require_token(serial).open(user_pin=user_pin)

    def _pin_incorrect(self, serial: str) -> Exception:
        # Token flags are a snapshot, so read them again to see the state after the failure.
        try:
            token = self._find_token(serial)
        except p11.PKCS11Error:
            token = None
        if token is None:
            return PinIncorrect()
        info = TokenInfo.from_token(token)
        if info.pin_locked:
            return PinLocked()
        return PinIncorrect(count_low=info.pin_count_low, final_try=info.pin_final_try)


class EKeySession:
    """A logged-in session with the key pair and certificate chosen for signing."""

    def __init__(self, library: EKeyLibrary, session: Any, info: TokenInfo) -> None:
        self._library = library
        self._session: Any | None = session
        self.token_serial = info.serial
        self.token_label = info.label

        try:
            key, certificate_der = _find_signing_pair(session)
        except p11.PKCS11Error as error:
            raise map_pkcs11_error(error, serial=info.serial) from error
        if key is None or certificate_der is None:
            raise CertificateMissing(info.serial)
        mechanisms = token_mechanisms(session.token)

        self._key = key
        self.key_id: bytes = key[Attribute.ID]
        self.key_type: KeyType = key.key_type
        self.certificate_der: bytes = certificate_der
        self._has_ecdsa_sha256 = Mechanism.ECDSA_SHA256 in mechanisms

    @property
    def closed(self) -> bool:
        return self._session is None

    def sign(self, data: bytes) -> bytes:
        """Sign ``data``: RSA PKCS#1 v1.5 with SHA-256, or ECDSA with SHA-256 as DER.

        Raises :class:`KeyRemoved` when the key is gone and :class:`TokenError` for
        other failures.
        """
        self._library.assert_owner_thread()
        if self._session is None:
            raise KeyRemoved(self.token_serial)
        try:
            return self._sign(data)
        except p11.PKCS11Error as error:
            # A pulled key shows up as invalid handles or a general error, depending on
            # the module, so check whether the key is still readable before naming the cause.
            if not self._library.is_present(self.token_serial):
                raise KeyRemoved(self.token_serial) from error
            raise map_pkcs11_error(error, serial=self.token_serial) from error

    def close(self) -> None:
        """Log out and close, ignoring errors from a key that is already gone."""
        self._library.assert_owner_thread()
        if self._session is None:
            return
        session, self._session = self._session, None
        _close_quietly(session)
        self._library._forget_session(self)

    def invalidate(self) -> None:
        """Forget the session without a PKCS#11 call, after the module was finalised."""
        self._session = None

    def _sign(self, data: bytes) -> bytes:
        if self.key_type == KeyType.RSA:
            return self._key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS)
        if self.key_type == KeyType.EC:
            if self._has_ecdsa_sha256:
                raw = self._key.sign(data, mechanism=Mechanism.ECDSA_SHA256)
            else:
                # Some modules, SoftHSM 2.6.1 among them, offer only CKM_ECDSA over a hash.
                raw = self._key.sign(hashlib.sha256(data).digest(), mechanism=Mechanism.ECDSA)
            return encode_ecdsa_signature(raw)
        raise TokenError(f"unsupported key type {self.key_type!r}")


def token_mechanisms(token: Any) -> set[Mechanism]:
    try:
        return set(token.slot.get_mechanisms())
    except p11.PKCS11Error as error:
        log.debug("Reading mechanisms failed: %r", error)
        return set()


def _find_signing_pair(session: Any) -> tuple[Any | None, bytes | None]:
    """Return the first private key with a certificate of the same CKA_ID.

    Keys with a certificate that allows digital signatures come first, so that of a
    signing/encryption pair of certificates the signing one is used.
    """
    keys: dict[bytes, Any] = {}
    for key in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}):
        key_id = _attribute_or_none(key, Attribute.ID)
        if key_id is None or key.key_type not in (KeyType.RSA, KeyType.EC):
            continue
        if _attribute_or_none(key, Attribute.SIGN) is False:
            continue
        keys.setdefault(bytes(key_id), key)

    pairs: list[tuple[bool, bytes, Any, bytes]] = []
    for certificate in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        certificate_id = _attribute_or_none(certificate, Attribute.ID)
        der = _attribute_or_none(certificate, Attribute.VALUE)
        if certificate_id is None or der is None or bytes(certificate_id) not in keys:
            continue
        der = bytes(der)
        try:
            signing = allows_digital_signature(der)
        except ValueError:
            log.warning("Skipping a certificate that does not parse as X.509 DER")
            continue
        pairs.append((not signing, bytes(certificate_id), keys[bytes(certificate_id)], der))

    if not pairs:
        return None, None
    pairs.sort(key=lambda pair: (pair[0], pair[1]))
    _, _, key, der = pairs[0]
    return key, der


def _attribute_or_none(obj: Any, attribute: Attribute) -> Any:
    try:
        return obj[attribute]
    except (p11.AttributeTypeInvalid, p11.AttributeSensitive):
        return None


def _serial_text(serial: bytes | str) -> str:
    if isinstance(serial, bytes):
        serial = serial.decode("ascii", errors="replace")
    return serial.strip().rstrip("\x00")


def _close_quietly(session: Any) -> None:
    try:
        session.close()
    except p11.PKCS11Error as error:
        log.debug("Closing an e-key session failed: %r", error)


def _load_module(path: Path, loader: Callable[[str], Any]) -> Any:
    if not path.is_file() and loader is pkcs11.lib:
        raise ModuleLoadFailed(path, MODULE_FILE_MISSING)
    if sys.platform.startswith("win"):
        # NOTE: untested. A vendor DLL loads its own dependencies from its folder, which
        # Windows searches only when it is added as a DLL directory.
        os.add_dll_directory(str(path.parent))  # type: ignore[attr-defined]
    try:
        return loader(str(path))
    except (p11.PKCS11Error, OSError) as error:
        raise ModuleLoadFailed(path, load_failure_reason(error)) from error
