import pytest

from anxin.geo import data, rules
from anxin.geo.rules import CodeProblem, codes_consistent, distance_km, transit_days


def test_distance_between_a_point_and_itself_is_zero():
    assert distance_km(43.8256, 87.6168, 43.8256, 87.6168) == 0


def test_distance_beijing_to_shanghai_is_about_1070_km():
    assert distance_km(39.9042, 116.4074, 31.2304, 121.4737) == pytest.approx(1068, rel=0.01)


def test_distance_is_symmetric():
    there = distance_km(43.8256, 87.6168, 34.3416, 108.9398)
    back = distance_km(34.3416, 108.9398, 43.8256, 87.6168)
    assert there == pytest.approx(back)


def test_distance_across_the_antimeridian_takes_the_short_way():
    assert distance_km(0, 179.5, 0, -179.5) == pytest.approx(111.2, rel=0.01)


@pytest.mark.parametrize(
    ("km", "days"),
    [
        (0, 1),
        (300, 1),
        (300.01, 2),
        (800, 2),
        (800.01, 3),
        (1500, 3),
        (1500.01, 4),
        (2500, 4),
        (2500.01, 5),
        (6000, 5),
    ],
)
def test_transit_days_steps_include_their_upper_bound(km, days):
    assert transit_days(km) == days


def test_transit_days_refuses_a_negative_distance():
    with pytest.raises(ValueError):
        transit_days(-1)


@pytest.mark.parametrize("province_code", sorted(data.DEMO_COUNTY_BY_PROVINCE))
def test_every_built_in_address_triple_is_consistent(province_code):
    city_code, county_code = data.DEMO_COUNTY_BY_PROVINCE[province_code]
    assert codes_consistent(province_code, city_code, county_code)


def test_a_consistent_check_names_no_field():
    check = codes_consistent("650000", "650100", "650102")
    assert check.problem is None and check.field == ""


@pytest.mark.parametrize("code", ["810000", "820000", "710000"])
def test_hong_kong_macau_and_taiwan_are_not_served(code):
    check = codes_consistent(code, code[:2] + "0100", code[:2] + "0101")
    assert not check
    assert (check.field, check.problem) == ("province_code", CodeProblem.NOT_SERVED)


@pytest.mark.parametrize("code", ["65", "6500000", "650100", "65000A", "000000", "", None])
def test_a_malformed_province_code_is_refused(code):
    check = codes_consistent(code, "650100", "650102")
    assert (check.field, check.problem) == ("province_code", CodeProblem.PROVINCE_FORMAT)


@pytest.mark.parametrize("city_code", ["650101", "650000", "6501", "65010x"])
def test_a_malformed_city_code_is_refused(city_code):
    check = codes_consistent("650000", city_code, "650102")
    assert (check.field, check.problem) == ("city_code", CodeProblem.CITY_FORMAT)


def test_a_city_of_another_province_is_refused():
    check = codes_consistent("650000", "610100", "610113")
    assert (check.field, check.problem) == ("city_code", CodeProblem.CITY_NOT_IN_PROVINCE)


def test_a_county_of_another_city_is_refused():
    check = codes_consistent("650000", "650100", "650202")
    assert (check.field, check.problem) == ("county_code", CodeProblem.COUNTY_NOT_IN_CITY)


@pytest.mark.parametrize("county_code", ["65010", "6501021", "650200x", "650000"])
def test_a_malformed_county_code_is_refused(county_code):
    check = codes_consistent("650000", "650100", county_code)
    assert check.field == "county_code"
    assert check.problem in {CodeProblem.COUNTY_FORMAT, CodeProblem.COUNTY_NOT_IN_CITY}


def test_a_city_without_districts_may_name_itself_as_county():
    assert codes_consistent("440000", "441900", "441900")


def test_province_and_city_of_a_county_code():
    assert rules.province_code_of("650102") == "650000"
    assert rules.city_code_of("650102") == "650100"
