"""The fixed demo people, inserted before the random population whatever the seed.

Their ID numbers are valid, synthetic and fixed, so the README, the demo script and
tests can name them. Sequence codes 980 to 999 are used only here (the random
population uses 000 to 899), so no generated number can collide with them.

=====  ========================  ==================  ==========================================
 id    name                      ID number           family
=====  ========================  ==================  ==========================================
  1    李秀英                     440304199003159805  married to 2, exactly 1 child
  2    张建国                     44030419880708981X  married to 1, so 1 child through her
  3    陈美玲                     440305198611209820  married, spouse not on record, 2 children
  4    黄丽 (2 characters)        430102199505059841  floating, married to 5, pregnant, no child
  5    周杰                       430102199309099854  married to 4, family pregnancy is hers
  6    赵敏华                     440301199202299860  born 29 February, 1 child and pregnant
  7    吴俊杰                     440306199812019899  unmarried man, no children
  8    林𠈌萍 (U+2020C, Ext. B)   440303199106189904  unmarried woman, no children
  9    阿依古丽·买买提 (维吾尔族) 650102199404049928  floating, spouse not on record, 1 child
 10    欧阳晓燕 (compound)        440307198908089949  divorced, 1 child
=====  ========================  ==================  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fpcert_desktop.domain.people import MaritalStatus, Sex


@dataclass(frozen=True)
class DemoChild:
    name: str
    sex: Sex
    birth_date: date
    id_number: str | None = None


@dataclass(frozen=True)
class DemoPerson:
    """One fixed demo person; ``street_code`` picks the street of the residence."""

    person_id: int
    name: str
    id_number: str
    sex: Sex
    birth_date: date
    description: str
    ethnicity: str = "汉族"
    marital_status: MaritalStatus = MaritalStatus.UNMARRIED
    marriage_date: date | None = None
    spouse_person_id: int | None = None
    spouse_name: str | None = None
    spouse_id_number: str | None = None
    children: tuple[DemoChild, ...] = ()
    pregnant: bool = False
    street_code: str = "440304004"
    shenzhen_hukou: bool = True
    hukou_address_prefix: str = ""


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        1, "李秀英", "440304199003159805", Sex.FEMALE, date(1990, 3, 15),
        "married, exactly 1 child",
        marital_status=MaritalStatus.FIRST_MARRIAGE, marriage_date=date(2016, 5, 1),
        spouse_person_id=2, spouse_name="张建国", spouse_id_number="44030419880708981X",
        children=(DemoChild("张子涵", Sex.FEMALE, date(2018, 6, 1), "440304201806019806"),),
    ),
    DemoPerson(
        2, "张建国", "44030419880708981X", Sex.MALE, date(1988, 7, 8),
        "married to person 1, 1 child through her",
        marital_status=MaritalStatus.FIRST_MARRIAGE, marriage_date=date(2016, 5, 1),
        spouse_person_id=1, spouse_name="李秀英", spouse_id_number="440304199003159805",
    ),
    DemoPerson(
        3, "陈美玲", "440305198611209820", Sex.FEMALE, date(1986, 11, 20),
        "married, spouse not on record, 2 children",
        marital_status=MaritalStatus.FIRST_MARRIAGE, marriage_date=date(2010, 10, 1),
        spouse_name="刘志强", spouse_id_number="441302197105029832",
        children=(
            DemoChild("刘浩然", Sex.MALE, date(2012, 4, 9)),
            DemoChild("刘雨桐", Sex.FEMALE, date(2016, 9, 23)),
        ),
        street_code="440305002",
    ),
    DemoPerson(
        4, "黄丽", "430102199505059841", Sex.FEMALE, date(1995, 5, 5),
        "floating population, married, pregnant, no children",
        marital_status=MaritalStatus.FIRST_MARRIAGE, marriage_date=date(2021, 1, 8),
        spouse_person_id=5, spouse_name="周杰", spouse_id_number="430102199309099854",
        pregnant=True, street_code="440306017", shenzhen_hukou=False,
        hukou_address_prefix="湖南省长沙市芙蓉区",
    ),
    DemoPerson(
        5, "周杰", "430102199309099854", Sex.MALE, date(1993, 9, 9),
        "married to person 4, whose pregnancy is the family's",
        marital_status=MaritalStatus.FIRST_MARRIAGE, marriage_date=date(2021, 1, 8),
        spouse_person_id=4, spouse_name="黄丽", spouse_id_number="430102199505059841",
        street_code="440306017", shenzhen_hukou=False, hukou_address_prefix="湖南省长沙市芙蓉区",
    ),
    DemoPerson(
        6, "赵敏华", "440301199202299860", Sex.FEMALE, date(1992, 2, 29),
        "married, spouse not on record, 1 child and pregnant",
        marital_status=MaritalStatus.FIRST_MARRIAGE, marriage_date=date(2017, 11, 11),
        spouse_name="孙磊", spouse_id_number="510104199101129877",
        children=(DemoChild("孙一诺", Sex.FEMALE, date(2019, 8, 15)),),
        pregnant=True, street_code="440307013",
    ),
    DemoPerson(
        7, "吴俊杰", "440306199812019899", Sex.MALE, date(1998, 12, 1),
        "unmarried man, no children", street_code="440306018",
    ),
    DemoPerson(
        8, "林\U0002020c萍", "440303199106189904", Sex.FEMALE, date(1991, 6, 18),
        "name with the Extension B character U+2020C, unmarried", street_code="440303003",
    ),
    DemoPerson(
        9, "阿依古丽\u00b7买买提", "650102199404049928", Sex.FEMALE, date(1994, 4, 4),
        "Uyghur name with a middle dot, floating population, married, 1 child",
        ethnicity="维吾尔族",
        marital_status=MaritalStatus.FIRST_MARRIAGE, marriage_date=date(2018, 3, 3),
        spouse_name="艾力\u00b7吐尔逊", spouse_id_number="650102199210109937",
        children=(DemoChild("古再丽\u00b7艾力", Sex.FEMALE, date(2020, 7, 1)),),
        street_code="440309002", shenzhen_hukou=False,
        hukou_address_prefix="新疆维吾尔自治区乌鲁木齐市天山区",
    ),
    DemoPerson(
        10, "欧阳晓燕", "440307198908089949", Sex.FEMALE, date(1989, 8, 8),
        "compound surname, divorced, 1 child",
        marital_status=MaritalStatus.DIVORCED,
        children=(DemoChild("欧阳子墨", Sex.MALE, date(2014, 2, 14)),),
        street_code="440307014",
    ),
)  # fmt: skip

DEMO_ID_NUMBERS: dict[str, str] = {person.name: person.id_number for person in DEMO_PEOPLE}
