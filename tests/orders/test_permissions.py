"""Another party's objects answer 404; roles keep buyers, merchants, couriers and ops to their own tools."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return f.paid_checkout().orders.get()


def test_another_buyers_order_is_not_found(order):
    client = f.api_client(f.buyer())
    assert client.get(f"/api/orders/{order.pk}").status_code == 404
    assert f.post_json(client, f"/api/orders/{order.pk}/cancel").status_code == 404
    assert f.post_json(client, f"/api/orders/{order.pk}/confirm-receipt").status_code == 404
    assert client.get(f"/api/checkouts/{order.checkout_id}").status_code == 404


def test_another_merchants_order_is_not_found(order):
    other = f.api_client(f.staff())
    assert other.get(f"/api/seller/orders/{order.pk}").status_code == 404
    ship = {"carrier": "顺丰", "tracking_number": "SF12345678"}
    assert f.post_json(other, f"/api/seller/orders/{order.pk}/ship", ship).status_code == 404
    assert other.get("/api/seller/orders").json()["count"] == 0
    order.refresh_from_db()
    assert order.state == "paid"


def test_the_merchant_sees_its_own_order(order):
    mine = f.api_client(f.staff(order.merchant))
    assert mine.get(f"/api/seller/orders/{order.pk}").status_code == 200
    assert mine.get("/api/seller/orders").json()["count"] == 1


def test_a_buyer_cannot_use_the_seller_center_or_mark_deliveries(order):
    client = f.api_client(order.buyer)
    assert client.get("/api/seller/orders").status_code == 403
    assert f.post_json(client, f"/api/deliveries/{order.pk}/delivered").status_code == 403


def test_merchant_staff_cannot_shop():
    client = f.api_client(f.staff())
    response = f.post_json(client, "/api/cart/lines", {"sku_id": f.product().skus.first().pk, "quantity": 1})
    assert response.status_code == 403


def test_another_shops_product_cannot_be_edited():
    item = f.product()
    other = f.api_client(f.staff())
    response = other.patch(f"/api/seller/products/{item.pk}", '{"title": "偷改"}', content_type="application/json")
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.title != "偷改"
