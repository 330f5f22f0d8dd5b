"""Take the screenshots of the administrator's manual on a real X server (Xvfb).

It prepares a demo folder, logs in with the demo's street administrator e-key
(``fpcert-street-admin``, PIN 123456), and saves into docs/images/:

- admin-user-changes.png: the user change form tab with proposals from the registry;
- admin-user-change-dialog.png: a proposal opened to be filled in and accepted;
- admin-problem-list.png: the problem-list tab.

Run it from the repository with ``.venv/bin/python tools/take_admin_screenshots.py``;
without a DISPLAY it starts itself again under ``xvfb-run``. The people are synthetic.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from screenshot_support import DemoPilot, restart_under_xvfb, save

from fpcert_desktop.demo import prepare_demo
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.gui.run import run_app

KEY_LABEL = "fpcert-street-admin"
WINDOW_SIZE = (1280, 800)
# A synthetic ID number with a valid check character, and a synthetic phone number.
SAMPLE_ID_NUMBER = "440304198805120027"
SAMPLE_PHONE = "0755-82002345"


class AdminPilot(DemoPilot):
    def on_main_window(self, main: MainWindowController) -> None:
        page = main.user_changes_page
        if page is None:
            self.fail(f"{KEY_LABEL} has no user change form tab")
            return
        page.proposals_shown.connect(self.proposals_shown)
        main.tabs.setCurrentWidget(page.widget)
        page.propose()

    def proposals_shown(self) -> None:
        main = self.main
        assert main is not None and main.user_changes_page is not None
        page = main.user_changes_page
        save(main.window, "admin-user-changes.png")
        if page.proposals.rowCount() == 0:
            self.show_problem_list()
            return
        page.proposals_table.selectRow(0)
        page.dialog = None
        page.accept_selected_proposal()
        self.wait_for(
            lambda: page.dialog is not None and page.dialog.dialog.isVisible(),
            self.dialog_open,
        )

    def dialog_open(self) -> None:
        main = self.main
        assert main is not None and main.user_changes_page is not None
        dialog = main.user_changes_page.dialog
        assert dialog is not None
        dialog.id_number_edit.setText(SAMPLE_ID_NUMBER)
        dialog.phone_edit.setText(SAMPLE_PHONE)
        save(dialog.dialog, "admin-user-change-dialog.png")
        dialog.dialog.reject()
        self.show_problem_list()

    def show_problem_list(self) -> None:
        main = self.main
        assert main is not None
        main.tabs.setCurrentWidget(main._tab("problemTab"))
        QTimer.singleShot(1500, self.problem_list_shown)

    def problem_list_shown(self) -> None:
        assert self.main is not None
        save(self.main.window, "admin-problem-list.png")
        self.exit_code = 0
        self.finish()


def main() -> int:
    restarted = restart_under_xvfb()
    if restarted is not None:
        return restarted
    with tempfile.TemporaryDirectory() as folder:
        setup = prepare_demo(Path(folder), people=2000)
        pilot = AdminPilot(KEY_LABEL, WINDOW_SIZE)
        code = run_app(setup.settings, on_started=pilot.start)
    return code or pilot.exit_code


if __name__ == "__main__":
    sys.exit(main())
