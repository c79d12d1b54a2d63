"""The page the buyer lands on after paying: what was paid, each order and its promise; pending and refused
payments say so; someone else's payment does not exist."""

from datetime import timedelta

import pytest

from anxin.checkout import services as checkouts
from anxin.core import clock
from anxin.core.money import format_fen
from anxin.orders.models import Checkout
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def _two_shop_checkout(buyer):
    address = buyer.addresses.first() or f.address(buyer)
    a = f.product(f.merchant(name="甲店"), title="白色球鞋", price_fen=10000)
    b = f.product(f.merchant(name="乙店"), title="蓝色帽子", price_fen=2500)
    for item in (a, b):
        checkouts.add_to_cart(buyer, item.skus.first().pk, 1, {})
    checkout = checkouts.place_order(buyer, address_id=address.pk, idempotency_key=f"k-{f.n()}")
    return checkout, checkouts.start_payment(buyer, checkout.pk)


def test_paying_on_the_provider_page_lands_on_the_result_with_every_order_and_its_promise(client):
    buyer = f.buyer()
    checkout, payment = _two_shop_checkout(buyer)
    client.force_login(buyer)
    r = client.post(f"/pay/sim/{payment.pk}/", {"action": "pay"})
    assert r.status_code == 302 and r.url == f"/pay/{payment.pk}/result/"
    r = client.get(r.url)
    assert r.status_code == 200 and "Refresh" not in r.headers
    assert "支付成功" in r.text and f'id="paid-amount">{format_fen(checkout.total_fen)}<' in r.text
    for order in checkout.orders.all():
        card = r.text[r.text.index(f'id="paid-order-{order.pk}"') :]
        card = card[: card.index("</article>")]
        assert order.number in card and f'href="/orders/{order.pk}/"' in card
        assert "预计" in card and "送达" in card and "待发货" in card
    assert "白色球鞋" in r.text and "蓝色帽子" in r.text and "甲店" in r.text and "乙店" in r.text


def test_a_payment_not_yet_confirmed_says_so_and_refreshes(client):
    buyer = f.buyer()
    _checkout, payment = _two_shop_checkout(buyer)
    client.force_login(buyer)
    r = client.get(f"/pay/{payment.pk}/result/")
    assert r.status_code == 200 and "支付确认中" in r.text and r.headers["Refresh"] == "3"
    assert "支付成功" not in r.text and "预计" not in r.text and "实付" not in r.text


def test_a_declined_payment_says_nothing_was_charged(client):
    buyer = f.buyer()
    order = paid_order(buyer, pay=False)
    client.force_login(buyer)
    payment_url = client.post(f"/orders/{order.pk}/pay/").url
    r = client.post(payment_url, {"action": "decline"}, follow=True)
    assert "支付未成功" in r.text and "没有扣款" in r.text and "Refresh" not in r.headers
    assert "实付" not in r.text and "预计" not in r.text


def test_money_arriving_after_the_order_expired_is_said_to_go_back(client):
    buyer = f.buyer()
    order = paid_order(buyer, pay=False)
    payment = checkouts.start_payment(buyer, order.checkout_id)
    clock.advance(timedelta(minutes=31))
    checkouts.expire_unpaid(order.checkout_id)
    checkouts.simulate_provider_approval(buyer, payment.pk)
    client.force_login(buyer)
    r = client.get(f"/pay/{payment.pk}/result/")
    assert 'id="late-payment"' in r.text and "原路退回" in r.text and "预计" not in r.text


def test_someone_elses_payment_is_not_found(client):
    order = paid_order()
    payment = Checkout.objects.get(pk=order.checkout_id).payment
    client.force_login(f.buyer())
    assert client.get(f"/pay/{payment.pk}/result/").status_code == 404
    client.force_login(f.staff())
    assert client.get(f"/pay/{payment.pk}/result/").status_code == 404
    assert client.get("/pay/999999/result/").status_code == 404
