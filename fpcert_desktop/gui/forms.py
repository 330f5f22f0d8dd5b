"""Load Qt Designer forms from ui/ at run time, so no generated code goes stale."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QFile, QIODevice, QObject
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from fpcert_desktop.locations import form_path

W = TypeVar("W", bound=QObject)


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ``ui/<name>``; strings are translated as they load."""
    path = form_path(name)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"cannot open form {path}: {file.errorString()}")
    try:
        loader = QUiLoader()
        widget = loader.load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"cannot load form {path}: {loader.errorString()}")
    return widget


def child(parent: QObject, kind: type[W], name: str) -> W:
    """Return the form's widget or action called ``name``; a missing one is a broken form."""
    found = parent.findChild(kind, name)
    if found is None:
        raise LookupError(f"the form has no {kind.__name__} named {name!r}")
    return found


def add_shortcut(parent: QWidget, keys: str, slot: Callable[[], object]) -> QShortcut:
    """Bind ``keys`` (e.g. ``"Ctrl+P"``) to ``slot`` while ``parent``'s window is active."""
    shortcut = QShortcut(QKeySequence(keys), parent)
    shortcut.activated.connect(slot)
    return shortcut
