"""Take the screenshots of the partner unit's manual on a real X server (Xvfb).

It prepares a demo folder and signs the QR payload of one stored certificate with the
community clerk's demo e-key. Then it logs in with the partner unit's demo e-key
(``fpcert-partner``, PIN 123456) and types the code into the verify page as a scanner
does. It saves into docs/images/:

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
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer, QTranslator
from screenshot_support import IMAGES, DemoPilot, load_translations, restart_under_xvfb, save

from fpcert_desktop.demo import prepare_demo
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.gui.run import run_app
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE

PARTNER_KEY = "fpcert-partner"
CLERK_KEY = "fpcert-community"
WINDOW_SIZE = (1100, 720)


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


class PartnerPilot(DemoPilot):
    """Log in as the partner unit and verify each planned scan in turn."""

    def __init__(self, code: str, translators: list[QTranslator]) -> None:
        super().__init__(PARTNER_KEY, WINDOW_SIZE, translators)
        # One character inside the ID hash: the text still parses, the signature fails.
        altered = code[:100] + ("Q" if code[100] != "Q" else "R") + code[101:]
        self.plan = [
            ("partner-verify-genuine.png", code, DEMO_PEOPLE[0].id_number),
            ("partner-verify-mismatch.png", code, DEMO_PEOPLE[1].id_number),
            ("partner-verify-altered.png", altered, ""),
        ]

    def on_main_window(self, main: MainWindowController) -> None:
        if main.verify_page is None:
            self.fail(f"{PARTNER_KEY} has no verify page")
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
        save(self.main.window, name)
        if self.plan:
            self.next_scan()
        else:
            self.exit_code = 0
            self.finish()


def main() -> int:
    parser = argparse.ArgumentParser(description="Take the partner unit manual's screenshots.")
    parser.add_argument(
        "--translations", type=Path, help="JSON file of extra translations to install first"
    )
    args = parser.parse_args()
    restarted = restart_under_xvfb()
    if restarted is not None:
        return restarted
    with tempfile.TemporaryDirectory() as folder:
        setup = prepare_demo(Path(folder), people=2000)
        code = sign_demo_certificate(setup, Path(folder))
        pilot = PartnerPilot(code, load_translations(args.translations))
        exit_code = run_app(setup.settings, on_started=pilot.start)
    return exit_code or pilot.exit_code


if __name__ == "__main__":
    sys.exit(main())
