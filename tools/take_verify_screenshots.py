"""Take the screenshots of the partner unit's manual on a real X server (Xvfb).

It prepares a demo folder, signs the QR payload of one stored certificate with the
community clerk's demo e-key, logs in with the partner unit's demo e-key
(``fpcert-partner``, PIN 123456), types the code into the verify page as a scanner does
and saves into docs/images/:

- partner-verify-genuine.png: a genuine certificate whose ID number matches;
- partner-verify-mismatch.png: the same code with another person's ID number;
- partner-verify-altered.png: the code with one character changed;
- partner-certificate-qr.png: the lower part of the printed page with the QR code
  (needs pdftoppm).

Run it from the repository with ``.venv/bin/python tools/take_verify_screenshots.py``;
without a DISPLAY it starts itself again under ``xvfb-run``. ``--translations FILE``
installs a JSON file of ``{"Context|source": "translation"}`` first, for strings whose
translation is not in resources/ yet. Every person shown is synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO / "docs" / "images"
PARTNER_KEY = "fpcert-partner"
CLERK_KEY = "fpcert-community"
WINDOW_SIZE = (1100, 720)
TIMEOUT_MS = 120_000


def sign_demo_certificate(setup: object, folder: Path) -> str:
    """Store one issuance, sign its payload with the clerk's e-key, save the page image."""
    from fpcert_desktop.demo import DEMO_PIN, DemoSetup
    from fpcert_desktop.domain.clock import utc_now
    from fpcert_desktop.ekey.worker import EKeyWorker
    from fpcert_desktop.printing.layout import render_certificate
    from fpcert_desktop.printing.sample import sample_certificate_content
    from fpcert_desktop.services.context import UserSession, Workstation
    from fpcert_desktop.services.issuing import sign_qr_payload
    from fpcert_desktop.storage.db import Database
    from fpcert_desktop.storage.repositories import (
        IssuanceRepository,
        OfficeRepository,
        UserRepository,
    )
    from fpcert_desktop.synthetic.demo import DEMO_PEOPLE

    assert isinstance(setup, DemoSetup)
    clerk = next(clerk for clerk in setup.clerks if clerk.label == CLERK_KEY)
    database = Database(setup.settings.database_path)
    with database.write_session() as db:
        user = UserRepository(db).by_fingerprint(clerk.fingerprint)
        office = OfficeRepository(db).get(clerk.office_code)
        assert user is not None and office is not None
        issuance = IssuanceRepository(db).create_with_number(
            office_code=office.code,
            workstation="01",
            year=utc_now().year,
            person_id=DEMO_PEOPLE[0].person_id,
            purpose_code="child_medical_insurance",
            user_id=user.user_id,
            issued_at=utc_now(),
            valid_until=None,
            policy_version="demo",
            content_json="{}",
            retention="long_term",
        )
    database.dispose()
    session = UserSession(
        user=user,
        office=office,
        workstation=Workstation(code="01"),
        token_serial=clerk.serial,
        fingerprint=clerk.fingerprint,
        logged_in_at=utc_now(),
        certificate_der=bytes.fromhex(clerk.certificate),
    )

    # The app starts its own worker later; only one may have the module open at a time.
    worker = EKeyWorker(setup.settings.pkcs11_module)
    worker.start().result(timeout=30)
    try:
        worker.login(clerk.serial, DEMO_PIN).result(timeout=30)
        text = sign_qr_payload(
            lambda data: worker.sign_payload(data, clerk.fingerprint).result(timeout=30),
            session,
            issuance,
            DEMO_PEOPLE[0].id_number,
            date.today(),
        )
        worker.logout().result(timeout=30)
    finally:
        worker.stop()

    content = replace(sample_certificate_content(), number=str(issuance.number), qr_payload=text)
    pdf = folder / "certificate.pdf"
    pdf.write_bytes(render_certificate(content))
    if shutil.which("pdftoppm") is not None:
        # The bottom quarter of the A4 page at 100 dpi: the QR code and the seal square.
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "100",
                "-singlefile",
                "-y",
                "830",
                "-H",
                "340",
                "-W",
                "827",
                str(pdf),
                str(IMAGES / "partner-certificate-qr"),
            ],
            check=True,
        )
        print("saved docs/images/partner-certificate-qr.png", flush=True)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description="Take the partner unit manual's screenshots.")
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
        os.execv(xvfb, [xvfb, "-a", "-s", "-screen 0 1440x900x24", sys.executable, *sys.argv])

    from PySide6.QtCore import QCoreApplication, QObject, QTimer, QTranslator
    from PySide6.QtWidgets import QApplication

    from fpcert_desktop.demo import DEMO_PIN, prepare_demo
    from fpcert_desktop.gui.app import CounterApp
    from fpcert_desktop.gui.main_window import MainWindowController
    from fpcert_desktop.gui.run import run_app
    from fpcert_desktop.synthetic.demo import DEMO_PEOPLE

    class JsonTranslator(QTranslator):
        def __init__(self, entries: dict[str, str]) -> None:
            super().__init__()
            self.entries = entries

        def isEmpty(self) -> bool:  # noqa: N802
            return not self.entries

        def translate(  # type: ignore[override]
            self, context: str, source: str, disambiguation: str | None = None, n: int = -1
        ) -> str | None:
            # None lets Qt ask the next translator.
            return self.entries.get(f"{context}|{source}")

    translators: list[QTranslator] = []
    if args.translations is not None:
        translators.append(
            JsonTranslator(json.loads(args.translations.read_text(encoding="utf-8")))
        )

    class Pilot(QObject):
        """Log in as the partner unit and verify each planned scan in turn."""

        def __init__(self, code: str) -> None:
            super().__init__()
            # One character inside the ID hash: the text still parses, the signature fails.
            altered = code[:100] + ("Q" if code[100] != "Q" else "R") + code[101:]
            self.plan = [
                ("partner-verify-genuine.png", code, DEMO_PEOPLE[0].id_number),
                ("partner-verify-mismatch.png", code, DEMO_PEOPLE[1].id_number),
                ("partner-verify-altered.png", altered, ""),
            ]
            self.app: CounterApp | None = None
            self.main: MainWindowController | None = None
            self.exit_code = 1

        def start(self, app: CounterApp) -> None:
            self.app = app
            for translator in translators:
                QCoreApplication.installTranslator(translator)
            app.main_window_shown.connect(self.on_main_window)
            QTimer.singleShot(TIMEOUT_MS, lambda: self.finish("timed out"))
            self.log_in_when_listed()

        def log_in_when_listed(self) -> None:
            assert self.app is not None
            combo = self.app.login.key_combo
            labels = [combo.itemText(index) for index in range(combo.count())]
            matches = [i for i, label in enumerate(labels) if label.startswith(f"{PARTNER_KEY} (")]
            if not matches:
                QTimer.singleShot(200, self.log_in_when_listed)
                return
            combo.setCurrentIndex(matches[0])
            self.app.login.pin_edit.setText(DEMO_PIN)
            self.app.login.login_button.click()

        def on_main_window(self, main: MainWindowController) -> None:
            self.main = main
            main.window.resize(*WINDOW_SIZE)
            if main.verify_page is None:
                self.finish(f"{PARTNER_KEY} has no verify page")
                return
            main.verify_page.verified.connect(self.verified)
            QTimer.singleShot(500, self.next_scan)

        def next_scan(self) -> None:
            assert self.main is not None and self.main.verify_page is not None
            page = self.main.verify_page
            _name, code, id_number = self.plan[0]
            page.clear()
            page.scan_edit.setText(code)
            page.id_edit.setText(id_number)
            page.verify()

        def verified(self, _result: object) -> None:
            QTimer.singleShot(300, self.save_and_continue)

        def save_and_continue(self) -> None:
            assert self.main is not None
            name, _code, _id_number = self.plan.pop(0)
            IMAGES.mkdir(parents=True, exist_ok=True)
            QApplication.processEvents()
            self.main.window.grab().save(str(IMAGES / name))
            print(f"saved docs/images/{name}", flush=True)
            if self.plan:
                self.next_scan()
            else:
                self.exit_code = 0
                self.finish()

        def finish(self, reason: str = "") -> None:
            if reason and self.exit_code != 0:
                print(f"screenshots: {reason}", file=sys.stderr, flush=True)
            if self.app is not None:
                self.app.quit()
            else:
                QApplication.quit()

    with tempfile.TemporaryDirectory() as folder:
        setup = prepare_demo(Path(folder), people=2000)
        code = sign_demo_certificate(setup, Path(folder))
        pilot = Pilot(code)
        exit_code = run_app(setup.settings, on_started=pilot.start)
    return exit_code or pilot.exit_code


if __name__ == "__main__":
    sys.exit(main())
