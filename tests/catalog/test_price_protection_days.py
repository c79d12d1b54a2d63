"""A product's 价保 days (0, 7, 15 or 30) through the seller API and service; anything else is refused."""

import json

import pytest

from anxin.catalog import services
from anxin.catalog.models import Product
from anxin.core.errors import AnxinError
from anxin.core.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db


def patch(client, product_id: int, data: dict):
    return client.patch(f"/api/seller/products/{product_id}", json.dumps(data), content_type="application/json")


def test_a_product_is_created_with_its_price_protection_days():
    client = f.api_client(f.staff())
    data = {"title": "保温杯", "category_id": f.category().pk, "price_protection_days": 15}
    created = f.post_json(client, "/api/seller/products", data)
    assert created.status_code == 201, created.content
    assert created.json()["price_protection_days"] == 15
    assert Product.objects.get(pk=created.json()["id"]).price_protection_days == 15


def test_the_days_are_changed_with_an_event():
    staff = f.staff()
    item = f.product(staff.merchant)
    response = patch(f.api_client(staff), item.pk, {"price_protection_days": 30})
    assert response.status_code == 200 and response.json()["price_protection_days"] == 30
    event = Event.objects.get(kind="product.updated", subject_id=item.pk)
    assert event.data["changes"]["price_protection_days"] == {"before": 0, "after": 30}


@pytest.mark.parametrize("days", [3, -7, 31, 365])
def test_other_days_are_refused_naming_the_field_and_nothing_changes(days):
    staff = f.staff()
    item = f.product(staff.merchant, price_protection_days=7)
    response = patch(f.api_client(staff), item.pk, {"price_protection_days": days})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_product"
    assert body["fields"]["price_protection_days"] == "价保天数只能是 0、7、15 或 30 天。"
    item.refresh_from_db()
    assert item.price_protection_days == 7


def test_a_bool_is_no_number_of_days():
    staff = f.staff()
    item = f.product(staff.merchant)
    with pytest.raises(AnxinError) as refused:
        services.update_product(staff, item.pk, {"price_protection_days": True})
    assert "price_protection_days" in refused.value.fields
