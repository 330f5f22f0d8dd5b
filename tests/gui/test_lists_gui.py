"""The administrator's problem-list page and the guidance for unregistered applicants."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from PySide6.QtCore import QDate

from fpcert_desktop.domain.clock import china_date, utc_now
from fpcert_desktop.domain.history import ProblemCategory
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from tests.gui.test_counter_path import log_in, search_and_open

pytestmark = [pytest.mark.gui, pytest.mark.softhsm, pytest.mark.cups]

CHINESE = re.compile(r"[\u4e00-\u9fff]")
LISTED = next(person for person in DEMO_PEOPLE if person.name == "陈美玲")


def test_administrator_lists_and_blocks(qtbot, counter_app: CounterApp) -> None:  # noqa: ANN001
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-street-admin")
    main: MainWindowController = shown.args[0]
    page = main.problem_page
    main.tabs.setCurrentWidget(main._tab("problemTab"))

    page.add_entry()
    dialog = page._entry_dialog
    assert dialog is not None
    dialog.id_number_edit.setText(LISTED.id_number)
    dialog.category_combo.setCurrentIndex(
        dialog.category_combo.findData(ProblemCategory.FALSE_MATERIALS)
    )
    listed = china_date(utc_now()) - timedelta(days=30)
    dialog.listed_edit.setDate(QDate(listed.year, listed.month, listed.day))
    dialog.facts_edit.setPlainText("提交的结婚证复印件经核实为伪造。")
    dialog.materials_edit.setText("福田街道计生办档案室 问题名单 2026-007")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.dialog.isVisible(), timeout=15_000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=15_000)
    assert page.model.row(0).name == LISTED.name

    main.tabs.setCurrentWidget(main._tab("queryTab"))
    search_and_open(qtbot, main, LISTED.id_number)
    assert main.banner_label.isVisible()
    assert CHINESE.search(main.banner_label.text())
    assert (listed.replace(year=listed.year + 1)).isoformat() in main.banner_label.text()
    # A street office issues this purpose to anyone; the listing blocks it, as every purpose.
    main.purpose_combo.setCurrentIndex(main.purpose_combo.findData("civil_service_recruitment"))
    decision = main.current_decision()
    assert decision is not None and not decision.allowed
    assert decision.rule == "problem_list"
    assert not any(d.allowed for d in main._decisions)
    assert not main.print_button.isEnabled()


def test_unregistered_applicant_gets_guidance(qtbot, counter_app: CounterApp) -> None:  # noqa: ANN001
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-community")
    main: MainWindowController = shown.args[0]

    with qtbot.waitSignal(main.guidance_shown, timeout=15_000):
        main.search_edit.setText("11010519491231002X")
        main.search()
    assert main.unregistered_group.isVisible()
    first = main.guidance_label.text()
    assert CHINESE.search(first)

    with qtbot.waitSignal(main.guidance_shown, timeout=15_000):
        main.moving_in_check.setChecked(True)
    assert main.guidance_label.text() != first
