"""People as the provincial population system records them.

These are read-only snapshots: the client never edits population data, so every type
here is frozen. ``zh`` gives the wording printed on the certificate, which is always
Chinese; ``label`` is the translatable wording for the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, MessageTemplate


class Sex(str, Enum):
    MALE = "male"
    FEMALE = "female"

    @property
    def zh(self) -> str:
        return "男" if self is Sex.MALE else "女"

    @property
    def label(self) -> MessageTemplate:
        return _SEX_LABELS[self]


class MaritalStatus(str, Enum):
    """Marital status, following the GB/T 2261.2 categories."""

    UNMARRIED = "unmarried"
    FIRST_MARRIAGE = "first_marriage"
    REMARRIED = "remarried"
    DIVORCED = "divorced"
    WIDOWED = "widowed"

    @property
    def zh(self) -> str:
        return _MARITAL_ZH[self]

    @property
    def label(self) -> MessageTemplate:
        return _MARITAL_LABELS[self]

    @property
    def is_married(self) -> bool:
        return self in (MaritalStatus.FIRST_MARRIAGE, MaritalStatus.REMARRIED)


class HukouCategory(str, Enum):
    """Where the household registration (户籍) is, which decides who builds an archive card."""

    SHENZHEN = "shenzhen"
    GUANGDONG_OTHER = "guangdong_other"
    OUTSIDE_GUANGDONG = "outside_guangdong"

    @property
    def zh(self) -> str:
        return _HUKOU_ZH[self]

    @property
    def label(self) -> MessageTemplate:
        return _HUKOU_LABELS[self]


class PopulationType(str, Enum):
    """Registered residents (户籍人口) or floating population (流动人口)."""

    RESIDENT = "resident"
    FLOATING = "floating"

    @property
    def zh(self) -> str:
        return "户籍人口" if self is PopulationType.RESIDENT else "流动人口"


_SEX_LABELS = {
    Sex.MALE: QT_TRANSLATE_NOOP("Sex", "male"),
    Sex.FEMALE: QT_TRANSLATE_NOOP("Sex", "female"),
}
_MARITAL_ZH = {
    MaritalStatus.UNMARRIED: "未婚",
    MaritalStatus.FIRST_MARRIAGE: "初婚",
    MaritalStatus.REMARRIED: "再婚",
    MaritalStatus.DIVORCED: "离婚",
    MaritalStatus.WIDOWED: "丧偶",
}
_MARITAL_LABELS = {
    MaritalStatus.UNMARRIED: QT_TRANSLATE_NOOP("MaritalStatus", "unmarried"),
    MaritalStatus.FIRST_MARRIAGE: QT_TRANSLATE_NOOP("MaritalStatus", "first marriage"),
    MaritalStatus.REMARRIED: QT_TRANSLATE_NOOP("MaritalStatus", "remarried"),
    MaritalStatus.DIVORCED: QT_TRANSLATE_NOOP("MaritalStatus", "divorced"),
    MaritalStatus.WIDOWED: QT_TRANSLATE_NOOP("MaritalStatus", "widowed"),
}
_HUKOU_ZH = {
    HukouCategory.SHENZHEN: "深圳户籍",
    HukouCategory.GUANGDONG_OTHER: "广东省内非深户",
    HukouCategory.OUTSIDE_GUANGDONG: "非广东省户籍",
}
_HUKOU_LABELS = {
    HukouCategory.SHENZHEN: QT_TRANSLATE_NOOP("HukouCategory", "Shenzhen hukou"),
    HukouCategory.GUANGDONG_OTHER: QT_TRANSLATE_NOOP(
        "HukouCategory", "Guangdong hukou outside Shenzhen"
    ),
    HukouCategory.OUTSIDE_GUANGDONG: QT_TRANSLATE_NOOP("HukouCategory", "hukou outside Guangdong"),
}


@dataclass(frozen=True)
class Child:
    """A child of the applicant; ``birth_order`` is the mother's 孩次 (1 for the first)."""

    name: str
    sex: Sex
    birth_date: date
    birth_order: int
    id_number: str | None = None


@dataclass(frozen=True)
class Pregnancy:
    """The current pregnancy registered in the provincial system."""

    registered_on: date
    expected_delivery: date | None
    planned_birth_order: int


@dataclass(frozen=True)
class SpouseSummary:
    """What the certificate prints about the spouse; ``person_id`` is None when not on record."""

    name: str
    id_number: str
    person_id: int | None = None


@dataclass(frozen=True)
class Person:
    """One provincial record, with its family as of ``record_version``."""

    person_id: int
    id_number: str
    name: str
    sex: Sex
    birth_date: date
    ethnicity: str
    population_type: PopulationType
    hukou_category: HukouCategory
    hukou_address: str
    hukou_division_code: str
    residence_address: str
    residence_division_code: str
    marital_status: MaritalStatus
    marriage_date: date | None = None
    spouse: SpouseSummary | None = None
    children: tuple[Child, ...] = field(default_factory=tuple)
    pregnancy: Pregnancy | None = None
    record_version: int = 1
    updated_at: datetime | None = None

    @property
    def born_children(self) -> int:
        return len(self.children)

    @property
    def children_including_pregnancy(self) -> int:
        return len(self.children) + (1 if self.pregnancy is not None else 0)
