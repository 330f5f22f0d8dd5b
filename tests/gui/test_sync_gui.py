"""Session ▸ Synchronize now in the real window, against `fpcert-server serve` on 127.0.0.1.

The window works on a copy of the demo database, so the other GUI tests keep theirs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import keyring
import pytest
import requests
from keyring.backends import fail
from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import QMessageBox

from fpcert_desktop.demo import DemoSetup
from fpcert_desktop.domain.clock import china_date, utc_now
from fpcert_desktop.domain.history import OriginalDocument
from fpcert_desktop.ekey.module import find_pkcs11_module
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.services.issuing import PrintOutcome
from fpcert_desktop.services.setup import open_services
from fpcert_desktop.services.sync_service import SyncStep, SyncSummary, format_china_time
from fpcert_desktop.storage.repositories import OutboxRepository, UserRepository
from fpcert_desktop.sync import credentials
from fpcert_desktop.sync import errors as sync_errors
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.protocol import PUSH_KINDS
from tests.gui.test_counter_path import APPLICANT, log_in, search_and_open
from tests.server_process import running_server, server_command

pytestmark = [pytest.mark.gui, pytest.mark.softhsm, pytest.mark.cups]

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]
STREET = "440304004"  # the demo clerks' street; the demo applicants live here
PURPOSE = "child_medical_insurance"
SYNC_TIMEOUT_MS = 120_000
CLERK_KINDS = tuple(kind for kind in PUSH_KINDS if kind != "audit_events")


def _copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database in WAL mode, including the pages still in the WAL file."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)


@pytest.fixture
def server_db(tmp_path: Path, demo_setup: DemoSetup) -> Path:
    """Make a server database with 300 people and the demo clerks, in local user-id order.

    The server numbers its users from 1, so adding them in the local order gives each
    clerk the same user id on both sides, as a workstation set up from the server has.
    """
    db = tmp_path / "server.sqlite3"
    server_command("init", "--people", "300", db=db)
    services = open_services(demo_setup.settings)
    with services.context.database.session() as session:
        users = UserRepository(session)
        local = [(users.by_fingerprint(clerk.fingerprint), clerk) for clerk in demo_setup.clerks]
    services.context.database.dispose()
    for user, clerk in sorted(local, key=lambda pair: pair[0].user_id if pair[0] else 0):
        assert user is not None
        output = server_command(
            "add-user",
            "--name",
            clerk.name,
            "--role",
            clerk.role.value,
            "--office",
            clerk.office_code,
            "--fingerprint",
            clerk.fingerprint,
            db=db,
        )
        assert output.strip() == f"Added user {user.user_id}"
    return db


@pytest.fixture
def server(tmp_path: Path, server_db: Path) -> Iterator[str]:
    """Run `fpcert-server serve` on a free port of 127.0.0.1 and return its base URL."""
    with running_server(server_db, tmp_path / "serve.log") as base:
        yield base


@pytest.fixture
def enrolled(
    server: str, server_db: Path, demo_setup: DemoSetup, tmp_path: Path, monkeypatch
) -> Iterator[str]:  # noqa: ANN001
    """Enrol the workstation for the street and keep its secret in a private test file."""
    monkeypatch.setenv(credentials.CONFIG_DIR_ENV, str(tmp_path / "config"))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    code = (
        server_command("enrolment-code", "--office", STREET, db=server_db).strip().splitlines()[-1]
    )
    workstation = demo_setup.settings.workstation_code
    enrolment = SyncClient(server, workstation_credentials=None).enrol(STREET, workstation, code)
    store = credentials.save_credentials(enrolment)
    assert store.kind == "file"
    yield server
    keyring.set_keyring(previous)


@pytest.fixture
def synced_app(qtbot, demo_setup: DemoSetup, enrolled: str, tmp_path: Path) -> Iterator[CounterApp]:  # noqa: ANN001
    """The application with server_url set, on a copy of the demo database."""
    QCoreApplication.setOrganizationName("fpcert-tests")
    QCoreApplication.setApplicationName(f"fpcert-desktop-{tmp_path.name}")
    database = tmp_path / "counter.sqlite3"
    _copy_database(Path(demo_setup.settings.database_path), database)
    settings = demo_setup.settings.with_values(database_path=str(database), server_url=enrolled)
    services = open_services(settings)
    worker = EKeyWorker(find_pkcs11_module(settings.pkcs11_module))
    worker.start().result(timeout=30)
    app = CounterApp(settings, services, worker)
    app.start()
    yield app
    app.log_out()
    app.login.close()
    qtbot.waitUntil(lambda: not app.tasks.busy, timeout=30_000)
    app.tasks.shutdown()
    worker.stop()
    services.context.database.dispose()


def _synchronize(qtbot, main: MainWindowController) -> object:  # noqa: ANN001
    """Press Ctrl+Shift+S and return what the sync finished with."""
    with qtbot.waitSignal(main.sync.finished, timeout=SYNC_TIMEOUT_MS) as finished:
        qtbot.keyClick(
            main.window,
            Qt.Key.Key_S,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    return finished.args[0]


def _close_result(qtbot, main: MainWindowController) -> None:  # noqa: ANN001
    """Press Enter on the result message, as the clerk does before going on."""
    box = main.window.findChild(QMessageBox, "syncResultBox")
    assert box is not None
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5_000)


def _window_busy(main: MainWindowController) -> bool:
    return main.sync.running or main._tasks.busy or main._refresh_timer.isActive()


def _toggle(qtbot, main: MainWindowController, widget) -> None:  # noqa: ANN001
    with qtbot.waitSignal(main.decision_updated, timeout=15_000):
        widget.setChecked(not widget.isChecked())


def _print(qtbot, main: MainWindowController) -> PrintOutcome:  # noqa: ANN001
    """Print the applicant's certificate, recording what the counter rules ask for.

    Earlier GUI tests may have printed for the same applicant in the demo database, and
    then a check certificate (查环查孕证明) is needed as well.
    """
    search_and_open(qtbot, main, APPLICANT.id_number)
    main.purpose_combo.setCurrentIndex(main.purpose_combo.findData(PURPOSE))
    # Let the decision of the opened record arrive first, so each tick waits for its own.
    qtbot.waitUntil(lambda: not _window_busy(main), timeout=15_000)
    counter = main.counter
    _toggle(qtbot, main, counter.document_checks[OriginalDocument.ID_CARD])
    _toggle(qtbot, main, counter.signed_check)
    decision = main.current_decision()
    assert decision is not None
    if any(requirement.code == "check_certificate" for requirement in decision.requirements):
        recent = china_date(utc_now()) - timedelta(days=10)
        counter.institution_combo.setCurrentIndex(1)
        counter.number_edit.setText("CK-2026-SYNC")
        with qtbot.waitSignal(main.decision_updated, timeout=15_000):
            counter.date_edit.setDate(QDate(recent.year, recent.month, recent.day))
    decision = main.current_decision()
    assert decision is not None
    assert decision.ready, main.decision_label.text()

    with qtbot.waitSignal(main.print_finished, timeout=120_000) as printed:
        qtbot.keyClick(main.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    outcome = printed.args[0]
    assert isinstance(outcome, PrintOutcome), main.decision_label.text()
    return outcome


def test_synchronize_now_pulls_and_pushes(qtbot, synced_app: CounterApp, enrolled: str) -> None:  # noqa: ANN001
    with qtbot.waitSignal(synced_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, synced_app, "fpcert-community")
    main: MainWindowController = shown.args[0]
    steps: list[SyncStep] = []
    labels: list[str] = []
    main.sync.progress.connect(steps.append)
    main.sync.progress.connect(
        lambda _step: labels.append(
            main.sync._dialog.labelText() if main.sync._dialog is not None else ""
        )
    )

    first = _synchronize(qtbot, main)
    assert isinstance(first, SyncSummary), main.sync.result_text
    assert any(step.phase == "pull" and step.pages >= 1 for step in steps)
    # The window speaks Chinese by default: 页 is "pages" in the progress text.
    assert any("页" in label or "pages" in label for label in labels), labels
    as_of = first.as_of["people"]
    assert as_of is not None
    assert format_china_time(as_of) in main.sync.as_of_label.text()
    assert str(first.messages()[0]) in main.sync.result_text
    _close_result(qtbot, main)

    outcome = _print(qtbot, main)
    assert outcome.printed
    number = str(outcome.issuance.number)
    assert format_china_time(as_of) in main.person_browser.toPlainText()

    steps.clear()
    second = _synchronize(qtbot, main)
    assert isinstance(second, SyncSummary), main.sync.result_text
    assert second.push.rejections == []
    assert any(step.phase == "push" and step.name == "issuances" for step in steps)

    verified = requests.get(f"{enrolled}/v1/verify/{number}", timeout=10).json()
    assert verified["status"] == "valid"
    assert verified["purpose_code"] == PURPOSE
    user_id = main.session.user.user_id
    with synced_app.services.context.database.session() as db:
        outbox = OutboxRepository(db)
        mine = {kind: outbox.pending(kind, user_id=user_id) for kind in CLERK_KINDS}
        rejected = outbox.rejected()
        audit_pending = outbox.count_pending("audit_events")
    assert mine == {kind: [] for kind in CLERK_KINDS}
    assert rejected == []
    # The sync's own audit event is written after the push, so it waits for the next run.
    assert audit_pending == 1


def test_synchronize_without_server(qtbot, counter_app: CounterApp) -> None:  # noqa: ANN001
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-community")
    main: MainWindowController = shown.args[0]

    result = _synchronize(qtbot, main)

    assert result is None
    assert main.sync.result_text == str(sync_errors.NO_SERVER.format())
    assert main.sync.as_of_label.text() == main.sync.tr("No central server")
    _close_result(qtbot, main)
    search_and_open(qtbot, main, APPLICANT.id_number)
