"""Another party's objects answer 404; roles keep buyers, merchants, couriers and ops to their own tools."""

import pytest

from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return f.paid_checkout().orders.get()


def test_another_buyers_order_and_checkout_are_not_found(order):
    client = f.api_client(f.buyer())
    before = row_counts()
    assert_refused(client.get(f"/api/checkouts/{order.checkout_id}"), 404, "not_found")
    assert_refused(f.post_json(client, f"/api/checkouts/{order.checkout_id}/payment"), 404, "not_found")
    assert row_counts() == before


def test_another_merchants_order_is_not_found(order):
    other = f.api_client(f.staff())
    before = row_counts()
    assert_refused(other.get(f"/api/seller/orders/{order.pk}"), 404, "not_found")
    ship = {"carrier": "顺丰", "tracking_number": "SF000012345678"}
    assert_refused(f.post_json(other, f"/api/seller/orders/{order.pk}/ship", ship), 404, "not_found")
    assert other.get("/api/seller/orders").json()["count"] == 0
    order.refresh_from_db()
    assert order.state == "paid"
    assert row_counts() == before


def test_the_merchant_sees_its_own_order(order):
    mine = f.api_client(f.staff(order.merchant))
    assert mine.get(f"/api/seller/orders/{order.pk}").status_code == 200
    assert mine.get("/api/seller/orders").json()["count"] == 1


def test_a_buyer_cannot_use_the_seller_center_or_mark_deliveries(order):
    client = f.api_client(order.buyer)
    before = row_counts()
    assert_refused(client.get("/api/seller/orders"), 403, "forbidden")
    assert_refused(f.post_json(client, f"/api/deliveries/{order.pk}/delivered"), 403, "forbidden")
    order.refresh_from_db()
    assert order.state == "paid"
    assert row_counts() == before


def test_merchant_staff_cannot_shop():
    client = f.api_client(f.staff())
    sku = f.product().skus.first()
    before = row_counts()
    assert_refused(f.post_json(client, "/api/cart/lines", {"sku_id": sku.pk, "quantity": 1}), 403, "forbidden")
    assert row_counts() == before


def test_another_shops_product_cannot_be_edited():
    item = f.product()
    other = f.api_client(f.staff())
    response = other.patch(f"/api/seller/products/{item.pk}", '{"title": "偷改"}', content_type="application/json")
    assert_refused(response, 404, "not_found")
    item.refresh_from_db()
    assert item.title != "偷改"
