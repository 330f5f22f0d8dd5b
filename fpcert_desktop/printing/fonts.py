"""Certificate fonts: lookup, registration with reportlab and per-character fallback.

reportlab embeds only TrueType outlines (CFF-based OpenType fonts fail with "postscript
outlines are not supported") and has no per-character font fallback: a character the
current font lacks is drawn as that font's .notdef glyph without any error. A
:class:`FontSet` therefore splits every text into runs, each drawn with the main font
where it has the glyph and with the first fallback font that has it otherwise, and
reports the characters that no font has.
"""

from __future__ import annotations

import importlib.resources
import logging
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.printing.errors import FontNotFoundError, MissingGlyphError
from fpcert_desktop.printing.fields import field_label

logger = logging.getLogger(__name__)

FONT_DIR_ENV = "FPCERT_FONT_DIR"

# Line breaks and tabs are layout, not glyphs: no font needs to cover them.
LAYOUT_CHARACTERS = frozenset("\n\r\t")


@dataclass(frozen=True)
class FontCandidate:
    """A TrueType font file the certificate can use, and where to get it."""

    key: str
    file_name: str
    subfont_index: int
    family: str
    source: str

    @property
    def registered_name(self) -> str:
        return f"FPCert-{self.key}"


# Search order of the fallbacks. The main font is the first found of MAIN_FONT_KEYS.
FONT_CANDIDATES: tuple[FontCandidate, ...] = (
    FontCandidate("UMing", "uming.ttc", 0, "AR PL UMing", "Debian package fonts-arphic-uming"),
    FontCandidate("HanaMinA", "HanaMinA.ttf", 0, "HanaMinA", "Debian package fonts-hanazono"),
    FontCandidate("HanaMinB", "HanaMinB.ttf", 0, "HanaMinB", "Debian package fonts-hanazono"),
    FontCandidate(
        "WenQuanYiZenHei",
        "wqy-zenhei.ttc",
        0,
        "WenQuanYi Zen Hei",
        "Debian package fonts-wqy-zenhei",
    ),
    FontCandidate("SimSun", "simsun.ttc", 0, "SimSun", "Windows"),
    FontCandidate("SimSunExtB", "simsunb.ttf", 0, "SimSun-ExtB", "Windows"),
)

# Song/Ming faces first, as official certificates use them.
MAIN_FONT_KEYS = ("UMing", "SimSun")

_NO_FONT = QT_TRANSLATE_NOOP(
    "Printing",
    "No certificate font was found. Searched for {files} in these folders: {folders}. "
    "Install the Debian packages fonts-arphic-uming and fonts-hanazono, or copy the font "
    "files into the folder named by the FPCERT_FONT_DIR environment variable, then start "
    "the program again.",
)

_MISSING_GLYPH = QT_TRANSLATE_NOOP(
    "Printing",
    "The {field} contains {characters}, which no installed font can print. Install the "
    "HanaMinB font (Debian package fonts-hanazono) or ask IT for help. The certificate "
    "was not printed.",
)


class UnicodeCMapTTFont(TTFont):
    """A reportlab ``TTFont`` that writes correct ToUnicode entries above U+FFFF.

    reportlab 5.1 formats each ToUnicode target as ``<%04X>``, so U+2020C becomes the
    odd-length hex string ``<2020C>``. PDF readers decode that as the bytes 20 20 C0,
    and text extraction and copy-and-paste show "†" for the character even though the
    right glyph is drawn. This class rewrites those entries as UTF-16BE surrogate pairs
    (``<D840DE0C>``), which is what the PDF specification requires.
    """

    _WIDE_TARGET = re.compile(r"^<([0-9A-F]{2})> <([0-9A-F]{5,6})>$", re.MULTILINE)

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's method name
        super().addObjects(doc)
        for name, obj in list(doc.idToObject.items()):
            if isinstance(name, str) and name.startswith("toUnicodeCMap:"):
                obj.content = self._WIDE_TARGET.sub(_surrogate_pair_entry, obj.content)


def _surrogate_pair_entry(match: re.Match[str]) -> str:
    code, code_point = match.group(1), int(match.group(2), 16)
    utf16 = chr(code_point).encode("utf-16-be").hex().upper()
    return f"<{code}> <{utf16}>"


@dataclass(frozen=True)
class LoadedFont:
    """A font file registered with reportlab under ``name``."""

    name: str
    family: str
    path: Path
    font: TTFont

    def has_glyph(self, character: str) -> bool:
        # Glyph 0 is .notdef, the empty box a font draws for a character it lacks.
        return self.font.face.charToGlyph.get(ord(character), 0) != 0


@dataclass(frozen=True)
class FontSet:
    """The main certificate font and its ordered fallbacks."""

    main: LoadedFont
    fallbacks: tuple[LoadedFont, ...] = ()

    @property
    def fonts(self) -> tuple[LoadedFont, ...]:
        return (self.main, *self.fallbacks)

    def font_for(self, character: str) -> LoadedFont | None:
        """Return the first font, main font first, that has a glyph for ``character``."""
        for font in self.fonts:
            if font.has_glyph(character):
                return font
        return None

    def covers(self, character: str) -> bool:
        return self.font_for(character) is not None

    def missing_characters(self, text: str) -> list[str]:
        """Return the characters of ``text`` that no font has, each once, in text order."""
        missing: list[str] = []
        for character in text:
            if character in LAYOUT_CHARACTERS or character in missing:
                continue
            if not self.covers(character):
                missing.append(character)
        return missing

    def split_runs(self, text: str, *, field: str | None = None) -> list[tuple[str, str]]:
        """Split ``text`` into ``(font name, run)`` pairs that draw every character right.

        Raises:
            MissingGlyphError: a character of ``text`` is in no font. The message
                names ``field``.
        """
        self.check_text(text, field=field)

        runs: list[tuple[str, str]] = []
        for character in text:
            if character in LAYOUT_CHARACTERS:
                font_name = runs[-1][0] if runs else self.main.name
            else:
                font = self.font_for(character)
                assert font is not None  # check_text() has verified every character
                font_name = font.name

            if runs and runs[-1][0] == font_name:
                runs[-1] = (font_name, runs[-1][1] + character)
            else:
                runs.append((font_name, character))
        return runs

    def check_text(self, text: str, *, field: str | None = None) -> None:
        """Raise MissingGlyphError if a character of ``text`` is in no font."""
        missing = self.missing_characters(text)
        if missing:
            raise missing_glyph_error(missing, field)

    def check_texts(self, texts: Mapping[str, str]) -> None:
        """Check every ``field: text`` pair and raise MissingGlyphError for the first failure."""
        for field, text in texts.items():
            self.check_text(text, field=field)


def missing_glyph_error(characters: Sequence[str], field: str | None) -> MissingGlyphError:
    listed = ", ".join(f"{character} ({code_point_label(character)})" for character in characters)
    message = _MISSING_GLYPH.format(field=field_label(field), characters=listed)
    return MissingGlyphError(message, characters=list(characters), field=field)


def code_point_label(character: str) -> str:
    return f"U+{ord(character):04X}"


def font_search_dirs() -> list[Path]:
    """Return the folders searched for font files, in priority order.

    The order is: the folder named by FPCERT_FONT_DIR, the fonts bundled with the
    package (empty unless an installer put fonts there), then the system font folders.
    """
    dirs: list[Path] = []
    configured = os.environ.get(FONT_DIR_ENV)
    if configured:
        dirs.append(Path(configured))

    bundled = bundled_font_dir()
    if bundled is not None:
        dirs.append(bundled)

    dirs.extend(system_font_dirs())
    return dirs


def bundled_font_dir() -> Path | None:
    """Return ``resources/fonts`` of the installed package or of the source checkout."""
    try:
        fonts = importlib.resources.files("fpcert_desktop.resources") / "fonts"
    except ModuleNotFoundError:
        # A source checkout that is not installed: resources/ sits beside the package.
        fonts = Path(__file__).resolve().parents[2] / "resources" / "fonts"
    path = Path(str(fonts))
    return path if path.is_dir() else None


def system_font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        windows = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs = [windows / "Fonts"]
        local_app_data = os.environ.get("LOCALAPPDATA")
        if local_app_data:
            dirs.append(Path(local_app_data) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


def find_font_file(file_name: str, search_dirs: Iterable[Path]) -> Path | None:
    """Return the first file called ``file_name`` (any case) under the folders, or None."""
    target_name = file_name.lower()
    for directory in search_dirs:
        for path in _walk_files(directory):
            if path.name.lower() == target_name:
                return path
    return None


def _walk_files(directory: Path) -> Iterator[Path]:
    if not directory.is_dir():
        return
    for root, dir_names, file_names in os.walk(directory):
        dir_names.sort()
        for file_name in sorted(file_names):
            yield Path(root) / file_name


_cache: dict[tuple[Path, ...], FontSet] = {}
_cache_lock = threading.Lock()


def load_font_set(search_dirs: Sequence[Path] | None = None) -> FontSet:
    """Find the certificate fonts, register them with reportlab and return the set.

    The result is cached per list of search folders, so fonts are loaded and registered
    once per process. ``search_dirs`` defaults to :func:`font_search_dirs`.

    Raises:
        FontNotFoundError: none of the candidate fonts was found or could be loaded.
    """
    dirs = tuple(font_search_dirs() if search_dirs is None else search_dirs)
    with _cache_lock:
        if dirs not in _cache:
            _cache[dirs] = _load_font_set(dirs)
        return _cache[dirs]


def _load_font_set(dirs: tuple[Path, ...]) -> FontSet:
    loaded: dict[str, LoadedFont] = {}
    for candidate in FONT_CANDIDATES:
        path = find_font_file(candidate.file_name, dirs)
        if path is None:
            logger.info("Font %s (%s) not found", candidate.file_name, candidate.family)
            continue
        font = _load_font(candidate, path)
        if font is not None:
            loaded[candidate.key] = font

    if not loaded:
        files = ", ".join(f"{c.file_name} ({c.source})" for c in FONT_CANDIDATES)
        folders = ", ".join(str(directory) for directory in dirs) or "-"
        raise FontNotFoundError(_NO_FONT.format(files=files, folders=folders))

    main_key = next((key for key in MAIN_FONT_KEYS if key in loaded), next(iter(loaded)))
    if main_key not in MAIN_FONT_KEYS:
        logger.warning(
            "No Song/Ming font found (uming.ttc or simsun.ttc), so certificates print with %s",
            loaded[main_key].family,
        )
    fallbacks = tuple(font for key, font in loaded.items() if key != main_key)
    return FontSet(main=loaded[main_key], fallbacks=fallbacks)


def _load_font(candidate: FontCandidate, path: Path) -> LoadedFont | None:
    try:
        font = UnicodeCMapTTFont(
            candidate.registered_name, str(path), subfontIndex=candidate.subfont_index
        )
    except (TTFError, OSError) as error:
        logger.warning("Font %s cannot be used: %s", path, error)
        return None

    pdfmetrics.registerFont(font)
    logger.info("Loaded font %s from %s", candidate.family, path)
    return LoadedFont(name=candidate.registered_name, family=candidate.family, path=path, font=font)
