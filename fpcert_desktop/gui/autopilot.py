"""Walk the clerk's path through the real windows: e-key login, query, preview, print.

Used by ``fpcert-desktop demo`` when there is no display (and by ``--autopilot``). It
types into the same widgets a clerk uses, so it exercises the whole application, then
saves a screenshot of the main window and quits with 0 only if the printer confirmed
the job. On a later run in the same demo folder the applicant already has a certificate,
so it records a ring and pregnancy check certificate as a clerk would.
"""

from __future__ import annotations

import logging
import sys
from datetime import timedelta

from PySide6.QtCore import QDate, QObject, QTimer
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication

from fpcert_desktop.demo import DEMO_PIN, DEMO_STREET, DemoSetup
from fpcert_desktop.domain.clock import china_date
from fpcert_desktop.domain.history import CheckOwner, OriginalDocument
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import CHECK_REQUIREMENT, MainWindowController
from fpcert_desktop.services.issuing import PrintOutcome
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE

log = logging.getLogger(__name__)

TIMEOUT_MS = 180_000
KEY_LABEL = "fpcert-community"
# 李秀英, one child: a community workstation may issue her children's insurance certificate.
APPLICANT = DEMO_PEOPLE[0]
PURPOSE = "child_medical_insurance"
CHECKED_DOCUMENTS = (OriginalDocument.ID_CARD, OriginalDocument.HUKOU_BOOK)
# Age of the applicant's check certificate that the autopilot records. A week is inside
# the three-month check window and cannot be later than today's date in China.
CHECK_AGE_DAYS = 7
CHECK_NUMBER = "DEMO-CK-0001"


class Autopilot(QObject):
    def __init__(self, setup: DemoSetup) -> None:
        super().__init__()
        self._setup = setup
        self._app: CounterApp | None = None
        self._main: MainWindowController | None = None
        self.exit_code = 1
        self._previewing = False
        self._check_recorded = False
        self._last_step = ""
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
            self._fail(f"the office may not issue it: {self._decision_text()}")
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
        if decision is None or self._previewing:
            return
        if not decision.ready:
            needs_check = any(r.code == CHECK_REQUIREMENT for r in decision.requirements)
            if needs_check and not self._check_recorded:
                self._record_check_certificate()
            return
        self._previewing = True
        main.preview_finished.connect(self._previewed)
        main.preview()

    def _record_check_certificate(self) -> None:
        """Record the applicant's check certificate from a listed institution in the district.

        The decision requires one when the applicant already has a certificate from the
        last six months, as on every demo run after the first in the same folder.
        """
        main = self._main
        assert main is not None and self._app is not None
        self._check_recorded = True
        counter = main.counter
        if counter.check_group.isHidden():
            self._fail(f"a check certificate is needed but not offered: {self._decision_text()}")
            return
        institution = next(
            (
                i
                for i in range(1, counter.institution_combo.count())
                if str(counter.institution_combo.itemData(i)).startswith(DEMO_STREET[:6])
            ),
            1,
        )
        if institution >= counter.institution_combo.count():
            self._fail("no check-certificate institution is listed")
            return
        today = china_date(self._app.services.context.clock())
        issued_on = today - timedelta(days=CHECK_AGE_DAYS)

        owner = next(
            i
            for i in range(counter.owner_combo.count())
            if counter.owner_combo.itemData(i) == CheckOwner.APPLICANT
        )
        counter.owner_combo.setCurrentIndex(owner)
        counter.institution_combo.setCurrentIndex(institution)
        counter.date_edit.setDate(QDate(issued_on.year, issued_on.month, issued_on.day))
        counter.number_edit.setText(CHECK_NUMBER)
        self._step(
            f"check certificate recorded: {CHECK_NUMBER} of {issued_on.isoformat()} from "
            f"{counter.institution_combo.currentText()}"
        )

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
            text = self._decision_text() if self._main else repr(outcome)
            self._fail(f"printing failed: {text}")
            return
        self._finish()

    def _timed_out(self) -> None:
        decision = self._decision_text() if self._main else "none, no applicant was opened"
        self._fail(
            f"timed out after {TIMEOUT_MS // 1000} seconds. Last step: "
            f"{self._last_step or 'none'}. Decision shown: {decision}"
        )

    def _decision_text(self) -> str:
        """Return the main window's decision label as plain text for the console."""
        assert self._main is not None
        text = QTextDocumentFragment.fromHtml(self._main.decision_label.text()).toPlainText()
        return " ".join(text.split()) or "(empty)"

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

    def _step(self, text: str) -> None:
        self._last_step = text
        print(f"autopilot: {text}", flush=True)
        log.info("autopilot: %s", text)
