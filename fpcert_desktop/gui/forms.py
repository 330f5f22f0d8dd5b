"""Load Qt Designer forms from ui/ at run time, so no generated code goes stale."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate, QEvent, QFile, QIODevice, QObject
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


class EventBlocker(QObject):
    """Event filter that swallows the given event types and reports each one.

    Forms built by QUiLoader cannot be subclassed, so closing a window or pressing
    Escape in a dialog is intercepted here instead of by overriding their handlers.
    """

    def __init__(
        self,
        target: QObject,
        blocked: Callable[[QEvent], bool],
        on_blocked: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(target)
        self._blocked = blocked
        self._on_blocked = on_blocked
        self.enabled = True
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not self.enabled or not self._blocked(event):
            return False
        if self._on_blocked is not None:
            self._on_blocked()
        return True


def to_date(value: QDate) -> date:
    """Convert a date from a date editor."""
    return date(value.year(), value.month(), value.day())
