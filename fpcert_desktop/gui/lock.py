"""The lock dialog: shown when the e-key is pulled out, after idle time, or on Ctrl+L."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QWidget

from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.forms import EventBlocker, child, load_form
from fpcert_desktop.gui.tasks import TaskRunner


class LockController(QObject):
    """Asks for the same key's PIN; emits ``unlocked`` or ``logout_requested``."""

    unlocked = Signal()
    logout_requested = Signal()

    def __init__(self, parent: QWidget, tasks: TaskRunner, unlock: Callable[[str], object]) -> None:
        super().__init__()
        self._unlock = unlock
        self.dialog: QDialog = load_form("lock_dialog.ui", parent)  # type: ignore[assignment]
        self._tasks = tasks.bound(self.dialog)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.reason_label: QLabel = child(self.dialog, QLabel, "reasonLabel")
        self.message_label: QLabel = child(self.dialog, QLabel, "messageLabel")
        self.pin_edit: QLineEdit = child(self.dialog, QLineEdit, "pinEdit")
        self.unlock_button: QPushButton = child(self.dialog, QPushButton, "unlockButton")
        logout_button: QPushButton = child(self.dialog, QPushButton, "logoutButton")
        self.unlock_button.clicked.connect(self.submit)
        self.pin_edit.returnPressed.connect(self.submit)
        logout_button.clicked.connect(self._logout)
        # Neither Escape nor the window's close button ends the lock: only unlocking or
        # logging out does.
        self._escape_blocker = EventBlocker(self.dialog, _is_escape_or_close)
        self._key_present = True

    @property
    def is_locked(self) -> bool:
        return self.dialog.isVisible()

    def lock(self, reason: str, *, key_present: bool) -> None:
        self.reason_label.setText(reason)
        self.set_key_present(key_present)
        self.pin_edit.clear()
        self.dialog.show()
        self.dialog.raise_()
        self.pin_edit.setFocus()

    def set_key_present(self, present: bool) -> None:
        self._key_present = present
        self.pin_edit.setEnabled(present)
        self.unlock_button.setEnabled(present)
        if present:
            self.message_label.setText(self.tr("The e-key is inserted. Type its PIN to unlock."))
            self.pin_edit.setFocus()
        else:
            self.message_label.setText(self.tr("Insert the same e-key that was used to log in."))

    def submit(self) -> None:
        pin = self.pin_edit.text()
        if not self._key_present:
            return
        if not pin:
            self.message_label.setText(self.tr("Type the PIN of your e-key."))
            return
        self.unlock_button.setEnabled(False)
        self.message_label.setText(self.tr("Checking the e-key…"))
        self._tasks.run(lambda: self._unlock(pin), self._succeeded, self._failed)

    def close(self) -> None:
        self.dialog.hide()

    def _succeeded(self, _result: object) -> None:
        self.pin_edit.clear()
        self.unlock_button.setEnabled(True)
        self.close()
        self.unlocked.emit()

    def _failed(self, error: BaseException) -> None:
        self.pin_edit.clear()
        self.unlock_button.setEnabled(self._key_present)
        self.message_label.setText(error_text(error))
        self.pin_edit.setFocus()

    def _logout(self) -> None:
        self.close()
        self.logout_requested.emit()


def _is_escape_or_close(event: QEvent) -> bool:
    if event.type() == QEvent.Type.Close:
        return True
    return (
        event.type() == QEvent.Type.KeyPress
        and isinstance(event, QKeyEvent)
        and event.key() == Qt.Key.Key_Escape
    )
