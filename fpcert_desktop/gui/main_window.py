"""The main window: find the applicant, choose the purpose, preview, print, today's list."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QWidget,
)

from fpcert_desktop.domain.eligibility import Decision
from fpcert_desktop.domain.history import MismatchField
from fpcert_desktop.domain.issuance import IssuanceStatus
from fpcert_desktop.domain.offices import Office
from fpcert_desktop.domain.people import HukouCategory, Person
from fpcert_desktop.domain.users import Role
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.gui.counter_input import CounterInputPanel
from fpcert_desktop.gui.dialogs import MismatchDialog, ask_reason
from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.forms import EventBlocker, add_shortcut, child, load_form
from fpcert_desktop.gui.lists import ProblemListPage, ReferralPage, RetentionPage
from fpcert_desktop.gui.models import issuances_model, people_model
from fpcert_desktop.gui.reports_view import ReportsPage
from fpcert_desktop.gui.sync_view import SyncController
from fpcert_desktop.gui.tasks import TaskRunner
from fpcert_desktop.gui.user_changes_view import UserChangesPage
from fpcert_desktop.gui.verify_view import VerifyPage
from fpcert_desktop.i18n import localized
from fpcert_desktop.printing.preview import render_preview_png
from fpcert_desktop.services.context import UserSession
from fpcert_desktop.services.issuing import IssuanceLine, PayloadSigner, PrintOutcome
from fpcert_desktop.services.query import PersonView, SearchOutcome
from fpcert_desktop.services.setup import Services
from fpcert_desktop.services.sync_service import SIGN_TIMEOUT_SECONDS, format_china_time

log = logging.getLogger(__name__)

PREVIEW_DPI = 80
DECISION_REFRESH_MS = 150
CHECK_REQUIREMENT = "check_certificate"


@dataclass(frozen=True)
class PrintedPage:
    outcome: PrintOutcome
    png: bytes


@dataclass(frozen=True)
class RenderedPreview:
    png: bytes
    decision: Decision


class MainWindowController(QObject):
    """Drives ``ui/main_window.ui`` for one logged-in session."""

    lock_requested = Signal()
    logout_requested = Signal()
    quit_requested = Signal()
    language_requested = Signal(str)
    # Emitted after each finished step, so tests and the demo autopilot can follow along.
    search_finished = Signal()
    person_opened = Signal()
    preview_finished = Signal()
    print_finished = Signal(object)
    today_refreshed = Signal()
    decision_updated = Signal()
    guidance_shown = Signal()

    def __init__(
        self,
        session: UserSession,
        tasks: TaskRunner,
        services: Services,
        printer_name: str,
        language: str,
        worker: EKeyWorker | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self._services = services
        self._query = services.query
        self._issuing = services.issuing
        self._person: PersonView | None = None
        self._decisions: list[Decision] = []
        self._unregistered: str | None = None
        self._printing = False
        self._today_outcome = ""
        self._dialogs: list[object] = []

        self.window: QMainWindow = load_form("main_window.ui")  # type: ignore[assignment]
        self._tasks = tasks.bound(self.window)
        # Closing the window quits through the app, which logs out first.
        self._close_blocker = EventBlocker(
            self.window, lambda event: event.type() == QEvent.Type.Close, self.quit_requested.emit
        )
        self.tabs: QTabWidget = child(self.window, QTabWidget, "tabs")
        self.search_edit: QLineEdit = child(self.window, QLineEdit, "searchEdit")
        self.birth_year_spin: QSpinBox = child(self.window, QSpinBox, "birthYearSpin")
        self.district_combo: QComboBox = child(self.window, QComboBox, "districtCombo")
        self.search_status: QLabel = child(self.window, QLabel, "searchStatusLabel")
        self.results_table: QTableView = child(self.window, QTableView, "resultsTable")
        self.person_browser: QTextBrowser = child(self.window, QTextBrowser, "personBrowser")
        self.purpose_combo: QComboBox = child(self.window, QComboBox, "purposeCombo")
        self.decision_label: QLabel = child(self.window, QLabel, "decisionLabel")
        self.preview_button: QPushButton = child(self.window, QPushButton, "previewButton")
        self.print_button: QPushButton = child(self.window, QPushButton, "printButton")
        self.preview_label: QLabel = child(self.window, QLabel, "previewLabel")
        self.preview_scroll: QScrollArea = child(self.window, QScrollArea, "previewScroll")
        self.today_table: QTableView = child(self.window, QTableView, "todayTable")
        self.today_status: QLabel = child(self.window, QLabel, "todayStatusLabel")
        self.print_again_button: QPushButton = child(self.window, QPushButton, "printAgainButton")
        self.reprint_button = child(self.window, QPushButton, "reprintButton")
        self.void_button = child(self.window, QPushButton, "voidButton")
        self.banner_label = child(self.window, QLabel, "bannerLabel")
        self.mismatch_button = child(self.window, QPushButton, "mismatchButton")
        self.unregistered_group = child(self.window, QGroupBox, "unregisteredGroup")
        self.hukou_combo = child(self.window, QComboBox, "hukouCombo")
        self.moving_in_check = child(self.window, QCheckBox, "movingInCheck")
        self.guidance_label = child(self.window, QLabel, "guidanceLabel")
        self.print_slip_button = child(self.window, QPushButton, "printSlipButton")

        self.counter = CounterInputPanel(self.window, services.context.institutions)
        self.problem_page = ProblemListPage(self.window, session, tasks, services.problem_list)
        self.referral_page = ReferralPage(self.window, session, tasks, services.referrals)
        self.retention_page = RetentionPage(self.window, session, tasks, services.issuing)
        # The user change form tab exists for district and street administrators only.
        self.user_changes_page = UserChangesPage.attach(
            self.window, self.tabs, session, tasks, services.user_changes
        )
        self.reports_page = ReportsPage.attach(
            self.window,
            self.tabs,
            session,
            tasks,
            services.reports,
            services.context.printer_factory,
            worker,
        )
        self.sync = SyncController(
            self.window,
            child(self.window, QAction, "syncAction"),
            session,
            self._tasks,
            services.sync,
            worker,
        )
        self.sync.data_as_of_changed.connect(self._data_as_of_changed)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(DECISION_REFRESH_MS)
        self._refresh_timer.timeout.connect(self._refresh_decision)

        self.people = people_model()
        self.results_table.setModel(self.people)
        self.results_table.horizontalHeader().setStretchLastSection(True)
        self.today = issuances_model()
        self.today_table.setModel(self.today)
        self.today_table.horizontalHeader().setStretchLastSection(True)

        self.district_combo.addItem(self.tr("all districts"), None)
        self.hukou_combo.addItem(self.tr("as the ID number's region code says"), None)
        for category in HukouCategory:
            self.hukou_combo.addItem(str(category.label), category)

        self._connect(language)
        self._show_status(printer_name)
        self._clear_person()
        self._worker = worker
        self.verify_page: VerifyPage | None = None
        if session.user.role is Role.PARTNER:
            self.verify_page = self._show_verify_only(tasks, services)

    # -- wiring -----------------------------------------------------------------------

    def _connect(self, language: str) -> None:
        self.search_edit.returnPressed.connect(self.search)
        child(self.window, QPushButton, "searchButton").clicked.connect(self.search)
        self.results_table.activated.connect(lambda index: self.open_row(index.row()))
        self.results_table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.purpose_combo.currentIndexChanged.connect(self._purpose_changed)
        self.counter.changed.connect(self._refresh_timer.start)
        self.mismatch_button.clicked.connect(self.report_mismatch)
        self.hukou_combo.currentIndexChanged.connect(self._update_guidance)
        self.moving_in_check.toggled.connect(self._update_guidance)
        self.print_slip_button.clicked.connect(self.print_slip)
        self.void_button.clicked.connect(self.void_selected)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_certificate)
        child(self.window, QPushButton, "refreshTodayButton").clicked.connect(self.refresh_today)
        self.print_again_button.clicked.connect(self.print_again)
        self.tabs.currentChanged.connect(self._tab_changed)

        add_shortcut(self.window, "F2", self.focus_search)
        add_shortcut(self.window, "F5", self.preview)
        add_shortcut(self.window, "Ctrl+P", self.print_certificate)
        add_shortcut(self.window, "F3", lambda: self.tabs.setCurrentWidget(self._tab("todayTab")))

        child(self.window, QAction, "lockAction").triggered.connect(self.lock_requested)
        child(self.window, QAction, "logoutAction").triggered.connect(self.logout_requested)
        child(self.window, QAction, "quitAction").triggered.connect(self.quit_requested)
        chinese = child(self.window, QAction, "chineseAction")
        english = child(self.window, QAction, "englishAction")
        chinese.setChecked(language == "zh_CN")
        english.setChecked(language == "en")
        chinese.triggered.connect(lambda: self.language_requested.emit("zh_CN"))
        english.triggered.connect(lambda: self.language_requested.emit("en"))

    def _show_status(self, printer_name: str) -> None:
        user = self.session.user
        if user.role is Role.PARTNER:
            # A partner unit verifies certificates and prints nothing at a counter window.
            text = self.tr("User: {name} ({role})   Unit: {office}").format(
                name=user.name, role=str(user.role.label), office=self.session.office.name
            )
            self.window.statusBar().showMessage(text)
            return
        text = self.tr(
            "Clerk: {name} ({role})   Office: {office}   Window: {workstation}   Printer: {printer}"
        ).format(
            name=user.name,
            role=str(user.role.label),
            office=self.session.office.name,
            workstation=self.session.workstation.code,
            printer=printer_name or self.tr("system default"),
        )
        self.window.statusBar().showMessage(text)

    def _show_verify_only(self, tasks: TaskRunner, services: Services) -> VerifyPage:
        """Leave a partner unit's user the verify page only: no counter tabs, no printing."""
        while self.tabs.count():
            self.tabs.removeTab(0)
        child(self.window, QAction, "syncAction").setVisible(False)
        return VerifyPage.attach(
            self.window, self.tabs, self.session, tasks, services.context, services.sync
        )

    def _payload_signer(self) -> PayloadSigner | None:
        """Return the signer of QR payloads with the logged-in e-key, or None without one."""
        worker, fingerprint = self._worker, self.session.fingerprint
        if worker is None:
            return None
        return lambda data: worker.sign_payload(data, fingerprint).result(
            timeout=SIGN_TIMEOUT_SECONDS
        )

    def show(self) -> None:
        if self.verify_page is not None:
            self.window.show()
            self.verify_page.focus()
            self.verify_page.refresh_keys()
            return
        self.window.show()
        self.focus_search()
        self.refresh_today()
        self.sync.refresh_as_of()
        self._tasks.run(self._services.districts, self._fill_districts, lambda _error: None)

    def _fill_districts(self, districts: list[Office]) -> None:
        for office in districts:
            self.district_combo.addItem(office.name, office.code)

    def focus_search(self) -> None:
        if self.verify_page is not None:
            self.verify_page.focus()
            return
        self.tabs.setCurrentIndex(0)
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def set_locked(self, locked: bool) -> None:
        """Hide every personal detail while locked."""
        child(self.window, QWidget, "centralWidget").setVisible(not locked)

    def close(self) -> None:
        self._close_blocker.enabled = False
        self.window.close()
        self.window.deleteLater()

    # -- search and record --------------------------------------------------------------

    def search(self) -> None:
        text = self.search_edit.text()
        birth_year = self.birth_year_spin.value()
        year = None if birth_year == self.birth_year_spin.minimum() else birth_year
        district = self.district_combo.currentData()
        self._clear_person()
        self.search_status.setText(self.tr("Searching…"))
        self._tasks.run(
            lambda: self._query.search(self.session, text, birth_year=year, district_code=district),
            self._show_results,
            self._search_failed,
        )

    def _show_results(self, outcome: SearchOutcome) -> None:
        self.people.set_rows(outcome.people)
        self.search_status.setText(str(outcome.message))
        if outcome.unregistered is not None:
            self._show_unregistered(outcome.unregistered.value)
        if len(outcome.people) == 1:
            self.open_row(0)
        elif outcome.people:
            self.results_table.setFocus()
            self.results_table.selectRow(0)
        self.search_finished.emit()

    def _search_failed(self, error: BaseException) -> None:
        self.people.set_rows([])
        self.search_status.setText(error_text(error))
        self.search_edit.setFocus()
        self.search_finished.emit()

    def open_row(self, row: int) -> None:
        if not 0 <= row < self.people.rowCount():
            return
        person_id = self.people.row(row).person_id
        self._tasks.run(
            lambda: self._query.open_person(self.session, person_id),
            self._show_person,
            self._search_failed,
        )

    def _show_person(self, view: PersonView) -> None:
        self._person = view
        self._decisions = list(view.decisions)
        self.person_browser.setHtml(person_html(view.person, self._people_as_of()))
        self.banner_label.setText(str(view.banner) if view.banner is not None else "")
        self.banner_label.setVisible(view.banner is not None)
        self.counter.reset(needs_check=False)
        self.mismatch_button.setEnabled(True)
        self.purpose_combo.blockSignals(True)
        self.purpose_combo.clear()
        for decision in view.decisions:
            mark = "✓" if decision.allowed else "✗"
            name = localized(decision.purpose.name, decision.purpose.name_en)
            self.purpose_combo.addItem(f"{mark} {name}", decision.purpose.code)
        self.purpose_combo.blockSignals(False)
        first_allowed = next((i for i, d in enumerate(view.decisions) if d.allowed), 0)
        self.purpose_combo.setCurrentIndex(first_allowed)
        self._purpose_changed()
        self.purpose_combo.setFocus()
        self.person_opened.emit()

    def _people_as_of(self) -> datetime | None:
        return self.sync.people_as_of if self._services.sync.configured else None

    def _data_as_of_changed(self, _moment: object) -> None:
        """Show the new data age on the open record; the record itself is read again later."""
        if self._person is not None:
            self.person_browser.setHtml(person_html(self._person.person, self._people_as_of()))

    def _clear_person(self) -> None:
        self._person = None
        self._decisions = []
        self._unregistered = None
        self.unregistered_group.hide()
        self.banner_label.hide()
        self.mismatch_button.setEnabled(False)
        self.person_browser.clear()
        self.purpose_combo.clear()
        self.decision_label.clear()
        self._clear_page()
        self.preview_button.setEnabled(False)
        self.print_button.setEnabled(False)

    def current_decision(self) -> Decision | None:
        if self._person is None:
            return None
        index = self.purpose_combo.currentIndex()
        if not 0 <= index < len(self._decisions):
            return None
        return self._decisions[index]

    def _purpose_changed(self) -> None:
        """Show the check-certificate group when this purpose needs one, then decide again."""
        index = self.purpose_combo.currentIndex()
        if self._person is not None and 0 <= index < len(self._person.decisions):
            initial = self._person.decisions[index]
            needs_check = any(r.code == CHECK_REQUIREMENT for r in initial.requirements)
            self.counter.check_group.setVisible(needs_check)
        self._show_decision()
        self._refresh_decision()

    def _refresh_decision(self) -> None:
        """Decide the current purpose again with what the clerk has recorded so far."""
        decision = self.current_decision()
        if decision is None or self._person is None:
            return
        index = self.purpose_combo.currentIndex()
        person_id = self._person.person.person_id
        code = decision.purpose.code
        counter = self.counter.value()
        self._tasks.run(
            lambda: self._issuing.decide(self.session, person_id, code, counter),
            lambda updated: self._decision_updated(index, person_id, updated),
            self._action_failed,
        )

    def _decision_updated(self, index: int, person_id: int, decision: Decision) -> None:
        current = self._person is not None and self._person.person.person_id == person_id
        if not current or not 0 <= index < len(self._decisions):
            return
        self._decisions[index] = decision
        if index == self.purpose_combo.currentIndex():
            self._show_decision()
        self.decision_updated.emit()

    def _show_decision(self) -> None:
        decision = self.current_decision()
        self._clear_page()
        if decision is None:
            self.decision_label.clear()
            return
        if not decision.allowed:
            color, headline = "#b71c1c", self.tr("This office may not issue this certificate.")
        elif decision.requirements:
            color = "#e65100"
            headline = self.tr("This office may issue this certificate once these are recorded:")
        else:
            color, headline = "#1b5e20", self.tr("This office may issue this certificate.")
        lines = [str(reason) for reason in decision.reasons]
        lines += [f"• {requirement.message}" for requirement in decision.requirements]
        reasons = "<br>".join(html.escape(line) for line in lines)
        policy = self.tr("Decided by policy {version}").format(version=decision.policy_version)
        self.decision_label.setText(
            f"<b style='color:{color}'>{html.escape(headline)}</b><br>{reasons}"
            f"<br><small>{html.escape(policy)}</small>"
        )
        self._update_buttons()

    # -- preview and print -------------------------------------------------------------

    def preview(self) -> None:
        decision = self.current_decision()
        if decision is None or self._person is None or not decision.allowed:
            return
        person_id = self._person.person.person_id
        code = decision.purpose.code
        counter = self.counter.value()

        def work() -> RenderedPreview:
            preview = self._issuing.preview(self.session, person_id, code, counter)
            return RenderedPreview(
                render_preview_png(preview.pdf, dpi=PREVIEW_DPI), preview.decision
            )

        self._tasks.run(
            work,
            self._show_preview,
            self._action_failed,
            progress_text=self.tr("Rendering the certificate…"),
            parent=self.window,
        )

    def _show_preview(self, rendered: RenderedPreview) -> None:
        self._show_page(rendered.png)
        self.preview_finished.emit()

    def _clear_page(self) -> None:
        self.preview_label.clear()
        self.preview_label.setMinimumSize(0, 0)

    def _show_page(self, png: bytes) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.preview_label.setPixmap(pixmap)
        # A label keeps no minimum size for its pixmap: without one the scroll area would
        # squeeze the page to the viewport instead of scrolling it.
        self.preview_label.setMinimumSize(pixmap.size())
        # The scroll range grows only after the next layout pass: scroll to the top then.
        QTimer.singleShot(0, lambda: self.preview_scroll.verticalScrollBar().setValue(0))

    def print_certificate(self) -> None:
        decision = self.current_decision()
        if decision is None or self._person is None or self._printing:
            return
        if not decision.ready:
            self.decision_label.setFocus()
            return
        person_id = self._person.person.person_id
        code = decision.purpose.code
        counter = self.counter.value()
        signer = self._payload_signer()

        def work() -> PrintedPage:
            outcome = self._issuing.issue_and_print(
                self.session, person_id, code, counter, signer=signer
            )
            return PrintedPage(outcome, render_preview_png(outcome.pdf, dpi=PREVIEW_DPI))

        self._set_printing(True)
        self._tasks.run(
            work,
            self._printed,
            self._action_failed,
            progress_text=self.tr("Printing the certificate…"),
            parent=self.window,
        )

    def _printed(self, page: PrintedPage) -> None:
        self._set_printing(False)
        outcome = page.outcome
        color = "#1b5e20" if outcome.printed else "#b71c1c"
        self.decision_label.setText(
            f"<b style='color:{color}'>{html.escape(str(outcome.message))}</b>"
        )
        self._show_page(page.png)
        self.refresh_today()
        self.print_finished.emit(outcome)
        self.search_edit.setFocus()

    def _action_failed(self, error: BaseException) -> None:
        self._set_printing(False)
        self.decision_label.setText(
            f"<b style='color:#b71c1c'>{html.escape(error_text(error))}</b>"
        )
        self.print_finished.emit(error)

    # -- today's list -------------------------------------------------------------------

    def refresh_today(self) -> None:
        self._tasks.run(
            lambda: self._issuing.todays_issuances(self.session),
            self._show_today,
            lambda error: self.today_status.setText(error_text(error)),
        )

    def _show_today(self, lines: list[IssuanceLine]) -> None:
        self.today.set_rows(lines)
        failed = sum(1 for line in lines if line.issuance.status is IssuanceStatus.NOT_PRINTED)
        counts = self.tr("{count} certificates today, {failed} not printed.").format(
            count=len(lines), failed=failed
        )
        # Keep the outcome of the last void or reprint above the counts until the next one.
        outcome, self._today_outcome = self._today_outcome, ""
        self.today_status.setText(f"{outcome}\n{counts}" if outcome else counts)
        self.today_refreshed.emit()

    def print_again(self) -> None:
        rows = self.today_table.selectionModel().selectedRows()
        if self._printing:
            return
        if not rows:
            self.today_status.setText(self.tr("Choose a certificate that did not print."))
            return
        line = self.today.row(rows[0].row())
        issuance_id = line.issuance.issuance_id
        self._set_printing(True)
        self._tasks.run(
            lambda: self._issuing.print_again(self.session, issuance_id),
            self._printed_again,
            self._print_again_failed,
            progress_text=self.tr("Printing the certificate…"),
            parent=self.window,
        )

    def _print_again_failed(self, error: BaseException) -> None:
        self._set_printing(False)
        self.today_status.setText(error_text(error))

    def _printed_again(self, outcome: PrintOutcome) -> None:
        self._set_printing(False)
        self._today_outcome = str(outcome.message)
        self.today_status.setText(self._today_outcome)
        self.refresh_today()
        self.print_finished.emit(outcome)

    def _selected_issuance(self, hint: str) -> IssuanceLine | None:
        rows = self.today_table.selectionModel().selectedRows()
        if not rows:
            self.today_status.setText(hint)
            return None
        return self.today.row(rows[0].row())

    def void_selected(self) -> None:
        line = self._selected_issuance(self.tr("Choose the certificate to void."))
        if line is None or self._printing:
            return
        number = str(line.issuance.number)
        self._dialogs = [
            ask_reason(
                self.window,
                self.tr("Void certificate {number}").format(number=number),
                self.tr("Reason for voiding {number}:").format(number=number),
                lambda reason: self.void(line.issuance.issuance_id, reason),
            )
        ]

    def void(self, issuance_id: str, reason: str) -> None:
        self._tasks.run(
            lambda: self._issuing.void(self.session, issuance_id, reason),
            self._printed_again,
            self._print_again_failed,
        )

    def reprint_selected(self) -> None:
        line = self._selected_issuance(self.tr("Choose the printed certificate to reprint."))
        if line is None or self._printing:
            return
        number = str(line.issuance.number)
        self._dialogs = [
            ask_reason(
                self.window,
                self.tr("Reprint certificate {number}").format(number=number),
                self.tr("Why must {number} be printed again (for example a paper jam)?").format(
                    number=number
                ),
                lambda reason: self.reprint(line.issuance.issuance_id, reason),
            )
        ]

    def reprint(self, issuance_id: str, reason: str) -> None:
        self._set_printing(True)
        self._tasks.run(
            lambda: self._issuing.reprint(self.session, issuance_id, reason),
            self._printed_again,
            self._print_again_failed,
            progress_text=self.tr("Printing the certificate…"),
            parent=self.window,
        )

    # -- not registered and record mismatch --------------------------------------------

    def _show_unregistered(self, id_number: str) -> None:
        self._unregistered = id_number
        self.hukou_combo.setCurrentIndex(0)
        self.moving_in_check.setChecked(False)
        self.unregistered_group.show()
        self._update_guidance()

    def _update_guidance(self) -> None:
        id_number = self._unregistered
        if id_number is None:
            return
        hukou = _hukou(self.hukou_combo.currentData())
        moving_in = self.moving_in_check.isChecked()
        self._tasks.run(
            lambda: self._query.archive_card_guidance(
                self.session, id_number, hukou=hukou, moving_in=moving_in
            ),
            lambda guidance: self._show_guidance(str(guidance.message)),
            lambda error: self._show_guidance(error_text(error)),
        )

    def _show_guidance(self, text: str) -> None:
        self.guidance_label.setText(text)
        self.guidance_shown.emit()

    def print_slip(self) -> None:
        id_number = self._unregistered
        if id_number is None:
            return
        hukou = _hukou(self.hukou_combo.currentData())
        moving_in = self.moving_in_check.isChecked()
        self._tasks.run(
            lambda: self._query.print_archive_card_slip(
                self.session, id_number, hukou=hukou, moving_in=moving_in
            ),
            lambda result: self.search_status.setText(
                self.tr("The slip was printed on {printer}.").format(printer=result.printer)
            ),
            lambda error: self.search_status.setText(error_text(error)),
            progress_text=self.tr("Printing the slip…"),
            parent=self.window,
        )

    def report_mismatch(self) -> None:
        decision = self.current_decision()
        if decision is None or self._person is None:
            return
        dialog = MismatchDialog(self.window, record_values(self._person.person), self.send_referral)
        self._dialogs = [dialog]
        dialog.open()

    def send_referral(self, fields: list[MismatchField]) -> None:
        decision = self.current_decision()
        if decision is None or self._person is None:
            return
        person_id = self._person.person.person_id
        code = decision.purpose.code
        dialog = next((d for d in self._dialogs if isinstance(d, MismatchDialog)), None)

        def sent(_referral: object) -> None:
            if dialog is not None:
                dialog.dialog.accept()
            self.search_status.setText(
                self.tr(
                    "The correction referral was sent. Print after the corrected record arrives."
                )
            )
            self._reopen(person_id)

        def failed(error: BaseException) -> None:
            if dialog is not None:
                dialog.show_error(error_text(error))

        self._tasks.run(
            lambda: self._services.referrals.refer(self.session, person_id, code, fields),
            sent,
            failed,
        )

    def _reopen(self, person_id: int) -> None:
        self._tasks.run(
            lambda: self._query.open_person(self.session, person_id),
            self._show_person,
            self._search_failed,
        )

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        name = page.objectName() if page is not None else ""
        if name == "todayTab":
            self.refresh_today()
            self.today_table.setFocus()
        elif name == "problemTab":
            self.problem_page.refresh()
        elif name == "referralTab":
            self.referral_page.refresh()
        elif name == "retentionTab":
            self.retention_page.refresh()

    def _tab(self, name: str) -> QWidget:
        return child(self.window, QWidget, name)

    def _set_printing(self, printing: bool) -> None:
        """Block a second print while one is on its way to the printer."""
        self._printing = printing
        self._update_buttons()

    def _update_buttons(self) -> None:
        decision = self.current_decision()
        self.preview_button.setEnabled(decision is not None and decision.allowed)
        self.print_button.setEnabled(decision is not None and decision.ready and not self._printing)
        for button in (self.print_again_button, self.reprint_button, self.void_button):
            button.setEnabled(not self._printing)


def person_html(person: Person, data_as_of: datetime | None = None) -> str:
    """Render a record read-only as HTML, in the window's language.

    ``data_as_of`` is the server time of the last population pull, shown in China time.
    """
    translate = QCoreApplication.translate
    rows = [
        (translate("PersonRecord", "Name"), person.name),
        (translate("PersonRecord", "Sex"), person.sex.label),
        (translate("PersonRecord", "ID number"), person.id_number),
        (translate("PersonRecord", "Birth date"), person.birth_date.isoformat()),
        (translate("PersonRecord", "Ethnicity"), person.ethnicity),
        (
            translate("PersonRecord", "Hukou"),
            f"{person.hukou_category.label} · {person.hukou_address}",
        ),
        (translate("PersonRecord", "Residence"), person.residence_address),
        (
            translate("PersonRecord", "Marital status"),
            " ".join(
                part
                for part in (
                    str(person.marital_status.label),
                    person.marriage_date.isoformat() if person.marriage_date else "",
                )
                if part
            ),
        ),
    ]
    if person.spouse is not None:
        rows.append(
            (
                translate("PersonRecord", "Spouse"),
                f"{person.spouse.name} ({person.spouse.id_number})",
            )
        )
    parts = ["<table cellspacing='4'>"]
    parts += [_html_row(label, value) for label, value in rows]
    parts.append("</table>")

    children_heading = translate("PersonRecord", "Children")
    parts.append(f"<h4>{html.escape(children_heading)}</h4>")
    if person.children:
        parts.append("<table cellspacing='4'>")
        for child in person.children:
            cells = (child.birth_order, child.name, child.sex.label, child.birth_date.isoformat())
            parts.append(
                "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"
            )
        parts.append("</table>")
    else:
        no_children = translate("PersonRecord", "none")
        parts.append(f"<p>{html.escape(no_children)}</p>")

    pregnancy = person.pregnancy
    if pregnancy is not None:
        text = translate(
            "PersonRecord", "Current pregnancy: birth order {order}, due {due}"
        ).format(
            order=pregnancy.planned_birth_order,
            due=pregnancy.expected_delivery.isoformat() if pregnancy.expected_delivery else "—",
        )
        parts.append(f"<p><b>{html.escape(text)}</b></p>")

    version = translate("PersonRecord", "Record version {version}, updated {updated}").format(
        version=person.record_version,
        updated=person.updated_at.date().isoformat() if person.updated_at else "—",
    )
    parts.append(f"<p><small>{html.escape(version)}</small></p>")
    if data_as_of is not None:
        as_of = translate("PersonRecord", "Population data as of {time} (China time)").format(
            time=format_china_time(data_as_of)
        )
        parts.append(f"<p><small>{html.escape(as_of)}</small></p>")
    return "".join(parts)


def _html_row(label: str, value: object) -> str:
    return f"<tr><th align='left'>{html.escape(label)}</th><td>{html.escape(str(value))}</td></tr>"


def record_values(person: Person) -> dict[str, str]:
    """Return the record's values by the field names a clerk types in the mismatch form."""
    translate = QCoreApplication.translate
    return {
        translate("PersonRecord", "Name"): person.name,
        translate("PersonRecord", "ID number"): person.id_number,
        translate("PersonRecord", "Birth date"): person.birth_date.isoformat(),
        translate("PersonRecord", "Ethnicity"): person.ethnicity,
        translate("PersonRecord", "Residence"): person.residence_address,
        translate("PersonRecord", "Marital status"): str(person.marital_status.label),
        translate("PersonRecord", "Children"): str(person.born_children),
    }


def _hukou(data: object) -> HukouCategory | None:
    """Return the combo's category: Qt hands a str-based enum back as its plain value."""
    return HukouCategory(data) if data else None
