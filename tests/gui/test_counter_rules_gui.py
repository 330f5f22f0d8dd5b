"""A refused and then allowed print in the real window: originals, then the re-issue rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, Qt

from fpcert_desktop.domain.clock import china_date, utc_now
from fpcert_desktop.domain.history import OriginalDocument
from fpcert_desktop.domain.policy import add_months
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.services.issuing import PrintOutcome
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from tests.gui.test_counter_path import log_in, search_and_open

pytestmark = [pytest.mark.gui, pytest.mark.softhsm, pytest.mark.cups]

APPLICANT = next(person for person in DEMO_PEOPLE if person.name == "欧阳晓燕")  # one child
PURPOSE = "child_medical_insurance"


def choose_purpose(qtbot, main: MainWindowController) -> None:  # noqa: ANN001
    with qtbot.waitSignal(main.decision_updated, timeout=15_000):
        main.purpose_combo.setCurrentIndex(main.purpose_combo.findData(PURPOSE))


def toggle(qtbot, main: MainWindowController, widget) -> None:  # noqa: ANN001
    with qtbot.waitSignal(main.decision_updated, timeout=15_000):
        widget.setChecked(not widget.isChecked())


def print_now(qtbot, main: MainWindowController) -> PrintOutcome:  # noqa: ANN001
    with qtbot.waitSignal(main.print_finished, timeout=120_000) as printed:
        qtbot.keyClick(main.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    outcome = printed.args[0]
    assert isinstance(outcome, PrintOutcome), main.decision_label.text()
    return outcome


def requirement_codes(main: MainWindowController) -> set[str]:
    decision = main.current_decision()
    assert decision is not None
    return {requirement.code for requirement in decision.requirements}


def test_refused_then_allowed_prints(qtbot, counter_app: CounterApp) -> None:  # noqa: ANN001
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-community")
    main: MainWindowController = shown.args[0]
    counter = main.counter

    # First certificate: printing waits for the copies checked against the originals.
    search_and_open(qtbot, main, APPLICANT.id_number)
    choose_purpose(qtbot, main)
    assert requirement_codes(main) == {"originals"}
    assert not main.print_button.isEnabled()
    qtbot.keyClick(main.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(200)
    assert main.today.rowCount() == 0 or all(
        main.today.row(i).applicant_name != APPLICANT.name for i in range(main.today.rowCount())
    )
    toggle(qtbot, main, counter.document_checks[OriginalDocument.ID_CARD])
    assert requirement_codes(main) == {"originals"}
    toggle(qtbot, main, counter.signed_check)
    assert requirement_codes(main) == set()
    first = print_now(qtbot, main)
    assert first.printed

    # Second certificate the same day: inside the 6-month window a check certificate
    # (查环查孕证明) from the last 3 months is needed.
    search_and_open(qtbot, main, APPLICANT.id_number)
    choose_purpose(qtbot, main)
    assert not counter.check_group.isHidden()
    assert "check_certificate" in requirement_codes(main)
    toggle(qtbot, main, counter.document_checks[OriginalDocument.ID_CARD])
    toggle(qtbot, main, counter.signed_check)
    assert requirement_codes(main) == {"check_certificate"}
    assert not main.print_button.isEnabled()

    today = china_date(utc_now())
    too_old = add_months(today, -3) - timedelta(days=1)
    counter.institution_combo.setCurrentIndex(1)
    counter.number_edit.setText("CK-2026-001")
    with qtbot.waitSignal(main.decision_updated, timeout=15_000):
        counter.date_edit.setDate(QDate(too_old.year, too_old.month, too_old.day))
    assert requirement_codes(main) == {"check_certificate"}
    assert too_old.isoformat() in main.decision_label.text() or str(too_old.day) in (
        main.decision_label.text()
    )

    recent = today - timedelta(days=10)
    with qtbot.waitSignal(main.decision_updated, timeout=15_000):
        counter.date_edit.setDate(QDate(recent.year, recent.month, recent.day))
    assert requirement_codes(main) == set(), main.decision_label.text()
    second = print_now(qtbot, main)
    assert second.printed
    assert second.issuance.number.serial == first.issuance.number.serial + 1
    assert second.issuance.check_certificate is not None
    assert second.issuance.check_certificate.number == "CK-2026-001"
