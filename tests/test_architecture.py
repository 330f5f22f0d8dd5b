"""The core packages stay free of Qt, so they run in services, scripts and tests alike."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "fpcert_desktop"
CORE = ("domain", "storage", "ekey", "printing", "synthetic", "services", "sync")


def core_modules() -> list[str]:
    modules = []
    for package in CORE:
        for path in sorted((PACKAGE / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(PACKAGE.parent).with_suffix("")
            name = ".".join(relative.parts)
            modules.append(name.removesuffix(".__init__"))
    return modules


@pytest.mark.parametrize("package", CORE)
def test_core_package_has_no_qt_import(package: str) -> None:
    offenders = []
    for path in (PACKAGE / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names if name.startswith("PySide6")]
    assert offenders == []


def test_core_imports_pull_in_no_qt() -> None:
    """Import every core module in a fresh interpreter; none may load PySide6 indirectly."""
    script = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_core_module_list_not_empty() -> None:
    assert len(core_modules()) > 10
