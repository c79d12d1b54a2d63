"""The import of the official division files, on a few real rows kept in tests/ so it runs in every clone."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from anxin.core.errors import AnxinError
from anxin.geo.models import Region
from anxin.geo.queries import validate_address_codes

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "china-divisions-sample"


def _import() -> str:
    out = StringIO()
    call_command("geo", "import-divisions", str(SAMPLE), stdout=out)
    return out.getvalue()


def test_the_sample_imports_its_provinces_cities_and_counties():
    assert "3 个省份、5 个城市、9 个区县" in _import()
    assert Region.objects.get(pk="650109").name == "米东区"
    assert Region.objects.get(pk="650109").parent_id == "650100"
    assert not Region.objects.filter(pk="441900", level=Region.Level.COUNTY).exists()  # 东莞 stays a city


def test_after_the_sample_import_xinjiang_addresses_are_checked_strictly():
    _import()
    validate_address_codes("650000", "650100", "650109")  # 米东区, imported
    validate_address_codes("440000", "441900", "441900")  # 东莞, a city without districts
    with pytest.raises(AnxinError) as caught:
        validate_address_codes("650000", "650100", "650199")
    assert caught.value.fields.keys() == {"county_code"}


def test_the_sample_import_fills_centres_and_keeps_remote_flags_and_hubs():
    _import()
    urumqi = Region.objects.get(pk="650100")
    assert (round(urumqi.latitude), round(urumqi.longitude)) == (44, 88)
    xinjiang = Region.objects.get(pk="650000")
    assert (xinjiang.is_remote, xinjiang.hub_code, xinjiang.name_en) == (True, "610100", "Xinjiang")


def test_importing_the_sample_twice_changes_nothing_the_second_time():
    _import()
    before = list(Region.objects.order_by("code").values_list("code", "name", "parent_id", "latitude"))
    _import()
    assert list(Region.objects.order_by("code").values_list("code", "name", "parent_id", "latitude")) == before
