"""The applicant's guidance slip: half an A4 page, checked like the certificate."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from fpcert_desktop.printing.errors import CertificateLayoutError, MissingGlyphError
from fpcert_desktop.printing.slip import SlipContent, render_slip

SLIP = SlipContent(
    title="人口档案卡建档指引",
    facts=(("公民身份号码", "440304********9805"), ("类别", "深圳户籍")),
    body="请到户籍地社区工作站建立人口档案卡，待省系统登记后再来办理。",
    office_name="福田街道计生办",
    date_text="2026年12月04日",
)


def text_of(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_slip_prints_every_text() -> None:
    pdf = render_slip(SLIP)
    text = text_of(pdf)
    for expected in ("人口档案卡建档指引", "440304", "户籍地社区工作站", "福田街道计生办"):
        assert expected in text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_slip_extension_b_name() -> None:
    slip = SlipContent(SLIP.title, (("姓名", "林𠈌萍"),), SLIP.body, SLIP.office_name, "")
    assert "𠈌" in text_of(render_slip(slip))


def test_slip_unprintable_character_raises() -> None:
    slip = SlipContent(SLIP.title, (("姓名", "李\ue000"),), SLIP.body, SLIP.office_name, "")
    with pytest.raises(MissingGlyphError):
        render_slip(slip)


def test_slip_overflow_raises() -> None:
    slip = SlipContent(SLIP.title, SLIP.facts, "很长的说明。" * 400, SLIP.office_name, "")
    with pytest.raises(CertificateLayoutError):
        render_slip(slip)
