"""What the clerk records before printing: copies checked, the check certificate."""

from __future__ import annotations

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QMainWindow,
)

from fpcert_desktop.domain.history import (
    CheckCertificate,
    CheckOwner,
    CounterInput,
    Institution,
    OriginalDocument,
    OriginalsConfirmation,
)
from fpcert_desktop.gui.forms import child, to_date

COLUMNS = 2


class CounterInputPanel(QObject):
    """Drives the originals and check-certificate groups of the main window."""

    changed = Signal()

    def __init__(self, window: QMainWindow, institutions: tuple[Institution, ...]) -> None:
        super().__init__(window)
        self.originals_group = child(window, QGroupBox, "originalsGroup")
        self.check_group = child(window, QGroupBox, "checkGroup")
        self.owner_combo = child(window, QComboBox, "checkOwnerCombo")
        self.date_edit = child(window, QDateEdit, "checkDateEdit")
        self.number_edit = child(window, QLineEdit, "checkNumberEdit")
        self.institution_combo = child(window, QComboBox, "checkInstitutionCombo")

        layout = child(window, QGridLayout, "originalsLayout")
        self.document_checks: dict[OriginalDocument, QCheckBox] = {}
        for index, document in enumerate(OriginalDocument):
            check = QCheckBox(str(document.label))
            layout.addWidget(check, index // COLUMNS, index % COLUMNS)
            self.document_checks[document] = check
            check.toggled.connect(self.changed)
        self.signed_check = QCheckBox(self.tr("The applicant signed each stamped copy"))
        layout.addWidget(self.signed_check, len(OriginalDocument) // COLUMNS + 1, 0, 1, COLUMNS)
        self.signed_check.toggled.connect(self.changed)

        for owner in CheckOwner:
            self.owner_combo.addItem(str(owner.label), owner)
        self.institution_combo.addItem(self.tr("— choose —"), None)
        for institution in institutions:
            self.institution_combo.addItem(institution.name, institution.code)
        self.date_edit.setDate(QDate.currentDate())
        for signal in (
            self.owner_combo.currentIndexChanged,
            self.institution_combo.currentIndexChanged,
            self.date_edit.dateChanged,
            self.number_edit.textChanged,
        ):
            signal.connect(self.changed)

    def reset(self, *, needs_check: bool) -> None:
        """Clear everything for a new applicant; show the check group only when needed."""
        blockers = [*self.document_checks.values(), self.signed_check, self.number_edit]
        for widget in blockers:
            widget.blockSignals(True)
        for check in self.document_checks.values():
            check.setChecked(False)
        self.signed_check.setChecked(False)
        self.number_edit.clear()
        for widget in blockers:
            widget.blockSignals(False)
        self.institution_combo.setCurrentIndex(0)
        self.date_edit.setDate(QDate.currentDate())
        self.check_group.setVisible(needs_check)

    def value(self) -> CounterInput:
        documents = tuple(
            document for document, check in self.document_checks.items() if check.isChecked()
        )
        originals = OriginalsConfirmation(documents, self.signed_check.isChecked())
        check_certificate = None
        if not self.check_group.isHidden():
            check_certificate = self._check_certificate()
        return CounterInput(originals=originals, check_certificate=check_certificate)

    def _check_certificate(self) -> CheckCertificate | None:
        number = self.number_edit.text().strip()
        institution = self.institution_combo.currentData()
        if not number and institution is None:
            return None
        return CheckCertificate(
            owner=CheckOwner(self.owner_combo.currentData()),
            issued_on=to_date(self.date_edit.date()),
            number=number,
            institution_code=institution or "",
        )
