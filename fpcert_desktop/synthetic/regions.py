"""Region codes (GB/T 2260) for synthetic ID numbers and hukou addresses."""

from __future__ import annotations

from fpcert_desktop.domain.people import HukouCategory

# Shenzhen codes found in adults' ID numbers: 440301 (深圳市市辖区) is common among
# numbers issued before the districts took over numbering.
SHENZHEN_ADULT_ID_REGIONS = ("440301", "440303", "440304", "440305", "440306", "440307", "440308")
SHENZHEN_ADULT_ID_WEIGHTS = (30, 12, 14, 12, 14, 14, 4)
# 龙华区 (440309) and 坪山区 (440310) were set up in 2016, 光明区 (440311) in 2018, so
# only children born since then carry their codes.
NEW_DISTRICTS_SINCE = {"440309": 2017, "440310": 2017, "440311": 2018}

# Hukou places outside Shenzhen: code, province/city/county prefix of the address.
GUANGDONG_OTHER = (
    ("440106", "广东省广州市天河区"),
    ("440604", "广东省佛山市禅城区"),
    ("441302", "广东省惠州市惠城区"),
    ("440511", "广东省汕头市金平区"),
    ("445102", "广东省潮州市湘桥区"),
    ("441502", "广东省汕尾市城区"),
    ("440882", "广东省湛江市雷州市"),
    ("441424", "广东省梅州市五华县"),
)
OUTSIDE_GUANGDONG = (
    ("430102", "湖南省长沙市芙蓉区"),
    ("431121", "湖南省永州市祁阳县"),
    ("360121", "江西省南昌市南昌县"),
    ("450102", "广西壮族自治区南宁市兴宁区"),
    ("510104", "四川省成都市锦江区"),
    ("420111", "湖北省武汉市洪山区"),
    ("411302", "河南省南阳市宛城区"),
    ("350102", "福建省福州市鼓楼区"),
    ("522301", "贵州省黔西南布依族苗族自治州兴义市"),
    ("433101", "湖南省湘西土家族苗族自治州吉首市"),
    ("650102", "新疆维吾尔自治区乌鲁木齐市天山区"),
    ("653101", "新疆维吾尔自治区喀什地区喀什市"),
    ("150102", "内蒙古自治区呼和浩特市新城区"),
    ("210102", "辽宁省沈阳市和平区"),
    ("640104", "宁夏回族自治区银川市兴庆区"),
)
ADDRESS_PREFIX = dict(GUANGDONG_OTHER + OUTSIDE_GUANGDONG)

# Where minorities' hukou usually is, by ethnicity; others draw from all places.
ETHNIC_HOMES = {
    "壮族": ("450102",),
    "土家族": ("433101",),
    "苗族": ("522301", "433101"),
    "布依族": ("522301",),
    "回族": ("640104",),
    "满族": ("210102",),
    "蒙古族": ("150102",),
    "维吾尔族": ("650102", "653101"),
}


def hukou_category_of(region_code: str) -> HukouCategory:
    if region_code.startswith("4403"):
        return HukouCategory.SHENZHEN
    if region_code.startswith("44"):
        return HukouCategory.GUANGDONG_OTHER
    return HukouCategory.OUTSIDE_GUANGDONG
