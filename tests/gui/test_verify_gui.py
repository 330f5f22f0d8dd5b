"""A partner unit's user logs in with its demo e-key and verifies a scanned QR code.

The community clerk's demo e-key signs the code, the real layout draws it, and pdftoppm
and zbarimg read it back. The test then types it into the verify page as a USB scanner
does, ending with Return.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from fpcert_desktop.demo import DEMO_PIN, DemoSetup
from fpcert_desktop.domain.clock import utc_now
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.forms import child
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.printing.layout import render_certificate
from fpcert_desktop.printing.sample import sample_certificate_content
from fpcert_desktop.services.context import UserSession, Workstation
from fpcert_desktop.services.issuing import sign_qr_payload
from fpcert_desktop.services.verification import Outcome, Verification, VerificationService
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import (
    IssuanceRepository,
    OfficeRepository,
    UserRepository,
)
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from tests.gui.test_counter_path import log_in

pytestmark = [pytest.mark.gui, pytest.mark.softhsm]

HOLDER = DEMO_PEOPLE[0]


def signed_code(app: CounterApp, setup: DemoSetup, folder: Path) -> str:
    """Sign a stored issuance's payload with the community clerk's e-key; return the scan."""
    for tool in ("pdftoppm", "zbarimg"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    clerk = next(clerk for clerk in setup.clerks if clerk.label == "fpcert-community")
    database = Database(setup.settings.database_path)
    with database.write_session() as db:
        user = UserRepository(db).by_fingerprint(clerk.fingerprint)
        office = OfficeRepository(db).get(clerk.office_code)
        assert user is not None and office is not None
        issuance = IssuanceRepository(db).create_with_number(
            office_code=office.code,
            workstation="09",
            year=utc_now().year,
            person_id=HOLDER.person_id,
            purpose_code="child_medical_insurance",
            user_id=user.user_id,
            issued_at=utc_now(),
            valid_until=None,
            policy_version="test",
            content_json="{}",
            retention="long_term",
        )
    database.dispose()
    session = UserSession(
        user=user,
        office=office,
        workstation=Workstation(code="09"),
        token_serial=clerk.serial,
        fingerprint=clerk.fingerprint,
        logged_in_at=utc_now(),
        certificate_der=bytes.fromhex(clerk.certificate),
    )

    app.worker.login(clerk.serial, DEMO_PIN).result(timeout=30)
    try:
        text = sign_qr_payload(
            lambda data: app.worker.sign_payload(data, clerk.fingerprint).result(timeout=30),
            session,
            issuance,
            HOLDER.id_number,
            date.today(),
        )
    finally:
        app.worker.logout().result(timeout=30)

    pdf = folder / "certificate.pdf"
    pdf.write_bytes(render_certificate(replace(sample_certificate_content(), qr_payload=text)))
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", str(pdf), str(folder / "page")],
        check=True,
        timeout=60,
    )
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(folder / "page.png")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert scanned == text
    return scanned


def scan(qtbot, main: MainWindowController, text: str, id_number: str = "") -> Verification:  # noqa: ANN001
    page = main.verify_page
    assert page is not None
    page.clear()
    qtbot.keyClicks(page.scan_edit, text)
    if id_number:
        qtbot.keyClicks(page.id_edit, id_number)
    with qtbot.waitSignal(page.verified, timeout=30_000) as verified:
        qtbot.keyClick(page.scan_edit, Qt.Key.Key_Return)
    result = verified.args[0]
    assert isinstance(result, Verification), result
    return result


def test_partner_verifies_scanned_code(
    qtbot,  # noqa: ANN001
    counter_app: CounterApp,
    demo_setup: DemoSetup,
    tmp_path: Path,
) -> None:
    code = signed_code(counter_app, demo_setup, tmp_path)

    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-partner")
    main: MainWindowController = shown.args[0]

    assert main.verify_page is not None
    assert main.tabs.count() == 1
    assert main.tabs.widget(0) is main.verify_page.widget
    assert main.verify_page.scan_edit.hasFocus()

    genuine = scan(qtbot, main, code)
    assert genuine.outcome is Outcome.GENUINE_VALID
    assert genuine.signer_name == "王小红"
    assert genuine.accepted
    assert "#1b5e20" in main.verify_page.verdict_label.styleSheet()

    matching = scan(qtbot, main, code, HOLDER.id_number)
    assert matching.id_matches is True

    other = scan(qtbot, main, code, DEMO_PEOPLE[1].id_number)
    assert other.id_matches is False
    assert "#b71c1c" in main.verify_page.verdict_label.styleSheet()

    altered = code[:30] + ("B" if code[30] != "B" else "C") + code[31:]
    assert scan(qtbot, main, altered).outcome is Outcome.NOT_GENUINE


def test_partner_window_has_no_printing(
    qtbot,  # noqa: ANN001
    counter_app: CounterApp,
) -> None:
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-partner")
    main: MainWindowController = shown.args[0]

    main.print_certificate()
    qtbot.keyClick(main.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)

    assert main.tabs.count() == 1
    assert not main.print_button.isVisible()
    assert not child(main.window, QAction, "syncAction").isVisible()
    status = main.window.statusBar().currentMessage()
    assert "示范小学招生办" in status
    assert "打印机" not in status
    assert "Printer" not in status


def scanner_types(qtbot, text: str) -> None:  # noqa: ANN001
    """Type ``text`` and Return into whichever field has the focus, as a USB scanner does."""
    for character in text:
        qtbot.keyClick(QApplication.focusWidget(), character)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def test_counter_flow_forgets_previous_applicant(
    qtbot,  # noqa: ANN001
    counter_app: CounterApp,
    demo_setup: DemoSetup,
    tmp_path: Path,
) -> None:
    code = signed_code(counter_app, demo_setup, tmp_path)
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-partner")
    main: MainWindowController = shown.args[0]
    page = main.verify_page
    assert page is not None

    # First applicant: scan, type the ID number, press Enter.
    with qtbot.waitSignal(page.verified, timeout=30_000) as first_scan:
        scanner_types(qtbot, code)
    assert first_scan.args[0].id_matches is None
    assert page.id_edit.hasFocus()
    qtbot.keyClicks(page.id_edit, HOLDER.id_number)
    with qtbot.waitSignal(page.verified, timeout=30_000) as with_id:
        qtbot.keyClick(page.id_edit, Qt.Key.Key_Return)
    assert with_id.args[0].id_matches is True
    assert page.id_edit.text() == ""
    assert "440304" in page.details_label.text()
    assert HOLDER.id_number not in page.details_label.text()
    assert page.scan_edit.hasFocus()

    # Next applicant: the new scan replaces the selected code and is not compared with
    # the previous applicant's ID number.
    with qtbot.waitSignal(page.verified, timeout=30_000) as next_scan:
        scanner_types(qtbot, code)
    assert next_scan.args[0].id_matches is None
    assert next_scan.args[0].outcome is Outcome.GENUINE_VALID

    # The clerk skips the optional ID number, and the next scan lands in the ID field.
    assert page.id_edit.hasFocus()
    with qtbot.waitSignal(page.verified, timeout=30_000) as misplaced:
        scanner_types(qtbot, code)
    assert misplaced.args[0].outcome is Outcome.GENUINE_VALID
    assert misplaced.args[0].id_matches is None
    assert page.scan_edit.text() == code
    assert page.id_edit.text() == ""


def test_new_scan_clears_typed_id_number(
    qtbot,  # noqa: ANN001
    counter_app: CounterApp,
    demo_setup: DemoSetup,
    tmp_path: Path,
) -> None:
    code = signed_code(counter_app, demo_setup, tmp_path)
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-partner")
    main: MainWindowController = shown.args[0]
    page = main.verify_page
    assert page is not None
    with qtbot.waitSignal(page.verified, timeout=30_000):
        scanner_types(qtbot, code)

    # An ID number typed but not yet checked, then the next applicant's scan.
    qtbot.keyClicks(page.id_edit, DEMO_PEOPLE[1].id_number)
    page.scan_edit.setFocus()
    page.scan_edit.selectAll()
    qtbot.keyClick(page.scan_edit, code[0])

    assert page.id_edit.text() == ""
    assert page.verdict_label.text() == ""
    assert page.details_label.text() == ""


def test_empty_fields_clear_old_verdict(
    qtbot,  # noqa: ANN001
    counter_app: CounterApp,
) -> None:
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-partner")
    main: MainWindowController = shown.args[0]
    page = main.verify_page
    assert page is not None
    qtbot.keyClicks(page.scan_edit, "FPC1:")
    qtbot.keyClicks(page.id_edit, "123")
    with qtbot.waitSignal(page.verified, timeout=30_000):
        qtbot.keyClick(page.id_edit, Qt.Key.Key_Return)
    assert page.verdict_label.text() != ""

    page.scan_edit.setText("")
    page.id_edit.setText("")
    qtbot.keyClick(page.scan_edit, Qt.Key.Key_Return)

    assert page.verdict_label.text() == ""
    assert page.details_label.text() == ""
    assert page.verdict_label.styleSheet() == ""


@pytest.mark.parametrize("damage", ["cut", "prefix_only", "trailing_mark"])
def test_misread_scan_is_amber(
    qtbot,  # noqa: ANN001
    counter_app: CounterApp,
    demo_setup: DemoSetup,
    tmp_path: Path,
    damage: str,
) -> None:
    code = signed_code(counter_app, demo_setup, tmp_path)
    scanned = {"cut": code[:-7], "prefix_only": "FPC1:", "trailing_mark": code + "!"}[damage]
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-partner")
    main: MainWindowController = shown.args[0]

    result = scan(qtbot, main, scanned)

    assert result.outcome is Outcome.UNREADABLE
    assert "#f9a825" in main.verify_page.verdict_label.styleSheet()
    assert "#b71c1c" not in main.verify_page.verdict_label.styleSheet()


def test_scan_during_check_drops_stale_result(
    qtbot,  # noqa: ANN001
    counter_app: CounterApp,
    demo_setup: DemoSetup,
    tmp_path: Path,
) -> None:
    code = signed_code(counter_app, demo_setup, tmp_path)
    with qtbot.waitSignal(counter_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, counter_app, "fpcert-partner")
    main: MainWindowController = shown.args[0]
    page = main.verify_page
    assert page is not None
    service = page._service
    checked: list[str] = []

    def slow_verify(session: UserSession, scanned: str, id_number: str = "") -> Verification:
        # A slow central server: the next applicant's scan arrives during the check.
        time.sleep(0.5)
        checked.append(scanned)
        return VerificationService.verify(service, session, scanned, id_number)

    service.verify = slow_verify  # type: ignore[method-assign]
    results: list[object] = []
    page.verified.connect(results.append)

    qtbot.keyClicks(page.scan_edit, "FPC1:")
    qtbot.keyClick(page.scan_edit, Qt.Key.Key_Return)
    page.scan_edit.selectAll()
    qtbot.keyClicks(page.scan_edit, code)
    with qtbot.waitSignal(page.verified, timeout=30_000):
        qtbot.keyClick(page.scan_edit, Qt.Key.Key_Return)

    assert checked == ["FPC1:", code]
    assert len(results) == 1
    assert isinstance(results[0], Verification)
    assert results[0].outcome is Outcome.GENUINE_VALID
    assert "#1b5e20" in page.verdict_label.styleSheet()
