"""The official division list bundled in the package: loaded into every new database by a migration."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from anxin.geo import bundle, queries, services
from anxin.geo.models import Region

from .conftest import SHARED_DIVISIONS

pytestmark = pytest.mark.django_db


def level_counts() -> dict[str, int]:
    return {level: Region.objects.filter(level=level).count() for level in Region.Level.values}


def test_a_new_database_holds_31_provinces_342_cities_and_2975_counties():
    assert level_counts() == {"province": 31, "city": 342, "county": 2975}


def test_every_one_of_the_2978_county_level_units_can_be_chosen():
    # 东莞, 中山 and 儋州 have no districts: each is offered as its own county.
    cities = Region.objects.filter(level=Region.Level.CITY).values_list("code", flat=True)
    offered = [county.code for city in cities for county in queries.county_choices(city)]
    assert len(offered) == len(set(offered)) == 2978
    assert [c.code for c in queries.county_choices("441900")] == ["441900"]


def test_the_built_in_values_win_over_the_bundle():
    xinjiang, xihu = Region.objects.get(pk="650000"), Region.objects.get(pk="330106")
    assert (xinjiang.name_en, xinjiang.is_remote, xinjiang.hub_code) == ("Xinjiang", True, "610100")
    assert (xihu.name, xihu.name_en, xihu.parent_id) == ("西湖区", "Xihu District", "330100")


def test_loading_again_adds_only_what_is_missing_and_keeps_edits():
    Region.objects.filter(pk="650000").update(name_en="changed by ops")
    Region.objects.filter(pk="650202").delete()
    assert services.load_bundled_divisions() == 1
    assert services.load_bundled_divisions() == 0
    assert Region.objects.get(pk="650202").parent_id == "650200"
    assert Region.objects.get(pk="650000").name_en == "changed by ops"


def test_the_bundle_reads_back_what_was_written(tmp_path):
    rows = [
        {"code": "650200", "parent_id": "650000", "level": "city", "name": "克拉玛依市", "latitude": 45.5798,
         "longitude": 84.8892},
        {"code": "650000", "parent_id": None, "level": "province", "name": "新疆", "latitude": None,
         "longitude": None},
    ]  # fmt: skip
    path = tmp_path / "divisions.csv.gz"
    assert bundle.write_rows(rows, path) == 2
    assert list(bundle.read_rows(path)) == [rows[1], rows[0]]  # parents first


@pytest.fixture
def official():
    if not SHARED_DIVISIONS.is_dir():
        pytest.skip("../shared/data is absent in this clone")
    return SHARED_DIVISIONS


def test_the_bundle_is_the_official_list_rewritten_byte_for_byte(official, tmp_path):
    target = tmp_path / "divisions.csv.gz"
    summary = services.bundle_divisions(official, target)
    assert (summary.provinces, summary.cities, summary.counties) == (31, 342, 2978)
    assert target.read_bytes() == bundle.BUNDLE_PATH.read_bytes()


def test_the_bundle_command_refuses_a_bad_directory_and_keeps_the_bundle(tmp_path):
    before = bundle.BUNDLE_PATH.read_bytes()
    (tmp_path / "provinces.csv").write_text("code,name\n11,北京市\n", encoding="utf-8")
    with pytest.raises(CommandError, match="cities.csv"):
        call_command("geo", "bundle-divisions", str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("geo", "bundle-divisions", str(tmp_path / "absent"), stdout=StringIO())
    assert bundle.BUNDLE_PATH.read_bytes() == before


def test_the_licence_notice_ships_beside_the_data():
    notice = bundle.BUNDLE_PATH.with_name("divisions-LICENSE.txt").read_text(encoding="utf-8")
    assert "WTFPL" in notice and "CC BY 4.0" in notice
