"""The ops API for an order: cancel with a reason, refund a line (the same number refunds once), notes."""

import pytest

from anxin.orders.models import OrderNote
from anxin.payments.models import Refund
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_ops_refund_a_line_once_per_number_and_refuse_more_than_paid():
    order = paid_order(price_fen=5000)
    line = order.lines.get()
    ops = f.api_client(f.ops())
    body = {"line_id": line.pk, "amount_fen": 1200, "reason": "补偿", "number": 1}
    first = f.post_json(ops, f"/api/ops/orders/{order.pk}/refunds", body)
    again = f.post_json(ops, f"/api/ops/orders/{order.pk}/refunds", body)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    too_much = f.post_json(ops, f"/api/ops/orders/{order.pk}/refunds", {**body, "amount_fen": 4000, "number": 2})
    assert too_much.status_code == 409 and too_much.json()["code"] == "refund_exceeds_paid"
    line.refresh_from_db()
    assert line.refunded_fen == 1200 and Refund.objects.count() == 1
    buyer = f.api_client(order.buyer)
    assert f.post_json(buyer, f"/api/ops/orders/{order.pk}/refunds", {**body, "number": 3}).status_code == 403


def test_ops_cancel_and_note_through_the_api():
    order = paid_order()
    ops = f.api_client(f.ops())
    assert f.post_json(ops, f"/api/ops/orders/{order.pk}/cancel", {"note": ""}).json()["code"] == "required"
    r = f.post_json(ops, f"/api/ops/orders/{order.pk}/cancel", {"note": "缺货"})
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    r = f.post_json(ops, f"/api/ops/orders/{order.pk}/notes", {"text": "已电话告知买家"})
    assert r.status_code == 201 and OrderNote.objects.get().text == "已电话告知买家"
    assert f.post_json(ops, "/api/ops/orders/999999/notes", {"text": "x"}).status_code == 404
