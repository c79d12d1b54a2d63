import pytest

from anxin.geo import data
from anxin.geo.models import Region

REMOTE = {"650000", "540000", "630000", "620000", "640000", "150000"}


def test_the_table_has_the_31_mainland_provinces_with_unique_codes():
    codes = [p.code for p in data.PROVINCES]
    assert len(codes) == 31 == len(set(codes))
    assert all(len(code) == 6 and code.endswith("0000") for code in codes)


def test_exactly_the_six_remote_provinces_go_through_the_xian_hub():
    assert {p.code for p in data.PROVINCES if p.is_remote} == REMOTE
    assert {p.hub_code for p in data.PROVINCES if p.is_remote} == {"610100"}
    assert {p.hub_code for p in data.PROVINCES if not p.is_remote} == {""}


def test_the_hub_is_one_of_the_built_in_cities():
    assert data.DEFAULT_HUB_CODE in {c.code for c in data.CAPITALS}


def test_every_province_has_a_capital_and_a_demo_county():
    assert set(data.DEMO_COUNTY_BY_PROVINCE) == set(data.PROVINCE_BY_CODE)
    assert data.DEMO_COUNTY_BY_PROVINCE["650000"] == ("650100", "650102")
    assert data.DEMO_COUNTY_BY_PROVINCE["610000"] == ("610100", "610113")


def test_centres_lie_inside_china():
    for row in data.builtin_rows():
        assert 18 <= row["latitude"] <= 54 and 73 <= row["longitude"] <= 135, row["code"]


def test_builtin_rows_list_parents_before_children():
    seen: set[str] = set()
    for row in data.builtin_rows():
        assert row["parent_code"] is None or row["parent_code"] in seen
        seen.add(row["code"])
    assert len(seen) == len(data.BUILTIN_CODES) == 93


@pytest.mark.django_db
def test_a_fresh_database_holds_the_built_in_rows():
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 31
    assert Region.objects.filter(code__in=data.BUILTIN_CODES).count() == 93
    assert set(Region.objects.filter(is_remote=True).values_list("code", flat=True)) == REMOTE
    assert Region.objects.get(pk="650102").parent_id == "650100"
