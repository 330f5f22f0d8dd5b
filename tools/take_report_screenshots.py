"""Take the screenshots of the supervisor's manual on a real X server (Xvfb).

It prepares a demo folder, stores a synthetic day of prints, voids, reprints and
refusals for the street's windows, logs in with the demo's street supervisor e-key
(``fpcert-supervisor``, PIN 123456) and saves into docs/images/:

- supervisor-daily-report.png: the daily print summary tab with its table and chart;
- supervisor-daily-report-pdf.png: the first page of the exported PDF (needs pdftoppm).

Run it from the repository with ``.venv/bin/python tools/take_report_screenshots.py``;
without a DISPLAY it starts itself again under ``xvfb-run``. The people are synthetic.
``--translations FILE`` installs a JSON file of ``{"Context|source": "translation"}`` over
the bundled translations, for strings whose translation is not in resources/ yet.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO / "docs" / "images"
KEY_LABEL = "fpcert-supervisor"
WINDOW_SIZE = (1280, 820)
STEP_MS = 200
TIMEOUT_MS = 120_000


def seed_day(setup: object) -> None:
    """Store today's, yesterday's and last week's synthetic work of two clerks."""
    from fpcert_desktop.demo import DemoSetup
    from fpcert_desktop.domain.clock import CHINA_TZ, china_date, utc_now
    from fpcert_desktop.storage.db import Database
    from fpcert_desktop.storage.repositories import AuditLog, IssuanceRepository, UserRepository
    from fpcert_desktop.synthetic.demo import DEMO_PEOPLE

    assert isinstance(setup, DemoSetup)
    database = Database(setup.settings.database_path)
    today = china_date(utc_now())
    clerks = {clerk.label: clerk for clerk in setup.clerks}
    # (clerk, window, day offset, hour, purpose, printed)
    plan = [
        ("fpcert-community", "01", 0, 9, "child_medical_insurance", True),
        ("fpcert-community", "01", 0, 9, "child_medical_insurance", True),
        ("fpcert-community", "01", 0, 10, "school_entry_or_transfer", True),
        ("fpcert-community", "01", 0, 11, "child_medical_insurance", True),
        ("fpcert-community", "01", 0, 15, "affordable_housing", True),
        ("fpcert-community", "01", 0, 16, "child_medical_insurance", False),
        ("fpcert-street", "02", 0, 9, "civil_service_recruitment", True),
        ("fpcert-street", "02", 0, 10, "skilled_worker_hukou_transfer", True),
        ("fpcert-street", "02", 0, 14, "civil_service_recruitment", True),
        ("fpcert-community", "01", -1, 9, "child_medical_insurance", True),
        ("fpcert-community", "01", -1, 10, "child_medical_insurance", True),
        ("fpcert-street", "02", -1, 11, "civil_service_recruitment", True),
        ("fpcert-community", "01", -7, 9, "child_medical_insurance", True),
    ]
    with database.write_session() as db:
        users = UserRepository(db)
        repository = IssuanceRepository(db)
        audit = AuditLog(db)
        first_number = ""
        for label, window, offset, hour, purpose, printed in plan:
            clerk = clerks[label]
            user = users.by_fingerprint(clerk.fingerprint)
            assert user is not None
            day = today + timedelta(days=offset)
            moment = datetime(day.year, day.month, day.day, hour, 12, tzinfo=CHINA_TZ)
            issuance = repository.create_with_number(
                office_code=clerk.office_code,
                workstation=window,
                year=day.year,
                person_id=DEMO_PEOPLE[0].person_id,
                purpose_code=purpose,
                user_id=user.user_id,
                issued_at=moment,
                valid_until=None,
                policy_version="demo",
                content_json={},
                retention="long_term",
            )
            if printed:
                repository.mark_printed(
                    issuance.issuance_id, "fpcert-pdf", "1", moment + timedelta(minutes=1)
                )
            if offset == 0 and not first_number:
                first_number = str(issuance.number)
                later = moment + timedelta(minutes=20)
                repository.void(issuance.issuance_id, user_id=user.user_id, reason="卡纸", at=later)
        community = users.by_fingerprint(clerks["fpcert-community"].fingerprint)
        assert community is not None
        noon = datetime(today.year, today.month, today.day, 12, 5, tzinfo=CHINA_TZ)
        audit.append(
            "reprint",
            user_id=community.user_id,
            user_name=community.name,
            workstation="01",
            subject="440304********9805",
            details={"number": first_number, "reason": "卡纸"},
            at=noon,
        )
        for rule in ("level", "level", "problem_list"):
            audit.append(
                "print_refused",
                user_id=community.user_id,
                user_name=community.name,
                workstation="01",
                subject="440304********9805",
                details={"rule": rule, "purpose": "birth_hukou_registration"},
                at=noon + timedelta(hours=1),
            )
    database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description="Take the supervisor manual's screenshots.")
    parser.add_argument(
        "--translations", type=Path, help="JSON file of extra translations to install first"
    )
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            print("no DISPLAY and no xvfb-run: install xvfb", file=sys.stderr)
            return 2
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        arguments = [xvfb, "-a", "-s", "-screen 0 1440x900x24", sys.executable, *sys.argv]
        os.execv(xvfb, arguments)

    from PySide6.QtCore import QCoreApplication, QObject, QTimer, QTranslator
    from PySide6.QtWidgets import QApplication, QWidget

    from fpcert_desktop.demo import DEMO_PIN, prepare_demo
    from fpcert_desktop.gui.app import CounterApp
    from fpcert_desktop.gui.main_window import MainWindowController
    from fpcert_desktop.gui.run import run_app

    class JsonTranslator(QTranslator):
        """Translations from a {"Context|source": "translation"} mapping."""

        def __init__(self, entries: dict[str, str]) -> None:
            super().__init__()
            self.entries = entries

        def isEmpty(self) -> bool:  # noqa: N802
            return not self.entries

        def translate(  # type: ignore[override]
            self, context: str, source: str, disambiguation: str | None = None, n: int = -1
        ) -> str | None:
            # None (a null QString) lets Qt ask the next translator; "" would not.
            return self.entries.get(f"{context}|{source}")

    extra: list[QTranslator] = []
    if args.translations is not None:
        entries = json.loads(args.translations.read_text(encoding="utf-8"))
        extra.append(JsonTranslator(entries))

    def save(widget: QWidget, name: str) -> None:
        IMAGES.mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        widget.grab().save(str(IMAGES / name))
        print(f"saved docs/images/{name}", flush=True)

    class Pilot(QObject):
        def __init__(self, folder: Path) -> None:
            super().__init__()
            self.folder = folder
            self.app: CounterApp | None = None
            self.main: MainWindowController | None = None
            self.exit_code = 1

        def start(self, app: CounterApp) -> None:
            self.app = app
            for translator in extra:
                QCoreApplication.installTranslator(translator)
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
            page = main.reports_page
            if page is None:
                self.fail(f"{KEY_LABEL} has no daily print summary tab")
                return
            page.report_shown.connect(self.report_shown)
            main.tabs.setCurrentWidget(page.widget)

        def report_shown(self) -> None:
            main = self.main
            assert main is not None and main.reports_page is not None
            page = main.reports_page
            page.report_shown.disconnect(self.report_shown)
            QTimer.singleShot(500, lambda: self.grab_tab(page))

        def grab_tab(self, page: object) -> None:
            from fpcert_desktop.gui.reports_view import ReportsPage

            assert isinstance(page, ReportsPage) and self.main is not None
            save(self.main.window, "supervisor-daily-report.png")
            page.saved.connect(self.pdf_saved)
            page.export_to(self.folder / "daily.pdf")

        def pdf_saved(self, path: str) -> None:
            if shutil.which("pdftoppm") is not None:
                target = IMAGES / "supervisor-daily-report-pdf"
                subprocess.run(
                    ["pdftoppm", "-png", "-r", "70", "-singlefile", path, str(target)], check=True
                )
                print("saved docs/images/supervisor-daily-report-pdf.png", flush=True)
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

    with tempfile.TemporaryDirectory() as folder:
        setup = prepare_demo(Path(folder), people=2000)
        seed_day(setup)
        pilot = Pilot(Path(folder))
        code = run_app(setup.settings, on_started=pilot.start)
    return code or pilot.exit_code


if __name__ == "__main__":
    sys.exit(main())
