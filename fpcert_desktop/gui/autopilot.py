"""Walk the clerk's path through the real windows: e-key login, query, preview, print.

Used by ``fpcert-desktop demo`` when there is no display (and by ``--autopilot``). It
types into the same widgets a clerk uses, so it exercises the whole application, then
saves a screenshot of the main window and quits with 0 only if the printer confirmed
the job.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from fpcert_desktop.demo import DEMO_PIN, DemoSetup
from fpcert_desktop.domain.history import OriginalDocument
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.services.issuing import PrintOutcome
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE

log = logging.getLogger(__name__)

TIMEOUT_MS = 180_000
KEY_LABEL = "fpcert-community"
# 李秀英, one child: a community workstation may issue her children's insurance certificate.
APPLICANT = DEMO_PEOPLE[0]
PURPOSE = "child_medical_insurance"
CHECKED_DOCUMENTS = (OriginalDocument.ID_CARD, OriginalDocument.HUKOU_BOOK)


class Autopilot(QObject):
    def __init__(self, setup: DemoSetup) -> None:
        super().__init__()
        self._setup = setup
        self._app: CounterApp | None = None
        self._main: MainWindowController | None = None
        self.exit_code = 1
        self._previewing = False
        self.screenshot = setup.directory / "screenshots" / "main-window.png"

    def start(self, app: CounterApp) -> None:
        self._app = app
        app.main_window_shown.connect(self._on_main_window)
        QTimer.singleShot(TIMEOUT_MS, self._timed_out)
        self._step("waiting for the e-keys")
        QTimer.singleShot(200, self._log_in)

    def _log_in(self) -> None:
        assert self._app is not None
        login = self._app.login
        index = next(
            (
                i
                for i in range(login.key_combo.count())
                if login.key_combo.itemText(i).startswith(f"{KEY_LABEL} (")
            ),
            -1,
        )
        if index < 0:
            QTimer.singleShot(200, self._log_in)
            return
        login.key_combo.setCurrentIndex(index)
        login.pin_edit.setText(DEMO_PIN)
        self._step(f"logging in with {login.key_combo.currentText()}")
        login.login_failed.connect(lambda text: self._fail(f"login failed: {text}"))
        login.login_button.click()

    def _on_main_window(self, main: MainWindowController) -> None:
        self._main = main
        main.person_opened.connect(self._choose_purpose)
        main.search_finished.connect(self._search_finished)
        main.search_edit.setText(APPLICANT.id_number)
        self._step(f"searching for {APPLICANT.id_number[:6]}…")
        main.search()

    def _search_finished(self) -> None:
        assert self._main is not None
        if self._main.people.rowCount() == 0:
            self._fail(f"search found nobody: {self._main.search_status.text()}")

    def _choose_purpose(self) -> None:
        main = self._main
        assert main is not None
        index = main.purpose_combo.findData(PURPOSE)
        if index < 0:
            self._fail(f"purpose {PURPOSE} is not offered")
            return
        main.purpose_combo.setCurrentIndex(index)
        decision = main.current_decision()
        self._step(f"purpose chosen: {main.purpose_combo.currentText()}")
        if decision is None or not decision.allowed:
            self._fail(f"the office may not issue it: {main.decision_label.text()}")
            return
        main.decision_updated.connect(self._decision_updated)
        for document in CHECKED_DOCUMENTS:
            main.counter.document_checks[document].setChecked(True)
        main.counter.signed_check.setChecked(True)
        self._step("copies checked against the originals and signed")

    def _decision_updated(self) -> None:
        main = self._main
        assert main is not None
        decision = main.current_decision()
        if decision is None or not decision.ready or self._previewing:
            return
        self._previewing = True
        main.preview_finished.connect(self._previewed)
        main.preview()

    def _previewed(self) -> None:
        main = self._main
        assert main is not None
        self.screenshot.parent.mkdir(parents=True, exist_ok=True)
        main.window.grab().save(str(self.screenshot))
        self._step(f"preview shown; screenshot saved to {self.screenshot}")
        main.print_finished.connect(self._printed)
        main.print_certificate()

    def _printed(self, outcome: object) -> None:
        if isinstance(outcome, PrintOutcome) and outcome.printed:
            self._step(f"printed: {outcome.message}")
            if self._setup.pdf_dir is not None:
                self._step(f"the PDF is in {self._setup.pdf_dir}")
            self.exit_code = 0
        else:
            main = self._main
            text = main.decision_label.text() if main else repr(outcome)
            self._fail(f"printing failed: {text}")
            return
        self._finish()

    def _timed_out(self) -> None:
        self._fail(f"the walk did not finish within {TIMEOUT_MS // 1000} seconds")

    def _fail(self, reason: str) -> None:
        print(f"autopilot: {reason}", file=sys.stderr, flush=True)
        log.error("autopilot: %s", reason)
        self.exit_code = 1
        self._finish()

    def _finish(self) -> None:
        if self._app is not None:
            self._app.quit()
        else:
            QApplication.quit()

    @staticmethod
    def _step(text: str) -> None:
        print(f"autopilot: {text}", flush=True)
        log.info("autopilot: %s", text)
