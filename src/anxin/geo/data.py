"""The built-in regions: 31 mainland provinces, each capital city and one real county under it.

Why built in: a fresh database must be able to take addresses, price remote shipping (RULES §1, §4) and
compute transit days before anyone imports the official division lists (`anxin geo import-divisions`).
Coordinates are the capital city's centre, which is also the province's centre for transit-day distances.
This module is plain data with no Django imports, so migrations can load it safely.
"""

from dataclasses import dataclass

# RULES §1: remote regions (偏远地区) and their default transit hub, Xi'an.
DEFAULT_HUB_CODE = "610100"
REMOTE_PROVINCE_CODES = frozenset({"650000", "540000", "630000", "620000", "640000", "150000"})


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    name_en: str
    latitude: float
    longitude: float
    is_remote: bool
    hub_code: str


@dataclass(frozen=True)
class Place:
    """A city or county row of the built-in table; it shares its capital's coordinates."""

    code: str
    name: str
    name_en: str
    parent_code: str
    latitude: float
    longitude: float


# (province code, name, English name, capital lat, capital lng,
#  capital code, capital name, capital English name, county code, county name, county English name)
_TABLE: tuple[tuple[str, str, str, float, float, str, str, str, str, str, str], ...] = (
    ("110000", "北京市", "Beijing", 39.9042, 116.4074,
     "110100", "市辖区", "Beijing", "110101", "东城区", "Dongcheng District"),
    ("120000", "天津市", "Tianjin", 39.0842, 117.2009,
     "120100", "市辖区", "Tianjin", "120101", "和平区", "Heping District"),
    ("130000", "河北省", "Hebei", 38.0428, 114.5149,
     "130100", "石家庄市", "Shijiazhuang", "130102", "长安区", "Chang'an District"),
    ("140000", "山西省", "Shanxi", 37.8706, 112.5489,
     "140100", "太原市", "Taiyuan", "140105", "小店区", "Xiaodian District"),
    ("150000", "内蒙古自治区", "Inner Mongolia", 40.8424, 111.7490,
     "150100", "呼和浩特市", "Hohhot", "150102", "新城区", "Xincheng District"),
    ("210000", "辽宁省", "Liaoning", 41.8057, 123.4315,
     "210100", "沈阳市", "Shenyang", "210102", "和平区", "Heping District"),
    ("220000", "吉林省", "Jilin", 43.8171, 125.3235,
     "220100", "长春市", "Changchun", "220102", "南关区", "Nanguan District"),
    ("230000", "黑龙江省", "Heilongjiang", 45.8038, 126.5349,
     "230100", "哈尔滨市", "Harbin", "230102", "道里区", "Daoli District"),
    ("310000", "上海市", "Shanghai", 31.2304, 121.4737,
     "310100", "市辖区", "Shanghai", "310101", "黄浦区", "Huangpu District"),
    ("320000", "江苏省", "Jiangsu", 32.0603, 118.7969,
     "320100", "南京市", "Nanjing", "320102", "玄武区", "Xuanwu District"),
    ("330000", "浙江省", "Zhejiang", 30.2741, 120.1551,
     "330100", "杭州市", "Hangzhou", "330106", "西湖区", "Xihu District"),
    ("340000", "安徽省", "Anhui", 31.8206, 117.2272,
     "340100", "合肥市", "Hefei", "340103", "庐阳区", "Luyang District"),
    ("350000", "福建省", "Fujian", 26.0745, 119.2965,
     "350100", "福州市", "Fuzhou", "350102", "鼓楼区", "Gulou District"),
    ("360000", "江西省", "Jiangxi", 28.6820, 115.8579,
     "360100", "南昌市", "Nanchang", "360102", "东湖区", "Donghu District"),
    ("370000", "山东省", "Shandong", 36.6512, 117.1201,
     "370100", "济南市", "Jinan", "370102", "历下区", "Lixia District"),
    ("410000", "河南省", "Henan", 34.7466, 113.6254,
     "410100", "郑州市", "Zhengzhou", "410102", "中原区", "Zhongyuan District"),
    ("420000", "湖北省", "Hubei", 30.5928, 114.3055,
     "420100", "武汉市", "Wuhan", "420102", "江岸区", "Jiang'an District"),
    ("430000", "湖南省", "Hunan", 28.2282, 112.9388,
     "430100", "长沙市", "Changsha", "430102", "芙蓉区", "Furong District"),
    ("440000", "广东省", "Guangdong", 23.1291, 113.2644,
     "440100", "广州市", "Guangzhou", "440104", "越秀区", "Yuexiu District"),
    ("450000", "广西壮族自治区", "Guangxi", 22.8170, 108.3665,
     "450100", "南宁市", "Nanning", "450103", "青秀区", "Qingxiu District"),
    ("460000", "海南省", "Hainan", 20.0440, 110.1999,
     "460100", "海口市", "Haikou", "460106", "龙华区", "Longhua District"),
    ("500000", "重庆市", "Chongqing", 29.5630, 106.5516,
     "500100", "市辖区", "Chongqing", "500103", "渝中区", "Yuzhong District"),
    ("510000", "四川省", "Sichuan", 30.5728, 104.0668,
     "510100", "成都市", "Chengdu", "510104", "锦江区", "Jinjiang District"),
    ("520000", "贵州省", "Guizhou", 26.6470, 106.6302,
     "520100", "贵阳市", "Guiyang", "520102", "南明区", "Nanming District"),
    ("530000", "云南省", "Yunnan", 25.0389, 102.7183,
     "530100", "昆明市", "Kunming", "530102", "五华区", "Wuhua District"),
    ("540000", "西藏自治区", "Tibet", 29.6520, 91.1721,
     "540100", "拉萨市", "Lhasa", "540102", "城关区", "Chengguan District"),
    ("610000", "陕西省", "Shaanxi", 34.3416, 108.9398,
     "610100", "西安市", "Xi'an", "610113", "雁塔区", "Yanta District"),
    ("620000", "甘肃省", "Gansu", 36.0611, 103.8343,
     "620100", "兰州市", "Lanzhou", "620102", "城关区", "Chengguan District"),
    ("630000", "青海省", "Qinghai", 36.6171, 101.7782,
     "630100", "西宁市", "Xining", "630102", "城东区", "Chengdong District"),
    ("640000", "宁夏回族自治区", "Ningxia", 38.4872, 106.2309,
     "640100", "银川市", "Yinchuan", "640104", "兴庆区", "Xingqing District"),
    ("650000", "新疆维吾尔自治区", "Xinjiang", 43.8256, 87.6168,
     "650100", "乌鲁木齐市", "Ürümqi", "650102", "天山区", "Tianshan District"),
)  # fmt: skip


def _province(row: tuple) -> Province:
    code, name, name_en, lat, lng = row[:5]
    remote = code in REMOTE_PROVINCE_CODES
    return Province(code, name, name_en, lat, lng, remote, DEFAULT_HUB_CODE if remote else "")


def _capital(row: tuple) -> Place:
    province_code, _, _, lat, lng, code, name, name_en = row[:8]
    return Place(code, name, name_en, province_code, lat, lng)


def _county(row: tuple) -> Place:
    lat, lng, city_code = row[3], row[4], row[5]
    code, name, name_en = row[8:11]
    return Place(code, name, name_en, city_code, lat, lng)


PROVINCES: tuple[Province, ...] = tuple(_province(row) for row in _TABLE)
CAPITALS: tuple[Place, ...] = tuple(_capital(row) for row in _TABLE)
DEMO_COUNTIES: tuple[Place, ...] = tuple(_county(row) for row in _TABLE)

PROVINCE_BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}
CAPITAL_BY_PROVINCE: dict[str, Place] = {c.parent_code: c for c in CAPITALS}
# For demo data and tests: a full, real address triple in every province.
DEMO_COUNTY_BY_PROVINCE: dict[str, tuple[str, str]] = {
    city.parent_code: (city.code, county.code) for city, county in zip(CAPITALS, DEMO_COUNTIES, strict=True)
}
BUILTIN_CODES: frozenset[str] = frozenset(
    [p.code for p in PROVINCES] + [c.code for c in CAPITALS] + [c.code for c in DEMO_COUNTIES]
)


def builtin_rows() -> list[dict]:
    """Every built-in row as Region field values, parents before children, for migrations and services."""
    rows: list[dict] = []
    for p in PROVINCES:
        rows.append(
            {
                "code": p.code,
                "name": p.name,
                "name_en": p.name_en,
                "level": "province",
                "parent_code": None,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "is_remote": p.is_remote,
                "hub_code": p.hub_code,
            }
        )
    for level, places in (("city", CAPITALS), ("county", DEMO_COUNTIES)):
        for place in places:
            rows.append(
                {
                    "code": place.code,
                    "name": place.name,
                    "name_en": place.name_en,
                    "level": level,
                    "parent_code": place.parent_code,
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                    "is_remote": False,
                    "hub_code": "",
                }
            )
    return rows
