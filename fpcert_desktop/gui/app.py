"""The application: login, main window, locking on key removal or idle time, language."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from fpcert_desktop.config import Settings
from fpcert_desktop.doctor import DoctorContext
from fpcert_desktop.ekey.token import TokenInfo
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.gui.doctor_view import DoctorController
from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.key_events import KeyEvents
from fpcert_desktop.gui.language import install_language
from fpcert_desktop.gui.lock import LockController
from fpcert_desktop.gui.login import LoginController
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.gui.tasks import TaskRunner
from fpcert_desktop.services.context import UserSession
from fpcert_desktop.services.setup import Services, printer_name

log = logging.getLogger(__name__)

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class CounterApp(QObject):
    """Owns the windows of one run; emits ``main_window_shown`` after each login."""

    main_window_shown = Signal(object)
    locked = Signal(str)

    def __init__(self, settings: Settings, services: Services, worker: EKeyWorker) -> None:
        super().__init__()
        self.settings = settings
        self.services = services
        self.worker = worker
        self.tasks = TaskRunner(self)
        self.key_events = KeyEvents(worker, self)
        self.key_events.key_removed.connect(self._key_removed)
        self.key_events.key_present.connect(self._key_present)
        self.language = self._initial_language()

        self.session: UserSession | None = None
        self._locked = False
        self.main: MainWindowController | None = None
        self.lock: LockController | None = None
        self.doctor: DoctorController | None = None
        self.login = self._make_login()

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(lambda: self.lock_window("idle"))
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def start(self) -> None:
        self.login.show()

    # -- login and logout --------------------------------------------------------------

    def _make_login(self) -> LoginController:
        login = LoginController(
            self.worker,
            self.tasks,
            lambda serial, pin: self.services.auth.log_in(self.worker, serial, pin),
        )
        login.logged_in.connect(self._logged_in)
        login.dialog.rejected.connect(self.quit)
        login.diagnose_requested.connect(self.show_doctor)
        return login

    def _logged_in(self, session: UserSession) -> None:
        self.session = session
        self._open_main_window()
        self._restart_idle_timer()

    def _open_main_window(self) -> None:
        assert self.session is not None
        main = MainWindowController(
            self.session,
            self.tasks,
            self.services,
            printer_name(self.settings),
            self.language,
            self.worker,
        )
        main.lock_requested.connect(lambda: self.lock_window("manual"))
        main.logout_requested.connect(self.log_out)
        main.quit_requested.connect(self.quit)
        main.language_requested.connect(self.set_language)
        self._add_diagnostics_action(main)
        self.main = main
        self.lock = LockController(main.window, self.tasks, self._unlock)
        self.lock.unlocked.connect(self._unlocked)
        self.lock.logout_requested.connect(self.log_out)
        main.show()
        self.main_window_shown.emit(main)

    def log_out(self) -> None:
        session, self.session = self.session, None
        self._idle.stop()
        self._locked = False
        if self.lock is not None:
            self.lock.close()
            self.lock = None
        if self.main is not None:
            self.main.close()
            self.main = None
        if session is not None:
            self.tasks.run(
                lambda: self.services.auth.log_out(session, self.worker),
                lambda _: None,
                lambda error: log.warning("logout failed: %s", error),
            )
        self.login.show()

    def quit(self) -> None:
        # QApplication.quit() closes every window, and closing the main window emits
        # quit_requested, which calls this method again. The session is therefore taken
        # out first, so that only the first call logs out.
        session, self.session = self.session, None
        self._idle.stop()
        if session is not None:
            try:
                self.services.auth.log_out(session, self.worker)
            except Exception:  # noqa: BLE001 - quitting must not fail on the audit write
                log.exception("logout on quit failed")
        self.tasks.shutdown()
        QApplication.quit()

    # -- diagnostics --------------------------------------------------------------------

    def show_doctor(self) -> None:
        """Open the diagnostics dialog and run the checks again."""
        if self.doctor is None:
            self.doctor = DoctorController(
                self._doctor_context,
                printer_factory=self.services.context.printer_factory,
            )
        self.doctor.show()

    def _doctor_context(self) -> DoctorContext:
        # The file is read again, so "Check again" shows a corrected configuration; the
        # keys are listed through the running e-key worker, which has the module loaded.
        return DoctorContext.load(None, token_lister=self._list_tokens)

    def _list_tokens(self, _module: object) -> list[TokenInfo]:
        return self.worker.list_tokens().result(timeout=15)

    def _add_diagnostics_action(self, main: MainWindowController) -> None:
        help_menu = main.window.findChild(QMenu, "helpMenu")
        if help_menu is None:
            help_menu = main.window.menuBar().addMenu(self.tr("&Help"))
            help_menu.setObjectName("helpMenu")
        action = help_menu.addAction(self.tr("&Diagnostics…"))
        action.setObjectName("diagnoseAction")
        action.triggered.connect(self.show_doctor)

    # -- locking ------------------------------------------------------------------------

    def lock_window(self, reason: str, *, key_present: bool = True) -> None:
        if self.session is None or self.main is None or self.lock is None:
            return
        if self.lock.is_locked:
            if not key_present:
                self.lock.set_key_present(False)
            return
        self._idle.stop()
        self._locked = True
        self.main.set_locked(True)
        texts = {
            "key_removed": self.tr("The e-key was removed, so the window is locked."),
            "idle": self.tr("The window locked after {minutes} minutes without input.").format(
                minutes=self.settings.idle_lock_minutes
            ),
            "manual": self.tr("The window is locked."),
        }
        self.lock.lock(texts[reason], key_present=key_present)
        session = self.session
        self.tasks.run(
            lambda: self.services.auth.record_lock(session, reason),
            lambda _: None,
            lambda error: log.warning("could not audit the lock: %s", error),
        )
        log.info("window locked: %s", reason)
        self.locked.emit(reason)

    def _unlock(self, pin: str) -> UserSession:
        assert self.session is not None
        return self.services.auth.unlock(self.session, self.worker, pin)

    def _unlocked(self) -> None:
        self._locked = False
        if self.main is not None:
            self.main.set_locked(False)
            self.main.focus_search()
        self._restart_idle_timer()

    def _key_removed(self, serial: str) -> None:
        if self.session is not None and serial == self.session.token_serial:
            self.lock_window("key_removed", key_present=False)

    def _key_present(self, serial: str) -> None:
        if (
            self.session is not None
            and serial == self.session.token_serial
            and self.lock is not None
            and self.lock.is_locked
        ):
            self.lock.set_key_present(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # This filter receives every event of the process, including those sent while widgets
        # are being destroyed, so it touches no widget: an exception raised here would
        # reach PySide's override error path, which crashes in that state.
        if self.session is not None and not self._locked and event.type() in _INPUT_EVENTS:
            self._restart_idle_timer()
        return False

    def _restart_idle_timer(self) -> None:
        minutes = self.settings.idle_lock_minutes
        if minutes > 0 and self.session is not None:
            self._idle.start(minutes * 60_000)

    # -- language -----------------------------------------------------------------------

    def _initial_language(self) -> str:
        stored = QSettings().value("ui/language", "", type=str)
        language = stored if stored in ("zh_CN", "en") else self.settings.language
        install_language(language)
        return language

    def set_language(self, language: str) -> None:
        """Switch the language now: the windows are rebuilt from their forms."""
        if language == self.language:
            return
        QSettings().setValue("ui/language", language)
        install_language(language)
        self.language = language
        if self.main is not None:
            self.main.close()
            self.main = None
            self._open_main_window()
        old_login = self.login
        self.login = self._make_login()
        old_login.dialog.deleteLater()
        if self.doctor is not None:
            # The next show builds the dialog again in the new language.
            self.doctor.dialog.deleteLater()
            self.doctor = None


def show_fatal(error: BaseException) -> None:
    """Tell the user why the program cannot start, in a dialog when there is a screen."""
    text = error_text(error)
    log.error("cannot start: %s", text)
    print(text, file=sys.stderr)
    # Without a screen no one could close the dialog, so the start would hang.
    headless = QApplication.platformName() in ("offscreen", "minimal")
    if QApplication.instance() is not None and not headless:
        QMessageBox.critical(None, "fpcert-desktop", text)
