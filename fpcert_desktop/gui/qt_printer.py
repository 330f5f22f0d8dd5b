"""Printing through Qt print support, for systems without CUPS (Windows).

Each PDF page is rendered by PDFium at the printer's resolution and painted on the full
page at 100 % scale, with no margins and no dialog. Qt reports only that the spooler
accepted the job, not that paper came out, so ``completed_at`` is the spooling time.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pypdfium2
from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.printing.errors import PrinterNotFound, PrintFailed
from fpcert_desktop.printing.printer import PrintResult

log = logging.getLogger(__name__)

_NOT_FOUND = QT_TRANSLATE_NOOP(
    "QtPrinter",
    "The printer {printer} was not found. Installed printers: {available}. Correct the "
    "printer setting, then print again.",
)
_FAILED = QT_TRANSLATE_NOOP(
    "QtPrinter",
    "The printer {printer} did not accept the job. Check that it is switched on and has "
    "paper, then print again.",
)
_MAX_DPI = 600


class QtPrinter:
    """A :class:`~fpcert_desktop.printing.printer.Printer` over ``QPrinter``.

    ``output_file`` prints to a PDF file instead of a device; the tests use it.
    """

    def __init__(self, name: str, *, output_file: str | None = None) -> None:
        self._name = name
        self._output_file = output_file

    @property
    def name(self) -> str:
        return self._name or QPrinterInfo.defaultPrinterName()

    def print_pdf(self, pdf: bytes, *, title: str, timeout: float = 60.0) -> PrintResult:
        printer = self._make_printer(title)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed(_FAILED.format(printer=self.name))
        try:
            self._paint_pages(painter, printer, pdf)
        finally:
            finished = painter.end()
        if not finished:
            raise PrintFailed(_FAILED.format(printer=self.name))
        log.info("certificate %s spooled to %s", title, self.name)
        return PrintResult(
            job_id=f"qt-{title}", printer=self.name, completed_at=datetime.now(timezone.utc)
        )

    def _make_printer(self, title: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self._output_file is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(self._output_file)
        else:
            info = (
                QPrinterInfo.printerInfo(self._name)
                if self._name
                else QPrinterInfo.defaultPrinter()
            )
            if info.isNull():
                available = ", ".join(QPrinterInfo.availablePrinterNames()) or "—"
                raise PrinterNotFound(_NOT_FOUND.format(printer=self._name, available=available))
            printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setFullPage(True)
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        return printer

    def _paint_pages(self, painter: QPainter, printer: QPrinter, pdf: bytes) -> None:
        document = pypdfium2.PdfDocument(pdf)
        dpi = min(printer.resolution(), _MAX_DPI)
        try:
            for index in range(len(document)):
                if index > 0:
                    printer.newPage()
                image = document[index].render(scale=dpi / 72).to_pil().convert("RGB")
                data = image.tobytes("raw", "RGB")
                qimage = QImage(
                    data, image.width, image.height, image.width * 3, QImage.Format.Format_RGB888
                )
                page = printer.pageLayout().fullRectPixels(printer.resolution())
                painter.drawImage(QRectF(page), qimage)
        finally:
            document.close()
