"""Leaving the application: each way out writes exactly one logout audit event."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

from fpcert_desktop.demo import DemoSetup
from fpcert_desktop.ekey.module import find_pkcs11_module
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.services.setup import open_services
from fpcert_desktop.storage.repositories import AuditLog
from tests.gui.test_counter_path import log_in

pytestmark = [pytest.mark.gui, pytest.mark.softhsm]


@pytest.fixture
def exiting_app(demo_setup: DemoSetup, tmp_path: Path) -> Iterator[CounterApp]:
    """The application as the ``counter_app`` fixture builds it, for tests that quit it.

    A quit shuts the task runner down, so the teardown only quits again and stops the
    e-key worker.
    """
    QCoreApplication.setOrganizationName("fpcert-tests")
    QCoreApplication.setApplicationName(f"fpcert-desktop-{tmp_path.name}")
    services = open_services(demo_setup.settings)
    worker = EKeyWorker(find_pkcs11_module(demo_setup.settings.pkcs11_module))
    worker.start().result(timeout=30)
    app = CounterApp(demo_setup.settings, services, worker)
    app.start()
    yield app
    app.quit()
    app.login.close()
    worker.stop()


def logout_events(app: CounterApp) -> int:
    with app.services.context.database.session() as db:
        return sum(1 for event in AuditLog(db).recent(1000) if event.event == "logout")


def log_in_main(qtbot, app: CounterApp) -> MainWindowController:  # noqa: ANN001
    with qtbot.waitSignal(app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, app, "fpcert-street")
    # A quit cancels the tasks still queued, so the tests quit once the window has loaded.
    qtbot.waitUntil(lambda: not app.tasks.busy, timeout=30_000)
    return shown.args[0]


def test_quit_action_writes_one_logout(qtbot, exiting_app: CounterApp) -> None:  # noqa: ANN001
    main = log_in_main(qtbot, exiting_app)
    before = logout_events(exiting_app)

    main.window.findChild(QAction, "quitAction").trigger()
    # In a running event loop QApplication.quit() then closes every window (Qt 6), and
    # closing the main window emits quit_requested once more.
    main.window.close()

    assert logout_events(exiting_app) - before == 1
    assert exiting_app.session is None


def test_window_close_writes_one_logout(qtbot, exiting_app: CounterApp) -> None:  # noqa: ANN001
    main = log_in_main(qtbot, exiting_app)
    before = logout_events(exiting_app)

    main.window.close()

    assert logout_events(exiting_app) - before == 1


def test_logout_then_exit_writes_one_logout(qtbot, exiting_app: CounterApp) -> None:  # noqa: ANN001
    main = log_in_main(qtbot, exiting_app)
    before = logout_events(exiting_app)

    main.window.findChild(QAction, "logoutAction").trigger()
    qtbot.waitUntil(lambda: not exiting_app.tasks.busy, timeout=30_000)
    exiting_app.login.dialog.reject()

    assert logout_events(exiting_app) - before == 1
