"""The cart and the checkout: groups per merchant, quantities, fees, one order per submit, paying."""

import pytest

from anxin.checkout import services as checkouts
from anxin.orders.models import Checkout, Order
from anxin.payments.models import Payment
from tests import factories as f
from tests.pages_helpers import idempotency_key, paid_order

pytestmark = pytest.mark.django_db


def _cart_with(buyer, *products, answers=None):
    lines = []
    for product in products:
        lines.append(checkouts.add_to_cart(buyer, product.skus.first().pk, 1, answers or {}))
    return lines


def test_cart_groups_lines_by_merchant_with_totals(client):
    buyer = f.buyer()
    a, b = f.merchant(name="甲店"), f.merchant(name="乙店")
    _cart_with(buyer, f.product(a, price_fen=1000), f.product(a, price_fen=2000), f.product(b, price_fen=500))
    client.force_login(buyer)
    r = client.get("/cart/")
    assert r.status_code == 200
    assert r.text.count('class="card merchant-group"') == 2
    assert "¥30.00" in r.text and "¥35.00" in r.text
    assert '<span class="cart-badge" id="cart-count">3</span>' in r.text


def test_cart_quantity_can_be_changed_and_bad_quantities_are_shown_on_the_line(client):
    buyer = f.buyer()
    (line,) = _cart_with(buyer, f.product(price_fen=1000))
    client.force_login(buyer)
    r = client.post(f"/cart/lines/{line.pk}/quantity/", {"quantity": "4"})
    assert r.status_code == 302
    line.refresh_from_db()
    assert line.quantity == 4
    r = client.post(f"/cart/lines/{line.pk}/quantity/", {"quantity": "0"})
    assert r.status_code == 400
    assert "须为 1" in r.text


def test_cart_line_can_be_removed_but_not_another_buyers(client):
    buyer, other = f.buyer(), f.buyer()
    (line,) = _cart_with(buyer, f.product())
    client.force_login(other)
    assert client.post(f"/cart/lines/{line.pk}/remove/").status_code == 404
    assert client.post(f"/cart/lines/{line.pk}/quantity/", {"quantity": "2"}).status_code == 404
    client.force_login(buyer)
    assert client.post(f"/cart/lines/{line.pk}/remove/").status_code == 302
    assert "购物车是空的" in client.get("/cart/").text


def test_checkout_shows_orders_per_merchant_with_fees_and_totals(client):
    buyer = f.buyer()
    f.address(buyer)
    a, b = f.merchant(name="甲店"), f.merchant(name="乙店")
    _cart_with(buyer, f.product(a, price_fen=1000), f.product(b, price_fen=20000))
    client.force_login(buyer)
    r = client.get("/checkout/")
    assert r.status_code == 200
    assert "甲店" in r.text and "乙店" in r.text
    assert "¥6.00" in r.text  # flat fee for the small order; the big one ships free
    assert "包邮" in r.text
    assert "¥216.00" in r.text
    assert 'name="idempotency_key"' in r.text


def test_a_double_submitted_checkout_places_one_order(client):
    buyer = f.buyer()
    address = f.address(buyer)
    _cart_with(buyer, f.product(price_fen=1000))
    client.force_login(buyer)
    key = idempotency_key(client.get("/checkout/").text)
    first = client.post("/checkout/", {"address_id": address.pk, "idempotency_key": key})
    second = client.post("/checkout/", {"address_id": address.pk, "idempotency_key": key})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Checkout.objects.filter(buyer=buyer).count() == 1
    assert Payment.objects.count() == 1


def test_declined_payment_leaves_the_order_waiting_with_a_pay_now_button(client):
    buyer = f.buyer()
    order = paid_order(buyer, pay=False)
    client.force_login(buyer)
    r = client.post(f"/orders/{order.pk}/pay/")
    assert r.status_code == 302 and r.url.startswith("/pay/sim/")
    assert client.post(r.url, {"action": "decline"}).status_code == 302
    order.refresh_from_db()
    assert order.state == "pending_payment"
    r = client.get("/orders/")
    assert "待付款" in r.text and "去付款" in r.text


def test_sim_pay_page_shows_the_amount_and_refuses_other_buyers(client):
    buyer = f.buyer()
    order = paid_order(buyer, pay=False, price_fen=12345)
    payment = checkouts.start_payment(buyer, order.checkout_id)
    client.force_login(buyer)
    r = client.get(f"/pay/sim/{payment.pk}/")
    assert r.status_code == 200
    assert "¥123.45" in r.text and 'value="pay"' in r.text and 'value="decline"' in r.text
    client.force_login(f.buyer())
    assert client.get(f"/pay/sim/{payment.pk}/").status_code == 404


def test_non_buyers_get_not_found_on_buyer_pages(client):
    client.force_login(f.staff())
    assert client.get("/cart/").status_code == 404
    assert client.get("/orders/").status_code == 404
    assert Order.objects.count() == 0


def test_checkout_names_the_product_that_ran_out_of_stock(client):
    buyer, rival = f.buyer(), f.buyer()
    address = f.address(buyer)
    scarce = f.product(title="限量球鞋", stock=1)
    checkouts.add_to_cart(buyer, scarce.skus.first().pk, 1, {})
    checkouts.add_to_cart(rival, scarce.skus.first().pk, 1, {})
    checkouts.place_order(rival, address_id=f.address(rival).pk, idempotency_key="rival")
    client.force_login(buyer)
    key = idempotency_key(client.get("/checkout/").text)
    r = client.post("/checkout/", {"address_id": address.pk, "idempotency_key": key})
    assert r.status_code == 409
    assert "库存不足" in r.text and "限量球鞋" in r.text
    assert not Checkout.objects.filter(buyer=buyer).exists()
