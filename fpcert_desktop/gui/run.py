"""Start the Qt application over the services and the e-key worker."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from fpcert_desktop import __version__
from fpcert_desktop.config import Settings
from fpcert_desktop.ekey.module import find_pkcs11_module
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.gui.app import CounterApp, show_fatal
from fpcert_desktop.gui.language import install_language
from fpcert_desktop.gui.qt_printer import QtPrinter
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.locations import resource_path
from fpcert_desktop.printing.printer import Printer
from fpcert_desktop.services.context import ServiceError
from fpcert_desktop.services.setup import open_services

log = logging.getLogger(__name__)

_START_FAILED = QT_TRANSLATE_NOOP(
    "RunApp",
    "The program could not start because of an unexpected error ({kind}). Run "
    "fpcert-desktop doctor to check the settings, the e-key driver and the database. If "
    "it finds nothing, send the log file to IT.",
)


def make_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("fpcert")
    QCoreApplication.setApplicationName("fpcert-desktop")
    QCoreApplication.setApplicationVersion(__version__)
    icon = resource_path("icons", "fpcert.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def install_console_language(language: str) -> QCoreApplication:
    """Translate command-line messages without a window."""
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    install_language(language)
    return app


def _printer_factory(settings: Settings) -> Callable[[], Printer] | None:
    """Use CUPS on Linux (the services' default) and Qt print support elsewhere."""
    if sys.platform.startswith("linux"):
        return None
    return lambda: QtPrinter(settings.printer)


def run_app(settings: Settings, *, on_started: Callable[[CounterApp], None] | None = None) -> int:
    """Open the counter app and run until it quits; returns the process exit code."""
    app = make_application()
    install_language(settings.language)
    try:
        module = find_pkcs11_module(settings.pkcs11_module or None)
        services = open_services(settings, printer_factory=_printer_factory(settings))
    except Exception as error:  # noqa: BLE001 - shown to the user, then the program ends
        if not isinstance(getattr(error, "message", None), Message):
            # The traceback goes to the log file only; the console and the dialog get the text.
            log.info("start failed", exc_info=error)
            error = ServiceError(
                _START_FAILED.format(kind=type(error).__name__), code="start_failed"
            )
        show_fatal(error)
        return 3

    worker = EKeyWorker(module)
    worker.start()
    counter = CounterApp(settings, services, worker)
    counter.start()
    if on_started is not None:
        on_started(counter)
    try:
        code = app.exec()
    finally:
        worker.stop()
        log.info("fpcert-desktop stopped")
    return code
