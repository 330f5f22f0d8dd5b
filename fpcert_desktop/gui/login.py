"""The login dialog: choose the e-key by serial, type the PIN, log in."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QPushButton

from fpcert_desktop.ekey.token import TokenInfo
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.forms import add_shortcut, child, load_form
from fpcert_desktop.gui.tasks import TaskRunner
from fpcert_desktop.services.context import UserSession

log = logging.getLogger(__name__)

KEY_POLL_MS = 2000


class LoginController(QObject):
    """Drives ``ui/login_dialog.ui``; emits ``logged_in`` with the new session."""

    logged_in = Signal(object)
    login_failed = Signal(str)
    diagnose_requested = Signal()

    def __init__(
        self,
        worker: EKeyWorker,
        tasks: TaskRunner,
        log_in: Callable[[str, str], UserSession],
    ) -> None:
        super().__init__()
        self._worker = worker
        self._tasks = tasks
        self._log_in = log_in
        self.dialog: QDialog = load_form("login_dialog.ui")  # type: ignore[assignment]
        self.key_combo: QComboBox = child(self.dialog, QComboBox, "keyCombo")
        self.pin_edit: QLineEdit = child(self.dialog, QLineEdit, "pinEdit")
        self.message_label: QLabel = child(self.dialog, QLabel, "messageLabel")
        self.login_button: QPushButton = child(self.dialog, QPushButton, "loginButton")
        refresh_button: QPushButton = child(self.dialog, QPushButton, "refreshButton")
        quit_button: QPushButton = child(self.dialog, QPushButton, "quitButton")
        diagnose_button: QPushButton = child(self.dialog, QPushButton, "diagnoseButton")

        self.login_button.clicked.connect(self.submit)
        self.pin_edit.returnPressed.connect(self.submit)
        refresh_button.clicked.connect(self.refresh_keys)
        quit_button.clicked.connect(self.dialog.reject)
        diagnose_button.clicked.connect(self.diagnose_requested)
        add_shortcut(self.dialog, "F5", self.refresh_keys)

        self._poll = QTimer(self)
        self._poll.setInterval(KEY_POLL_MS)
        self._poll.timeout.connect(self._poll_if_empty)
        self._listing = False

    def show(self) -> None:
        self.dialog.show()
        self.dialog.raise_()
        self.pin_edit.setFocus()
        self.refresh_keys()
        self._poll.start()

    def close(self) -> None:
        self._poll.stop()
        self.dialog.hide()

    def refresh_keys(self) -> None:
        if self._listing:
            return
        self._listing = True
        self._tasks.follow(self._worker.list_tokens(), self._show_keys, self._show_key_error)

    def submit(self) -> None:
        serial = self.key_combo.currentData()
        pin = self.pin_edit.text()
        if not serial:
            self._say(self.tr("No e-key is inserted. Insert your e-key and press F5."))
            return
        if not pin.strip():
            self._say(self.tr("Type the PIN of your e-key."))
            self.pin_edit.setFocus()
            return
        self._set_enabled(False)
        self._say(self.tr("Checking the e-key…"))
        self._tasks.run(lambda: self._log_in(serial, pin), self._succeeded, self._failed)

    def _show_keys(self, tokens: list[TokenInfo]) -> None:
        self._listing = False
        current = self.key_combo.currentData()
        self.key_combo.clear()
        for token in tokens:
            self.key_combo.addItem(f"{token.label} ({token.serial})", token.serial)
        if current:
            index = self.key_combo.findData(current)
            if index >= 0:
                self.key_combo.setCurrentIndex(index)
        if not tokens:
            self._say(self.tr("No e-key found. Insert your e-key; it is detected automatically."))
        elif len(tokens) > 1:
            self._say(
                self.tr("{count} e-keys found: choose yours, then type its PIN.").format(
                    count=len(tokens)
                )
            )
        else:
            self._say("")

    def _show_key_error(self, error: BaseException) -> None:
        self._listing = False
        self.key_combo.clear()
        self._say(error_text(error))

    def _poll_if_empty(self) -> None:
        if self.key_combo.count() == 0 and self.dialog.isVisible():
            self.refresh_keys()

    def _succeeded(self, session: UserSession) -> None:
        self.pin_edit.clear()
        self._set_enabled(True)
        self._say("")
        self.close()
        self.logged_in.emit(session)

    def _failed(self, error: BaseException) -> None:
        self.pin_edit.clear()
        self._set_enabled(True)
        self.pin_edit.setFocus()
        text = error_text(error)
        self._say(text)
        self.login_failed.emit(text)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.key_combo, self.pin_edit, self.login_button):
            widget.setEnabled(enabled)

    def _say(self, text: str) -> None:
        self.message_label.setText(text)
