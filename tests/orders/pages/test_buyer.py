"""The buyer's orders: the list, an order's page, cancelling."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from anxin.checkout import services as checkouts
from anxin.core import clock, deadlines
from anxin.fulfilment import services as fulfilment
from anxin.orders import services as orders
from anxin.orders.models import Order
from anxin.orders.pages import tabs
from tests import factories as f
from tests.orders.helpers import row_counts
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
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF001234567890")
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


def _shipped(order):
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=f"SF{f.n():012d}")
    return order


def _cancel_note(html: str) -> str:
    return re.search(r'<div class="alert cancel-note" id="cancel-note">(.*?)</div>\n', html, re.S).group(1)


def test_a_cancelled_unpaid_order_says_why_and_when_and_claims_no_payment(client):
    buyer = f.buyer()
    order = paid_order(buyer, pay=False)
    clock.freeze(clock.now().replace(microsecond=0))
    orders.cancel_order(buyer, order.pk)
    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/")
    note = _cancel_note(r.text)
    assert "买家取消" in note and timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M") in note
    assert "实付" not in r.text and "未支付" in r.text and "应付" in r.text
    assert 'id="order-promise"' not in r.text and "预计" not in r.text and "商家发货后" not in r.text
    assert "取消订单" not in r.text
    r = client.get("/orders/")
    assert "实付" not in r.text and "未支付" in r.text


def test_an_unpaid_order_that_expired_says_it_was_cancelled_for_not_being_paid(client):
    buyer = f.buyer()
    order = paid_order(buyer, pay=False)
    clock.advance(timedelta(minutes=31))
    deadlines.run_due()
    order.refresh_from_db()
    assert order.cancel_reason == "unpaid_expired"
    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert "超时未付款，系统自动取消" in _cancel_note(r.text)
    assert "实付" not in r.text


def test_a_cancelled_paid_order_shows_the_refund_granted_then_confirmed(client):
    buyer = f.buyer()
    order = paid_order(buyer)
    orders.cancel_order(buyer, order.pk)
    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert "实付" in r.text and "已退款 ¥100.00" in _cancel_note(r.text)
    assert "退款已受理" in r.text and "退款处理中" in r.text and "退款已到账" not in r.text
    deadlines.run_due()  # the worker sends the refund; the simulated provider confirms it at once
    r = client.get(f"/orders/{order.pk}/")
    timeline = r.text[r.text.index('id="order-timeline"') :]
    assert timeline.index("退款已受理") < timeline.index("退款已到账")
    assert "¥100.00 已退回原支付账户" in timeline and "退款处理中" not in timeline


def test_an_unpaid_order_shows_the_time_left_to_pay(client):
    buyer = f.buyer()
    clock.freeze(clock.now().replace(microsecond=0))
    order = paid_order(buyer, pay=False)
    clock.advance(timedelta(minutes=10, seconds=19))
    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert re.search(r'data-countdown="1181"[^>]*>19:41</time>', r.text)
    assert "应付" in r.text and "实付" not in r.text
    assert 'data-countdown="1181"' in client.get("/orders/").text


def test_an_unpaid_order_past_its_deadline_shows_no_countdown_and_no_pay_button(client):
    buyer = f.buyer()
    order = paid_order(buyer, pay=False)
    client.force_login(buyer)
    assert "去付款" in client.get(f"/orders/{order.pk}/").text
    clock.advance(timedelta(minutes=30, seconds=1))  # the worker has not cancelled it yet
    for page in (f"/orders/{order.pk}/", "/orders/"):
        r = client.get(page)
        assert "data-countdown" not in r.text and "支付时间已到" in r.text and "去付款" not in r.text


def test_tabs_count_and_filter_the_orders_as_buyers_know_them(client):
    buyer = f.buyer()
    unpaid = paid_order(buyer, pay=False)
    to_ship = paid_order(buyer)
    shipped = _shipped(paid_order(buyer))
    delivered = _shipped(paid_order(buyer))
    orders.deliver(delivered.pk, at=clock.now())
    completed = _shipped(paid_order(buyer))
    orders.confirm_receipt(buyer, completed.pk)
    cancelled = paid_order(buyer)
    orders.cancel_order(buyer, cancelled.pk)
    paid_order(f.buyer())  # someone else's order counts nowhere
    client.force_login(buyer)
    r = client.get("/orders/")
    counts = dict(re.findall(r'data-tab="(\w+)"[^>]*>[^<]+<span class="tab-count">(\d+)</span>', r.text))
    # the paid order's cancel is a refund case, so after-sales' 退款/售后 tab counts it too
    assert counts == {
        "unpaid": "1",
        "to_ship": "1",
        "to_receive": "2",
        "completed": "1",
        "cancelled": "1",
        "aftersales": "1",
    }
    expected = {
        "unpaid": [unpaid],
        "to_ship": [to_ship],
        "to_receive": [delivered, shipped],
        "completed": [completed],
        "cancelled": [cancelled],
    }
    for code, wanted in expected.items():
        r = client.get("/orders/", {"tab": code})
        assert re.findall(r"订单号 (\S+)", r.text) == [o.number for o in wanted], code
        assert f'data-tab="{code}" class="active" aria-current="page"' in r.text
    assert r.text.count('<article class="card">') == 1
    assert client.get("/orders/", {"tab": "bogus"}).text.count('<article class="card">') == 6


def test_an_app_above_orders_can_add_a_tab(client):
    buyer = f.buyer()
    paid_order(buyer)
    tabs.register(tabs.Tab("big", "大额", tabs.Q(total_fen__gte=5000)))
    try:
        client.force_login(buyer)
        r = client.get("/orders/", {"tab": "big"})
        assert 'data-tab="big" class="active"' in r.text and r.text.count('<article class="card">') == 1
    finally:
        tabs._tabs.remove(next(t for t in tabs._tabs if t.code == "big"))


def test_cancel_asks_first_and_only_the_post_cancels(client):
    buyer = f.buyer()
    order = paid_order(buyer)
    client.force_login(buyer)
    detail = client.get(f"/orders/{order.pk}/").text
    assert 'data-dialog="cancel-dialog"' in detail and '<dialog class="confirm-dialog" id="cancel-dialog"' in detail
    before = row_counts()
    r = client.get(f"/orders/{order.pk}/cancel/")
    assert r.status_code == 200 and "确定取消这个订单？" in r.text and "已付的 ¥100.00 将原路退回" in r.text
    assert row_counts() == before
    order.refresh_from_db()
    assert order.state == "paid"
    assert client.post(f"/orders/{order.pk}/cancel/").status_code == 302
    order.refresh_from_db()
    assert (order.state, order.cancel_reason) == ("cancelled", "buyer_cancelled")


def test_the_cancel_step_of_a_shipped_order_says_it_cannot_be_cancelled(client):
    buyer = f.buyer()
    order = _shipped(paid_order(buyer))
    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/cancel/")
    assert r.status_code == 409 and "不能取消" in r.text and "确认取消订单" not in r.text


def test_confirm_receipt_before_any_delivery_scan_says_so_plainly(client):
    buyer = f.buyer()
    order = _shipped(paid_order(buyer))
    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/confirm/")
    assert r.status_code == 200 and 'id="not-delivered-warning"' in r.text and "还没有记录包裹已送达" in r.text
    order.refresh_from_db()
    assert order.state == "shipped"
    assert 'id="not-delivered-warning"' in client.get(f"/orders/{order.pk}/").text  # in the dialog too


def test_confirm_receipt_after_delivery_has_no_warning_and_completes(client):
    buyer = f.buyer()
    order = _shipped(paid_order(buyer))
    orders.deliver(order.pk, at=clock.now())
    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/confirm/")
    assert r.status_code == 200 and "not-delivered-warning" not in r.text
    assert client.post(f"/orders/{order.pk}/confirm/").status_code == 302
    assert Order.objects.get(pk=order.pk).state == "completed"


def test_another_buyers_confirm_steps_are_not_found(client):
    order = paid_order()
    client.force_login(f.buyer())
    assert client.get(f"/orders/{order.pk}/cancel/").status_code == 404
    assert client.get(f"/orders/{order.pk}/confirm/").status_code == 404
