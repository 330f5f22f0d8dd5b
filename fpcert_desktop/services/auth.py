"""Log in, lock and unlock with the e-key.

Login is: PIN → token login → sign a fresh random challenge with the token's private key
→ verify it with the token's certificate → map the certificate's SHA-256 fingerprint to
an active user, role and office. Only then is the clerk logged in.
"""

from __future__ import annotations

import logging
import secrets
from concurrent.futures import Future
from typing import TypeVar

from fpcert_desktop.ekey.certificates import check_validity, verify_signature
from fpcert_desktop.ekey.errors import EKeyError
from fpcert_desktop.ekey.worker import EKeyWorker, LoginResult
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.services import audit
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.storage.repositories import OfficeRepository, UserRepository

log = logging.getLogger(__name__)

TOKEN_TIMEOUT_SECONDS = 30.0

T = TypeVar("T")

_UNKNOWN_CERTIFICATE = QT_TRANSLATE_NOOP(
    "Auth",
    "This e-key's certificate (fingerprint {fingerprint}) is not registered to any user of "
    "this system. Ask your administrator to report the key on the user change form.",
)
_USER_DISABLED = QT_TRANSLATE_NOOP(
    "Auth",
    "The account of {name} is disabled. Ask your administrator whether the account should "
    "be enabled again.",
)
_WRONG_OFFICE = QT_TRANSLATE_NOOP(
    "Auth",
    "{name} belongs to office {user_office}, but this workstation is set up for office "
    "{workstation_office}. Log in at a workstation of your own office or ask IT to check "
    "the office_code setting.",
)
_OFFICE_MISSING = QT_TRANSLATE_NOOP(
    "Auth",
    "Office {office} of {name} is not in the local database. Synchronise the reference "
    "data or ask IT.",
)
_DIFFERENT_KEY = QT_TRANSLATE_NOOP(
    "Auth",
    "This is not the e-key that opened the session. Insert the key of {name} to unlock, "
    "or log out to change the clerk.",
)


class AuthService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def log_in(self, worker: EKeyWorker, serial: str, pin: str) -> UserSession:
        """Run the whole login on the calling (background) thread; the token work runs on
        the worker's thread. Raises ``EKeyError`` or ``ServiceError`` with the reason."""
        try:
            login = _wait(worker.login(serial, pin))
            self._prove_possession(login, worker)
            session = self._map_to_user(login)
        except (EKeyError, ServiceError) as error:
            self._record_failure(serial, error)
            raise
        self._record(session, "login")
        log.info("user %s logged in with key %s", session.user.user_id, serial)
        return session

    def unlock(self, session: UserSession, worker: EKeyWorker, pin: str) -> UserSession:
        """Unlock a locked window: the same key (certificate) and its PIN."""
        try:
            login = _wait(worker.login(session.token_serial, pin))
            if login.fingerprint != session.fingerprint:
                raise ServiceError(_DIFFERENT_KEY.format(name=session.user.name), code="other_key")
            self._prove_possession(login, worker)
        except (EKeyError, ServiceError) as error:
            self._record(session, "unlock_failed", reason=_error_code(error))
            raise
        self._record(session, "unlock")
        return session

    def record_lock(self, session: UserSession, reason: str) -> None:
        """Audit that the window locked; ``reason`` is key_removed, idle or manual."""
        self._record(session, "lock", reason=reason)
        log.info("window locked for user %s: %s", session.user.user_id, reason)

    def log_out(self, session: UserSession, worker: EKeyWorker | None) -> None:
        if worker is not None:
            try:
                _wait(worker.logout())
            except EKeyError as error:
                log.warning("logout from the e-key failed: %s", error)
        self._record(session, "logout")

    def _prove_possession(self, login: LoginResult, worker: EKeyWorker) -> None:
        check_validity(login.certificate_der, self._context.clock())
        challenge = secrets.token_bytes(32)
        signature = _wait(worker.sign(challenge))
        verify_signature(login.certificate_der, challenge, signature)

    def _map_to_user(self, login: LoginResult) -> UserSession:
        with self._context.database.session() as db:
            user = UserRepository(db).by_fingerprint(login.fingerprint)
            if user is None:
                raise ServiceError(
                    _UNKNOWN_CERTIFICATE.format(fingerprint=_short(login.fingerprint)),
                    code="unknown_certificate",
                )
            if not user.active:
                raise ServiceError(_USER_DISABLED.format(name=user.name), code="user_disabled")
            configured = self._context.workstation.office_code
            if configured and configured != user.office_code:
                raise ServiceError(
                    _WRONG_OFFICE.format(
                        name=user.name,
                        user_office=user.office_code,
                        workstation_office=configured,
                    ),
                    code="wrong_office",
                )
            office = OfficeRepository(db).get(user.office_code)
            if office is None:
                raise ServiceError(
                    _OFFICE_MISSING.format(office=user.office_code, name=user.name),
                    code="office_missing",
                )
        return UserSession(
            user=user,
            office=office,
            workstation=self._context.workstation,
            token_serial=login.serial,
            fingerprint=login.fingerprint,
            logged_in_at=self._context.clock(),
            certificate_der=login.certificate_der,
        )

    def _record(self, session: UserSession, event: str, **details: object) -> None:
        with self._context.database.write_session() as db:
            audit.record(
                db,
                event,
                workstation=self._context.workstation,
                user=session,
                subject=f"key:{session.token_serial}",
                **details,
            )

    def _record_failure(self, serial: str, error: Exception) -> None:
        with self._context.database.write_session() as db:
            audit.record(
                db,
                "login_failed",
                workstation=self._context.workstation,
                subject=f"key:{serial}",
                reason=_error_code(error),
            )
        log.warning("login with key %s failed: %s", serial, _error_code(error))


def _wait(future: Future[T]) -> T:
    return future.result(timeout=TOKEN_TIMEOUT_SECONDS)


def _short(fingerprint: str) -> str:
    return ":".join(fingerprint[i : i + 2] for i in range(0, 16, 2)).upper()


def _error_code(error: Exception) -> str:
    if isinstance(error, ServiceError):
        return error.code
    return type(error).__name__
