"""Pure geography rules: distances, transit days (RULES §4) and the shape of division codes (RULES §1).

No database and no clock, so the delivery promise and address checks can be tested in microseconds; the
questions that need the table (does this city exist?) are answered in `queries.py`.
"""

import math
import re
from collections.abc import Mapping
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
