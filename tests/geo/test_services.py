import pytest

from anxin.geo import queries, services
from anxin.geo.models import Region

pytestmark = pytest.mark.django_db


def test_validate_address_codes_is_offered_by_the_services():
    assert services.validate_address_codes is queries.validate_address_codes


def test_ensure_builtin_regions_restores_missing_rows_only():
    Region.objects.filter(pk="330106").delete()
    Region.objects.filter(pk="650000").update(name_en="changed by ops")
    assert services.ensure_builtin_regions() == 1
    assert Region.objects.get(pk="330106").parent_id == "330100"
    assert Region.objects.get(pk="650000").name_en == "changed by ops"


def test_ensure_builtin_regions_rebuilds_an_empty_table():
    Region.objects.filter(level=Region.Level.COUNTY).delete()
    Region.objects.filter(level=Region.Level.CITY).delete()
    Region.objects.all().delete()
    assert services.ensure_builtin_regions() == 93


def test_import_counts_what_it_read(divisions_dir):
    summary = services.import_divisions(divisions_dir())
    assert (summary.provinces, summary.cities, summary.counties) == (3, 5, 7)
    assert summary.cities_as_counties == 1  # 东莞市 441900 is the city itself, not a second row
    assert Region.objects.get(pk="441900").level == Region.Level.CITY


def test_import_keeps_remote_flags_hubs_and_english_names(divisions_dir):
    Region.objects.filter(pk="650000").update(hub_code="510100")
    services.import_divisions(divisions_dir())
    xinjiang = Region.objects.get(pk="650000")
    assert (xinjiang.is_remote, xinjiang.hub_code, xinjiang.name_en) == (True, "510100", "Xinjiang")


def test_import_updates_names_and_parents_in_place(divisions_dir):
    Region.objects.filter(pk="650102").update(name="旧名")
    services.import_divisions(divisions_dir())
    county = Region.objects.get(pk="650102")
    assert (county.name, county.parent_id, county.level) == ("天山区", "650100", Region.Level.COUNTY)


def test_import_twice_changes_nothing_more(divisions_dir):
    path = divisions_dir()
    services.import_divisions(path)
    before = list(Region.objects.values_list("code", "name", "parent_id", "latitude"))
    services.import_divisions(path)
    assert list(Region.objects.values_list("code", "name", "parent_id", "latitude")) == before


def test_import_sets_coordinates_only_where_the_file_has_them(divisions_dir):
    path = divisions_dir(coordinates={"650202": ("44.3273", "84.8869"), "650103": ("", "")})
    summary = services.import_divisions(path)
    assert summary.coordinates == 1
    assert Region.objects.get(pk="650202").latitude == pytest.approx(44.3273)
    assert Region.objects.get(pk="650103").latitude is None
    assert Region.objects.get(pk="650102").latitude == pytest.approx(43.8256)  # built-in centre kept


def test_import_reports_progress_per_level(divisions_dir):
    messages: list[str] = []
    services.import_divisions(divisions_dir(), progress=messages.append)
    assert messages == ["省份：3/3", "城市：5/5", "区县：6/6"]


def test_a_failure_while_writing_rolls_everything_back(divisions_dir, monkeypatch):
    real_upsert = services._upsert

    def fail_on_counties(label, *args):
        if label == "区县":
            raise RuntimeError("database went away")
        real_upsert(label, *args)

    monkeypatch.setattr(services, "_upsert", fail_on_counties)
    with pytest.raises(RuntimeError):
        services.import_divisions(divisions_dir())
    assert not Region.objects.filter(pk="650200").exists()
