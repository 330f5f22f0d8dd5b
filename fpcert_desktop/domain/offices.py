"""Issuing offices and their level in the administrative tree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, MessageTemplate


class OfficeLevel(str, Enum):
    """Administrative level of an office; the policy file maps purposes to these values."""

    CITY = "city"
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"

    @property
    def label(self) -> MessageTemplate:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    OfficeLevel.CITY: QT_TRANSLATE_NOOP("OfficeLevel", "city commission"),
    OfficeLevel.DISTRICT: QT_TRANSLATE_NOOP("OfficeLevel", "district office"),
    OfficeLevel.STREET: QT_TRANSLATE_NOOP("OfficeLevel", "street office"),
    OfficeLevel.COMMUNITY: QT_TRANSLATE_NOOP("OfficeLevel", "community workstation"),
}

# Division code length for each level: 4403 + 2 digits for a district, + 3 for a
# street, + 3 more for a community (the statistical division codes).
CODE_LENGTH = {
    OfficeLevel.CITY: 6,
    OfficeLevel.DISTRICT: 6,
    OfficeLevel.STREET: 9,
    OfficeLevel.COMMUNITY: 12,
}


@dataclass(frozen=True)
class Office:
    """An issuing office; ``code`` is its statistical division code."""

    code: str
    name: str
    level: OfficeLevel
    parent_code: str | None = None

    @property
    def district_code(self) -> str:
        return self.code[:6]

    def contains(self, division_code: str) -> bool:
        """Tell whether a division code (of an address) lies within this office's area."""
        if self.level is OfficeLevel.CITY:
            return division_code.startswith(self.code[:4])
        return division_code.startswith(self.code)
