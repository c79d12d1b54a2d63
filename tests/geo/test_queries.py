import pytest

from anxin.core.errors import AnxinError, NotFound
from anxin.geo import data, queries, rules
from anxin.geo.models import Region
from anxin.geo.queries import validate_address_codes
from anxin.shipping.queries import forget_geography, geography

pytestmark = pytest.mark.django_db


def refusal(province_code: str, city_code: str, county_code: str) -> AnxinError:
    with pytest.raises(AnxinError) as caught:
        validate_address_codes(province_code, city_code, county_code)
    assert caught.value.code == "invalid_region"
    return caught.value


def test_every_built_in_address_is_accepted():
    for province_code, (city_code, county_code) in data.DEMO_COUNTY_BY_PROVINCE.items():
        validate_address_codes(province_code, city_code, county_code)


def test_with_built_in_rows_only_a_well_formed_consistent_address_is_accepted(builtin_only):
    validate_address_codes("330000", "330200", "330299")  # 宁波市, a made-up county: no rows to check against


def test_with_the_bundled_list_an_unlisted_county_is_refused():
    validate_address_codes("330000", "330200", "330203")  # 宁波市 海曙区
    error = refusal("330000", "330200", "330299")
    assert error.fields == {"county_code": "所选城市中没有这个区县代码"}


def test_surrounding_spaces_are_ignored():
    validate_address_codes(" 650000", "650100 ", " 650102 ")


def test_an_unknown_province_is_refused():
    error = refusal("990000", "990100", "990101")
    assert error.fields == {"province_code": "找不到这个省份代码"}
    assert error.message == "找不到这个省份代码"


def test_hong_kong_is_refused_as_not_served_yet():
    error = refusal("810000", "810100", "810101")
    assert error.fields == {"province_code": "暂不支持港澳台及海外地址"}


def test_a_city_of_another_province_is_refused():
    error = refusal("650000", "610100", "610113")
    assert error.fields == {"city_code": "这个城市不属于所选省份"}


def test_a_county_of_another_city_is_refused():
    error = refusal("650000", "650100", "650202")
    assert error.fields == {"county_code": "这个区县不属于所选城市"}


def test_a_malformed_county_code_is_refused():
    error = refusal("650000", "650100", "65010")
    assert list(error.fields) == ["county_code"]


def test_after_import_a_city_missing_from_the_list_is_refused(small_import):
    error = refusal("650000", "654000", "654002")  # 伊犁: not in the small list
    assert error.fields == {"city_code": "所选省份中没有这个城市代码"}


def test_after_import_a_county_missing_from_the_list_is_refused(small_import):
    error = refusal("650000", "650100", "650109")  # 米东区: not in the small list
    assert error.fields == {"county_code": "所选城市中没有这个区县代码"}


def test_after_import_a_listed_address_is_accepted(small_import):
    validate_address_codes("650000", "650200", "650202")


def test_after_import_a_city_without_districts_is_its_own_county(small_import):
    validate_address_codes("440000", "441900", "441900")


def test_after_import_a_city_with_districts_cannot_be_its_own_county(small_import):
    error = refusal("650000", "650100", "650100")
    assert error.fields == {"county_code": "请选择这个城市下的区县"}


def test_after_import_provinces_not_in_the_list_keep_the_prefix_rule(small_import):
    validate_address_codes("330000", "330200", "330203")


def test_validation_takes_at_most_three_queries(small_import, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        validate_address_codes("650000", "650100", "650103")


def test_province_returns_the_province_row():
    assert queries.province("650000").name == "新疆维吾尔自治区"


def test_province_refuses_a_city_code_and_unknown_codes():
    for code in ("650100", "990000", ""):
        with pytest.raises(NotFound):
            queries.province(code)


def test_province_refuses_macau_as_not_served():
    with pytest.raises(NotFound) as caught:
        queries.province("820000")
    assert caught.value.message == "暂不支持港澳台及海外地址"


def test_province_of_a_county_code_is_its_province():
    assert queries.province_of("610113").code == "610000"


def test_province_of_a_malformed_code_is_not_found():
    with pytest.raises(NotFound):
        queries.province_of("61")


def test_children_of_nothing_are_the_provinces_in_code_order():
    codes = list(queries.children(None).values_list("code", flat=True))
    assert len(codes) == 31 and codes == sorted(codes) and codes[0] == "110000"


def test_children_of_a_city_after_import_are_its_counties_in_order(small_import):
    assert list(queries.children("650100").values_list("code", flat=True)) == ["650102", "650103"]


def test_children_of_an_unknown_parent_is_not_found():
    with pytest.raises(NotFound):
        queries.children("999900")


# Hubs, distances and transit days as production computes them: the shipping geography (cached region
# rows) through `rules.km_between` and `rules.transit_days`, which the promise and the demo both call.


def _transit_days(from_code: str, to_code: str) -> int:
    return rules.transit_days(rules.km_between(geography().centres, from_code[:2], to_code[:2]))


def test_a_remote_province_goes_through_the_xian_hub():
    assert geography().hubs["65"] == "610100"
    assert geography().hubs["54"] == "610100"


def test_a_province_that_is_not_remote_has_no_hub():
    assert "33" not in geography().hubs


def test_the_hub_follows_what_ops_set():
    Region.objects.filter(pk="630000").update(hub_code="510100")
    forget_geography()
    assert geography().hubs["63"] == "510100"


def test_transit_days_between_provinces_follow_their_centres():
    assert _transit_days("110101", "120101") == 1  # Beijing - Tianjin, ~110 km
    assert _transit_days("110000", "310000") == 3  # Beijing - Shanghai, ~1070 km
    assert _transit_days("650102", "610113") == 4  # Ürümqi - Xi'an, ~2100 km
    assert _transit_days("650000", "230000") == 5  # Ürümqi - Harbin, ~3000 km


def test_within_one_province_transit_is_one_day():
    assert _transit_days("330100", "330200") == 1


def test_transit_days_without_a_centre_are_the_longest():
    Region.objects.filter(pk="330000").update(latitude=None)
    forget_geography()
    assert _transit_days("330000", "320000") == 5
