"""A demo counter on real parts for the GUI tests: SoftHSM2 e-keys, SQLite, CUPS with cups-pdf."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from fpcert_desktop.demo import DemoSetup, prepare_demo
from fpcert_desktop.ekey.module import find_pkcs11_module
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.printing import cups_admin
from fpcert_desktop.services.setup import open_services

PEOPLE = 400


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required when CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def demo_setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSetup]:
    """The demo folder exactly as ``fpcert-desktop demo`` prepares it, with fewer people."""
    _require(shutil.which("softhsm2-util") is not None, "softhsm2-util is not installed")
    _require(shutil.which("lpadmin") is not None, "CUPS is not installed")
    _require(os.geteuid() == 0, "creating a CUPS queue needs root")
    previous = os.environ.get("SOFTHSM2_CONF")
    setup = prepare_demo(tmp_path_factory.mktemp("demo"), people=PEOPLE)
    _require(cups_admin.is_cupsd_running(), "cupsd is not running")
    yield setup
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture
def counter_app(qtbot, demo_setup: DemoSetup, tmp_path: Path) -> Iterator[CounterApp]:  # noqa: ANN001
    """The application object as ``fpcert-desktop`` builds it, with the login dialog shown."""
    QCoreApplication.setOrganizationName("fpcert-tests")
    QCoreApplication.setApplicationName(f"fpcert-desktop-{tmp_path.name}")
    services = open_services(demo_setup.settings)
    worker = EKeyWorker(find_pkcs11_module(demo_setup.settings.pkcs11_module))
    worker.start().result(timeout=30)
    app = CounterApp(demo_setup.settings, services, worker)
    app.start()
    yield app
    app.log_out()
    app.login.close()
    qtbot.waitUntil(lambda: not app.tasks.busy, timeout=30_000)
    app.tasks.shutdown()
    worker.stop()
