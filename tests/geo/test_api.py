import pytest

from anxin.geo.models import Region

pytestmark = pytest.mark.django_db


def test_regions_without_parent_are_the_31_provinces(client):
    response = client.get("/api/geo/regions")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 31
    assert body[0] == {
        "code": "110000",
        "name": "北京市",
        "name_en": "Beijing",
        "level": "province",
        "is_remote": False,
    }
    assert {row["code"] for row in body if row["is_remote"]} == {
        "650000",
        "540000",
        "630000",
        "620000",
        "640000",
        "150000",
    }


def test_regions_of_a_province_are_its_cities_from_the_bundled_list(client):
    response = client.get("/api/geo/regions?parent=650000")
    assert response.status_code == 200
    rows = response.json()
    assert rows[0] == {"code": "650100", "name": "乌鲁木齐市", "name_en": "Ürümqi", "level": "city", "is_remote": False}
    assert {"code": "650200", "name": "克拉玛依市", "name_en": "", "level": "city", "is_remote": False} in rows
    assert len(rows) == 15 and {row["level"] for row in rows} == {"city"}


def test_regions_of_a_city_after_import_are_its_counties(client, small_import):
    codes = [row["code"] for row in client.get("/api/geo/regions?parent=440100").json()]
    assert codes == ["440104", "440106"]


def test_regions_of_an_unknown_parent_answer_404(client):
    response = client.get("/api/geo/regions?parent=999900")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_region_list_takes_two_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/api/geo/regions?parent=610000").status_code == 200


def test_one_region_shows_its_hub_and_centre(client):
    body = client.get("/api/geo/regions/650000").json()
    assert body["hub_code"] == "610100"
    assert body["is_remote"] is True
    assert body["parent_code"] is None
    assert body["latitude"] == pytest.approx(43.8256)


def test_one_county_names_its_parent(client):
    body = client.get("/api/geo/regions/610113").json()
    assert (body["name"], body["level"], body["parent_code"]) == ("雁塔区", "county", "610100")


def test_an_unknown_region_answers_404(client):
    response = client.get("/api/geo/regions/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_endpoints_need_no_sign_in(client):
    Region.objects.filter(pk="110000").update(name_en="Beijing Municipality")
    assert client.get("/api/geo/regions").json()[0]["name_en"] == "Beijing Municipality"
