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
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer, QTranslator
from screenshot_support import IMAGES, DemoPilot, load_translations, restart_under_xvfb, save

from fpcert_desktop.demo import prepare_demo
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.gui.reports_view import ReportsPage
from fpcert_desktop.gui.run import run_app

KEY_LABEL = "fpcert-supervisor"
WINDOW_SIZE = (1280, 820)


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


class SupervisorPilot(DemoPilot):
    def __init__(self, folder: Path, translators: list[QTranslator]) -> None:
        super().__init__(KEY_LABEL, WINDOW_SIZE, translators)
        self.folder = folder

    def on_main_window(self, main: MainWindowController) -> None:
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

    def grab_tab(self, page: ReportsPage) -> None:
        assert self.main is not None
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


def main() -> int:
    parser = argparse.ArgumentParser(description="Take the supervisor manual's screenshots.")
    parser.add_argument(
        "--translations", type=Path, help="JSON file of extra translations to install first"
    )
    args = parser.parse_args()
    restarted = restart_under_xvfb()
    if restarted is not None:
        return restarted
    with tempfile.TemporaryDirectory() as folder:
        setup = prepare_demo(Path(folder), people=2000)
        seed_day(setup)
        pilot = SupervisorPilot(Path(folder), load_translations(args.translations))
        code = run_app(setup.settings, on_started=pilot.start)
    return code or pilot.exit_code


if __name__ == "__main__":
    sys.exit(main())
