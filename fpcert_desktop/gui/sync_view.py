"""Session ▸ Synchronize now: run the sync in the background and show its progress.

The sync service reports progress on the service thread. Those reports cross to the GUI
thread through a queued signal, so no widget is touched from the service thread.
"""

from __future__ import annotations

import logging
from datetime import datetime

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QProgressDialog

from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.tasks import BoundTaskRunner
from fpcert_desktop.services.context import UserSession
from fpcert_desktop.services.sync_service import (
    SyncService,
    SyncStep,
    SyncSummary,
    format_china_time,
)
from fpcert_desktop.sync import errors as sync_errors

log = logging.getLogger(__name__)


class _ProgressRelay(QObject):
    """Carries progress reports from the service thread to the GUI thread."""

    step = Signal(object)


class SyncController(QObject):
    """Owns the Synchronize action, its progress dialog and the "data as of" label."""

    # The people stream's as-of time, or None; emitted after every refresh.
    data_as_of_changed = Signal(object)
    # A SyncStep, on the GUI thread.
    progress = Signal(object)
    # The SyncSummary, or the exception that stopped the sync.
    finished = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        action: QAction,
        session: UserSession,
        tasks: BoundTaskRunner,
        service: SyncService,
        worker: EKeyWorker | None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._action = action
        self._session = session
        self._tasks = tasks
        self._service = service
        self._worker = worker
        self._dialog: QProgressDialog | None = None
        self._message: QMessageBox | None = None
        self.people_as_of: datetime | None = None

        self.as_of_label = QLabel(window)
        self.as_of_label.setObjectName("dataAsOfLabel")
        window.statusBar().addPermanentWidget(self.as_of_label)
        self._relay = _ProgressRelay(self)
        self._relay.step.connect(self._show_step, Qt.ConnectionType.QueuedConnection)
        action.triggered.connect(self.synchronize)
        self._show_as_of()

    @property
    def running(self) -> bool:
        return self._dialog is not None

    def refresh_as_of(self) -> None:
        """Read the stored "data as of" times in the background and show the people's."""
        if not self._service.configured:
            self._show_as_of()
            return
        self._tasks.run(
            self._service.data_as_of,
            lambda times: self._set_as_of(times.get("people")),
            lambda error: log.warning("could not read the data age: %s", error),
        )

    def synchronize(self) -> None:
        if self.running:
            return
        if not self._service.configured or self._worker is None:
            self._show_result(QMessageBox.Icon.Information, str(sync_errors.NO_SERVER.format()), "")
            self.finished.emit(None)
            return
        session, worker, relay = self._session, self._worker, self._relay

        def report(step: SyncStep) -> None:
            # Runs on the service thread: only emit, and stop once the window is gone.
            if not shiboken6.isValid(relay):
                return
            try:
                relay.step.emit(step)
            except RuntimeError:
                log.debug("window closed during the sync; progress dropped")

        self._action.setEnabled(False)
        self._dialog = self._progress_dialog()
        self._tasks.run(
            lambda: self._service.synchronize(session, worker, report),
            self._succeeded,
            self._failed,
        )

    def _progress_dialog(self) -> QProgressDialog:
        dialog = QProgressDialog(
            self.tr("Connecting to the central server…"), "", 0, 0, self._window
        )
        dialog.setObjectName("syncProgressDialog")
        dialog.setWindowTitle(self.tr("Synchronize"))
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        return dialog

    def _show_step(self, step: SyncStep) -> None:
        if self._dialog is not None:
            if step.phase == "pull":
                template = self.tr("Receiving {stream}: {records} records in {pages} pages")
            else:
                template = self.tr("Sending {stream}: {records} records in {pages} batches")
            self._dialog.setLabelText(
                template.format(
                    stream=self._stream_name(step.name), records=step.records, pages=step.pages
                )
            )
        self.progress.emit(step)

    def _succeeded(self, summary: SyncSummary) -> None:
        self._close_dialog()
        self._set_as_of(summary.as_of.get("people"))
        messages = summary.messages()
        icon = QMessageBox.Icon.Information
        if summary.push.rejected or summary.pull.quarantined:
            icon = QMessageBox.Icon.Warning
        self._show_result(icon, str(messages[0]), "\n".join(str(m) for m in messages[1:]))
        self.finished.emit(summary)

    def _failed(self, error: BaseException) -> None:
        self._close_dialog()
        self._show_result(QMessageBox.Icon.Warning, error_text(error), "")
        # Pages applied before the failure stay applied, so the data age may have moved.
        self.refresh_as_of()
        self.finished.emit(error)

    def _close_dialog(self) -> None:
        self._action.setEnabled(True)
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def _show_result(self, icon: QMessageBox.Icon, text: str, details: str) -> None:
        if self._message is not None:
            self._message.close()
        box = QMessageBox(
            icon, self.tr("Synchronize"), text, QMessageBox.StandardButton.Ok, self._window
        )
        box.setObjectName("syncResultBox")
        box.setInformativeText(details)
        # Give the keyboard back to the window, so its shortcuts work again at once.
        box.finished.connect(lambda _result: self._window.activateWindow())
        box.open()
        self._message = box

    @property
    def result_text(self) -> str:
        """The text of the last result message, or an empty string."""
        if self._message is None or not shiboken6.isValid(self._message):
            return ""
        return "\n".join(filter(None, (self._message.text(), self._message.informativeText())))

    def _set_as_of(self, moment: datetime | None) -> None:
        self.people_as_of = moment
        self._show_as_of()
        self.data_as_of_changed.emit(moment)

    def _show_as_of(self) -> None:
        if not self._service.configured:
            self.as_of_label.setText(self.tr("No central server"))
        elif self.people_as_of is None:
            self.as_of_label.setText(self.tr("Data as of: never synchronized"))
        else:
            self.as_of_label.setText(
                self.tr("Data as of {time} (China time)").format(
                    time=format_china_time(self.people_as_of)
                )
            )

    def _stream_name(self, name: str) -> str:
        names = {
            "offices": self.tr("offices"),
            "users": self.tr("users"),
            "institutions": self.tr("institutions"),
            "policies": self.tr("policies"),
            "people": self.tr("population data"),
            "problem_list": self.tr("problem list"),
            "issuances": self.tr("certificates"),
            "voids": self.tr("voided certificates"),
            "reprints": self.tr("reprints"),
            "referrals": self.tr("correction referrals"),
            "audit_events": self.tr("audit trail"),
        }
        return names.get(name, name)
