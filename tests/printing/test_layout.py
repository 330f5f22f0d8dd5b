"""The rendered certificate PDF: page size, fonts, text, seal square, wrapping and QR."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from reportlab.lib.units import mm

from fpcert_desktop.domain.certificate import CertificateContent, ChildLine
from fpcert_desktop.printing.errors import CertificateLayoutError, MissingGlyphError
from fpcert_desktop.printing.fonts import FontSet
from fpcert_desktop.printing.layout import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QR_BOX,
    SEAL_BOX,
    SEAL_BOX_MM,
    PageBox,
    render_certificate,
)
from fpcert_desktop.printing.preview import render_preview, render_preview_png

DPI = 110
QR_PAYLOAD = "https://verify.invalid/c/440304001003-01-2026-000042?sig=0f3a9c2e71d4b85a"
LONG_ADDRESS = "广东省深圳市龙岗区横岗街道六约社区示例大道一千二百三十四号某某花园" * 6 + "尾号甲"


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def is_blank(image: Image.Image, box: PageBox) -> bool:
    region = image.crop(box.pixel_bounds(DPI))
    return region.getextrema() == ((255, 255), (255, 255), (255, 255))


def margin_strips() -> list[PageBox]:
    # Left and right page margins, 1 mm inside the margin line.
    width = MARGIN - 1 * mm
    return [
        PageBox(0, 0, width, PAGE_HEIGHT),
        PageBox(PAGE_WIDTH - width, 0, width, PAGE_HEIGHT),
    ]


def zbar_decode(png: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def embedded_font_files(pdf: bytes) -> dict[str, bool]:
    """Map each font of the page to whether its descriptor embeds a TrueType file."""
    fonts = reader(pdf).pages[0]["/Resources"]["/Font"]
    result = {}
    for font in fonts.values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
        result[str(font["/BaseFont"])] = embedded
    return result


def test_page_is_a4(content: CertificateContent, fonts: FontSet) -> None:
    page = reader(render_certificate(content, fonts)).pages[0]
    assert round(float(page.mediabox.width)) == 595
    assert round(float(page.mediabox.height)) == 842


def test_print_scaling_none(content: CertificateContent, fonts: FontSet) -> None:
    preferences = reader(render_certificate(content, fonts)).trailer["/Root"]["/ViewerPreferences"]
    assert preferences["/PrintScaling"] == "/None"


def test_metadata_title_author(content: CertificateContent, fonts: FontSet) -> None:
    metadata = reader(render_certificate(content, fonts)).metadata
    assert metadata.title == content.number
    assert metadata.author == "fpcert-desktop"


def test_every_font_embedded(content: CertificateContent, fonts: FontSet) -> None:
    rare = replace(content, applicant_name="林\U0002020c\U00020001")
    embedded = embedded_font_files(render_certificate(rare, fonts))
    assert any("UMing" in name for name in embedded)
    assert any("HanaMinB" in name for name in embedded)
    for name, has_file in embedded.items():
        assert has_file, f"font {name} is not embedded"


def test_text_has_name_and_number(content: CertificateContent, fonts: FontSet) -> None:
    text = reader(render_certificate(content, fonts)).pages[0].extract_text()
    assert content.applicant_name in text
    assert content.number in text
    assert "计划生育证明" in text
    assert content.applicant_id_number in text


def test_rare_name_character_extracts(content: CertificateContent, fonts: FontSet) -> None:
    rare = replace(content, applicant_name="林\U0002020c")
    text = reader(render_certificate(rare, fonts)).pages[0].extract_text()
    assert "林\U0002020c" in text


def test_children_none_prints_wu(content: CertificateContent, fonts: FontSet) -> None:
    childless = replace(content, children=())
    text = reader(render_certificate(childless, fonts)).pages[0].extract_text()
    assert "子女情况" in text
    assert "无" in text
    assert "孩次" not in text


def test_children_table_rows(content: CertificateContent, fonts: FontSet) -> None:
    two = replace(
        content,
        children=(
            ChildLine("周小禾", "女", "2018年05月02日", "第一孩"),
            ChildLine("周小川", "男", "2021年07月12日", "第二孩"),
        ),
    )
    text = reader(render_certificate(two, fonts)).pages[0].extract_text()
    for expected in ("孩次", "周小禾", "周小川", "第二孩", "2021年07月12日"):
        assert expected in text


def test_seal_box_blank(content: CertificateContent, fonts: FontSet) -> None:
    assert pytest.approx((130.0, 63.0, 40.0, 40.0)) == SEAL_BOX_MM
    image = render_preview(render_certificate(content, fonts), dpi=DPI)
    assert is_blank(image, SEAL_BOX)


def test_seal_box_has_ink_nearby(content: CertificateContent, fonts: FontSet) -> None:
    # The office name sits under the seal box, so the blank check above is not vacuous.
    image = render_preview(render_certificate(content, fonts), dpi=DPI)
    below = PageBox(SEAL_BOX.x - 20 * mm, SEAL_BOX.y - 25 * mm, SEAL_BOX.width + 40 * mm, 24 * mm)
    assert not is_blank(image, below)


def test_long_address_wraps(content: CertificateContent, fonts: FontSet) -> None:
    long = replace(content, hukou_address=LONG_ADDRESS, residence_address=LONG_ADDRESS)
    pdf = render_certificate(long, fonts)
    text = reader(pdf).pages[0].extract_text()
    assert LONG_ADDRESS in text.replace("\n", "")
    assert LONG_ADDRESS not in text  # broken over several lines

    image = render_preview(pdf, dpi=DPI)
    assert is_blank(image, SEAL_BOX)
    for strip in margin_strips():
        assert is_blank(image, strip)


def test_long_office_name_wraps(content: CertificateContent, fonts: FontSet) -> None:
    office = "深圳市龙岗区横岗街道六约社区工作站计划生育证明办理窗口（示例）" * 2
    image = render_preview(render_certificate(replace(content, office_name=office), fonts), dpi=DPI)
    assert is_blank(image, SEAL_BOX)
    for strip in margin_strips():
        assert is_blank(image, strip)


def test_too_long_content_raises(content: CertificateContent, fonts: FontSet) -> None:
    endless = replace(content, statement="本人情况属实。" * 600)
    with pytest.raises(CertificateLayoutError) as raised:
        render_certificate(endless, fonts)
    assert content.number in raised.value.message.english


def test_uncovered_character_names_field(content: CertificateContent, fonts: FontSet) -> None:
    broken = replace(content, residence_address="示例路\ue000号")
    with pytest.raises(MissingGlyphError) as raised:
        render_certificate(broken, fonts)
    assert raised.value.field == "residence_address"
    assert raised.value.characters == ["\ue000"]
    assert "current residence address" in raised.value.message.english


def test_uncovered_child_name_field(content: CertificateContent, fonts: FontSet) -> None:
    child = ChildLine("周\U000e0100", "女", "2018年05月02日", "第一孩")
    with pytest.raises(MissingGlyphError) as raised:
        render_certificate(replace(content, children=(child,)), fonts)
    assert raised.value.field == "children[1].name"


def test_qr_square_empty_without_payload(
    content: CertificateContent, fonts: FontSet, tmp_path: Path
) -> None:
    assert content.qr_payload is None
    png = render_preview_png(render_certificate(content, fonts), DPI)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert is_blank(image, QR_BOX)

    if shutil.which("zbarimg"):
        path = tmp_path / "page.png"
        path.write_bytes(png)
        assert zbar_decode(path).stdout == ""


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) not installed")
def test_qr_decodes_payload(content: CertificateContent, fonts: FontSet, tmp_path: Path) -> None:
    signed = replace(content, qr_payload=QR_PAYLOAD)
    png = render_preview_png(render_certificate(signed, fonts), DPI)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert not is_blank(image, QR_BOX)

    path = tmp_path / "page.png"
    path.write_bytes(png)
    decoded = zbar_decode(path)
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip() == QR_PAYLOAD


def test_preview_size_follows_dpi(content: CertificateContent, fonts: FontSet) -> None:
    image = render_preview(render_certificate(content, fonts), dpi=72)
    width, height = image.size
    # PDFium rounds a fractional page size up or down by one pixel.
    assert abs(width - PAGE_WIDTH) <= 1
    assert abs(height - PAGE_HEIGHT) <= 1
    assert image.mode == "RGB"
