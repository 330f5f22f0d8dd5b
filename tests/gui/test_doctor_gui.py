"""The diagnostics dialog: lines with status colours, test page, bundle, and where it opens."""

from __future__ import annotations

import errno
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMenu

from fpcert_desktop.config import Settings
from fpcert_desktop.demo import DemoSetup
from fpcert_desktop.doctor import CHECKS, DoctorContext, Status
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.doctor_view import STATUS_COLOURS, STATUS_ROLE, DoctorController
from fpcert_desktop.oserrors import describe_os_error
from fpcert_desktop.printing import cups_admin
from fpcert_desktop.storage.db import Database
from tests.gui.test_counter_path import log_in

pytestmark = [pytest.mark.gui]

WAIT_MS = 120_000


@pytest.fixture
def doctor(qtbot, tmp_path: Path) -> Iterator[DoctorController]:  # noqa: ANN001
    """A dialog over a fresh database and the cups-pdf queue, without an e-key module."""
    database = Database(tmp_path / "client.sqlite3")
    database.upgrade()
    database.dispose()
    settings = Settings(
        printer="fpcert-pdf",
        database_path=str(database.path),
        pkcs11_module=str(tmp_path / "missing_pkcs11.so"),
    )
    controller = DoctorController(lambda: DoctorContext(tmp_path / "config.toml", settings))
    qtbot.addWidget(controller.dialog)
    yield controller
    qtbot.waitUntil(lambda: not controller.tasks.busy, timeout=WAIT_MS)
    controller.tasks.shutdown()


def test_dialog_lists_each_check(qtbot, doctor: DoctorController) -> None:  # noqa: ANN001
    with qtbot.waitSignal(doctor.finished, timeout=WAIT_MS) as finished:
        doctor.show()

    results = finished.args[0]
    assert doctor.result_list.count() == len(CHECKS)
    for row, result in enumerate(results):
        item = doctor.result_list.item(row)
        assert item.text() == result.line()
        assert item.data(STATUS_ROLE) is result.status
        assert item.foreground().color() == STATUS_COLOURS[result.status]
        assert not item.icon().isNull()
    statuses = {result.check: result.status for result in results}
    assert statuses["ekey"] is Status.FAILURE
    assert statuses["database"] is Status.OK
    assert doctor.rerun_button.isEnabled()
    assert "1" in doctor.summary_label.text()


def test_check_again_replaces_lines(qtbot, doctor: DoctorController) -> None:  # noqa: ANN001
    with qtbot.waitSignal(doctor.finished, timeout=WAIT_MS):
        doctor.show()
    with qtbot.waitSignal(doctor.finished, timeout=WAIT_MS):
        qtbot.mouseClick(doctor.rerun_button, Qt.MouseButton.LeftButton)

    assert doctor.result_list.count() == len(CHECKS)


def test_dialog_prints_test_page(qtbot, doctor: DoctorController) -> None:  # noqa: ANN001
    if not cups_admin.is_cupsd_running():
        pytest.skip("cupsd is not running")
    cups_admin.ensure_cups_pdf_queue("fpcert-pdf")
    with qtbot.waitSignal(doctor.finished, timeout=WAIT_MS):
        doctor.show()

    with qtbot.waitSignal(doctor.test_page_done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(doctor.print_button, Qt.MouseButton.LeftButton)

    result = done.args[0]
    assert result.status is Status.OK, result.message.english
    last = doctor.result_list.item(doctor.result_list.count() - 1)
    assert last.data(STATUS_ROLE) is Status.OK
    assert result.details["job_id"] in last.text()


def test_dialog_saves_bundle(
    qtbot,  # noqa: ANN001
    doctor: DoctorController,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "support.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    with qtbot.waitSignal(doctor.finished, timeout=WAIT_MS):
        doctor.show()

    with qtbot.waitSignal(doctor.bundle_saved, timeout=WAIT_MS):
        qtbot.mouseClick(doctor.bundle_button, Qt.MouseButton.LeftButton)

    with zipfile.ZipFile(target) as bundle:
        names = bundle.namelist()
    assert "doctor.json" in names
    assert str(target) in doctor.summary_label.text()


def test_dialog_bundle_name_gets_zip(
    qtbot,  # noqa: ANN001
    doctor: DoctorController,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed = tmp_path / "support"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(typed), ""))
    with qtbot.waitSignal(doctor.finished, timeout=WAIT_MS):
        doctor.show()

    with qtbot.waitSignal(doctor.bundle_saved, timeout=WAIT_MS):
        qtbot.mouseClick(doctor.bundle_button, Qt.MouseButton.LeftButton)

    assert not typed.exists()
    assert zipfile.is_zipfile(tmp_path / "support.zip")


def test_bundle_to_missing_folder_reported(
    qtbot,  # noqa: ANN001
    doctor: DoctorController,
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    with qtbot.waitSignal(doctor.finished, timeout=WAIT_MS):
        doctor.show()

    doctor.save_bundle_to(blocker / "support.zip")

    qtbot.waitUntil(lambda: doctor.bundle_button.isEnabled(), timeout=WAIT_MS)
    assert str(blocker) in doctor.summary_label.text()
    # Rendered in whatever language the earlier GUI tests left installed.
    reason = str(describe_os_error(NotADirectoryError(errno.ENOTDIR, "Not a directory")))
    assert reason in doctor.summary_label.text()
    assert "Errno" not in doctor.summary_label.text()


def _finished(app: CounterApp) -> bool:
    doctor = app.doctor
    return doctor is not None and not doctor.tasks.busy and len(doctor.results) == len(CHECKS)


@pytest.fixture
def demo_config(demo_setup: DemoSetup, monkeypatch: pytest.MonkeyPatch) -> DemoSetup:
    monkeypatch.setenv("FPCERT_CONFIG", str(demo_setup.config_path))
    return demo_setup


def test_login_dialog_opens_diagnostics(
    qtbot,  # noqa: ANN001
    demo_config: DemoSetup,
    counter_app: CounterApp,
) -> None:
    button = counter_app.login.dialog.findChild(
        type(counter_app.login.login_button), "diagnoseButton"
    )
    assert button is not None

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: _finished(counter_app), timeout=WAIT_MS)
    doctor = counter_app.doctor
    assert doctor is not None
    assert doctor.dialog.isVisible()
    statuses = {result.check: result for result in doctor.results}
    # The keys are listed through the application's own e-key worker.
    assert statuses["ekey"].status is Status.OK, statuses["ekey"].message.english
    for clerk in demo_config.clerks:
        assert clerk.serial in statuses["ekey"].message.english
    assert statuses["config"].details["path"] == str(demo_config.config_path)
    qtbot.waitUntil(lambda: not doctor.tasks.busy, timeout=WAIT_MS)
    doctor.close()


def test_help_menu_opens_diagnostics(
    qtbot,  # noqa: ANN001
    demo_config: DemoSetup,
    counter_app: CounterApp,
) -> None:
    label = demo_config.clerks[0].label
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000):
        log_in(qtbot, counter_app, label)
    main = counter_app.main
    assert main is not None
    help_menu = main.window.findChild(QMenu, "helpMenu")
    assert help_menu is not None
    action = next(
        action for action in help_menu.actions() if action.objectName() == "diagnoseAction"
    )

    action.trigger()

    qtbot.waitUntil(lambda: _finished(counter_app), timeout=WAIT_MS)
    doctor = counter_app.doctor
    assert doctor is not None
    assert doctor.dialog.isVisible()
    qtbot.waitUntil(lambda: not doctor.tasks.busy, timeout=WAIT_MS)
    doctor.close()
