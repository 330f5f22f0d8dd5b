"""``fpcert-desktop demo --autopilot`` run again on one folder, its timeout, and its config."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fpcert_desktop.config import CONFIG_ENV
from fpcert_desktop.demo import DemoSetup, run_demo
from fpcert_desktop.doctor import DoctorContext
from fpcert_desktop.gui import run

pytestmark = [pytest.mark.gui]

PEOPLE = "10"
RUN_TIMEOUT_SECONDS = 240
# The stalled walk reaches the check-certificate requirement within a few seconds.
SHORT_TIMEOUT_MS = 20_000

# Runs the demo command with the autopilot's timeout shortened and without its step that
# records a check certificate, so a repeated run stalls as it did before that step existed.
STALLED_DEMO = f"""
import sys
from fpcert_desktop.cli import main
from fpcert_desktop.gui import autopilot
autopilot.TIMEOUT_MS = {SHORT_TIMEOUT_MS}
autopilot.Autopilot._record_check_certificate = lambda self: None
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def demo_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a demo process, with its log in the test's folder."""
    if shutil.which("softhsm2-util") is None or shutil.which("lpadmin") is None:
        pytest.skip("the demo needs softhsm2-util and CUPS")
    if os.geteuid() != 0:
        pytest.skip("creating the demo's CUPS queue needs root")
    env = {key: value for key, value in os.environ.items() if key != CONFIG_ENV}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["FPCERT_LOG_DIR"] = str(tmp_path / "logs")
    return env


def _demo(
    env: dict[str, str], folder: Path, *, stalled: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``fpcert-desktop demo --autopilot`` on ``folder`` in a new process."""
    program = ["-c", STALLED_DEMO] if stalled else ["-m", "fpcert_desktop.cli"]
    arguments = ["demo", "--dir", str(folder), "--people", PEOPLE, "--autopilot"]
    return subprocess.run(
        [sys.executable, *program, *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )


def _output(completed: subprocess.CompletedProcess[str]) -> str:
    return (completed.stdout + completed.stderr)[-3000:]


def test_second_run_records_check_and_prints(demo_env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "demo"

    first = _demo(demo_env, folder)
    second = _demo(demo_env, folder)

    assert first.returncode == 0, _output(first)
    assert "autopilot: printed" in first.stdout
    # The first certificate needs no check certificate, so none is recorded.
    assert "check certificate recorded" not in first.stdout
    assert second.returncode == 0, _output(second)
    assert "autopilot: check certificate recorded" in second.stdout
    assert "autopilot: printed" in second.stdout


def test_timeout_names_step_and_decision(demo_env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    first = _demo(demo_env, folder)
    assert first.returncode == 0, _output(first)

    stalled = _demo(demo_env, folder, stalled=True)

    assert stalled.returncode == 1, _output(stalled)
    reason = [line for line in stalled.stderr.splitlines() if line.startswith("autopilot:")][-1]
    assert "timed out" in reason
    assert f"after {SHORT_TIMEOUT_MS // 1000} seconds" in reason
    assert "Last step: copies checked against the originals and signed" in reason
    # The decision label, in the demo's Chinese, names the required check certificate.
    assert "查环查孕证明" in reason
    assert "<br>" not in reason
    log_text = (tmp_path / "logs" / "fpcert-desktop.log").read_text(encoding="utf-8")
    assert reason.removeprefix("autopilot: ") in log_text


def test_demo_sets_own_config(demo_setup: DemoSetup, monkeypatch: pytest.MonkeyPatch) -> None:
    """The diagnostics window reads the file that FPCERT_CONFIG names, or the system one."""
    # Setting the variable first makes monkeypatch restore it after run_demo changes it.
    monkeypatch.setenv(CONFIG_ENV, "/nonexistent/config.toml")
    seen: list[DoctorContext] = []

    def open_app(settings: object, **_options: object) -> int:
        seen.append(DoctorContext.load(None))
        return 0

    monkeypatch.setattr(run, "run_app", open_app)

    code = run_demo(
        directory=demo_setup.directory,
        people=int(PEOPLE),
        reset=False,
        autopilot=False,
        setup_only=False,
    )

    assert code == 0
    assert len(seen) == 1
    context = seen[0]
    assert context.config_path == demo_setup.config_path
    assert context.settings.database_path == demo_setup.settings.database_path
    assert context.settings.printer == demo_setup.settings.printer
    assert context.settings.pkcs11_module == demo_setup.settings.pkcs11_module
