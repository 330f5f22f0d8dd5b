"""Render the PNG icons from resources/icons/hicolor/scalable/apps/fpcert-desktop.svg.

    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/linux/render_icons.py

Writes resources/icons/hicolor/NxN/apps/fpcert-desktop.png for the freedesktop icon
theme and resources/icons/fpcert.png, the window icon the app sets at start. The PNGs
are committed, so the package build does not need to run this.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent.parent / "resources" / "icons"
SOURCE = ICONS / "hicolor" / "scalable" / "apps" / "fpcert-desktop.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)
WINDOW_ICON_SIZE = 256


def render(renderer: QSvgRenderer, size: int, target: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG"):
        raise OSError(f"cannot write {target}")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"error: {SOURCE} is not a valid SVG file", file=sys.stderr)
        return 1
    for size in SIZES:
        render(renderer, size, ICONS / "hicolor" / f"{size}x{size}" / "apps" / "fpcert-desktop.png")
    render(renderer, WINDOW_ICON_SIZE, ICONS / "fpcert.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
