"""The list pages: problem list (问题名单), follow-up referrals, archive retention."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
)

from fpcert_desktop.domain.history import FeedbackState, ProblemCategory
from fpcert_desktop.domain.offices import OfficeLevel
from fpcert_desktop.domain.users import Role
from fpcert_desktop.gui.dialogs import ProblemEntryDialog, ask_reason
from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.forms import child, to_date
from fpcert_desktop.gui.models import problems_model, referrals_model, retention_model
from fpcert_desktop.gui.tasks import TaskRunner
from fpcert_desktop.services.context import UserSession
from fpcert_desktop.services.issuing import IssuanceLine, IssuingService
from fpcert_desktop.services.problem_list import ProblemLine, ProblemListService
from fpcert_desktop.services.referrals import ReferralLine, ReferralService

STATUS_MESSAGE_MS = 15_000


class ProblemListPage(QObject):
    """Search the problem list; administrators of a district or street also change it."""

    def __init__(
        self,
        window: QMainWindow,
        session: UserSession,
        tasks: TaskRunner,
        service: ProblemListService,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._tasks = tasks.bound(window)
        self._service = service
        self._entry_dialog: ProblemEntryDialog | None = None
        self.table = child(window, QTableView, "problemTable")
        self.model = problems_model()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.category_combo = child(window, QComboBox, "problemCategoryCombo")
        self.show_removed = child(window, QCheckBox, "showRemovedCheck")
        self.status = child(window, QLabel, "problemStatusLabel")
        self.category_combo.addItem(self.tr("all categories"), None)
        for category in ProblemCategory:
            self.category_combo.addItem(str(category.label), category)

        administrator = session.user.role is Role.ADMINISTRATOR and session.office.level in (
            OfficeLevel.DISTRICT,
            OfficeLevel.STREET,
        )
        buttons = {
            "addProblemButton": self.add_entry,
            "removeProblemButton": self.remove_selected,
            "feedbackButton": lambda: self.set_feedback(FeedbackState.SENT),
        }
        for name, slot in buttons.items():
            button = child(window, QPushButton, name)
            button.setVisible(administrator)
            button.clicked.connect(slot)
        child(window, QPushButton, "refreshProblemButton").clicked.connect(self.refresh)
        self.category_combo.currentIndexChanged.connect(self.refresh)
        self.show_removed.toggled.connect(self.refresh)

    def refresh(self) -> None:
        data = self.category_combo.currentData()
        category = ProblemCategory(data) if data else None
        include_removed = self.show_removed.isChecked()
        self._tasks.run(
            lambda: self._service.search(
                self._session, category=category, include_removed=include_removed
            ),
            self._show,
            self._failed,
        )

    def add_entry(self) -> None:
        self._entry_dialog = ProblemEntryDialog(self._window, self.save_entry)
        self._entry_dialog.open()

    def save_entry(
        self,
        id_number: str,
        category: ProblemCategory,
        listed_on: date,
        facts: str,
        materials_location: str,
    ) -> None:
        dialog = self._entry_dialog

        def saved(_entry: object) -> None:
            if dialog is not None:
                dialog.dialog.accept()
            self.refresh()

        def failed(error: BaseException) -> None:
            if dialog is not None:
                dialog.show_error(error_text(error))
            else:
                self._failed(error)

        self._tasks.run(
            lambda: self._service.add(
                self._session, id_number, category, listed_on, facts, materials_location
            ),
            saved,
            failed,
        )

    def remove_selected(self) -> None:
        line = self._selected()
        if line is None:
            return
        ask_reason(
            self._window,
            self.tr("Remove the entry"),
            self.tr("Reason for removing the entry of {name}:").format(name=line.name),
            lambda reason: self.remove(line.entry.entry_id, reason),
        )

    def remove(self, entry_id: int, reason: str) -> None:
        self._tasks.run(
            lambda: self._service.remove(self._session, entry_id, reason),
            lambda _entry: self.refresh(),
            self._failed,
        )

    def set_feedback(self, state: FeedbackState) -> None:
        line = self._selected()
        if line is None:
            return
        entry_id = line.entry.entry_id
        self._tasks.run(
            lambda: self._service.set_feedback(self._session, entry_id, state),
            lambda _entry: self.refresh(),
            self._failed,
        )

    def _selected(self) -> ProblemLine | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status.setText(self.tr("Choose an entry first."))
            return None
        return self.model.row(rows[0].row())

    def _show(self, lines: list[ProblemLine]) -> None:
        self.model.set_rows(lines)
        self.status.setText(self.tr("{count} entries.").format(count=len(lines)))

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error_text(error))


class ReferralPage(QObject):
    """Open correction referrals of the office's area, for follow-up."""

    def __init__(
        self,
        window: QMainWindow,
        session: UserSession,
        tasks: TaskRunner,
        service: ReferralService,
    ) -> None:
        super().__init__(window)
        self._session = session
        self._tasks = tasks.bound(window)
        self._service = service
        self.table = child(window, QTableView, "referralTable")
        self.model = referrals_model()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        child(window, QPushButton, "refreshReferralButton").clicked.connect(self.refresh)

    def refresh(self) -> None:
        self._tasks.run(
            lambda: self._service.open_referrals(self._session),
            self._show,
            lambda error: show_in_status_bar(self.table.window(), error),
        )

    def _show(self, lines: list[ReferralLine]) -> None:
        self.model.set_rows(lines)


class RetentionPage(QObject):
    """Issuances whose archived materials may be disposed of by a chosen date."""

    def __init__(
        self,
        window: QMainWindow,
        session: UserSession,
        tasks: TaskRunner,
        service: IssuingService,
    ) -> None:
        super().__init__(window)
        self._session = session
        self._tasks = tasks.bound(window)
        self._service = service
        self.table = child(window, QTableView, "retentionTable")
        self.model = retention_model()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.date_edit = child(window, QDateEdit, "retentionDateEdit")
        self.date_edit.setDate(QDate.currentDate())
        child(window, QPushButton, "refreshRetentionButton").clicked.connect(self.refresh)

    def refresh(self) -> None:
        on = to_date(self.date_edit.date())
        self._tasks.run(
            lambda: self._service.due_for_disposal(self._session, on),
            self._show,
            lambda error: show_in_status_bar(self.table.window(), error),
        )

    def _show(self, lines: list[IssuanceLine]) -> None:
        self.model.set_rows(lines)


def show_in_status_bar(window: object, error: BaseException) -> None:
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(error_text(error), STATUS_MESSAGE_MS)
