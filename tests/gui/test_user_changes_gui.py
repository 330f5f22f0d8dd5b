"""The user change form tab with the demo's street administrator e-key."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlrd

from fpcert_desktop.domain.user_changes import ChangeType
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.gui.user_changes_view import UserChangesPage
from tests.gui.test_counter_path import log_in

pytestmark = [pytest.mark.gui, pytest.mark.softhsm, pytest.mark.cups]

LIU_WEI_ID = "440304198805120027"
NEW_CLERK_ID = "440305199203031132"


def open_dialog(qtbot, page: UserChangesPage, action) -> None:  # noqa: ANN001
    page.dialog = None
    action()
    qtbot.waitUntil(
        lambda: page.dialog is not None and page.dialog.dialog.isVisible(), timeout=15_000
    )


def test_street_administrator_fills_in_and_exports(
    qtbot,
    counter_app: CounterApp,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-street-admin")
    main: MainWindowController = shown.args[0]
    page = main.user_changes_page
    assert page is not None
    assert main.tabs.indexOf(page.widget) >= 0

    with qtbot.waitSignal(page.refreshed, timeout=15_000):
        main.tabs.setCurrentWidget(page.widget)
    assert page.model.rowCount() == 0
    assert page.filler_edit.text() == "赵强"

    with qtbot.waitSignal(page.proposals_shown, timeout=15_000):
        page.propose()
    proposed = {page.proposals.row(i).person.name: i for i in range(page.proposals.rowCount())}
    # The demo's street and community users are proposed, the district clerk 孙丽 is not.
    assert {"王小红", "刘伟", "赵强"} <= set(proposed)
    assert "孙丽" not in proposed
    for index in proposed.values():
        assert page.proposals.row(index).unit_name.startswith("福田区福田街道")
    assert all(page.proposals.row(i).change_type is ChangeType.NEW_KEY for i in proposed.values())

    page.proposals_table.selectRow(proposed["刘伟"])
    open_dialog(qtbot, page, page.accept_selected_proposal)
    dialog = page.dialog
    assert dialog is not None
    assert dialog.name_edit.text() == "刘伟"
    assert dialog.unit_combo.currentText() == "福田区福田街道"
    dialog.id_number_edit.setText(LIU_WEI_ID)
    dialog.phone_edit.setText("8200")
    dialog.save()
    qtbot.waitUntil(lambda: "8200" in dialog.message_label.text(), timeout=15_000)
    assert dialog.dialog.isVisible()
    dialog.phone_edit.setText("13812345678")
    with qtbot.waitSignal(page.refreshed, timeout=15_000):
        dialog.save()
    assert not dialog.dialog.isVisible()
    assert page.model.rowCount() == 1
    assert page.proposals.rowCount() == len(proposed) - 1
    assert page.model.row(0).person.id_number == LIU_WEI_ID

    # A replacement typed by hand, then the administrator drops one proposal.
    open_dialog(qtbot, page, page.add_row)
    dialog = page.dialog
    assert dialog is not None
    dialog.change_type_combo.setCurrentIndex(
        dialog.change_type_combo.findData(ChangeType.REPLACEMENT)
    )
    assert dialog.new_person_group.isEnabled()
    dialog.unit_combo.setCurrentIndex(1)
    dialog.name_edit.setText("刘伟")
    dialog.id_number_edit.setText(LIU_WEI_ID)
    dialog.phone_edit.setText("82002345")
    dialog.new_name_edit.setText("陈新")
    dialog.new_id_number_edit.setText(NEW_CLERK_ID)
    dialog.new_phone_edit.setText("0755-82001237")
    with qtbot.waitSignal(page.refreshed, timeout=15_000):
        dialog.save()
    assert page.model.rowCount() == 2
    page.proposals_table.selectRow(0)
    page.drop_selected_proposal()
    assert page.proposals.rowCount() == len(proposed) - 2

    name = "福田区深圳市计划生育证明管理系统用户变更表（时间 "
    with qtbot.waitSignal(page.exported, timeout=15_000) as exported:
        page.export_to(tmp_path / "form.xls")
    assert exported.args[0].lines == 3
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=15_000)
    sheet = xlrd.open_workbook(str(tmp_path / "form.xls")).sheet_by_index(0)
    assert sheet.cell_value(1, 0) == "填表人：赵强"
    assert [sheet.cell_value(row, 1) for row in range(3, sheet.nrows)] == ["刘伟", "刘伟", "陈新"]
    assert str(tmp_path) in page.status.text()

    # The save dialog offers the regulation's file name.
    page.export()
    qtbot.waitUntil(lambda: page._file_dialog is not None, timeout=15_000)
    assert page._file_dialog is not None
    assert page._file_dialog.selectedFiles()[0].split("/")[-1].startswith(name)
    page._file_dialog.reject()


def test_clerk_has_no_user_change_tab(qtbot, counter_app: CounterApp) -> None:  # noqa: ANN001
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-street")
    main: MainWindowController = shown.args[0]

    assert main.user_changes_page is None
    titles = [main.tabs.tabText(index) for index in range(main.tabs.count())]
    assert not any("变更" in title or "change form" in title for title in titles)
