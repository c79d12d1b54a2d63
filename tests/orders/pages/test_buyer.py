"""The buyer's orders: the list, an order's page, cancelling."""

import pytest

from anxin.checkout import services as checkouts
from anxin.fulfilment import services as fulfilment
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def _cart_with(buyer, *products, answers=None):
    lines = []
    for product in products:
        lines.append(checkouts.add_to_cart(buyer, product.skus.first().pk, 1, answers or {}))
    return lines


def test_buyer_cancels_a_paid_order_before_shipping(client):
    buyer = f.buyer()
    order = paid_order(buyer)
    client.force_login(buyer)
    r = client.post(f"/orders/{order.pk}/cancel/")
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.state == "cancelled" and order.refunded_fen == order.total_fen
    r = client.get(f"/orders/{order.pk}/")
    assert "订单已取消" in r.text and "取消订单" not in r.text


def test_cancelling_a_shipped_order_is_refused_on_the_page(client):
    buyer = f.buyer()
    order = paid_order(buyer)
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF1234567890")
    client.force_login(buyer)
    r = client.post(f"/orders/{order.pk}/cancel/")
    assert r.status_code == 409
    assert "已发货" in r.text


def test_order_detail_shows_lines_answers_and_timeline(client):
    buyer = f.buyer()
    order = paid_order(buyer, answers_text="小明")
    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert r.status_code == 200
    assert "小明" in r.text and "下单" in r.text and "付款成功" in r.text
    assert order.number in r.text


def test_another_buyers_order_is_not_found(client):
    order = paid_order()
    client.force_login(f.buyer())
    assert client.get(f"/orders/{order.pk}/").status_code == 404
    assert client.post(f"/orders/{order.pk}/cancel/").status_code == 404
    assert client.post(f"/orders/{order.pk}/confirm/").status_code == 404
    assert client.post(f"/orders/{order.pk}/pay/").status_code == 404


def test_order_list_filters_by_state(client):
    buyer = f.buyer()
    paid_order(buyer)
    paid_order(buyer, pay=False)
    client.force_login(buyer)
    r = client.get("/orders/", {"state": "pending_payment"})
    assert r.text.count('<article class="card">') == 1
    assert client.get("/orders/", {"state": "bogus"}).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_order_list_queries_do_not_grow_with_orders(client, django_assert_max_num_queries, count):
    buyer = f.buyer()
    shop = f.merchant()
    for i in range(count):
        paid_order(buyer, shop=shop, answers_text=f"名{i}" if i % 2 else "")
    client.force_login(buyer)
    with django_assert_max_num_queries(8):
        r = client.get("/orders/")
    assert r.status_code == 200
    assert r.text.count('<article class="card">') == min(count, 20)
