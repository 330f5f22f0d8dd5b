"""Shenzhen's division codes and the office tree built from them.

The districts and streets come from ``resources/reference/shenzhen-divisions.csv``:
the National Bureau of Statistics' 2023 statistical division codes. Street-level rows
whose street part is 4xx (bonded zones, the airport, 前海合作区) are not streets and
get no office. The file stops at streets, so each street gets 3 to 8 synthetic
communities (社区) with code = street code + ``001``, ``002`` ...; their names depend
on the seed only.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fpcert_desktop.domain.offices import Office, OfficeLevel

DIVISIONS_FILE = "shenzhen-divisions.csv"
CITY_OFFICE_NAME = "深圳市卫生健康委员会"
COMMUNITIES_PER_STREET = (3, 8)

_REPOSITORY_REFERENCE = Path(__file__).resolve().parents[2] / "resources" / "reference"

# Characters for synthetic community names such as 福华社区 or 翠岭社区.
_COMMUNITY_CHARACTERS = (
    "福华新城安和园景明兴荔桂岭湖塘山水田东西南北松竹梅龙凤锦绣翠碧海滨沙岗坑围岸湾花香蜜莲宝"
    "康乐泰富民丰源盛怡佳嘉祥瑞春秋晴霞泉溪河桥"
)
# Road names for synthetic addresses, combined with the community's characters.
_ROAD_SUFFIXES = ("路", "大道", "街", "一路", "二路")


@dataclass(frozen=True)
class Division:
    """One row of the reference file."""

    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class Community:
    """A synthetic community and the names of the units above it, for addresses."""

    code: str
    name: str
    street_name: str
    district_name: str
    roads: tuple[str, ...]

    @property
    def district_code(self) -> str:
        return self.code[:6]

    def address(self, road: str, number: int, building: int, room: int) -> str:
        """Format a full Shenzhen address in this community."""
        return (
            f"深圳市{self.district_name}{self.street_name}{self.name}"
            f"{road}{number}号{building}栋{room}室"
        )


@dataclass(frozen=True)
class OfficeTree:
    """Offices in parent-first order, and the communities people live in."""

    offices: tuple[Office, ...]
    communities: tuple[Community, ...]


def read_divisions() -> list[Division]:
    """Read the reference file from the installed package or else from the repository."""
    text = _read_reference_text()
    rows = csv.DictReader(io.StringIO(text))
    return [
        Division(row["code"], row["name"], row["level"], row["parent_code"] or None) for row in rows
    ]


def is_street(division: Division) -> bool:
    """Tell whether a street-level row is a street (street part not 4xx)."""
    return division.level == "street" and division.code[6] != "4"


def build_office_tree(seed: int) -> OfficeTree:
    """Build the city, district, street and synthetic community offices."""
    divisions = read_divisions()
    district_names = {d.code: d.name for d in divisions if d.level == "district"}
    offices: list[Office] = []
    communities: list[Community] = []

    for division in divisions:
        if division.level == "city":
            offices.append(Office(division.code, CITY_OFFICE_NAME, OfficeLevel.CITY))
        elif division.level == "district":
            offices.append(
                Office(
                    division.code,
                    f"{division.name}卫生健康局",
                    OfficeLevel.DISTRICT,
                    division.parent_code,
                )
            )

    for division in divisions:
        if not is_street(division):
            continue
        offices.append(
            Office(
                division.code, f"{division.name}计生办", OfficeLevel.STREET, division.parent_code
            )
        )
        district_name = district_names[division.code[:6]]
        for community in _make_communities(seed, division, district_name):
            communities.append(community)
            offices.append(
                Office(
                    community.code,
                    f"{community.name}工作站",
                    OfficeLevel.COMMUNITY,
                    division.code,
                )
            )
    return OfficeTree(tuple(offices), tuple(communities))


def _make_communities(seed: int, street: Division, district_name: str) -> list[Community]:
    # A generator per street keeps a street's communities the same whatever else changes.
    rng = random.Random(f"communities:{seed}:{street.code}")
    count = rng.randint(*COMMUNITIES_PER_STREET)
    used: list[str] = []
    communities: list[Community] = []
    for index in range(1, count + 1):
        stem = _unique_stem(rng, used)
        used.append(stem)
        roads = tuple(
            rng.choice(_COMMUNITY_CHARACTERS) + stem[rng.randrange(2)] + rng.choice(_ROAD_SUFFIXES)
            for _ in range(3)
        )
        communities.append(
            Community(
                code=f"{street.code}{index:03d}",
                name=f"{stem}社区",
                street_name=street.name,
                district_name=district_name,
                roads=roads,
            )
        )
    return communities


def _unique_stem(rng: random.Random, used: list[str]) -> str:
    while True:
        stem = rng.choice(_COMMUNITY_CHARACTERS) + rng.choice(_COMMUNITY_CHARACTERS)
        if stem[0] != stem[1] and stem not in used:
            return stem


def _read_reference_text() -> str:
    try:
        packaged = resources.files("fpcert_desktop.resources") / "reference" / DIVISIONS_FILE
        return packaged.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return (_REPOSITORY_REFERENCE / DIVISIONS_FILE).read_text(encoding="utf-8")
