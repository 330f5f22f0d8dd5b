"""The one thread that owns every PKCS#11 call, and the watch for a pulled e-key.

Callers queue jobs and get a :class:`concurrent.futures.Future`. Between jobs, while a
key is logged in, the thread checks every ``poll_interval`` seconds that the key's
token information is still readable. When it is not, the thread closes the dead
session, calls the key-removed listeners once and then waits until a key with the same
serial number is readable again. While waiting it initialises the module again at most
every ``reinit_interval`` seconds, for modules that only list a re-inserted key after
that.

Listeners run on the worker thread; a GUI marshals them to its own thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from fpcert_desktop.ekey.certificates import check_validity, fingerprint_sha256
from fpcert_desktop.ekey.errors import EKeyError, KeyRemoved, NotLoggedIn
from fpcert_desktop.ekey.token import EKeyLibrary, EKeySession, TokenInfo

log = logging.getLogger(__name__)

T = TypeVar("T")
KeyListener = Callable[[str], None]


@dataclass(frozen=True)
class LoginResult:
    """The logged-in key and its certificate; ``fingerprint`` is lower-case hex SHA-256."""

    serial: str
    label: str
    certificate_der: bytes
    fingerprint: str


@dataclass
class _Job:
    function: Callable[[], Any]
    future: Future[Any]


_STOP = object()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class EKeyWorker:
    """Run all e-key calls on one thread and report a pulled and re-inserted key.

    ``clock`` gives the time for the certificate validity check at login.
    ``library_factory`` replaces :class:`EKeyLibrary` in unit tests.
    """

    def __init__(
        self,
        module_path: Path | str,
        *,
        poll_interval: float = 0.5,
        reinit_interval: float = 2.0,
        clock: Callable[[], datetime] = _utc_now,
        library_factory: Callable[[Path], EKeyLibrary] = EKeyLibrary,
    ) -> None:
        self.module_path = Path(module_path)
        self.poll_interval = poll_interval
        self.reinit_interval = reinit_interval
        self._clock = clock
        self._library_factory = library_factory

        self._jobs: queue.Queue[Any] = queue.Queue()
        self._stopping = False
        self._stopping_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="ekey-worker", daemon=True)
        self._ready: Future[None] = Future()
        self._listeners_lock = threading.Lock()
        self._removed_listeners: list[KeyListener] = []
        self._present_listeners: list[KeyListener] = []

        # Owned by the worker thread.
        self._library: EKeyLibrary | None = None
        self._session: EKeySession | None = None
        self._awaited_serial: str | None = None
        self._next_poll = 0.0
        self._last_reinit = 0.0

    # Calls from any thread.

    def start(self) -> Future[None]:
        """Start the thread; the future resolves once the module is loaded.

        When loading fails, the future and every later job fail with
        :class:`fpcert_desktop.ekey.errors.ModuleLoadFailed`.
        """
        self._thread.start()
        return self._ready

    def stop(self, timeout: float | None = 10.0) -> None:
        """Log out, finalise the module and end the thread; queued jobs run first."""
        with self._stopping_lock:
            if self._stopping or not self._thread.is_alive():
                return
            self._stopping = True
            self._jobs.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("The e-key worker did not stop within %s s", timeout)

    def list_tokens(self) -> Future[list[TokenInfo]]:
        return self._submit(self._list_tokens)

    def login(self, serial: str, pin: str | None) -> Future[LoginResult]:
        """Log in to ``serial``, logging out an earlier key, and check the certificate dates.

        The future fails with an :class:`EKeyError`: a PIN error, a missing key or
        certificate, or :class:`CertificateExpired`/:class:`CertificateNotYetValid`.
        """
        return self._submit(lambda: self._login(serial, pin))

    def sign(self, data: bytes) -> Future[bytes]:
        return self._submit(lambda: self._with_session(lambda session: session.sign(data)))

    def sign_payload(self, data: bytes, fingerprint: str) -> Future[bytes]:
        """Sign a certificate's QR payload with the logged-in key, as :meth:`sign` does.

        The payload names its key by ``fingerprint``, so the future fails with
        :class:`NotLoggedIn` when the logged-in key has another certificate.
        """

        def sign(session: EKeySession) -> bytes:
            if fingerprint_sha256(session.certificate_der) != fingerprint:
                raise NotLoggedIn()
            return session.sign(data)

        return self._submit(lambda: self._with_session(sign))

    def run_in_session(self, function: Callable[[EKeySession], T]) -> Future[T]:
        """Run ``function`` with the logged-in session on the worker thread."""
        return self._submit(lambda: self._with_session(function))

    def logout(self) -> Future[None]:
        return self._submit(self._logout)

    def add_key_removed_listener(self, listener: KeyListener) -> None:
        with self._listeners_lock:
            self._removed_listeners.append(listener)

    def add_key_present_listener(self, listener: KeyListener) -> None:
        with self._listeners_lock:
            self._present_listeners.append(listener)

    def remove_listener(self, listener: KeyListener) -> None:
        with self._listeners_lock:
            for listeners in (self._removed_listeners, self._present_listeners):
                if listener in listeners:
                    listeners.remove(listener)

    def _submit(self, function: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        with self._stopping_lock:
            if self._stopping:
                future.set_exception(RuntimeError("the e-key worker is stopped"))
            else:
                self._jobs.put(_Job(function, future))
        return future

    # The worker thread.

    def _assert_worker_thread(self) -> None:
        if threading.current_thread() is not self._thread:
            raise AssertionError(
                f"e-key call on thread {threading.current_thread().name!r}, "
                "not on the e-key worker thread"
            )

    def _run(self) -> None:
        try:
            self._library = self._library_factory(self.module_path)
        except BaseException as error:
            log.warning("Loading PKCS#11 module %s failed: %s", self.module_path, error)
            self._ready.set_exception(error)
            self._fail_jobs(error)
            return
        self._ready.set_result(None)
        log.info("E-key worker started with module %s", self.module_path)

        try:
            self._serve()
        finally:
            self._shutdown()

    def _serve(self) -> None:
        while True:
            try:
                item = self._jobs.get(timeout=self._seconds_to_next_poll())
            except queue.Empty:
                item = None
            if item is _STOP:
                return
            if item is not None:
                self._run_job(item)
            self._poll_if_due()

    def _run_job(self, job: _Job) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            result = job.function()
        except BaseException as error:
            if isinstance(error, KeyRemoved) and self._session is not None:
                self._handle_removal()
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    def _fail_jobs(self, error: BaseException) -> None:
        while True:
            item = self._jobs.get()
            if item is _STOP:
                return
            if item.future.set_running_or_notify_cancel():
                item.future.set_exception(error)

    def _shutdown(self) -> None:
        assert self._library is not None
        try:
            self._library.close()
        except EKeyError as error:
            log.warning("Closing the e-key module failed: %s", error)
        self._session = None
        log.info("E-key worker stopped")

    def _require_library(self) -> EKeyLibrary:
        self._assert_worker_thread()
        assert self._library is not None
        return self._library

    def _list_tokens(self) -> list[TokenInfo]:
        return self._require_library().list_tokens()

    def _login(self, serial: str, pin: str | None) -> LoginResult:
        library = self._require_library()
        self._logout()
        try:
            session = library.login(serial, pin)
            try:
                check_validity(session.certificate_der, self._clock())
            except EKeyError:
                session.close()
                raise
        except EKeyError as error:
            log.info("E-key login to %s failed: %s", serial, type(error).__name__)
            raise

        self._session = session
        self._next_poll = time.monotonic() + self.poll_interval
        log.info("E-key login to %s succeeded", serial)
        return LoginResult(
            serial=session.token_serial,
            label=session.token_label,
            certificate_der=session.certificate_der,
            fingerprint=fingerprint_sha256(session.certificate_der),
        )

    def _logout(self) -> None:
        library = self._require_library()
        self._awaited_serial = None
        if self._session is not None:
            serial = self._session.token_serial
            self._session = None
            library.close_session()
            log.info("E-key %s logged out", serial)

    def _with_session(self, function: Callable[[EKeySession], T]) -> T:
        self._assert_worker_thread()
        if self._session is None:
            raise NotLoggedIn()
        return function(self._session)

    # Presence watch.

    def _seconds_to_next_poll(self) -> float | None:
        if self._session is None and self._awaited_serial is None:
            return None
        return max(0.0, self._next_poll - time.monotonic())

    def _poll_if_due(self) -> None:
        now = time.monotonic()
        if now < self._next_poll:
            return
        self._next_poll = now + self.poll_interval
        if self._session is not None:
            if not self._require_library().is_present(self._session.token_serial):
                self._handle_removal()
        elif self._awaited_serial is not None:
            self._check_reinserted(self._awaited_serial)

    def _handle_removal(self) -> None:
        library = self._require_library()
        assert self._session is not None
        serial = self._session.token_serial
        self._session = None
        library.close_session()
        self._awaited_serial = serial
        self._last_reinit = time.monotonic()
        log.warning("E-key %s was removed", serial)
        self._notify(self._removed_listeners, serial)

    def _check_reinserted(self, serial: str) -> None:
        library = self._require_library()
        present = library.is_present(serial)
        if not present and time.monotonic() - self._last_reinit >= self.reinit_interval:
            self._last_reinit = time.monotonic()
            try:
                library.reinitialize()
            except Exception as error:
                log.warning("Initialising the e-key module again failed: %r", error)
            present = library.is_present(serial)
        if present:
            self._awaited_serial = None
            log.info("E-key %s is present again", serial)
            self._notify(self._present_listeners, serial)

    def _notify(self, listeners: list[KeyListener], serial: str) -> None:
        with self._listeners_lock:
            current = list(listeners)
        for listener in current:
            try:
                listener(serial)
            except Exception:
                log.exception("An e-key listener failed for %s", serial)
