import pytest

from anxin.geo.admin import RegionForm
from anxin.geo.models import Region

pytestmark = pytest.mark.django_db


def form_for(code: str, **changes) -> RegionForm:
    region = Region.objects.get(pk=code)
    values = {
        "code": region.code,
        "name": region.name,
        "name_en": region.name_en,
        "level": region.level,
        "parent": region.parent_id or "",
        "latitude": region.latitude,
        "longitude": region.longitude,
        "is_remote": region.is_remote,
        "hub_code": region.hub_code,
        **changes,
    }
    return RegionForm(values, instance=region)


def test_ops_can_move_a_remote_province_to_another_hub():
    form = form_for("630000", hub_code="510100")
    assert form.is_valid(), form.errors
    form.save()
    assert Region.objects.get(pk="630000").hub_code == "510100"


def test_a_hub_must_be_a_city_in_the_table():
    form = form_for("630000", hub_code="510000")
    assert not form.is_valid()
    assert "hub_code" in form.errors


def test_a_remote_province_needs_a_hub():
    form = form_for("330000", is_remote=True, hub_code="")
    assert not form.is_valid()
    assert "hub_code" in form.errors


def test_the_region_list_opens_for_ops(admin_client):
    response = admin_client.get("/admin/geo/region/?level=province&is_remote__exact=1&q=新疆")
    assert response.status_code == 200
    assert "650000" in response.content.decode()
