"""Font lookup, run splitting and missing-glyph errors, with the fonts installed here."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from fpcert_desktop.printing.errors import FontNotFoundError, MissingGlyphError
from fpcert_desktop.printing.fonts import FontSet, find_font_file, load_font_set

RARE_NAME_CHARACTER = "\U0002020c"  # 𠈌, CJK Extension B
EXTENSION_B_ONLY_IN_HANAMINB = "\U00020001"  # 𠀁: not in AR PL UMing nor HanaMinA
PRIVATE_USE = "\ue000"


def fallback(fonts: FontSet, family: str):
    return next(font for font in fonts.fonts if font.family == family)


def test_main_font_is_uming(fonts: FontSet) -> None:
    assert fonts.main.family == "AR PL UMing"
    assert fonts.main.path.name == "uming.ttc"


def test_fallback_order(fonts: FontSet) -> None:
    families = [font.family for font in fonts.fallbacks]
    assert families[:3] == ["HanaMinA", "HanaMinB", "WenQuanYi Zen Hei"]


def test_uming_has_rare_name_character(fonts: FontSet) -> None:
    # AR PL UMing maps U+2020C to a real glyph, so the main font draws it.
    assert fonts.main.has_glyph(RARE_NAME_CHARACTER)
    assert fonts.split_runs("林" + RARE_NAME_CHARACTER) == [
        (fonts.main.name, "林" + RARE_NAME_CHARACTER)
    ]


def test_split_runs_uses_hanaminb(fonts: FontSet) -> None:
    hanamin_b = fallback(fonts, "HanaMinB")
    runs = fonts.split_runs("王" + EXTENSION_B_ONLY_IN_HANAMINB + "明")
    assert runs == [
        (fonts.main.name, "王"),
        (hanamin_b.name, EXTENSION_B_ONLY_IN_HANAMINB),
        (fonts.main.name, "明"),
    ]


def test_split_runs_rare_character_from_hanaminb(fonts: FontSet) -> None:
    # With a main font that lacks U+2020C, the character is drawn from HanaMinB.
    zen_hei = fallback(fonts, "WenQuanYi Zen Hei")
    hanamin_b = fallback(fonts, "HanaMinB")
    sans_first = FontSet(main=zen_hei, fallbacks=(hanamin_b,))
    assert not zen_hei.has_glyph(RARE_NAME_CHARACTER)

    runs = sans_first.split_runs("林" + RARE_NAME_CHARACTER + "芳")
    assert runs == [
        (zen_hei.name, "林"),
        (hanamin_b.name, RARE_NAME_CHARACTER),
        (zen_hei.name, "芳"),
    ]


def test_split_runs_keeps_line_breaks(fonts: FontSet) -> None:
    assert fonts.split_runs("甲\n乙") == [(fonts.main.name, "甲\n乙")]


def test_covers_private_use_false(fonts: FontSet) -> None:
    assert fonts.covers("张")
    assert not fonts.covers(PRIVATE_USE)
    assert not fonts.covers("\U0010fffd")


def test_missing_characters_listed_once(fonts: FontSet) -> None:
    text = "张" + PRIVATE_USE + "三" + PRIVATE_USE + "\U000e01ef"
    assert fonts.missing_characters(text) == [PRIVATE_USE, "\U000e01ef"]


def test_missing_glyph_error_names_field(fonts: FontSet) -> None:
    with pytest.raises(MissingGlyphError) as raised:
        fonts.check_texts({"applicant_sex": "女", "spouse_name": "周" + PRIVATE_USE})

    error = raised.value
    assert error.field == "spouse_name"
    assert error.characters == [PRIVATE_USE]
    english = error.message.english
    assert "spouse's name" in english
    assert "U+E000" in english
    assert "HanaMinB" in english
    assert "not printed" in english


def test_missing_glyph_error_child_field(fonts: FontSet) -> None:
    with pytest.raises(MissingGlyphError) as raised:
        fonts.split_runs("小" + PRIVATE_USE, field="children[2].name")
    assert "name of child 2" in raised.value.message.english


def test_font_not_found_names_package(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError) as raised:
        load_font_set([tmp_path])
    english = raised.value.message.english
    assert "uming.ttc" in english
    assert "fonts-arphic-uming" in english
    assert "HanaMinB.ttf" in english
    assert str(tmp_path) in english


def test_font_dir_env_searched_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system_copy = find_font_file("HanaMinB.ttf", [Path("/usr/share/fonts")])
    assert system_copy is not None
    (tmp_path / "HanaMinB.ttf").symlink_to(system_copy)
    monkeypatch.setenv("FPCERT_FONT_DIR", str(tmp_path))

    fonts = load_font_set()
    hanamin_b = fallback(fonts, "HanaMinB")
    assert hanamin_b.path == tmp_path / "HanaMinB.ttf"


def test_only_fallback_becomes_main(tmp_path: Path) -> None:
    system_copy = find_font_file("HanaMinB.ttf", [Path("/usr/share/fonts")])
    assert system_copy is not None
    (tmp_path / "HanaMinB.ttf").symlink_to(system_copy)

    fonts = load_font_set([tmp_path])
    assert fonts.main.family == "HanaMinB"
    assert fonts.fallbacks == ()


def test_to_unicode_above_bmp(fonts: FontSet) -> None:
    # reportlab 5.1 alone writes <2020C>, which readers extract as a dagger.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=fonts.main.name)
    canvas.setFont(fonts.main.name, 20)
    canvas.drawString(50, 700, "林" + RARE_NAME_CHARACTER + "芳")
    canvas.save()

    text = pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()
    assert "林" + RARE_NAME_CHARACTER + "芳" in text
    assert "†" not in text
