"""The daily print summary tab (每日打证统计) for supervisors and administrators.

The tab picks a day and an office, shows the counts per window and clerk with a bar
chart, exports the report as PDF or xlsx and prints the PDF. It also exports the
retention report. Every service call runs on the TaskRunner's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fpcert_desktop.domain.offices import Office
from fpcert_desktop.domain.reports import DailyReport, ReportRow, ReportSource, rule_label
from fpcert_desktop.domain.users import Role
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.gui.errors import error_text
from fpcert_desktop.gui.forms import child, load_form, to_date
from fpcert_desktop.gui.models import RowTableModel
from fpcert_desktop.gui.tasks import TaskRunner
from fpcert_desktop.oserrors import describe_os_error
from fpcert_desktop.printing.printer import Printer, PrintResult
from fpcert_desktop.printing.report_pdf import (
    china_time,
    render_daily_report,
    render_retention_report,
)
from fpcert_desktop.printing.report_xlsx import daily_report_xlsx, retention_report_xlsx
from fpcert_desktop.services.context import UserSession
from fpcert_desktop.services.reports import LOCAL_ONLY_NOTE, SERVER_NOTE, ReportService

# Roles that see the tab. The service also lets a clerk read their own office.
REPORT_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
SIGN_TIMEOUT_SECONDS = 30.0
PRINT_TIMEOUT_SECONDS = 90.0
# Bar colours of printed, voided, reprinted and refused, the same as in the PDF.
# The file name's ending chooses the export format, as in ``fpcert-desktop report``.
EXPORT_SUFFIXES = (".pdf", ".xlsx")
SERIES_COLORS = ("#2f6db5", "#c0392b", "#e6a118", "#7f8c8d")


class ReportChart(QWidget):
    """Grouped bars of prints, voids, reprints and refusals per window and clerk."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[ReportRow, ...] = ()
        self.series_names = (
            self.tr("Printed"),
            self.tr("Voided"),
            self.tr("Reprinted"),
            self.tr("Refused"),
        )
        self.setMinimumHeight(180)

    def set_rows(self, rows: tuple[ReportRow, ...]) -> None:
        self.rows = rows
        self.update()

    @staticmethod
    def values(row: ReportRow) -> tuple[int, int, int, int]:
        return (row.printed_total, row.voids, row.reprints, row.refusals_total)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        line = metrics.height()
        legend_height = line + 8
        left, right = metrics.horizontalAdvance("0000") + 8, 8
        top, bottom = legend_height + 4, line * 2 + 8
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        self._draw_legend(painter, line)
        if not self.rows or plot.width() <= 0 or plot.height() <= 0:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No data for this day."))
            painter.end()
            return

        # Four gridline steps of a whole number each, so every axis label is exact.
        largest = max(max(self.values(row)) for row in self.rows)
        step = max(1, -(-largest // 4))
        highest = step * 4
        painter.setPen(self.palette().text().color())
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        for tick in range(5):
            y = plot.bottom() - plot.height() * tick / 4
            painter.drawText(
                QRectF(0, y - line / 2, left - 4, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(step * tick),
            )

        group = plot.width() / len(self.rows)
        bar = max(group * 0.8 / len(SERIES_COLORS), 1.0)
        for index, row in enumerate(self.rows):
            x = plot.left() + group * index + group * 0.1
            for series, value in enumerate(self.values(row)):
                height = plot.height() * value / highest
                painter.fillRect(
                    QRectF(x + bar * series, plot.bottom() - height, bar - 1, height),
                    QColor(SERIES_COLORS[series]),
                )
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(plot.left() + group * index, plot.bottom() + 2, group, line * 2),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                f"{row.workstation} {row.clerk_name}",
            )
        painter.end()

    def _draw_legend(self, painter: QPainter, line: int) -> None:
        x = 8.0
        for name, color in zip(self.series_names, SERIES_COLORS, strict=True):
            painter.fillRect(QRectF(x, 4, line, line), QColor(color))
            x += line + 4
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(x, 4, 200, line), Qt.AlignmentFlag.AlignVCenter, name)
            x += painter.fontMetrics().horizontalAdvance(name) + 16


def export_path(chosen: Path, suffix: str) -> Path:
    """Return ``chosen``, with ``.suffix`` added unless it already ends in .pdf or .xlsx.

    So a name typed as ``daily.docx`` in the Excel dialog is saved as ``daily.docx.xlsx``.
    """
    if chosen.suffix.lower() in EXPORT_SUFFIXES:
        return chosen
    return chosen.with_name(f"{chosen.name}.{suffix}")


def report_model(report: DailyReport) -> RowTableModel[ReportRow]:
    """Build the table model, with a column per purpose and per refusal rule of the report."""
    translate = QCoreApplication.translate
    columns: list[tuple[str, Callable[[ReportRow], object]]] = [
        (translate("ReportsPage", "Office"), lambda row: row.office_name),
        (translate("ReportsPage", "Window"), lambda row: row.workstation),
        (translate("ReportsPage", "Clerk"), lambda row: row.clerk_name),
    ]
    columns += [(column.name, _printed_for(column.code)) for column in report.purposes]
    columns += [
        (translate("ReportsPage", "Printed"), lambda row: row.printed_total),
        (translate("ReportsPage", "Voided"), lambda row: row.voids),
        (translate("ReportsPage", "Reprinted"), lambda row: row.reprints),
        (translate("ReportsPage", "Not printed"), lambda row: row.not_printed),
    ]
    refused = translate("ReportsPage", "Refused: {rule}")
    columns += [
        (refused.format(rule=rule_label(rule)), _refused_for(rule)) for rule in report.rules
    ]
    columns += [
        (translate("ReportsPage", "Refused"), lambda row: row.refusals_total),
        (translate("ReportsPage", "First print"), lambda row: china_time(row.first_print)),
        (translate("ReportsPage", "Last print"), lambda row: china_time(row.last_print)),
        (translate("ReportsPage", "Waiting to sync"), _waiting_sync),
    ]
    model = RowTableModel[ReportRow](columns)
    model.set_rows(report.rows)
    return model


def _printed_for(code: str) -> Callable[[ReportRow], object]:
    return lambda row: row.printed_for(code)


def _refused_for(rule: str) -> Callable[[ReportRow], object]:
    return lambda row: row.refused_for(rule)


def _waiting_sync(row: ReportRow) -> object:
    return "—" if row.waiting_sync is None else row.waiting_sync


class ReportsPage(QObject):
    """Drives ``ui/daily_report_page.ui`` in its own tab of the main window."""

    offices_loaded = Signal()
    report_shown = Signal(object)
    saved = Signal(str)
    printed = Signal(object)
    failed = Signal(str)

    @classmethod
    def attach(
        cls,
        window: QMainWindow,
        tabs: QTabWidget,
        session: UserSession,
        tasks: TaskRunner,
        service: ReportService,
        printer_factory: Callable[[], Printer],
        worker: EKeyWorker | None = None,
    ) -> ReportsPage | None:
        """Add the tab for a supervisor or administrator; return ``None`` for other roles."""
        if session.user.role not in REPORT_ROLES:
            return None
        page = cls(window, session, tasks, service, printer_factory, worker)
        tabs.addTab(page.widget, QCoreApplication.translate("ReportsPage", "Daily print summary"))
        tabs.currentChanged.connect(
            lambda index: page.load_offices() if tabs.widget(index) is page.widget else None
        )
        return page

    def __init__(
        self,
        window: QMainWindow,
        session: UserSession,
        tasks: TaskRunner,
        service: ReportService,
        printer_factory: Callable[[], Printer],
        worker: EKeyWorker | None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._tasks = tasks.bound(window)
        self._service = service
        self._printer_factory = printer_factory
        self._worker = worker
        self._file_dialog: QFileDialog | None = None
        self.report: DailyReport | None = None
        self.model: RowTableModel[ReportRow] | None = None

        self.widget = load_form("daily_report_page.ui", window)
        self.date_edit = child(self.widget, QDateEdit, "reportDateEdit")
        self.office_combo = child(self.widget, QComboBox, "reportOfficeCombo")
        self.table = child(self.widget, QTableView, "reportTable")
        self.source_label = child(self.widget, QLabel, "reportSourceLabel")
        self.summary_label = child(self.widget, QLabel, "reportSummaryLabel")
        self.status_label = child(self.widget, QLabel, "reportStatusLabel")
        self.retention_date_edit = child(self.widget, QDateEdit, "retentionReportDateEdit")
        self.chart = ReportChart(self.widget)
        holder = child(self.widget, QWidget, "reportChartHolder")
        layout = holder.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.chart)

        today = service.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.retention_date_edit.setDate(QDate(today.year, today.month, today.day))
        buttons = {
            "showReportButton": self.refresh,
            "exportReportPdfButton": lambda: self.ask_path("pdf", self.export_to),
            "exportReportXlsxButton": lambda: self.ask_path("xlsx", self.export_to),
            "printReportButton": self.print_report,
            "exportRetentionPdfButton": lambda: self.ask_path("pdf", self.export_retention_to),
            "exportRetentionXlsxButton": lambda: self.ask_path("xlsx", self.export_retention_to),
        }
        for name, slot in buttons.items():
            child(self.widget, QPushButton, name).clicked.connect(slot)
        self._offices_loaded = False

    # -- loading ------------------------------------------------------------------------

    def load_offices(self) -> None:
        """Fill the office picker once, then show the report of the first office."""
        if self._offices_loaded:
            return
        self._offices_loaded = True
        self._tasks.run(
            lambda: self._service.offices_for(self._session), self._fill_offices, self._failed
        )

    def _fill_offices(self, offices: list[Office]) -> None:
        self.office_combo.clear()
        for office in offices:
            self.office_combo.addItem(f"{office.name}（{office.code}）", office.code)
        self.offices_loaded.emit()
        if offices:
            self.refresh()

    def select_office(self, code: str) -> None:
        self.office_combo.setCurrentIndex(self.office_combo.findData(code))

    def selected_day(self) -> date:
        return to_date(self.date_edit.date())

    def refresh(self) -> None:
        office = self.office_combo.currentData()
        if not office:
            self.status_label.setText(self.tr("Choose an office first."))
            return
        day = self.selected_day()
        sign = self._sign if self._worker is not None else None
        self.status_label.setText(self.tr("Counting…"))
        self._tasks.run(
            lambda: self._service.daily(self._session, day, office, sign=sign),
            self._show,
            self._failed,
        )

    def _sign(self, challenge: bytes) -> bytes:
        assert self._worker is not None
        return self._worker.sign(challenge).result(timeout=SIGN_TIMEOUT_SECONDS)

    def _show(self, report: DailyReport) -> None:
        self.report = report
        self.model = report_model(report)
        self.table.setModel(self.model)
        self.table.resizeColumnsToContents()
        self.chart.set_rows(report.rows)
        note = SERVER_NOTE if report.source is ReportSource.SERVER else LOCAL_ONLY_NOTE
        self.source_label.setText(str(note))
        self.summary_label.setText(self._summary(report))
        self.status_label.setText("")
        self.report_shown.emit(report)

    def _summary(self, report: DailyReport) -> str:
        totals = report.totals
        text = self.tr(
            "{day}: {printed} printed ({previous:+d} from the day before, {week:+d} from the "
            "same weekday last week), {voids} voided, {reprints} reprinted, {not_printed} not "
            "printed, {refusals} refused."
        ).format(
            day=report.day.isoformat(),
            printed=totals.printed,
            previous=report.change_from_previous_day.printed,
            week=report.change_from_last_week.printed,
            voids=totals.voids,
            reprints=totals.reprints,
            not_printed=totals.not_printed,
            refusals=totals.refusals,
        )
        if report.outbox_pending:
            text += " " + self.tr(
                "{count} records of this workstation wait to be synchronized."
            ).format(count=report.outbox_pending)
        return text

    # -- exporting and printing --------------------------------------------------------

    def ask_path(self, suffix: str, save: Callable[[Path], None]) -> None:
        """Ask where to save, without blocking the window, then call ``save``."""
        if suffix == "pdf":
            title, name_filter = self.tr("Export as PDF"), self.tr("PDF files (*.pdf)")
        else:
            title, name_filter = self.tr("Export as Excel"), self.tr("Excel workbooks (*.xlsx)")
        dialog = QFileDialog(self._window, title)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(name_filter)
        dialog.setDefaultSuffix(suffix)
        dialog.fileSelected.connect(lambda path: save(export_path(Path(path), suffix)))
        self._file_dialog = dialog
        dialog.open()

    def export_to(self, path: Path) -> None:
        """Save the report shown as PDF or xlsx, by the file's suffix."""
        report = self.report
        if report is None:
            self.status_label.setText(self.tr("Show a report first."))
            return
        if not self._has_export_suffix(path):
            return

        def render() -> bytes:
            if path.suffix.lower() == ".pdf":
                return render_daily_report(report)
            return daily_report_xlsx(report)

        self._save(path, render)

    def export_retention_to(self, path: Path) -> None:
        office = self.office_combo.currentData()
        if not office:
            self.status_label.setText(self.tr("Choose an office first."))
            return
        if not self._has_export_suffix(path):
            return
        on = to_date(self.retention_date_edit.date())

        def render() -> bytes:
            report = self._service.retention(self._session, office, on)
            if path.suffix.lower() == ".pdf":
                return render_retention_report(report)
            return retention_report_xlsx(report)

        self._save(path, render)

    def _has_export_suffix(self, path: Path) -> bool:
        """Tell whether ``path`` names a format; otherwise show the reason in the status line."""
        if path.suffix.lower() in EXPORT_SUFFIXES:
            return True
        message = self.tr(
            "The file name {name} must end in .pdf or .xlsx. The ending chooses the format."
        )
        self.status_label.setText(message.format(name=path.name))
        return False

    def _save(self, path: Path, render: Callable[[], bytes]) -> None:
        def work() -> str:
            content = render()
            try:
                path.write_bytes(content)
            except OSError as error:
                raise ReportSaveError(path, error) from error
            return str(path)

        def done(saved: str) -> None:
            self.status_label.setText(self.tr("Saved {path}.").format(path=saved))
            self.saved.emit(saved)

        self._tasks.run(work, done, self._failed)

    def print_report(self) -> None:
        """Print the report shown as PDF on the configured printer."""
        report = self.report
        if report is None:
            self.status_label.setText(self.tr("Show a report first."))
            return

        def work() -> PrintResult:
            pdf = render_daily_report(report)
            printer = self._printer_factory()
            title = f"report-{report.office_code}-{report.day.isoformat()}"
            return printer.print_pdf(pdf, title=title, timeout=PRINT_TIMEOUT_SECONDS)

        def done(result: PrintResult) -> None:
            self.status_label.setText(
                self.tr("Printed on {printer} as job {job}.").format(
                    printer=result.printer, job=result.job_id
                )
            )
            self.printed.emit(result)

        self.status_label.setText(self.tr("Printing…"))
        self._tasks.run(work, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ReportSaveError):
            text = self.tr(
                "The report could not be saved to {path}: {error}. Choose a folder you may "
                "write to."
            ).format(path=str(error.path), error=str(error.reason))
        else:
            text = error_text(error)
        self.status_label.setText(text)
        self.failed.emit(text)


class ReportSaveError(Exception):
    """Writing an exported report failed; ``reason`` describes the system error."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(f"{path}: {error}")
        self.path = path
        # Rendered with str() on the GUI thread, in the installed language.
        self.reason = describe_os_error(error)
