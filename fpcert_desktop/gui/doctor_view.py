"""The diagnostics dialog: the doctor's checks with an icon and colour per line.

The checks run on the dialog's own background thread, so a slow check (a database
integrity check, a server that does not respond) never delays the login or the counter
work queued on the application's service thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QWidget,
)

from fpcert_desktop.doctor import (
    CheckResult,
    DoctorContext,
    Status,
    any_failed,
    print_test_page,
    run_checks,
)
from fpcert_desktop.doctor_bundle import BUNDLE_SUFFIX, write_support_bundle
from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.forms import child, load_form
from fpcert_desktop.gui.tasks import TaskRunner
from fpcert_desktop.oserrors import describe_os_error
from fpcert_desktop.printing.printer import Printer

log = logging.getLogger(__name__)

STATUS_COLOURS = {
    Status.OK: QColor("#1b5e20"),
    Status.WARNING: QColor("#8a5a00"),
    Status.FAILURE: QColor("#b71c1c"),
}
_STATUS_ICONS = {
    Status.OK: QStyle.StandardPixmap.SP_DialogApplyButton,
    Status.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Status.FAILURE: QStyle.StandardPixmap.SP_MessageBoxCritical,
}
# Item data role that stores the result's Status, for tests and accessibility tools.
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


class DoctorController(QObject):
    """Drives ``ui/doctor_dialog.ui``; emits ``finished`` with the results of each run.

    ``context_factory`` reads the settings anew for each run, so a corrected
    configuration file shows on "Check again".
    """

    finished = Signal(list)
    test_page_done = Signal(object)
    bundle_saved = Signal(str)
    _result_ready = Signal(object)

    def __init__(
        self,
        context_factory: Callable[[], DoctorContext],
        *,
        printer_factory: Callable[[], Printer] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__()
        self._context_factory = context_factory
        self._printer_factory = printer_factory
        self._context: DoctorContext | None = None
        self._results: list[CheckResult] = []
        self.tasks = TaskRunner(self)

        self.dialog: QDialog = load_form("doctor_dialog.ui", parent)  # type: ignore[assignment]
        self.summary_label: QLabel = child(self.dialog, QLabel, "summaryLabel")
        self.result_list: QListWidget = child(self.dialog, QListWidget, "resultList")
        self.rerun_button: QPushButton = child(self.dialog, QPushButton, "rerunButton")
        self.print_button: QPushButton = child(self.dialog, QPushButton, "printTestPageButton")
        self.bundle_button: QPushButton = child(self.dialog, QPushButton, "saveBundleButton")
        close_button: QPushButton = child(self.dialog, QPushButton, "closeButton")

        self.rerun_button.clicked.connect(self.run)
        self.print_button.clicked.connect(self.print_test_page)
        self.bundle_button.clicked.connect(self.save_bundle)
        close_button.clicked.connect(self.dialog.accept)
        self._result_ready.connect(self._add_result)

    @property
    def results(self) -> list[CheckResult]:
        return list(self._results)

    def show(self) -> None:
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.run()

    def run(self) -> None:
        """Clear the list and run every check; lines appear as the checks finish."""
        if self.tasks.busy:
            return
        self.result_list.clear()
        self._results = []
        self._set_busy(True)
        self.summary_label.setText(self.tr("Checking… Each check gives up after its time limit."))

        def work() -> list[CheckResult]:
            context = self._context_factory()
            self._context = context
            return run_checks(context, on_result=self._result_ready.emit)

        self.tasks.run(work, self._checks_done, self._failed, context=self.dialog)

    def print_test_page(self) -> None:
        if self.tasks.busy:
            return
        self._set_busy(True)
        self.summary_label.setText(self.tr("Printing the test page…"))

        def work() -> CheckResult:
            context = self._context or self._context_factory()
            return print_test_page(context, self._printer_factory)

        self.tasks.run(work, self._test_page_printed, self._failed, context=self.dialog)

    def save_bundle(self) -> None:
        if self.tasks.busy:
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        suggested = str(Path.home() / f"fpcert-support-{stamp}.zip")
        path, _filter = QFileDialog.getSaveFileName(
            self.dialog,
            self.tr("Save support bundle"),
            suggested,
            self.tr("Zip files (*.zip)"),
        )
        if not path:
            return
        chosen = Path(path)
        # A name typed without an ending gets .zip, as the file type filter promises.
        if chosen.suffix.lower() != BUNDLE_SUFFIX:
            chosen = chosen.with_name(chosen.name + BUNDLE_SUFFIX)
        self.save_bundle_to(chosen)

    def save_bundle_to(self, path: Path) -> None:
        """Write the support bundle with the results shown now."""
        results = list(self._results)
        config_path = self._context.config_path if self._context else None
        self._set_busy(True)
        self.tasks.run(
            lambda: write_support_bundle(path, results, config_path=config_path),
            self._bundle_written,
            self._bundle_failed,
            context=self.dialog,
        )

    def close(self) -> None:
        self.dialog.hide()

    def _add_result(self, result: CheckResult) -> None:
        if any(existing is result for existing in self._results):
            return
        self._results.append(result)
        item = QListWidgetItem(result.line())
        style = QApplication.style()
        item.setIcon(style.standardIcon(_STATUS_ICONS[result.status]))
        item.setForeground(QBrush(STATUS_COLOURS[result.status]))
        item.setData(STATUS_ROLE, result.status)
        item.setToolTip(result.line())
        self.result_list.addItem(item)

    def _checks_done(self, results: list[CheckResult]) -> None:
        for result in results:
            self._add_result(result)
        self._set_busy(False)
        failures = sum(result.status is Status.FAILURE for result in results)
        warnings = sum(result.status is Status.WARNING for result in results)
        if any_failed(results):
            text = self.tr("{failures} checks failed and {warnings} gave warnings.")
        elif warnings:
            text = self.tr("No check failed; {warnings} gave warnings.")
        else:
            text = self.tr("Every check passed.")
        self.summary_label.setText(text.format(failures=failures, warnings=warnings))
        self.finished.emit(results)

    def _test_page_printed(self, result: CheckResult) -> None:
        self._set_busy(False)
        self._add_result(result)
        self.summary_label.setText(result.line())
        self.test_page_done.emit(result)

    def _bundle_written(self, path: Path) -> None:
        self._set_busy(False)
        self.summary_label.setText(self.tr("Support bundle saved as {path}.").format(path=path))
        self.bundle_saved.emit(str(path))

    def _bundle_failed(self, error: BaseException) -> None:
        if not isinstance(error, OSError):
            self._failed(error)
            return
        log.error("support bundle not saved: %s", error)
        self._set_busy(False)
        text = self.tr(
            "The support bundle could not be saved to {path}: {error}. Choose another folder."
        )
        path = error.filename if error.filename is not None else ""
        self.summary_label.setText(text.format(path=path, error=str(describe_os_error(error))))

    def _failed(self, error: BaseException) -> None:
        log.error("diagnostics failed: %s", error)
        self._set_busy(False)
        self.summary_label.setText(error_text(error))

    def _set_busy(self, busy: bool) -> None:
        for button in (self.rerun_button, self.print_button, self.bundle_button):
            button.setEnabled(not busy)
