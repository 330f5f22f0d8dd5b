"""Print through a real cups-pdf queue and check the PDF that CUPS produced.

The cups-pdf backend of Debian 12 (3.0.1) receives PostScript from the CUPS filter
chain and converts it back to PDF with Ghostscript. That chain drops the ToUnicode
maps, so the printed file's extractable text keeps only ASCII characters (the number
and the ID digits). The Chinese text, 𠈌 included, is checked by comparing page images
of the printed file with the submitted one instead.
"""

from __future__ import annotations

import io
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageChops

from fpcert_desktop.domain.certificate import CertificateContent
from fpcert_desktop.printing.cups import CupsPrinter, list_cups_queues
from fpcert_desktop.printing.cups_admin import find_cups_pdf_output, is_cupsd_running
from fpcert_desktop.printing.errors import PrinterNotFound, PrinterUnavailable, PrintFailed
from fpcert_desktop.printing.fonts import FontSet
from fpcert_desktop.printing.layout import render_certificate
from fpcert_desktop.printing.preview import render_preview

pytestmark = pytest.mark.cups

DPI = 110
RARE_NAME = "林\U0002020c"


def print_and_fetch(pdf: bytes, title: str, queue: str, output_dir: Path) -> tuple[str, bytes]:
    submitted_at = time.time() - 1
    result = CupsPrinter(queue).print_pdf(pdf, title=title, timeout=60)
    assert result.printer == queue
    assert result.job_id.startswith(f"{queue}-")

    # Poll briefly in case the file shows up after the job state has changed.
    path = None
    for _ in range(50):
        path = find_cups_pdf_output(result.job_id, output_dir, after=submitted_at)
        if path is not None:
            break
        time.sleep(0.1)
    assert path is not None, f"no PDF for job {result.job_id} in {output_dir}"
    return result.job_id, path.read_bytes()


def differing_fraction(first: Image.Image, second: Image.Image) -> float:
    difference = ImageChops.difference(first.convert("L"), second.convert("L"))
    histogram = difference.point(lambda value: 255 if value > 96 else 0).histogram()
    return histogram[255] / (first.width * first.height)


def embedded(pdf: bytes) -> list[bool]:
    fonts = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    results = []
    for font in fonts.values():
        descriptor = font.get_object().get("/FontDescriptor")
        results.append(descriptor is not None and "/FontFile2" in descriptor.get_object())
    return results


@pytest.fixture(scope="module")
def printed_normal(
    cups_queue: str, cups_output_dir: Path, fonts: FontSet
) -> tuple[CertificateContent, bytes, bytes]:
    from fpcert_desktop.printing.sample import sample_certificate_content

    content = sample_certificate_content()
    pdf = render_certificate(content, fonts)
    _, printed = print_and_fetch(pdf, content.number, cups_queue, cups_output_dir)
    return content, pdf, printed


@pytest.fixture(scope="module")
def printed_rare(
    cups_queue: str, cups_output_dir: Path, fonts: FontSet
) -> tuple[CertificateContent, bytes, bytes]:
    from fpcert_desktop.printing.sample import sample_certificate_content

    content = sample_certificate_content(
        applicant_name=RARE_NAME, number="440304001003-01-2026-000043"
    )
    pdf = render_certificate(content, fonts)
    _, printed = print_and_fetch(pdf, content.number, cups_queue, cups_output_dir)
    return content, pdf, printed


def test_cupsd_running(cups_queue: str) -> None:
    assert is_cupsd_running()
    assert cups_queue in list_cups_queues()


def test_printed_page_is_a4(printed_normal) -> None:
    _, _, printed = printed_normal
    page = pypdf.PdfReader(io.BytesIO(printed)).pages[0]
    assert round(float(page.mediabox.width)) == 595
    assert round(float(page.mediabox.height)) == 842
    assert page.rotation == 0


def test_printed_fonts_embedded(printed_normal) -> None:
    _, _, printed = printed_normal
    flags = embedded(printed)
    assert flags
    assert all(flags)


def test_printed_text_has_number(printed_normal) -> None:
    content, _, printed = printed_normal
    text = pypdf.PdfReader(io.BytesIO(printed)).pages[0].extract_text()
    assert content.number in text
    assert content.applicant_id_number in text


def test_printed_page_matches_submitted(printed_normal) -> None:
    # Same page at 100 % scale: fewer than 0.5 % of the pixels differ noticeably.
    _, pdf, printed = printed_normal
    submitted = render_preview(pdf, dpi=DPI)
    result = render_preview(printed, dpi=DPI)
    assert submitted.size == result.size
    assert differing_fraction(submitted, result) < 0.005


def test_printed_rare_character_drawn(printed_rare, fonts: FontSet) -> None:
    # The printed page must look like the submitted one with 𠈌, and measurably
    # unlike a page whose name has another character in its place.
    content, pdf, printed = printed_rare
    result = render_preview(printed, dpi=DPI)
    submitted = render_preview(pdf, dpi=DPI)
    stand_in = render_preview(render_certificate(replace(content, applicant_name="林口"), fonts))

    match = differing_fraction(submitted, result)
    mismatch = differing_fraction(stand_in, result)
    assert match < 0.005
    assert mismatch > match


def test_printed_rare_number_text(printed_rare) -> None:
    content, _, printed = printed_rare
    text = pypdf.PdfReader(io.BytesIO(printed)).pages[0].extract_text()
    assert content.number in text


def test_missing_queue_not_found(cups_queue: str, content: CertificateContent) -> None:
    with pytest.raises(PrinterNotFound) as raised:
        CupsPrinter("fpcert-no-such-queue").print_pdf(b"%PDF-1.4", title=content.number)
    english = raised.value.message.english
    assert "fpcert-no-such-queue" in english
    assert cups_queue in english


def test_disabled_queue_unavailable(
    cups_queue: str, content: CertificateContent, fonts: FontSet
) -> None:
    pdf = render_certificate(content, fonts)
    subprocess.run(["cupsdisable", cups_queue], check=True, timeout=30)
    try:
        with pytest.raises((PrinterUnavailable, PrintFailed)) as raised:
            CupsPrinter(cups_queue).print_pdf(pdf, title=content.number, timeout=10)
    finally:
        subprocess.run(["cupsenable", cups_queue], check=True, timeout=30)
    english = raised.value.message.english
    assert cups_queue in english
    assert "cupsenable" in english


def test_rejecting_queue_unavailable(
    cups_queue: str, content: CertificateContent, fonts: FontSet
) -> None:
    pdf = render_certificate(content, fonts)
    subprocess.run(["cupsreject", cups_queue], check=True, timeout=30)
    try:
        with pytest.raises(PrinterUnavailable) as raised:
            CupsPrinter(cups_queue).print_pdf(pdf, title=content.number, timeout=10)
    finally:
        subprocess.run(["cupsaccept", cups_queue], check=True, timeout=30)
    assert "cupsaccept" in raised.value.message.english
