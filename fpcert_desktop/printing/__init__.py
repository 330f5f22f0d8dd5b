"""Certificate printing: A4 layout, font fallback, previews and CUPS job confirmation."""

from fpcert_desktop.printing.errors import (
    CertificateLayoutError,
    CupsAdminError,
    FontNotFoundError,
    MissingGlyphError,
    PrinterNotFound,
    PrinterUnavailable,
    PrintFailed,
    PrintingError,
    PrintTimeout,
)
from fpcert_desktop.printing.fonts import FontSet, load_font_set
from fpcert_desktop.printing.layout import SEAL_BOX, SEAL_BOX_MM, render_certificate
from fpcert_desktop.printing.preview import render_preview, render_preview_png
from fpcert_desktop.printing.printer import Printer, PrintResult

__all__ = [
    "SEAL_BOX",
    "SEAL_BOX_MM",
    "CertificateLayoutError",
    "CupsAdminError",
    "FontNotFoundError",
    "FontSet",
    "MissingGlyphError",
    "PrintFailed",
    "PrintResult",
    "PrintTimeout",
    "Printer",
    "PrinterNotFound",
    "PrinterUnavailable",
    "PrintingError",
    "load_font_set",
    "render_certificate",
    "render_preview",
    "render_preview_png",
]
