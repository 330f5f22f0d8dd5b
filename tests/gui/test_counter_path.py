"""The clerk's whole path through the real windows, driven by the keyboard only.

E-key login on SoftHSM2, search by ID number, purpose, preview, print on the cups-pdf
queue, today's list, and the lock when the key is pulled out.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from fpcert_desktop.demo import DEMO_PIN, DemoSetup
from fpcert_desktop.domain.history import OriginalDocument
from fpcert_desktop.domain.issuance import IssuanceStatus
from fpcert_desktop.ekey.softhsm import SoftHsmEnvironment
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.printing import cups_admin
from fpcert_desktop.services.issuing import PrintOutcome
from fpcert_desktop.storage.repositories import AuditLog
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE

pytestmark = [pytest.mark.gui, pytest.mark.softhsm, pytest.mark.cups]

CHINESE = re.compile(r"[\u4e00-\u9fff]")
APPLICANT = DEMO_PEOPLE[0]  # 李秀英, one child


def clerk_serial(setup: DemoSetup, label: str) -> str:
    return next(clerk.serial for clerk in setup.clerks if clerk.label == label)


def log_in(qtbot, app: CounterApp, label: str, pin: str = DEMO_PIN) -> str:  # noqa: ANN001
    """Choose the key by label, type the PIN and press Enter; returns the text shown before."""
    login = app.login
    qtbot.waitUntil(lambda: login.key_combo.count() >= 4, timeout=15_000)
    shown_before = login.message_label.text()
    index = next(
        i
        for i in range(login.key_combo.count())
        if login.key_combo.itemText(i).startswith(f"{label} (")
    )
    login.key_combo.setCurrentIndex(index)
    login.pin_edit.setFocus()
    qtbot.keyClicks(login.pin_edit, pin)
    qtbot.keyClick(login.pin_edit, Qt.Key.Key_Return)
    return shown_before


def search_and_open(qtbot, main: MainWindowController, text: str) -> None:  # noqa: ANN001
    qtbot.keyClick(main.window, Qt.Key.Key_F2)
    qtbot.keyClicks(main.search_edit, text)
    with qtbot.waitSignal(main.person_opened, timeout=15_000):
        qtbot.keyClick(main.search_edit, Qt.Key.Key_Return)


def confirm_originals(qtbot, main: MainWindowController) -> None:  # noqa: ANN001
    """Tick the ID card copy and the signature with the space bar, as a clerk would."""
    for check in (
        main.counter.document_checks[OriginalDocument.ID_CARD],
        main.counter.signed_check,
    ):
        check.setFocus()
        qtbot.keyClick(check, Qt.Key.Key_Space)
        assert check.isChecked()

    # Decisions return in the order they were requested, so the last one reflects both
    # ticks. An earlier one, from opening the record, may arrive in between.
    def ready() -> bool:
        decision = main.current_decision()
        return decision is not None and decision.ready

    qtbot.waitUntil(ready, timeout=15_000)


def test_login_query_print_by_keyboard(
    qtbot, counter_app: CounterApp, demo_setup: DemoSetup
) -> None:  # noqa: ANN001
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-community")
    main: MainWindowController = shown.args[0]
    assert "王小红" in main.window.statusBar().currentMessage()

    search_and_open(qtbot, main, APPLICANT.id_number)
    assert APPLICANT.name in main.person_browser.toPlainText()

    index = main.purpose_combo.findData("child_medical_insurance")
    main.purpose_combo.setCurrentIndex(index)
    decision = main.current_decision()
    assert decision is not None and decision.allowed
    confirm_originals(qtbot, main)
    assert main.print_button.isEnabled()

    with qtbot.waitSignal(main.preview_finished, timeout=30_000):
        qtbot.keyClick(main.window, Qt.Key.Key_F5)
    assert not main.preview_label.pixmap().isNull()

    submitted_at = time.time()
    with qtbot.waitSignal(main.print_finished, timeout=120_000) as printed:
        qtbot.keyClick(main.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    outcome = printed.args[0]
    assert isinstance(outcome, PrintOutcome), main.decision_label.text()
    assert outcome.printed
    assert outcome.issuance.status is IssuanceStatus.PRINTED
    number = str(outcome.issuance.number)
    assert number.startswith(f"{main.session.office.code}-01-")

    assert demo_setup.pdf_dir is not None
    output = cups_admin.find_cups_pdf_output(
        outcome.issuance.print_job or "", demo_setup.pdf_dir, after=submitted_at - 1
    )
    assert output is not None
    page = PdfReader(output).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    # cups-pdf rebuilds the PDF through PostScript, which keeps only ASCII extractable:
    # the printed file carries the number and ID digits, the submitted one the name too.
    printed_text = page.extract_text()
    assert number in printed_text
    assert APPLICANT.id_number in printed_text
    submitted_text = PdfReader(io.BytesIO(outcome.pdf)).pages[0].extract_text()
    assert APPLICANT.name in submitted_text

    qtbot.waitUntil(lambda: main.today.rowCount() >= 1, timeout=15_000)
    numbers = [str(main.today.row(i).issuance.number) for i in range(main.today.rowCount())]
    assert number in numbers

    with counter_app.services.context.database.session() as db:
        events = [event.event for event in AuditLog(db).recent(50)]
    for expected in ("login", "query", "view", "issue", "print"):
        assert expected in events


def test_refused_purpose_blocks_print(qtbot, counter_app: CounterApp) -> None:  # noqa: ANN001
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-community")
    main: MainWindowController = shown.args[0]
    search_and_open(qtbot, main, APPLICANT.id_number)

    main.purpose_combo.setCurrentIndex(main.purpose_combo.findData("birth_hukou_registration"))
    decision = main.current_decision()
    assert decision is not None and not decision.allowed
    assert not main.print_button.isEnabled()
    assert CHINESE.search(main.decision_label.text())

    qtbot.keyClick(main.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(300)
    assert main.today.rowCount() == 0 or all(
        main.today.row(i).purpose_name != decision.purpose.name
        for i in range(main.today.rowCount())
    )


def test_wrong_pin_message_in_chinese(qtbot, counter_app: CounterApp) -> None:  # noqa: ANN001
    shown_before = log_in(qtbot, counter_app, "fpcert-street", pin="000000")
    login = counter_app.login
    qtbot.waitUntil(
        lambda: login.login_button.isEnabled() and login.message_label.text() != shown_before,
        timeout=15_000,
    )
    label = login.message_label
    assert CHINESE.search(label.text()), label.text()
    assert counter_app.main is None


def test_pulled_key_locks_and_same_key_unlocks(
    qtbot,
    counter_app: CounterApp,
    demo_setup: DemoSetup,  # noqa: ANN001
) -> None:
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-district")
    main: MainWindowController = shown.args[0]
    softhsm = SoftHsmEnvironment(demo_setup.directory / "softhsm")
    serial = clerk_serial(demo_setup, "fpcert-district")
    backup = softhsm.backup_token_dir(serial)

    pulled_at = time.monotonic()
    with qtbot.waitSignal(counter_app.locked, timeout=5_000) as locked:
        softhsm.delete_token(serial)
    assert time.monotonic() - pulled_at < 2.0
    assert locked.args == ["key_removed"]
    assert not main.window.centralWidget().isVisible()
    lock = counter_app.lock
    assert lock is not None and not lock.pin_edit.isEnabled()

    softhsm.restore_token_dir(backup)
    qtbot.waitUntil(lock.pin_edit.isEnabled, timeout=15_000)
    qtbot.keyClicks(lock.pin_edit, DEMO_PIN)
    with qtbot.waitSignal(lock.unlocked, timeout=30_000):
        qtbot.keyClick(lock.pin_edit, Qt.Key.Key_Return)
    assert main.window.centralWidget().isVisible()
