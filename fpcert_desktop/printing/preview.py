"""Page images of certificate PDFs, rendered with PDFium (pypdfium2)."""

from __future__ import annotations

import io

import pypdfium2
from PIL import Image

DEFAULT_DPI = 110


def render_preview(pdf: bytes, *, dpi: int = DEFAULT_DPI, page_index: int = 0) -> Image.Image:
    """Render one page of ``pdf`` to an RGB image at ``dpi`` pixels per inch."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[page_index]
        try:
            bitmap = page.render(scale=dpi / 72)
            image = bitmap.to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        document.close()
    return image


def render_preview_png(pdf: bytes, dpi: int = DEFAULT_DPI) -> bytes:
    """Render the first page of ``pdf`` and return it as PNG bytes."""
    buffer = io.BytesIO()
    render_preview(pdf, dpi=dpi).save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
