from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from anxin.core.errors import AnxinError
from anxin.geo.models import Region
from anxin.geo.queries import validate_address_codes

from .conftest import SHARED_DIVISIONS, SMALL_AREAS

pytestmark = pytest.mark.django_db


def run(path: Path) -> str:
    out = StringIO()
    call_command("geo", "import-divisions", str(path), stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(Region.objects.order_by("code").values_list("code", "name", "level", "parent_id", "latitude"))


@pytest.fixture
def official() -> Path:
    if not SHARED_DIVISIONS.is_dir():
        pytest.skip("../shared/data is absent in this clone")
    return SHARED_DIVISIONS


def test_the_official_lists_import_31_provinces_342_cities_2978_counties(official):
    output = run(official)
    assert "31 个省份、342 个城市、2978 个区县" in output
    counts = {level: Region.objects.filter(level=level).count() for level in Region.Level.values}
    # 东莞, 中山 and 儋州 are listed among the counties under their own city code: one row each, the city.
    assert counts == {"province": 31, "city": 342, "county": 2975}


def test_after_the_official_import_validation_is_strict(official):
    run(official)
    validate_address_codes("650000", "650100", "650109")  # 米东区
    validate_address_codes("440000", "441900", "441900")  # 东莞市
    refused = [("650000", "650100", "650199"), ("650000", "659900", "659901"), ("330000", "330100", "330100")]
    for codes in refused:
        with pytest.raises(AnxinError):
            validate_address_codes(*codes)


def test_the_official_import_fills_centres_and_keeps_remote_flags(official):
    run(official)
    assert Region.objects.filter(latitude__isnull=False).count() > 3000
    assert Region.objects.filter(is_remote=True).count() == 6
    assert Region.objects.get(pk="540000").name_en == "Tibet"


def test_a_malformed_row_names_file_and_line_and_changes_nothing(divisions_dir):
    areas = [*SMALL_AREAS[:2], ("44010X", "坏行", "4401", "44"), *SMALL_AREAS[2:]]
    path = divisions_dir(areas=areas)
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        run(path)
    assert "areas.csv 第 4 行" in str(caught.value)
    assert snapshot() == before


def test_a_county_under_a_city_not_listed_is_refused(divisions_dir):
    path = divisions_dir(areas=[*SMALL_AREAS, ("650402", "高昌区", "6504", "65")])
    with pytest.raises(CommandError, match="areas.csv 第 9 行"):
        run(path)
    assert not Region.objects.filter(pk="650200").exists()


def test_a_duplicate_code_is_refused(divisions_dir):
    path = divisions_dir(cities=[("6501", "乌鲁木齐市", "65"), ("6501", "again", "65")])
    with pytest.raises(CommandError, match="cities.csv 第 3 行"):
        run(path)


def test_a_missing_file_is_named_and_changes_nothing(divisions_dir):
    path = divisions_dir()
    (path / "cities.csv").unlink()
    before = snapshot()
    with pytest.raises(CommandError, match="cities.csv"):
        run(path)
    assert snapshot() == before


def test_a_missing_column_is_named(divisions_dir):
    path = divisions_dir()
    (path / "provinces.csv").write_text("code,title\n65,新疆\n", encoding="utf-8")
    with pytest.raises(CommandError, match="provinces.csv 第 1 行.*name"):
        run(path)


def test_a_bad_coordinate_names_its_line_and_changes_nothing(divisions_dir):
    path = divisions_dir(coordinates={"650202": ("44.3", "84.9"), "650103": ("north", "87.5")})
    before = snapshot()
    with pytest.raises(CommandError, match="adcode-with-coordinates.csv 第 3 行"):
        run(path)
    assert snapshot() == before


def test_a_directory_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "nowhere")


def test_the_command_shows_progress_and_a_summary(divisions_dir):
    output = run(divisions_dir())
    assert "区县：6/6" in output
    assert "3 个省份、5 个城市、7 个区县" in output


def test_a_name_with_a_control_character_names_its_line_and_changes_nothing(divisions_dir):
    areas = [*SMALL_AREAS[:1], ("110102", "西城\u202e区", "1101", "11"), *SMALL_AREAS[1:]]
    path = divisions_dir(areas=areas)
    before = snapshot()
    with pytest.raises(CommandError, match="areas.csv 第 3 行"):
        run(path)
    assert snapshot() == before
