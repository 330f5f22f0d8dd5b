"""Shared parts of the manual's screenshot tools: Xvfb, the demo login and saving images.

Each ``tools/take_*_screenshots.py`` prepares a demo folder, starts the real app on it and
drives it with a :class:`DemoPilot` subclass, which logs in with one demo e-key and then
takes over in ``on_main_window``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from fpcert_desktop.demo import DEMO_PIN
from fpcert_desktop.gui.app import CounterApp
from fpcert_desktop.gui.main_window import MainWindowController

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO / "docs" / "images"
STEP_MS = 200
TIMEOUT_MS = 120_000


def restart_under_xvfb() -> int | None:
    """Run this script again under ``xvfb-run`` when there is no display.

    With a display or Qt offscreen it returns None and the script goes on here. Without
    xvfb-run it returns exit code 2. Otherwise xvfb-run replaces this process.
    """
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return None
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        print("no DISPLAY and no xvfb-run: install xvfb", file=sys.stderr)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.execv(xvfb, [xvfb, "-a", "-s", "-screen 0 1440x900x24", sys.executable, *sys.argv])


def save(widget: QWidget, name: str) -> None:
    """Grab ``widget`` as it is on screen into docs/images/``name``."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    widget.grab().save(str(IMAGES / name))
    print(f"saved docs/images/{name}", flush=True)


class JsonTranslator(QTranslator):
    """Translations from a ``{"Context|source": "translation"}`` mapping.

    For strings whose translation is not in resources/translations yet.
    """

    def __init__(self, entries: dict[str, str]) -> None:
        super().__init__()
        self.entries = entries

    def isEmpty(self) -> bool:  # noqa: N802
        return not self.entries

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null QString) lets Qt ask the next translator; "" would not.
        return self.entries.get(f"{context}|{source}")


def load_translations(path: Path | None) -> list[QTranslator]:
    if path is None:
        return []
    return [JsonTranslator(json.loads(path.read_text(encoding="utf-8")))]


class DemoPilot(QObject):
    """Log in with one demo e-key, then hand the main window to ``on_main_window``.

    Subclasses set ``exit_code = 0`` and call :meth:`finish` when every image is saved,
    or call :meth:`fail` with the reason.
    """

    def __init__(
        self,
        key_label: str,
        window_size: tuple[int, int],
        translators: list[QTranslator] | None = None,
    ) -> None:
        super().__init__()
        self.key_label = key_label
        self.window_size = window_size
        self.translators = translators or []
        self.app: CounterApp | None = None
        self.main: MainWindowController | None = None
        self.exit_code = 1

    def start(self, app: CounterApp) -> None:
        self.app = app
        for translator in self.translators:
            QCoreApplication.installTranslator(translator)
        app.main_window_shown.connect(self._main_window_shown)
        QTimer.singleShot(TIMEOUT_MS, lambda: self.fail("timed out"))
        self.wait_for(lambda: self.key_index() >= 0, self.log_in)

    def key_index(self) -> int:
        assert self.app is not None
        combo = self.app.login.key_combo
        for index in range(combo.count()):
            if combo.itemText(index).startswith(f"{self.key_label} ("):
                return index
        return -1

    def log_in(self) -> None:
        assert self.app is not None
        login = self.app.login
        login.key_combo.setCurrentIndex(self.key_index())
        login.pin_edit.setText(DEMO_PIN)
        login.login_button.click()

    def _main_window_shown(self, main: MainWindowController) -> None:
        self.main = main
        main.window.resize(*self.window_size)
        self.on_main_window(main)

    def on_main_window(self, main: MainWindowController) -> None:
        raise NotImplementedError

    def wait_for(self, condition: Callable[[], bool], then: Callable[[], None]) -> None:
        def poll() -> None:
            if condition():
                then()
            else:
                QTimer.singleShot(STEP_MS, poll)

        QTimer.singleShot(STEP_MS, poll)

    def fail(self, reason: str) -> None:
        if self.exit_code == 0:
            return
        print(f"screenshots: {reason}", file=sys.stderr, flush=True)
        self.finish()

    def finish(self) -> None:
        if self.app is not None:
            self.app.quit()
        else:
            QApplication.quit()
