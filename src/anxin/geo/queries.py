"""Read helpers over the region table: address validation, lookups and children.

Other apps call these (never the model directly) so the rule "strict where the official lists are loaded,
prefix-consistent where only the built-in rows exist" lives in one place. Hubs, distances and transit days
are computed once, by `shipping.queries` (its cached geography) through `rules.km_between` and
`rules.transit_days`.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from anxin.core.errors import AnxinError, NotFound
from anxin.core.pages import english, local_name
from anxin.geo import data, rules
from anxin.geo.models import Region
from anxin.geo.rules import CodeProblem

INVALID_REGION = "invalid_region"


def _problem_message(problem: CodeProblem) -> str:
    messages = {
        CodeProblem.NOT_SERVED: _("暂不支持港澳台及海外地址"),
        CodeProblem.PROVINCE_FORMAT: _("省份代码应为 6 位数字，且以 0000 结尾"),
        CodeProblem.CITY_FORMAT: _("城市代码应为 6 位数字，且以 00 结尾"),
        CodeProblem.CITY_NOT_IN_PROVINCE: _("这个城市不属于所选省份"),
        CodeProblem.COUNTY_FORMAT: _("区县代码应为 6 位数字"),
        CodeProblem.COUNTY_NOT_IN_CITY: _("这个区县不属于所选城市"),
    }
    return messages[problem]


def _refuse(field: str, message: str) -> AnxinError:
    return AnxinError(message, code=INVALID_REGION, fields={field: message})


def _refuse_check(check: rules.CodeCheck) -> AnxinError:
    assert check.problem is not None
    return _refuse(check.field, _problem_message(check.problem))


def _clean(code: object) -> str:
    return "" if code is None else str(code).strip()


def _has_imported_divisions(province_code: str) -> bool:
    """True once the official lists were imported for this province: rows beyond the three built in."""
    builtin = [province_code, *data.DEMO_COUNTY_BY_PROVINCE.get(province_code, ())]
    prefix = province_code[:2]
    # A range rather than LIKE 'xx%', so PostgreSQL can use the primary key index under any collation.
    within = Region.objects.filter(code__range=(prefix + "0000", prefix + "9999"))
    return within.exclude(code__in=builtin).exists()


def validate_address_codes(province_code: str, city_code: str, county_code: str) -> None:
    """Refuse (AnxinError `invalid_region`, naming the field) an address with unknown or inconsistent codes.

    The province must be in the table. Where the official lists were imported for that province, the city
    and the county must be rows of the table under their parents (a city without districts, such as 东莞,
    is named as its own county). Where only the built-in rows exist, well-formed codes consistent by
    prefix are accepted, so a fresh installation can take addresses everywhere.
    """
    province_code, city_code, county_code = _clean(province_code), _clean(city_code), _clean(county_code)
    for check in (rules.check_province_code(province_code), rules.check_city_code(province_code, city_code)):
        if not check:
            raise _refuse_check(check)
    county_check = rules.check_county_code(city_code, county_code)
    if not county_check:
        raise _refuse_check(county_check)
    found = Region.objects.in_bulk([province_code, city_code, county_code])
    province_row = found.get(province_code)
    if province_row is None or province_row.level != Region.Level.PROVINCE:
        raise _refuse("province_code", _("找不到这个省份代码"))
    if not _has_imported_divisions(province_code):
        return
    _check_listed_city(found.get(city_code), province_code)
    _check_listed_county(found.get(county_code), city_code, county_code)


def _check_listed_city(city: Region | None, province_code: str) -> None:
    if city is None or city.level != Region.Level.CITY or city.parent_id != province_code:
        raise _refuse("city_code", _("所选省份中没有这个城市代码"))


def _check_listed_county(county: Region | None, city_code: str, county_code: str) -> None:
    if county_code == city_code:
        if Region.objects.filter(parent_id=city_code, level=Region.Level.COUNTY).exists():
            raise _refuse("county_code", _("请选择这个城市下的区县"))
        return
    if county is None or county.level != Region.Level.COUNTY or county.parent_id != city_code:
        raise _refuse("county_code", _("所选城市中没有这个区县代码"))


def region(code: str) -> Region:
    """Any region by its code; NotFound (a 404 on the API) when the table does not hold it."""
    found = Region.objects.filter(pk=_clean(code)).first()
    if found is None:
        raise NotFound(_("找不到这个地区代码"), fields={"code": _("找不到这个地区代码")})
    return found


def regions_by_code(codes: Iterable[str]) -> dict[str, Region]:
    """Many regions in one query (names for a list of addresses); unknown codes are simply absent."""
    return Region.objects.in_bulk([code for code in set(codes) if code])


def province(code: str) -> Region:
    """The province row for a province code; NotFound for unknown codes and for Hong Kong/Macau/Taiwan."""
    code = _clean(code)
    if rules.is_not_served(code):
        raise NotFound(_("暂不支持港澳台及海外地址"), fields={"province_code": _("暂不支持港澳台及海外地址")})
    found = Region.objects.filter(pk=code, level=Region.Level.PROVINCE).first()
    if found is None:
        raise NotFound(_("找不到这个省份代码"), fields={"province_code": _("找不到这个省份代码")})
    return found


def province_of(code: str) -> Region:
    """The province that a code of any level (province, city, county) belongs to."""
    code = _clean(code)
    if not rules.is_six_digits(code):
        raise NotFound(_("找不到这个地区代码"), fields={"code": _("找不到这个地区代码")})
    return province(rules.province_code_of(code))


def children(parent_code: str | None = None) -> QuerySet[Region]:
    """The regions directly under a parent, by code; no parent means the provinces. NotFound for unknown."""
    if parent_code is None or _clean(parent_code) == "":
        return Region.objects.filter(level=Region.Level.PROVINCE, parent__isnull=True).order_by("code")
    parent = region(parent_code)
    return Region.objects.filter(parent_id=parent.code).order_by("code")


def county_choices(city_code: str) -> list[Region]:
    """The counties an address in this city can name: its districts and counties, or the city itself for
    the three without districts (东莞, 中山, 儋州), which `validate_address_codes` accepts as their own
    county. So the bundled list offers all 2,978 county-level units. NotFound for an unknown city."""
    counties = list(children(city_code))
    if counties:
        return counties
    city = region(city_code)
    return [city] if city.level == Region.Level.CITY else []


def read_pasted_address(text: str) -> rules.PastedAddress:
    """Smart paste (智能填写): the parts of a pasted address line, read against the whole region table."""
    rows = Region.objects.values_list("code", "name", "level", "parent_id")
    return rules.parse_pasted_address(text, rules.DivisionIndex(rules.Division(*row) for row in rows))


MUNICIPAL_CITY_NAMES = frozenset({"市辖区"})  # a municipality's own city row, named by its province instead


def hub_choices() -> list[dict]:
    """Every city a transit hub can be, grouped by province for a select: `{"province": "陕西省",
    "cities": [("610100", "西安市"), ...]}`, names in English where the page is and one is known."""
    cities = Region.objects.filter(level=Region.Level.CITY).select_related("parent").order_by("code")
    groups: dict[str, dict] = {}
    for city in cities:
        province = city.parent
        group = groups.setdefault(city.parent_id or "", {"province": local_name(province), "cities": []})
        label = local_name(province) if city.name in MUNICIPAL_CITY_NAMES and province else local_name(city)
        group["cities"].append((city.code, label))
    return list(groups.values())


def local_region_names(codes: Iterable[str]) -> dict[str, str]:
    """Names of regions by code in one query, in English when the page is (for the pages)."""
    return {code: local_name(found) for code, found in regions_by_code(codes).items()}


def hub_name(hub_code: str) -> str:
    """`西安市` (`Xi'an`) for `610100`; the code itself when the table does not hold it."""
    if not hub_code:
        return ""
    return local_region_names([hub_code]).get(hub_code, hub_code)


def province_name(code: object) -> str:
    """A province's name from its code or two-digit prefix (`65`, `650000`), in English when the page is."""
    text = str(code or "")
    found = data.PROVINCE_BY_CODE.get(text[:2] + "0000")
    if found is None:
        return text
    return found.name_en if english() and found.name_en else found.name


def add_region_text(addresses: list) -> list:
    """Give each address a `region_text` (`广东省 深圳市 南山区`, one query for all), for the address lists."""
    names = regions_by_code(c for a in addresses for c in (a.province_code, a.city_code, a.county_code))
    for address in addresses:
        codes = dict.fromkeys((address.province_code, address.city_code, address.county_code))
        address.region_text = " ".join(names[c].name if c in names else c for c in codes)
    return addresses
