"""A partner unit checks a voided certificate with the central server, in the real windows.

The community clerk prints through cups-pdf, voids the certificate and synchronizes with
`fpcert-server serve` on 127.0.0.1, which records the clerk's e-key certificate. The
partner unit then logs in on the same workstation: the verify page fetches the signing
keys by itself, and the scanned code shows as genuine but voided.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController
from fpcert_desktop.services.sync_service import SyncSummary
from fpcert_desktop.services.verification import Outcome, SigningKeyRegistry, Verification
from tests.gui.test_counter_path import log_in
from tests.gui.test_sync_gui import (  # noqa: F401 - the fixtures are used by name
    _close_result,
    _print,
    _synchronize,
    enrolled,
    server,
    server_db,
    synced_app,
)

pytestmark = [pytest.mark.gui, pytest.mark.softhsm, pytest.mark.cups]


def read_qr(pdf: bytes, folder: Path) -> str:
    for tool in ("pdftoppm", "zbarimg"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    path = folder / "printed.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", str(path), str(folder / "page")],
        check=True,
        timeout=60,
    )
    return subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(folder / "page.png")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def test_partner_sees_voided_certificate(
    qtbot,  # noqa: ANN001
    synced_app: CounterApp,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    with qtbot.waitSignal(synced_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, synced_app, "fpcert-community")
    clerk_window: MainWindowController = shown.args[0]
    # A workstation with a server prints only after a first sync.
    first = _synchronize(qtbot, clerk_window)
    assert isinstance(first, SyncSummary), clerk_window.sync.result_text
    _close_result(qtbot, clerk_window)
    printed = _print(qtbot, clerk_window)
    assert printed.printed
    code = read_qr(printed.pdf, tmp_path)
    clerk_window._issuing.void(  # noqa: SLF001 - the void dialog is tested elsewhere
        clerk_window.session, printed.issuance.issuance_id, "申请人撤回申请"
    )
    summary = _synchronize(qtbot, clerk_window)
    assert isinstance(summary, SyncSummary), clerk_window.sync.result_text
    _close_result(qtbot, clerk_window)
    synced_app.log_out()

    with qtbot.waitSignal(synced_app.main_window_shown, timeout=30_000) as shown:
        log_in(qtbot, synced_app, "fpcert-partner")
    partner_window: MainWindowController = shown.args[0]
    page = partner_window.verify_page
    assert page is not None
    # The page started fetching the keys when the window opened, with the button disabled.
    qtbot.waitUntil(page.update_keys_button.isEnabled, timeout=30_000)
    registry = SigningKeyRegistry(synced_app.services.context.database)
    assert registry.key_count() >= 1

    page.clear()
    qtbot.keyClicks(page.scan_edit, code)
    with qtbot.waitSignal(page.verified, timeout=30_000) as verified:
        qtbot.keyClick(page.scan_edit, Qt.Key.Key_Return)

    result = verified.args[0]
    assert isinstance(result, Verification), result
    assert result.outcome is Outcome.GENUINE_VOIDED
    assert result.server_status == "voided"
    assert "#b71c1c" in page.verdict_label.styleSheet()
