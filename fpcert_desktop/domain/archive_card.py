"""Where an applicant with no provincial record has the population archive card made.

An applicant who is not registered in the provincial population system gets no
certificate until a population archive card (人口档案卡) is made and the record is in the
system. The 2012 work specification (深卫人发〔2012〕55号) states where the card is made:

- Shenzhen hukou: the community workstation of the hukou address;
- hukou outside Guangdong: the community workstation of the current residence;
- Guangdong hukou outside Shenzhen: as the Guangdong provincial rules provide;
- people moving into Shenzhen who do not live in the city yet: the community of the
  intended hukou address, which makes a current-residence archive card.

:func:`archive_card_guidance` returns the clerk's message and the Chinese slip text for
the applicant.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from fpcert_desktop.domain.idnumber import IdNumber
from fpcert_desktop.domain.people import HukouCategory
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message, MessageTemplate


class ArchiveCategory(str, Enum):
    """The case of the archive-card rule that applies to the applicant."""

    SHENZHEN_HUKOU = "shenzhen_hukou"
    GUANGDONG_OTHER = "guangdong_other"
    OUTSIDE_GUANGDONG = "outside_guangdong"
    MOVING_IN = "moving_in"

    @property
    def label(self) -> MessageTemplate:
        return _CATEGORY_LABELS[self]


_GUIDANCE = {
    ArchiveCategory.SHENZHEN_HUKOU: QT_TRANSLATE_NOOP(
        "ArchiveCard",
        "ID number {masked} has no record in the provincial system. For a Shenzhen hukou, "
        "the population archive card (人口档案卡) is made at the community workstation of "
        "the hukou address. Give the applicant the slip, and print the certificate once the "
        "record is in the provincial system.",
    ),
    ArchiveCategory.OUTSIDE_GUANGDONG: QT_TRANSLATE_NOOP(
        "ArchiveCard",
        "ID number {masked} has no record in the provincial system. For a hukou outside "
        "Guangdong, the population archive card (人口档案卡) is made at the community "
        "workstation of the current residence. Give the applicant the slip, and print the "
        "certificate once the record is in the provincial system.",
    ),
    ArchiveCategory.GUANGDONG_OTHER: QT_TRANSLATE_NOOP(
        "ArchiveCard",
        "ID number {masked} has no record in the provincial system. For a Guangdong hukou "
        "outside Shenzhen, the population archive card (人口档案卡) is made as the Guangdong "
        "provincial rules provide, and the city's work specification names no place. Ask the "
        "street office where those rules have it made, tell the applicant and give them "
        "the slip. Print the certificate once the record is in the provincial system.",
    ),
    ArchiveCategory.MOVING_IN: QT_TRANSLATE_NOOP(
        "ArchiveCard",
        "ID number {masked} has no record in the provincial system. For someone moving "
        "into Shenzhen who does not live in the city yet, the community of the intended "
        "hukou address makes a current-residence population archive card (人口档案卡). "
        "Give the applicant the slip, and print the certificate once the record is in the "
        "provincial system.",
    ),
}
_FROM_REGION_CODE = QT_TRANSLATE_NOOP(
    "ArchiveCard",
    "{guidance} The hukou category comes from region code {region_code}, where the ID "
    "number was issued. If the applicant's hukou is elsewhere today, choose the hukou "
    "category and look again.",
)

_SLIP_PLACES = {
    ArchiveCategory.SHENZHEN_HUKOU: "请到户籍地所在社区工作站建立人口档案卡。",
    ArchiveCategory.OUTSIDE_GUANGDONG: "请到现居住地所在社区工作站建立人口档案卡。",
    ArchiveCategory.GUANGDONG_OTHER: (
        "广东省内非深圳户籍人员，请按广东省有关规定建立人口档案卡，办理地点请向本窗口工作人员咨询。"
    ),
    ArchiveCategory.MOVING_IN: (
        "未在本市居住的市外调入人员，请到拟入户地所在社区工作站建立现居住地人口档案卡。"
    ),
}
_SLIP_TEMPLATE = (
    "身份证号码：{masked}\n"
    "您的信息尚未在广东省全员人口信息系统中登记，暂不能打印计划生育证明。\n"
    "{place}\n"
    "信息在省系统登记录入后，请再到计划生育证明办理窗口申请打印计划生育证明。"
)

_CATEGORY_OF_HUKOU = {
    HukouCategory.SHENZHEN: ArchiveCategory.SHENZHEN_HUKOU,
    HukouCategory.GUANGDONG_OTHER: ArchiveCategory.GUANGDONG_OTHER,
    HukouCategory.OUTSIDE_GUANGDONG: ArchiveCategory.OUTSIDE_GUANGDONG,
}


@dataclass(frozen=True)
class ArchiveCardGuidance:
    """Where the archive card is made: the clerk's message and the applicant's slip.

    ``slip_text_zh`` is printed on the slip in Chinese, whatever the screen language.
    ``from_region_code`` is True when the category came from the ID number's region code
    rather than from the hukou category the clerk chose.
    """

    category: ArchiveCategory
    message: Message
    slip_text_zh: str
    from_region_code: bool = False


def archive_card_guidance(
    id_number: IdNumber, *, hukou: HukouCategory | None = None, moving_in: bool = False
) -> ArchiveCardGuidance:
    """Describe where an applicant with no provincial record has the archive card made.

    ``moving_in`` (moving into Shenzhen, not living in the city yet) decides first. Then
    ``hukou``, the category the clerk chose, decides. Without it, the ID number's region code does:
    4403 is Shenzhen, another 44 code is Guangdong outside Shenzhen, and anything else,
    including the 81, 82 and 83 codes of Hong Kong, Macao and Taiwan residence permits,
    is outside Guangdong. The region code is where the number was issued, which may
    differ from today's hukou, so the message prompts the clerk to choose the category when
    it does.
    """
    from_region_code = False
    if moving_in:
        category = ArchiveCategory.MOVING_IN
    elif hukou is not None:
        category = _CATEGORY_OF_HUKOU[hukou]
    else:
        category = _category_of_region(id_number)
        from_region_code = True

    guidance = _GUIDANCE[category].format(masked=id_number.masked)
    message = (
        _FROM_REGION_CODE.format(guidance=guidance, region_code=id_number.region_code)
        if from_region_code
        else guidance
    )
    slip = _SLIP_TEMPLATE.format(masked=id_number.masked, place=_SLIP_PLACES[category])
    return ArchiveCardGuidance(category, message, slip, from_region_code)


def _category_of_region(id_number: IdNumber) -> ArchiveCategory:
    if id_number.is_shenzhen:
        return ArchiveCategory.SHENZHEN_HUKOU
    if id_number.is_guangdong:
        return ArchiveCategory.GUANGDONG_OTHER
    return ArchiveCategory.OUTSIDE_GUANGDONG


_CATEGORY_LABELS = {
    ArchiveCategory.SHENZHEN_HUKOU: QT_TRANSLATE_NOOP("ArchiveCategory", "Shenzhen hukou"),
    ArchiveCategory.GUANGDONG_OTHER: QT_TRANSLATE_NOOP(
        "ArchiveCategory", "Guangdong hukou outside Shenzhen"
    ),
    ArchiveCategory.OUTSIDE_GUANGDONG: QT_TRANSLATE_NOOP(
        "ArchiveCategory", "hukou outside Guangdong"
    ),
    ArchiveCategory.MOVING_IN: QT_TRANSLATE_NOOP(
        "ArchiveCategory", "moving into Shenzhen, not living in the city yet"
    ),
}
