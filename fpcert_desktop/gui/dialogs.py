"""Small dialogs: a reason prompt, the record-differs form and the problem-list entry form.

They open with ``open()`` (window-modal, not a nested event loop) and hand the entered
values to a callback, which runs the service call and reports back through
``show_error`` when it fails, so the dialog stays open with the message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from fpcert_desktop.domain.history import MismatchField, ProblemCategory
from fpcert_desktop.gui.forms import child, load_form, to_date


def ask_reason(
    parent: QWidget, title: str, label: str, accepted: Callable[[str], None]
) -> QInputDialog:
    """Ask for a reason in a window-modal prompt; ``accepted`` gets the text on OK."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.textValueSelected.connect(accepted)
    dialog.open()
    return dialog


class MismatchDialog:
    """Collects the differences between the record and the documents (``ui/mismatch_dialog.ui``)."""

    def __init__(
        self,
        parent: QWidget,
        record_values: dict[str, str],
        submit: Callable[[list[MismatchField]], None],
    ) -> None:
        self.dialog: QDialog = load_form("mismatch_dialog.ui", parent)  # type: ignore[assignment]
        self.table = child(self.dialog, QTableWidget, "mismatchTable")
        self.message_label = child(self.dialog, QLabel, "messageLabel")
        self._submit = submit
        self._record_values = record_values
        child(self.dialog, QPushButton, "addRowButton").clicked.connect(
            lambda: self.table.setRowCount(self.table.rowCount() + 1)
        )
        child(self.dialog, QPushButton, "sendButton").clicked.connect(self.send)
        child(self.dialog, QPushButton, "cancelButton").clicked.connect(self.dialog.reject)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._fill_record_value)

    def open(self) -> None:
        self.dialog.open()

    def fields(self) -> list[MismatchField]:
        rows = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, column) for column in range(3)]
            values = [cell.text() if cell is not None else "" for cell in cells]
            rows.append(MismatchField(*values))
        return rows

    def send(self) -> None:
        self._submit(self.fields())

    def show_error(self, text: str) -> None:
        self.message_label.setText(text)

    def _fill_record_value(self, item: QTableWidgetItem) -> None:
        """Suggest the record's value when the clerk types a field name the record has."""
        if item.column() != 0:
            return
        value = self._record_values.get(item.text().strip())
        existing = self.table.item(item.row(), 1)
        if value is not None and (existing is None or not existing.text()):
            self.table.setItem(item.row(), 1, QTableWidgetItem(value))


class ProblemEntryDialog:
    """The form for a new problem-list entry (``ui/problem_entry_dialog.ui``)."""

    def __init__(
        self,
        parent: QWidget,
        submit: Callable[[str, ProblemCategory, date, str, str], None],
    ) -> None:
        self.dialog: QDialog = load_form("problem_entry_dialog.ui", parent)  # type: ignore[assignment]
        self.id_number_edit = child(self.dialog, QLineEdit, "idNumberEdit")
        self.category_combo = child(self.dialog, QComboBox, "categoryCombo")
        self.listed_edit = child(self.dialog, QDateEdit, "listedDateEdit")
        self.facts_edit = child(self.dialog, QPlainTextEdit, "factsEdit")
        self.materials_edit = child(self.dialog, QLineEdit, "materialsEdit")
        self.message_label = child(self.dialog, QLabel, "messageLabel")
        for category in ProblemCategory:
            self.category_combo.addItem(str(category.label), category)
        self.listed_edit.setDate(QDate.currentDate())
        self._submit = submit
        child(self.dialog, QPushButton, "saveButton").clicked.connect(self.save)
        child(self.dialog, QPushButton, "cancelButton").clicked.connect(self.dialog.reject)

    def open(self) -> None:
        self.dialog.open()

    def save(self) -> None:
        self._submit(
            self.id_number_edit.text(),
            ProblemCategory(self.category_combo.currentData()),
            to_date(self.listed_edit.date()),
            self.facts_edit.toPlainText(),
            self.materials_edit.text(),
        )

    def show_error(self, text: str) -> None:
        self.message_label.setText(text)
