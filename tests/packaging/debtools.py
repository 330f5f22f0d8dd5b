"""Helpers of the packaging tests: build the .deb, run dpkg, read package fields."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BUILD_SCRIPT = ROOT / "installer" / "linux" / "build-deb.sh"
PACKAGE = "fpcert-desktop"
INSTALLED_TREE = Path("/opt/fpcert-desktop")
INSTALLED_COMMAND = Path("/usr/bin/fpcert-desktop")
CONFFILE = Path("/etc/fpcert/config.toml")
# The tests build with zstd, which takes seconds, while the default xz takes over a minute.
TEST_COMPRESSION = "zstd"


@dataclass(frozen=True)
class DebPackage:
    path: Path
    version: str


@dataclass(frozen=True)
class DebPackages:
    """The package under test and an older one made from the same bundle."""

    current: DebPackage
    older: DebPackage


def require_root_and_dpkg() -> None:
    problem = ""
    if os.geteuid() != 0:
        problem = "the packaging tests install with dpkg and need root"
    elif shutil.which("dpkg") is None or shutil.which("dpkg-deb") is None:
        problem = "dpkg and dpkg-deb are not installed"
    if not problem:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(problem)
    pytest.skip(problem)


def run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the test with its output when it exits non-zero."""
    completed = subprocess.run(command, capture_output=True, text=True, **options)  # type: ignore[call-overload]
    if completed.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, command))} exited with {completed.returncode}\n"
            f"stdout:\n{completed.stdout[-4000:]}\nstderr:\n{completed.stderr[-4000:]}"
        )
    return completed


def deb_field(deb: Path, field: str) -> str:
    return run(["dpkg-deb", "--field", str(deb), field]).stdout.strip()


def build(output: Path, *options: str) -> Path:
    completed = run(
        [
            "bash",
            str(BUILD_SCRIPT),
            "--output",
            str(output),
            "--compression",
            TEST_COMPRESSION,
            *options,
        ],
        env={**os.environ, "PYTHON": sys.executable},
    )
    return Path(completed.stdout.strip().splitlines()[-1])


def purge() -> None:
    run(["dpkg", "--purge", PACKAGE])


def install(deb: DebPackage) -> None:
    """Install with dpkg -i; the package's dependencies are installed on this machine."""
    run(["dpkg", "--install", str(deb.path)])
