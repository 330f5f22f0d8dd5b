"""Synthetic Chinese personal names and ethnicities.

The mix covers what a name field must handle: 2-character names (surname and one
given character), 3-character names, 4-character names with a compound surname
(欧阳, 司马 ...), Uyghur names joined by the middle dot ``·`` (U+00B7), and about 0.5 %
of names with a character from CJK Extension A (U+3400 to U+4DBF) or Extension B
(U+20000 to U+2A6DF), which many fonts and input methods lack. Every choice comes
from the ``random.Random`` passed in, so a seed gives the same names.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from fpcert_desktop.domain.people import Sex

HAN = "汉族"
UYGHUR = "维吾尔族"

# Common single-character surnames, most frequent first; the weights below fall off
# with rank so that 王, 李 and 张 dominate as they do in the population.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾"
    "龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
)
_SURNAME_WEIGHTS = tuple(1.0 / (rank + 8) for rank in range(len(SURNAMES)))

COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "司徒", "令狐", "夏侯",
)  # fmt: skip

MALE_GIVEN = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志文博晨子轩宏峰海"
    "东成亮森鸿振昊天然睿哲铭锐泽瑞霖"
)
FEMALE_GIVEN = (
    "芳娜敏静丽艳娟霞秀英华玲燕红梅琳洁莉婷雪慧颖倩琴云兰萍佳悦欣怡馨雨桐梓涵诗思嘉月玉凤"
    "晓蕾薇瑶璐琪晶妍萱"
)

# Rare characters that do occur in personal names. Extension A: 㛃 (U+36C3), 䶮 (U+4DAE).
# Extension B: 𠈌 (U+2020C), 𪚥 (U+2A6A5), 𡈼 (U+2123C).
EXTENSION_A_CHARACTERS = ("\u36c3", "\u4dae")
EXTENSION_B_CHARACTERS = ("\U0002020c", "\U0002a6a5", "\U0002123c")

UYGHUR_MALE = (
    "买买提", "艾力", "阿不都", "吐尔逊", "艾合买提", "麦麦提", "热合曼", "努尔", "阿卜杜拉",
    "亚森", "依明", "卡德尔",
)  # fmt: skip
UYGHUR_FEMALE = (
    "阿依古丽", "古丽娜尔", "热依拉", "帕提古丽", "迪丽拜尔", "如克亚", "阿依努尔", "古再丽",
    "米热古丽", "布威",
)  # fmt: skip

# Ethnicities of the applicants, as shares in percent. Shenzhen's migrants come from
# every province, so the minority shares are higher than in Guangdong's own population.
ETHNICITY_SHARES: tuple[tuple[str, float], ...] = (
    (HAN, 91.0),
    ("壮族", 2.4),
    ("土家族", 1.3),
    ("苗族", 1.0),
    ("回族", 0.8),
    ("满族", 0.8),
    (UYGHUR, 0.6),
    ("瑶族", 0.5),
    ("侗族", 0.4),
    ("布依族", 0.4),
    ("蒙古族", 0.3),
    ("彝族", 0.3),
    ("畲族", 0.2),
)

# Probabilities of the name shapes for names that are not Uyghur.
COMPOUND_SURNAME_SHARE = 0.012
ONE_CHARACTER_GIVEN_SHARE = 0.18
RARE_CHARACTER_SHARE = 0.005


def pick_ethnicity(rng: random.Random) -> str:
    names = [name for name, _ in ETHNICITY_SHARES]
    weights = [share for _, share in ETHNICITY_SHARES]
    return rng.choices(names, weights)[0]


def pick_surname(rng: random.Random) -> str:
    if rng.random() < COMPOUND_SURNAME_SHARE:
        return rng.choice(COMPOUND_SURNAMES)
    return rng.choices(SURNAMES, _SURNAME_WEIGHTS)[0]


def make_given_name(rng: random.Random, sex: Sex, *, surname_length: int = 1) -> str:
    """Return a 1- or 2-character given name, with a rare character in about 0.5 % of them.

    A compound surname always gets two given characters, giving a 4-character name.
    """
    pool: Sequence[str] = MALE_GIVEN if sex is Sex.MALE else FEMALE_GIVEN
    one_character = surname_length == 1 and rng.random() < ONE_CHARACTER_GIVEN_SHARE
    characters = [rng.choice(pool)] if one_character else [rng.choice(pool), rng.choice(pool)]

    if rng.random() < RARE_CHARACTER_SHARE:
        rare_pool = EXTENSION_A_CHARACTERS if rng.random() < 0.5 else EXTENSION_B_CHARACTERS
        characters[rng.randrange(len(characters))] = rng.choice(rare_pool)
    return "".join(characters)


def make_han_name(rng: random.Random, sex: Sex, surname: str | None = None) -> str:
    """Return a surname and given name; pass ``surname`` to keep a family's surname."""
    family_name = surname if surname is not None else pick_surname(rng)
    return family_name + make_given_name(rng, sex, surname_length=len(family_name))


def make_uyghur_name(rng: random.Random, sex: Sex, father_given: str | None = None) -> str:
    """Return ``given·father's given name`` as Uyghur names are written in Chinese."""
    given = rng.choice(UYGHUR_MALE if sex is Sex.MALE else UYGHUR_FEMALE)
    father = father_given if father_given is not None else rng.choice(UYGHUR_MALE)
    return f"{given}\u00b7{father}"


def make_name(rng: random.Random, sex: Sex, ethnicity: str) -> str:
    """Return a name fitting the ethnicity: Uyghur names with ``·``, all others Han-style."""
    if ethnicity == UYGHUR:
        return make_uyghur_name(rng, sex)
    return make_han_name(rng, sex)


def surname_of(name: str) -> str:
    """Return the surname of a Han-style name, recognising the compound surnames."""
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def given_name_of_uyghur(name: str) -> str:
    return name.split("\u00b7", 1)[0]
