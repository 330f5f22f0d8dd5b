"""Locate the data files of resources/ and ui/, installed or in a source checkout."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def _package_dir(package: str, source_folder: str) -> Path:
    try:
        located = Path(str(importlib.resources.files(package)))
    except (ModuleNotFoundError, TypeError):
        located = None
    if located is not None and located.is_dir():
        return located
    return _SOURCE_ROOT / source_folder


def resource_path(*parts: str) -> Path:
    """Return a path under resources/ (policy, reference data, translations, fonts, icons)."""
    return _package_dir("fpcert_desktop.resources", "resources").joinpath(*parts)


def form_path(name: str) -> Path:
    """Return the path of a Qt Designer form in ui/."""
    return _package_dir("fpcert_desktop.ui", "ui") / name
