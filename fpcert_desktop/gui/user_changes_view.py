"""The user change form page (用户变更表) for district and street administrators.

The page lists the rows not yet filed, proposes rows from the user and e-key registry,
and exports the form as the regulation's .xls file. Rows are added and edited in
``ui/user_change_dialog.ui``; a proposal opens the same dialog, filled in, to accept it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from fpcert_desktop.domain.idnumber import mask_id_number
from fpcert_desktop.domain.user_changes import (
    ChangeType,
    PersonDraft,
    UserChange,
    UserChangeDraft,
    draft_of,
)
from fpcert_desktop.domain.users import Role
from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.forms import child, load_form
from fpcert_desktop.gui.models import RowTableModel
from fpcert_desktop.gui.tasks import TaskRunner
from fpcert_desktop.i18n import localized
from fpcert_desktop.services.context import UserSession
from fpcert_desktop.services.user_changes import ExportResult, Unit, UserChangeService


def changes_model() -> RowTableModel[UserChange]:
    def new_person(change: UserChange) -> str:
        person = change.new_person
        if person is None:
            return ""
        return f"{person.name} {mask_id_number(person.id_number)} {person.phone}"

    return RowTableModel[UserChange](
        [
            (
                QCoreApplication.translate("UserChangesPage", "Unit"),
                lambda change: change.unit_name,
            ),
            (
                QCoreApplication.translate("UserChangesPage", "Name"),
                lambda change: change.person.name,
            ),
            (
                QCoreApplication.translate("UserChangesPage", "ID number"),
                lambda change: mask_id_number(change.person.id_number),
            ),
            (
                QCoreApplication.translate("UserChangesPage", "Role"),
                lambda change: change.person.role.label,
            ),
            (
                QCoreApplication.translate("UserChangesPage", "Phone"),
                lambda change: change.person.phone,
            ),
            (
                QCoreApplication.translate("UserChangesPage", "Change type"),
                lambda change: change.change_type.label,
            ),
            (QCoreApplication.translate("UserChangesPage", "New person"), new_person),
            (
                QCoreApplication.translate("UserChangesPage", "Window"),
                lambda change: change.workstation or "",
            ),
            (
                QCoreApplication.translate("UserChangesPage", "Remarks"),
                lambda change: change.remarks,
            ),
        ]
    )


def proposals_model() -> RowTableModel[UserChangeDraft]:
    def change_type(draft: UserChangeDraft) -> object:
        return draft.change_type.label if draft.change_type else ""

    return RowTableModel[UserChangeDraft](
        [
            (QCoreApplication.translate("UserChangesPage", "Change type"), change_type),
            (QCoreApplication.translate("UserChangesPage", "Unit"), lambda draft: draft.unit_name),
            (
                QCoreApplication.translate("UserChangesPage", "Name"),
                lambda draft: draft.person.name,
            ),
            (
                QCoreApplication.translate("UserChangesPage", "New person"),
                lambda draft: draft.new_person.name,
            ),
            (
                QCoreApplication.translate("UserChangesPage", "Window"),
                lambda draft: draft.workstation,
            ),
            (QCoreApplication.translate("UserChangesPage", "Reason"), lambda draft: draft.reason),
        ]
    )


class UserChangeDialog(QObject):
    """Enter or correct one row (``ui/user_change_dialog.ui``)."""

    def __init__(
        self,
        parent: QWidget,
        units: list[Unit],
        draft: UserChangeDraft,
        submit: Callable[[UserChangeDraft], None],
    ) -> None:
        super().__init__(parent)
        self.dialog: QDialog = load_form("user_change_dialog.ui", parent)  # type: ignore[assignment]
        self._draft = draft
        self._submit = submit
        self.reason_label = child(self.dialog, QLabel, "reasonLabel")
        self.change_type_combo = child(self.dialog, QComboBox, "changeTypeCombo")
        self.unit_combo = child(self.dialog, QComboBox, "unitCombo")
        self.workstation_edit = child(self.dialog, QLineEdit, "workstationEdit")
        self.name_edit = child(self.dialog, QLineEdit, "nameEdit")
        self.id_number_edit = child(self.dialog, QLineEdit, "idNumberEdit")
        self.role_combo = child(self.dialog, QComboBox, "roleCombo")
        self.phone_edit = child(self.dialog, QLineEdit, "phoneEdit")
        self.new_person_group = child(self.dialog, QGroupBox, "newPersonGroup")
        self.new_name_edit = child(self.dialog, QLineEdit, "newNameEdit")
        self.new_id_number_edit = child(self.dialog, QLineEdit, "newIdNumberEdit")
        self.new_role_combo = child(self.dialog, QComboBox, "newRoleCombo")
        self.new_phone_edit = child(self.dialog, QLineEdit, "newPhoneEdit")
        self.remarks_edit = child(self.dialog, QLineEdit, "remarksEdit")
        self.message_label = child(self.dialog, QLabel, "messageLabel")

        self.change_type_combo.addItem(self.tr("choose…"), None)
        for change_type in ChangeType:
            # The regulation's words, and in English the meaning after them.
            text = localized(
                change_type.form_text, f"{change_type.form_text} ({change_type.label})"
            )
            self.change_type_combo.addItem(text, change_type)
        for unit in units:
            self.unit_combo.addItem(unit.name, unit.code)
        for combo in (self.role_combo, self.new_role_combo):
            for role in Role:
                combo.addItem(str(role.label), role)
        self._fill(draft)
        self.change_type_combo.currentIndexChanged.connect(self._type_changed)
        self._type_changed()
        child(self.dialog, QPushButton, "saveButton").clicked.connect(self.save)
        child(self.dialog, QPushButton, "cancelButton").clicked.connect(self.dialog.reject)

    def open(self) -> None:
        self.dialog.open()

    def draft(self) -> UserChangeDraft:
        change_type = self._change_type()
        replacement = change_type is ChangeType.REPLACEMENT
        new_person = PersonDraft(role=None)
        if replacement:
            new_person = PersonDraft(
                self.new_name_edit.text(),
                self.new_id_number_edit.text(),
                _role(self.new_role_combo),
                self.new_phone_edit.text(),
            )
        return UserChangeDraft(
            change_type=change_type,
            unit_office_code=self.unit_combo.currentData() or "",
            unit_name=self.unit_combo.currentText(),
            person=PersonDraft(
                self.name_edit.text(),
                self.id_number_edit.text(),
                _role(self.role_combo),
                self.phone_edit.text(),
            ),
            new_person=new_person,
            workstation=self.workstation_edit.text(),
            remarks=self.remarks_edit.text(),
            user_id=self._draft.user_id,
            new_user_id=self._draft.new_user_id if replacement else None,
            cert_fingerprint=self._draft.cert_fingerprint,
        )

    def save(self) -> None:
        self.message_label.clear()
        self._submit(self.draft())

    def show_error(self, text: str) -> None:
        self.message_label.setText(text)

    def _fill(self, draft: UserChangeDraft) -> None:
        self.reason_label.setText(draft.reason)
        self.reason_label.setVisible(bool(draft.reason))
        self.change_type_combo.setCurrentIndex(
            max(0, self.change_type_combo.findData(draft.change_type))
        )
        unit_index = self.unit_combo.findData(draft.unit_office_code)
        self.unit_combo.setCurrentIndex(max(0, unit_index))
        self.workstation_edit.setText(draft.workstation)
        self.name_edit.setText(draft.person.name)
        self.id_number_edit.setText(draft.person.id_number)
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(draft.person.role)))
        self.phone_edit.setText(draft.person.phone)
        self.new_name_edit.setText(draft.new_person.name)
        self.new_id_number_edit.setText(draft.new_person.id_number)
        new_role = draft.new_person.role or Role.CLERK
        self.new_role_combo.setCurrentIndex(max(0, self.new_role_combo.findData(new_role)))
        self.new_phone_edit.setText(draft.new_person.phone)
        self.remarks_edit.setText(draft.remarks)

    def _type_changed(self) -> None:
        self.new_person_group.setEnabled(self._change_type() is ChangeType.REPLACEMENT)

    def _change_type(self) -> ChangeType | None:
        # Qt hands back a str Enum's item data as a plain str.
        data = self.change_type_combo.currentData()
        return ChangeType(data) if data else None


def _role(combo: QComboBox) -> Role | None:
    data = combo.currentData()
    return Role(data) if data else None


class UserChangesPage(QObject):
    """The "用户变更表" tab: recorded rows, proposals and the export."""

    refreshed = Signal()
    proposals_shown = Signal()
    saved = Signal(object)
    exported = Signal(object)

    @classmethod
    def attach(
        cls,
        window: QMainWindow,
        tabs: QTabWidget,
        session: UserSession,
        tasks: TaskRunner,
        service: UserChangeService,
    ) -> UserChangesPage | None:
        """Add the tab for an administrator of a district or street; return ``None`` otherwise."""
        if not service.may_report(session):
            return None
        page = cls(window, session, tasks, service)
        tabs.addTab(page.widget, QCoreApplication.translate("UserChangesPage", "User chan&ge form"))
        tabs.currentChanged.connect(
            lambda index: page.refresh() if tabs.widget(index) is page.widget else None
        )
        return page

    def __init__(
        self,
        window: QMainWindow,
        session: UserSession,
        tasks: TaskRunner,
        service: UserChangeService,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._tasks = tasks.bound(window)
        self._service = service
        self._units: list[Unit] = []
        self.dialog: UserChangeDialog | None = None
        self._file_dialog: QFileDialog | None = None

        self.widget = load_form("user_changes_page.ui", window)
        self.table = child(self.widget, QTableView, "userChangesTable")
        self.model = changes_model()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.proposals_table = child(self.widget, QTableView, "proposalsTable")
        self.proposals = proposals_model()
        self.proposals_table.setModel(self.proposals)
        self.proposals_table.horizontalHeader().setStretchLastSection(True)

        self.filler_edit = child(self.widget, QLineEdit, "fillerEdit")
        self.filler_edit.setText(session.user.name)
        self.status = child(self.widget, QLabel, "userChangesStatusLabel")

        buttons = {
            "addChangeButton": self.add_row,
            "editChangeButton": self.edit_selected,
            "removeChangeButton": self.remove_selected,
            "refreshChangesButton": lambda: self.refresh(),
            "proposeButton": self.propose,
            "acceptProposalButton": self.accept_selected_proposal,
            "dropProposalButton": self.drop_selected_proposal,
            "exportButton": self.export,
        }
        for name, slot in buttons.items():
            child(self.widget, QPushButton, name).clicked.connect(slot)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.proposals_table.doubleClicked.connect(lambda _index: self.accept_selected_proposal())

    # -- rows ---------------------------------------------------------------------------

    def refresh(self, note: str = "") -> None:
        """Reload the rows. A non-empty ``note`` replaces the row count in the status line."""

        def load() -> tuple[list[Unit], list[UserChange]]:
            return self._service.units(self._session), self._service.pending(self._session)

        self._tasks.run(load, lambda loaded: self._show(loaded, note), self._failed)

    def add_row(self) -> None:
        self._open_dialog(UserChangeDraft(change_type=None), None)

    def edit_selected(self) -> None:
        change = self._selected_change()
        if change is not None:
            self._open_dialog(draft_of(change), change.change_id)

    def remove_selected(self) -> None:
        change = self._selected_change()
        if change is None or change.change_id is None:
            return
        change_id = change.change_id
        self._tasks.run(
            lambda: self._service.remove(self._session, change_id),
            lambda _removed: self.refresh(),
            self._failed,
        )

    # -- proposals ----------------------------------------------------------------------

    def propose(self) -> None:
        self._tasks.run(
            lambda: self._service.propose(self._session), self._show_proposals, self._failed
        )

    def accept_selected_proposal(self) -> None:
        index = self._selected_index(self.proposals_table)
        if index is None:
            return
        draft = self.proposals.row(index)
        self._open_dialog(draft, None, accepted=lambda: self._drop_proposal(draft))

    def drop_selected_proposal(self) -> None:
        index = self._selected_index(self.proposals_table)
        if index is not None:
            self._drop_proposal(self.proposals.row(index))

    def _drop_proposal(self, draft: UserChangeDraft) -> None:
        remaining = [
            self.proposals.row(row)
            for row in range(self.proposals.rowCount())
            if self.proposals.row(row) is not draft
        ]
        self.proposals.set_rows(remaining)

    # -- export -------------------------------------------------------------------------

    def export(self) -> None:
        """Ask where to save, offering the regulation's file name in the documents folder."""

        def ask(name: str) -> None:
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            dialog = QFileDialog(self._window, self.tr("Export the user change form"))
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setNameFilter(self.tr("Excel 97-2003 workbook (*.xls)"))
            dialog.setDefaultSuffix("xls")
            dialog.setDirectory(folder)
            dialog.selectFile(name)
            dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
            self._file_dialog = dialog
            dialog.open()

        self._tasks.run(lambda: self._service.default_file_name(self._session), ask, self._failed)

    def export_to(self, path: Path) -> None:
        filler = self.filler_edit.text()

        def done(result: ExportResult) -> None:
            note = self.tr(
                "Saved {lines} lines to {path}. Send the file to the city commission "
                "(市卫人委); the rows are now filed."
            ).format(lines=result.lines, path=str(result.path))
            self.status.setText(note)
            self.exported.emit(result)
            self.refresh(note)

        self._tasks.run(
            lambda: self._service.export(self._session, filler, path), done, self._failed
        )

    # -- helpers ------------------------------------------------------------------------

    def _open_dialog(
        self,
        draft: UserChangeDraft,
        change_id: int | None,
        *,
        accepted: Callable[[], None] | None = None,
    ) -> None:
        def submit(value: UserChangeDraft) -> None:
            dialog = self.dialog

            def saved(change: UserChange) -> None:
                if dialog is not None:
                    dialog.dialog.accept()
                if accepted is not None:
                    accepted()
                self.saved.emit(change)
                self.refresh()

            def failed(error: BaseException) -> None:
                if dialog is not None:
                    dialog.show_error(error_text(error))

            def work() -> UserChange:
                if change_id is None:
                    return self._service.record(self._session, value)
                return self._service.edit(self._session, change_id, value)

            self._tasks.run(work, saved, failed)

        def opened(units: list[Unit]) -> None:
            self._units = units
            self.dialog = UserChangeDialog(self._window, units, draft, submit)
            self.dialog.open()

        if self._units:
            opened(self._units)
        else:
            self._tasks.run(lambda: self._service.units(self._session), opened, self._failed)

    def _selected_change(self) -> UserChange | None:
        index = self._selected_index(self.table)
        return None if index is None else self.model.row(index)

    def _selected_index(self, table: QTableView) -> int | None:
        rows = table.selectionModel().selectedRows()
        if not rows:
            self.status.setText(self.tr("Choose a row first."))
            return None
        return rows[0].row()

    def _show(self, loaded: tuple[list[Unit], list[UserChange]], note: str = "") -> None:
        self._units, changes = loaded
        self.model.set_rows(changes)
        count = self.tr("{count} rows not yet filed.").format(count=len(changes))
        self.status.setText(note or count)
        self.refreshed.emit()

    def _show_proposals(self, drafts: list[UserChangeDraft]) -> None:
        self.proposals.set_rows(drafts)
        if drafts:
            text = self.tr("{count} proposals: accept each one to fill in and record it.")
        else:
            text = self.tr("The registry shows no change since the last filed form.")
        self.status.setText(text.format(count=len(drafts)))
        self.proposals_shown.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error_text(error))
