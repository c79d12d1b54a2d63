"""The ops order page's actions: cancel (with a reason), refund a line or part of it through the refund service,
add a note; each confirmed, each refusal shown with its message and nothing changed."""

import pytest

from anxin.checkout import services as checkouts
from anxin.core import audit
from anxin.core.models import Event
from anxin.core.money import format_fen
from anxin.orders.models import Order, OrderNote
from anxin.payments.models import Refund
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def _order_of_three(price_fen: int = 2000) -> Order:
    buyer = f.buyer()
    product = f.product(f.merchant(), price_fen=price_fen, stock=50)
    checkouts.add_to_cart(buyer, product.skus.first().pk, 3, {})
    checkout = checkouts.place_order(buyer, address_id=f.address(buyer).pk, idempotency_key=f"k-{f.n()}")
    payment = checkouts.start_payment(buyer, checkout.pk)
    checkouts.simulate_provider_approval(buyer, payment.pk)
    return checkout.orders.get()


@pytest.fixture
def ops_client(client):
    client.force_login(f.ops(username="ops-xiaoan"))
    return client


def _no_breaches() -> bool:
    return all(not problems for problems in audit.run_all().values())


def test_ops_refund_a_quantity_of_a_line_and_the_ledger_stays_balanced(ops_client):
    order = _order_of_three()
    line = order.lines.get()
    page = ops_client.get(f"/ops/orders/{order.pk}/")
    assert 'id="ops-refund"' in page.text and 'name="number" value="1"' in page.text
    form = {"line": line.pk, "quantity": "2", "reason": "少发一件", "number": "1", "confirm": "on"}
    r = ops_client.post(f"/ops/orders/{order.pk}/refund/", form)
    assert r.status_code == 302
    line.refresh_from_db()
    assert line.refunded_fen == 4000
    refund = Refund.objects.get()
    assert refund.key == f"order:{order.pk}:refund:ops:1" and refund.reason == "少发一件"
    assert ops_client.post(f"/ops/orders/{order.pk}/refund/", form).status_code == 302  # sent twice: once
    assert Refund.objects.count() == 1
    assert _no_breaches()
    page = ops_client.get(f"/ops/orders/{order.pk}/")
    assert "已退款 ¥40.00" in page.text and "¥40.00 · 少发一件" in page.text
    assert 'name="number" value="2"' in page.text


def test_ops_refund_beyond_what_is_refundable_is_refused_and_changes_nothing(ops_client):
    order = _order_of_three()
    line = order.lines.get()
    form = {"line": line.pk, "amount": "60.01", "reason": "补偿", "number": "1", "confirm": "on"}
    r = ops_client.post(f"/ops/orders/{order.pk}/refund/", form)
    assert r.status_code == 409
    assert "退款金额超过了这一行的实付金额减去已退金额。" in r.text
    line.refresh_from_db()
    order.refresh_from_db()
    assert line.refunded_fen == 0 and order.refunded_fen == 0 and not Refund.objects.exists()
    assert not Event.objects.filter(kind="order.refunded").exists()


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"confirm": ""}, "请勾选确认后再提交。"),
        ({"quantity": "", "amount": ""}, "请填写退款件数或退款金额（二选一）。"),
        ({"quantity": "1", "amount": "5"}, "请填写退款件数或退款金额（二选一）。"),
        ({"quantity": "", "amount": "abc"}, "请输入金额，例如 12.80。"),
        ({"reason": ""}, "请填写此项。"),
    ],
)
def test_a_refund_form_that_is_not_complete_is_shown_again(ops_client, changes, message):
    order = _order_of_three()
    form = {"line": order.lines.get().pk, "quantity": "1", "reason": "补偿", "number": "1", "confirm": "on"}
    r = ops_client.post(f"/ops/orders/{order.pk}/refund/", {**form, **changes})
    assert r.status_code == 400 and message in r.text
    assert not Refund.objects.exists()


def test_ops_cancel_a_paid_order_with_a_reason_refunds_it_all(ops_client):
    order = paid_order(price_fen=15000)
    r = ops_client.post(f"/ops/orders/{order.pk}/cancel/", {"note": "买家电话要求取消", "confirm": "on"})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.state == "cancelled" and order.cancel_reason == "ops_cancelled"
    assert order.refunded_fen == order.total_fen
    cancelled = Event.objects.get(kind="order.cancelled")
    assert cancelled.data["note"] == "买家电话要求取消" and cancelled.actor_id is not None
    assert _no_breaches()
    page = ops_client.get(f"/ops/orders/{order.pk}/")
    assert "¥150.00 · 买家电话要求取消" in page.text and 'id="ops-cancel"' not in page.text
    assert Refund.objects.get().reason == "买家电话要求取消"


def test_ops_cancel_without_a_reason_or_after_shipping_is_refused(ops_client):
    order = paid_order()
    r = ops_client.post(f"/ops/orders/{order.pk}/cancel/", {"note": "", "confirm": "on"})
    assert r.status_code == 400 and "请填写此项。" in r.text
    Order.objects.filter(pk=order.pk).update(state="shipped")
    r = ops_client.post(f"/ops/orders/{order.pk}/cancel/", {"note": "太晚了", "confirm": "on"})
    assert r.status_code == 409 and "订单已发货" in r.text
    order.refresh_from_db()
    assert order.state == "shipped" and order.refunded_fen == 0 and not Refund.objects.exists()


def test_a_note_is_kept_shown_to_ops_and_never_to_the_buyer(client, ops_client):
    order = paid_order()
    r = ops_client.post(f"/ops/orders/{order.pk}/note/", {"text": "买家来电：改为周末送货"})
    assert r.status_code == 302
    note = OrderNote.objects.get()
    assert note.author.username == "ops-xiaoan"
    assert "买家来电：改为周末送货 — ops-xiaoan" in ops_client.get(f"/ops/orders/{order.pk}/").text
    assert ops_client.post(f"/ops/orders/{order.pk}/note/", {"text": "  "}).status_code == 400
    assert OrderNote.objects.count() == 1
    client.force_login(order.buyer)
    buyer_page = client.get(f"/orders/{order.pk}/")
    assert buyer_page.status_code == 200 and "改为周末送货" not in buyer_page.text and "订单更新" not in buyer_page.text


def test_actions_on_an_unknown_order_are_404(ops_client):
    for action in ("cancel", "refund", "note"):
        assert ops_client.post(f"/ops/orders/999999/{action}/", {"text": "x"}).status_code == 404


def test_the_ops_timeline_says_why_money_went_back_in_words(ops_client):
    from anxin.orders import services as orders

    order = paid_order(price_fen=8800)
    orders.cancel_order(order.buyer, order.pk)
    page = ops_client.get(f"/ops/orders/{order.pk}/").text
    order.refresh_from_db()
    assert f"{format_fen(order.refunded_fen)} · 买家在发货前取消" in page
    assert "buyer_cancelled_before_shipping" not in page
