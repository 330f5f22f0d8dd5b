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

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO / "docs" / "images"
KEY_LABEL = "fpcert-street-admin"
WINDOW_SIZE = (1280, 800)
STEP_MS = 200
TIMEOUT_MS = 120_000
# A synthetic ID number with a valid check character, and a synthetic phone number.
SAMPLE_ID_NUMBER = "440304198805120027"
SAMPLE_PHONE = "0755-82002345"


def main() -> int:
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            print("no DISPLAY and no xvfb-run: install xvfb", file=sys.stderr)
            return 2
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        arguments = [xvfb, "-a", "-s", "-screen 0 1440x900x24", sys.executable, __file__]
        os.execv(xvfb, arguments)

    from PySide6.QtCore import QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from fpcert_desktop.demo import DEMO_PIN, prepare_demo
    from fpcert_desktop.gui.app import CounterApp
    from fpcert_desktop.gui.main_window import MainWindowController
    from fpcert_desktop.gui.run import run_app

    class Pilot(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.app: CounterApp | None = None
            self.main: MainWindowController | None = None
            self.exit_code = 1

        def start(self, app: CounterApp) -> None:
            self.app = app
            app.main_window_shown.connect(self.on_main_window)
            QTimer.singleShot(TIMEOUT_MS, lambda: self.fail("timed out"))
            self.wait_for(lambda: self.key_index() >= 0, self.log_in)

        def key_index(self) -> int:
            assert self.app is not None
            combo = self.app.login.key_combo
            for index in range(combo.count()):
                if combo.itemText(index).startswith(f"{KEY_LABEL} ("):
                    return index
            return -1

        def log_in(self) -> None:
            assert self.app is not None
            login = self.app.login
            login.key_combo.setCurrentIndex(self.key_index())
            login.pin_edit.setText(DEMO_PIN)
            login.login_button.click()

        def on_main_window(self, main: MainWindowController) -> None:
            self.main = main
            main.window.resize(*WINDOW_SIZE)
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

        def wait_for(self, condition: Callable[[], bool], then: Callable[[], None]) -> None:
            def poll() -> None:
                if condition():
                    then()
                else:
                    QTimer.singleShot(STEP_MS, poll)

            QTimer.singleShot(STEP_MS, poll)

        def fail(self, reason: str) -> None:
            if self.exit_code == 0:
                return
            print(f"screenshots: {reason}", file=sys.stderr, flush=True)
            self.finish()

        def finish(self) -> None:
            if self.app is not None:
                self.app.quit()
            else:
                QApplication.quit()

    def save(widget: QWidget, name: str) -> None:
        IMAGES.mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        widget.grab().save(str(IMAGES / name))
        print(f"saved docs/images/{name}", flush=True)

    with tempfile.TemporaryDirectory() as folder:
        setup = prepare_demo(Path(folder), people=2000)
        pilot = Pilot()
        code = run_app(setup.settings, on_started=pilot.start)
    return code or pilot.exit_code


if __name__ == "__main__":
    sys.exit(main())
