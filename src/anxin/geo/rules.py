"""Pure geography rules: distances, transit days (RULES §4) and the shape of division codes (RULES §1).

No database and no clock, so the delivery promise and address checks can be tested in microseconds; the
questions that need the table (does this city exist?) are answered in `queries.py`.
"""

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

EARTH_RADIUS_KM = 6371.0088

# RULES §4: transit days from the distance between two provinces' centres; beyond the last step, 5 days.
TRANSIT_STEPS_KM: tuple[tuple[float, int], ...] = ((300, 1), (800, 2), (1500, 3), (2500, 4))
MAX_TRANSIT_DAYS = 5
# Stands in for the distance to or from a province without a known centre: the longest transit time.
MAX_KM = 10_000.0

# RULES §1: Taiwan 71, Hong Kong 81, Macau 82 have division codes but are not served yet.
NOT_SERVED_PREFIXES = frozenset({"71", "81", "82"})

_SIX_DIGITS = re.compile(r"\d{6}")


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance: good to well under 1% at the scale of provinces."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def transit_days(km: float) -> int:
    """Carrier days for a distance (RULES §4); each step's upper bound is inclusive."""
    if km < 0:
        raise ValueError("distance cannot be negative")
    for limit, days in TRANSIT_STEPS_KM:
        if km <= limit:
            return days
    return MAX_TRANSIT_DAYS


def km_between(centres: Mapping[str, tuple[float, float]], a: str, b: str) -> float:
    """Distance between the centres of two provinces, by their two-digit prefixes: 0 within one province;
    `MAX_KM` when a centre is unknown (only after an operator cleared it), so a delivery promise errs on the
    side of being kept."""
    if a == b:
        return 0.0
    if a not in centres or b not in centres:
        return MAX_KM
    return distance_km(*centres[a], *centres[b])


class CodeProblem(StrEnum):
    """Why a code triple is refused; `queries.validate_address_codes` turns each into a sentence."""

    NOT_SERVED = "not_served"
    PROVINCE_FORMAT = "province_format"
    CITY_FORMAT = "city_format"
    CITY_NOT_IN_PROVINCE = "city_not_in_province"
    COUNTY_FORMAT = "county_format"
    COUNTY_NOT_IN_CITY = "county_not_in_city"


@dataclass(frozen=True)
class CodeCheck:
    """Truthy when the codes are consistent; otherwise names the field at fault and the problem."""

    field: str = ""
    problem: CodeProblem | None = None

    def __bool__(self) -> bool:
        return self.problem is None


CONSISTENT = CodeCheck()


def is_six_digits(code: str) -> bool:
    return isinstance(code, str) and _SIX_DIGITS.fullmatch(code) is not None


def is_not_served(code: str) -> bool:
    """Hong Kong, Macau or Taiwan, at any level of the code."""
    return isinstance(code, str) and code[:2] in NOT_SERVED_PREFIXES


def province_code_of(code: str) -> str:
    """The province a well-formed code of any level belongs to: its first two digits, padded."""
    return code[:2] + "0000"


def city_code_of(code: str) -> str:
    """The city a county code belongs to: its first four digits, padded."""
    return code[:4] + "00"


def check_province_code(code: str) -> CodeCheck:
    if is_not_served(code):
        return CodeCheck("province_code", CodeProblem.NOT_SERVED)
    if not is_six_digits(code) or not code.endswith("0000") or code == "000000":
        return CodeCheck("province_code", CodeProblem.PROVINCE_FORMAT)
    return CONSISTENT


def check_city_code(province_code: str, city_code: str) -> CodeCheck:
    """A city code is `PPCC00` with `CC` not `00`, under its province's two digits."""
    if not is_six_digits(city_code) or not city_code.endswith("00") or city_code.endswith("0000"):
        return CodeCheck("city_code", CodeProblem.CITY_FORMAT)
    if city_code[:2] != province_code[:2]:
        return CodeCheck("city_code", CodeProblem.CITY_NOT_IN_PROVINCE)
    return CONSISTENT


def check_county_code(city_code: str, county_code: str) -> CodeCheck:
    """A county code is `PPCCXX` under its city's four digits.

    `XX` may be `00` only as the city's own code: cities without districts (东莞 441900, 中山 442000,
    儋州 460400) are their own county-level unit in the official list.
    """
    if not is_six_digits(county_code):
        return CodeCheck("county_code", CodeProblem.COUNTY_FORMAT)
    if county_code[:4] != city_code[:4]:
        return CodeCheck("county_code", CodeProblem.COUNTY_NOT_IN_CITY)
    if county_code.endswith("00") and county_code != city_code:
        return CodeCheck("county_code", CodeProblem.COUNTY_FORMAT)
    return CONSISTENT


def codes_consistent(province_code: str, city_code: str, county_code: str) -> CodeCheck:
    """Formats and prefixes of an address's three codes; the first problem found, province first."""
    result = check_province_code(province_code)
    if result:
        result = check_city_code(province_code, city_code)
    if result:
        result = check_county_code(city_code, county_code)
    return result


# --- smart paste: an address typed or pasted in one line -----------------------------------------------

ADDRESS_PARTS = ("recipient", "phone", "province_code", "city_code", "county_code", "street")
# A municipality's (and Chongqing's county) city rows carry no name of their own: their counties follow
# the province's name directly (北京市东城区).
UNNAMED_CITY_NAMES = frozenset({"市辖区", "县"})
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_CITY_SUFFIXES = ("地区", "市", "盟")
_AUTONOMOUS_PREFECTURE = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}族)+自治州$")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_LABELS = re.compile(
    r"(收货人|收件人|联系人|姓名|手机号码|手机号|手机|联系电话|电话|所在地区|详细地址|收货地址|地址)\s*[:：]"
)
_SEPARATORS = re.compile(r"[\s,，;；、|]+")
_NAME = re.compile(r"^[^\d\s]{1,20}$")
_ADDRESS_WORDS = re.compile(r"[路街道巷弄号室栋幢楼层村镇乡区县省]")
MAX_PASTE_CHARS = 300


@dataclass(frozen=True)
class Division:
    """One row of the division list, as the parser needs it."""

    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class PastedAddress:
    """What smart paste read: each part it found without doubt, and the parts it left for the person."""

    values: dict[str, str]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class _Reading:
    codes: tuple[str, ...]  # province, then city and county where found
    end: int


def short_names(division: Division) -> tuple[str, ...]:
    """The names a division is written by: its full name and, for provinces and cities, the usual short form
    (浙江 for 浙江省, 内蒙古 for 内蒙古自治区, 杭州 for 杭州市, 延边 for 延边朝鲜族自治州). Counties only by
    their full name: 西湖 alone is as likely a street's name."""
    names = [division.name]
    suffixes = {"province": _PROVINCE_SUFFIXES, "city": _CITY_SUFFIXES}.get(division.level, ())
    for suffix in suffixes:
        if division.name.endswith(suffix) and len(division.name) - len(suffix) >= 2:
            names.append(division.name[: -len(suffix)])
            break
    prefecture = _AUTONOMOUS_PREFECTURE.match(division.name) if division.level == "city" else None
    if prefecture:
        names.append(prefecture.group(1))
    return tuple(names)


class DivisionIndex:
    """The division list arranged for reading addresses: children by parent and the names of each row."""

    def __init__(self, divisions: Iterable[Division]):
        self.by_code: dict[str, Division] = {}
        self.children: dict[str | None, list[Division]] = {}
        for division in divisions:
            self.by_code[division.code] = division
            self.children.setdefault(division.parent_code, []).append(division)
        self.provinces = [d for d in self.children.get(None, []) if d.level == "province"]
        self.cities = [d for p in self.provinces for d in self.children.get(p.code, []) if d.level == "city"]
        self.counties = [k for c in self.cities for k in self.counties_of(c)]

    def counties_of(self, city: Division) -> list[Division]:
        return [d for d in self.children.get(city.code, []) if d.level == "county"]

    def named_cities(self, province: Division) -> list[Division]:
        return [c for c in self.children.get(province.code, []) if c.name not in UNNAMED_CITY_NAMES]

    def counties_in(self, province: Division) -> list[Division]:
        return [k for c in self.children.get(province.code, []) for k in self.counties_of(c)]


def _matches(text: str, pos: int, candidates: Iterable[Division]) -> list[tuple[Division, int]]:
    """The candidates whose name (or short form) is written at `pos`, each with its longest match."""
    found = []
    for division in candidates:
        lengths = [len(name) for name in short_names(division) if text.startswith(name, pos)]
        if lengths:
            found.append((division, pos + max(lengths)))
    return found


def _after_city(index: DivisionIndex, text: str, pos: int, city: Division) -> list[_Reading]:
    counties = index.counties_of(city)
    province = city.parent_code or ""
    if not counties:  # 东莞, 中山, 儋州: the city is its own county
        return [_Reading((province, city.code, city.code), pos)]
    readings = [_Reading((province, city.code, k.code), end) for k, end in _matches(text, pos, counties)]
    return readings or [_Reading((province, city.code), pos)]


def _after_province(index: DivisionIndex, text: str, pos: int, province: Division) -> list[_Reading]:
    for repeated in (province.name, "市辖区"):  # 上海市上海市浦东新区, 北京市市辖区东城区
        if text.startswith(repeated, pos):
            pos += len(repeated)
    readings = [
        r for c, end in _matches(text, pos, index.named_cities(province)) for r in _after_city(index, text, end, c)
    ]
    for county, end in _matches(text, pos, index.counties_in(province)):
        readings.append(_Reading((province.code, county.parent_code or "", county.code), end))
    return readings or [_Reading((province.code,), pos)]


def _readings(index: DivisionIndex, text: str) -> list[_Reading]:
    """Every way the start of `text` reads as a division chain: from the province, or from the city or the
    county when the province is left out (杭州市西湖区…, 吉林市 beside 吉林省)."""
    readings = [r for p, end in _matches(text, 0, index.provinces) for r in _after_province(index, text, end, p)]
    readings += [r for c, end in _matches(text, 0, index.cities) for r in _after_city(index, text, end, c)]
    for county, end in _matches(text, 0, index.counties):
        city = index.by_code.get(county.parent_code or "")
        readings.append(_Reading((city.parent_code or "", city.code, county.code) if city else (), end))
    return [r for r in readings if r.codes]


def _best(readings: list[_Reading]) -> _Reading | None:
    """The reading that found the most levels and read furthest; where several such readings disagree, only
    the levels they all agree on (so nothing is filled that the text does not say unambiguously)."""
    if not readings:
        return None
    top = max((len(r.codes), r.end) for r in readings)
    best = {r for r in readings if (len(r.codes), r.end) == top}
    if len(best) == 1:
        return best.pop()
    agreed: list[str] = []
    for level in zip(*(r.codes for r in best), strict=False):
        if len(set(level)) != 1:
            break
        agreed.append(level[0])
    return _Reading(tuple(agreed), 0) if agreed else None


def _take_mobile(text: str) -> tuple[str, str]:
    """The one mobile number in the text (and the text without it); none when there are two or more."""
    found = list(_MOBILE_IN_TEXT.finditer(text))
    if len(found) != 1:
        return "", text
    match = found[0]
    return "".join(match.groups()), text[: match.start()] + " " + text[match.end() :]


def _name_like(token: str) -> bool:
    return bool(_NAME.match(token)) and not _ADDRESS_WORDS.search(token)


def parse_pasted_address(text: str, index: DivisionIndex) -> PastedAddress:
    """Read `张三 13800000000 浙江省杭州市西湖区文三路 100 号` (in any order, with or without labels such as
    收货人：) into the address form's parts. A part is filled only when the text gives it without doubt: one
    mobile number, one name-like word beside the address, a division chain with a single best reading."""
    phone, rest = _take_mobile(_LABELS.sub(" ", text[:MAX_PASTE_CHARS]))
    tokens = [t for t in _SEPARATORS.split(rest) if t]
    values: dict[str, str] = {"phone": phone} if phone else {}
    for start in range(len(tokens)):
        address = " ".join(tokens[start:])
        reading = _best(_readings(index, address))
        if reading is None:
            continue
        values.update(zip(("province_code", "city_code", "county_code"), reading.codes, strict=False))
        names = [t for t in tokens[:start] if _name_like(t)]
        street = address[reading.end :].strip() if reading.end else ""
        if not names and street and len(street.split()) > 1 and _name_like(street.split()[-1]):
            *street_words, last = street.split()
            names, street = [last], " ".join(street_words)
        if len(names) == 1:
            values["recipient"] = names[0]
        if street and reading.end:
            values["street"] = street
        break
    else:  # no address: a lone name is believed only beside the phone number (张三 13800000000)
        names = [t for t in tokens if _name_like(t)]
        if phone and len(names) == 1:
            values["recipient"] = names[0]
    return PastedAddress(values, tuple(part for part in ADDRESS_PARTS if part not in values))
