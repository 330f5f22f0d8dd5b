"""Table models over plain data objects (never live ORM rows)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from fpcert_desktop.domain.clock import CHINA_TZ
from fpcert_desktop.services.issuing import IssuanceLine
from fpcert_desktop.services.problem_list import ProblemLine
from fpcert_desktop.services.referrals import ReferralLine
from fpcert_desktop.storage.repositories import PersonSummary

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Rows of one type; each column is a header and a function of the row."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Row], Any]]]) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Row:
        return self._rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        _, value_of = self._columns[index.column()]
        return str(value_of(self._rows[index.row()]))

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section][0]
        return None


def people_model() -> RowTableModel[PersonSummary]:
    return RowTableModel[PersonSummary](
        [
            (QCoreApplication.translate("Tables", "Name"), lambda p: p.name),
            (QCoreApplication.translate("Tables", "Sex"), lambda p: p.sex.label),
            (
                QCoreApplication.translate("Tables", "Birth date"),
                lambda p: p.birth_date.isoformat(),
            ),
            (QCoreApplication.translate("Tables", "ID number"), lambda p: p.masked_id_number),
            (QCoreApplication.translate("Tables", "Residence"), lambda p: p.residence_address),
        ]
    )


def issuances_model() -> RowTableModel[IssuanceLine]:
    return RowTableModel[IssuanceLine](
        [
            (QCoreApplication.translate("Tables", "Number"), lambda line: line.issuance.number),
            (QCoreApplication.translate("Tables", "Applicant"), lambda line: line.applicant_name),
            (QCoreApplication.translate("Tables", "Purpose"), lambda line: line.purpose_name),
            (
                QCoreApplication.translate("Tables", "Status"),
                lambda line: line.issuance.status.label,
            ),
            (
                QCoreApplication.translate("Tables", "Time"),
                lambda line: line.issuance.issued_at.astimezone(CHINA_TZ).strftime("%H:%M:%S"),
            ),
            (
                QCoreApplication.translate("Tables", "Print attempts"),
                lambda line: line.issuance.print_attempts,
            ),
            (
                QCoreApplication.translate("Tables", "Reprints"),
                lambda line: line.issuance.reprint_count,
            ),
            (
                QCoreApplication.translate("Tables", "Void reason"),
                lambda line: line.issuance.void_reason or "",
            ),
        ]
    )


def problems_model() -> RowTableModel[ProblemLine]:
    return RowTableModel[ProblemLine](
        [
            (QCoreApplication.translate("Tables", "Name"), lambda line: line.name),
            (QCoreApplication.translate("Tables", "ID number"), lambda line: line.masked_id_number),
            (
                QCoreApplication.translate("Tables", "Category"),
                lambda line: line.entry.category.label,
            ),
            (
                QCoreApplication.translate("Tables", "Listed on"),
                lambda line: line.entry.listed_on.isoformat(),
            ),
            (
                QCoreApplication.translate("Tables", "Feedback"),
                lambda line: line.entry.feedback_state.label,
            ),
            (QCoreApplication.translate("Tables", "Office"), lambda line: line.entry.office_code),
            (
                QCoreApplication.translate("Tables", "Removed on"),
                lambda line: line.entry.removed_on.isoformat() if line.entry.removed_on else "",
            ),
            (QCoreApplication.translate("Tables", "Facts"), lambda line: line.entry.facts),
        ]
    )


def referrals_model() -> RowTableModel[ReferralLine]:
    return RowTableModel[ReferralLine](
        [
            (QCoreApplication.translate("Tables", "Name"), lambda line: line.name),
            (QCoreApplication.translate("Tables", "ID number"), lambda line: line.masked_id_number),
            (QCoreApplication.translate("Tables", "Purpose"), lambda line: line.purpose_name),
            (
                QCoreApplication.translate("Tables", "Sent on"),
                lambda line: line.referral.created_on.isoformat(),
            ),
            (
                QCoreApplication.translate("Tables", "Responsible office"),
                lambda line: line.referral.responsible_office_code,
            ),
            (
                QCoreApplication.translate("Tables", "Differences"),
                lambda line: "; ".join(
                    f"{field.field}: {field.record_value} → {field.document_value}"
                    for field in line.referral.fields
                ),
            ),
        ]
    )


def retention_model() -> RowTableModel[IssuanceLine]:
    return RowTableModel[IssuanceLine](
        [
            (QCoreApplication.translate("Tables", "Number"), lambda line: line.issuance.number),
            (QCoreApplication.translate("Tables", "Applicant"), lambda line: line.applicant_name),
            (QCoreApplication.translate("Tables", "Purpose"), lambda line: line.purpose_name),
            (
                QCoreApplication.translate("Tables", "Issued on"),
                lambda line: line.issuance.issued_at.astimezone(CHINA_TZ).date().isoformat(),
            ),
            (
                QCoreApplication.translate("Tables", "May be disposed of after"),
                lambda line: (
                    line.issuance.dispose_after.isoformat() if line.issuance.dispose_after else ""
                ),
            ),
        ]
    )
