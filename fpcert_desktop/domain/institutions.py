"""The reference list of institutions whose check certificates count on re-issue.

A new certificate within the re-issue window needs a ring and pregnancy check certificate
(查环查孕证明) issued by a Shenzhen family-planning technical service institution. The
list of those institutions is TOML in ``resources/reference/institutions.toml``.
:func:`load_institutions` validates it and raises :class:`InstitutionsError` naming the
file, the entry and the field, so a broken list never loads halfway.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpcert_desktop.domain.history import Institution

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

FILE_NAME = "institutions.toml"

# Shenzhen's division codes: 440300 for the city, 4403xx for its districts.
_DISTRICT_CODE = re.compile(r"4403\d\d")
_TOP_KEYS = ("version", "updated", "institutions")
_ENTRY_KEYS = ("code", "name", "district_code")


class InstitutionsError(ValueError):
    """An invalid institutions file. The message names the file, the entry and the field."""


@dataclass(frozen=True)
class InstitutionList:
    """The institutions file: its version, the day it was last updated and its entries."""

    version: str
    updated: date
    institutions: tuple[Institution, ...]
    source_name: str

    def find(self, code: str) -> Institution | None:
        """Look up an institution by code, or return None when it is not listed."""
        for institution in self.institutions:
            if institution.code == code:
                return institution
        return None


def default_institutions_file() -> Traversable:
    """Find the institutions file in the installed resources, or in the source tree."""
    try:
        from importlib.resources import files

        return files("fpcert_desktop.resources") / "reference" / FILE_NAME
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "resources" / "reference" / FILE_NAME


def load_institutions(path: Path | None = None) -> tuple[Institution, ...]:
    """Load and validate the institutions file (default: the installed reference list)."""
    return load_institution_list(path).institutions


def load_institution_list(path: Path | None = None) -> InstitutionList:
    """Load and validate the institutions file with its version and update date."""
    source: Traversable | Path = default_institutions_file() if path is None else path
    return load_institutions_text(source.read_text(encoding="utf-8"), source_name=source.name)


def load_institutions_text(text: str, *, source_name: str) -> InstitutionList:
    """Parse and validate institutions TOML. Every error message starts with ``source_name``."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InstitutionsError(f"{source_name}: not valid TOML: {error}") from None

    _check_keys(source_name, "top level", document, _TOP_KEYS)
    version = _text(source_name, "top level", document, "version")
    updated = document["updated"]
    if not isinstance(updated, date) or isinstance(updated, datetime):
        raise InstitutionsError(
            f"{source_name}: top level: 'updated' must be a TOML date such as 2026-01-01, "
            f"got {updated!r}"
        )

    tables = document["institutions"]
    if not isinstance(tables, list) or not all(isinstance(item, dict) for item in tables):
        raise InstitutionsError(
            f"{source_name}: top level: 'institutions' must be an array of tables "
            "([[institutions]])"
        )
    if not tables:
        raise InstitutionsError(f"{source_name}: top level: 'institutions' has no entries")

    institutions: list[Institution] = []
    for index, table in enumerate(tables, start=1):
        institution = _institution(source_name, index, table)
        for earlier in institutions:
            if earlier.code == institution.code:
                raise InstitutionsError(
                    f"{source_name}: {_where(index, table)}: duplicate code {institution.code!r}"
                )
        institutions.append(institution)
    return InstitutionList(version, updated, tuple(institutions), source_name)


def _institution(source_name: str, index: int, table: Mapping[str, Any]) -> Institution:
    where = _where(index, table)
    _check_keys(source_name, where, table, _ENTRY_KEYS)
    code = _text(source_name, where, table, "code")
    if code != code.strip() or any(character.isspace() for character in code):
        raise InstitutionsError(f"{source_name}: {where}: 'code' contains whitespace: {code!r}")

    district_code = _text(source_name, where, table, "district_code")
    if _DISTRICT_CODE.fullmatch(district_code) is None:
        raise InstitutionsError(
            f"{source_name}: {where}: 'district_code' must be a Shenzhen division code "
            f"4403xx, got {district_code!r}"
        )
    return Institution(
        code=code, name=_text(source_name, where, table, "name"), district_code=district_code
    )


def _where(index: int, table: Mapping[str, Any]) -> str:
    code = table.get("code")
    return f"institutions entry {index}" + (f" (code {code!r})" if code else "")


def _check_keys(
    source_name: str, where: str, table: Mapping[str, Any], keys: tuple[str, ...]
) -> None:
    for key in keys:
        if key not in table:
            raise InstitutionsError(f"{source_name}: {where}: missing key {key!r}")
    for key in table:
        if key not in keys:
            raise InstitutionsError(
                f"{source_name}: {where}: unknown key {key!r} (known keys: {', '.join(keys)})"
            )


def _text(source_name: str, where: str, table: Mapping[str, Any], key: str) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise InstitutionsError(
            f"{source_name}: {where}: {key!r} must be a non-empty string, got {value!r}"
        )
    return value
