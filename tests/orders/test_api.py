"""The buyer's orders under /api/orders: list, detail, cancel and confirm receipt, each in its states only."""

from datetime import datetime

import pytest

from anxin.core import clock, deadlines
from anxin.fulfilment import services as fulfilment
from anxin.orders.models import Order
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    """A paid order of a buyer, and that buyer's API client."""
    order = f.paid_checkout().orders.get()
    return order, f.api_client(order.buyer)


def ship(order: Order) -> None:
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=f"SF{order.pk:012d}")


def assert_unchanged(order: Order, before: dict, state: str) -> None:
    order.refresh_from_db()
    assert order.state == state
    assert row_counts() == before


def test_the_list_holds_the_buyers_own_orders_newest_first(paid):
    order, client = paid
    newer = f.placed_checkout(order.buyer).orders.get()
    f.paid_checkout()  # another buyer's
    response = client.get("/api/orders")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], [o["id"] for o in body["items"]]) == (2, [newer.pk, order.pk])


def test_the_list_can_be_filtered_by_state(paid):
    order, client = paid
    f.placed_checkout(order.buyer)
    body = client.get("/api/orders?state=paid").json()
    assert [o["id"] for o in body["items"]] == [order.pk]


def test_the_detail_shows_lines_and_timeline(paid):
    order, client = paid
    response = client.get(f"/api/orders/{order.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["total_fen"], len(body["lines"])) == ("paid", order.total_fen, 1)
    assert [event["kind"] for event in body["timeline"]] == ["order.placed", "order.paid"]


def test_another_buyers_order_is_not_found_and_untouched(paid):
    order, _client = paid
    stranger = f.api_client(f.buyer())
    before = row_counts()
    assert_refused(stranger.get(f"/api/orders/{order.pk}"), 404, "not_found")
    assert_refused(f.post_json(stranger, f"/api/orders/{order.pk}/cancel"), 404, "not_found")
    assert_refused(f.post_json(stranger, f"/api/orders/{order.pk}/confirm-receipt"), 404, "not_found")
    assert_unchanged(order, before, "paid")
    assert stranger.get("/api/orders").json()["count"] == 0


def test_a_paid_order_is_cancelled_and_refunded(paid):
    order, client = paid
    response = f.post_json(client, f"/api/orders/{order.pk}/cancel")
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["refunded_fen"]) == ("cancelled", order.total_fen)


def test_a_shipped_order_cannot_be_cancelled(paid):
    order, client = paid
    ship(order)
    before = row_counts()
    assert_refused(f.post_json(client, f"/api/orders/{order.pk}/cancel"), 409, "already_shipped")
    assert_unchanged(order, before, "shipped")


def test_a_cancelled_order_cannot_be_cancelled_again(paid):
    order, client = paid
    f.post_json(client, f"/api/orders/{order.pk}/cancel")
    before = row_counts()
    assert_refused(f.post_json(client, f"/api/orders/{order.pk}/cancel"), 409, "already_cancelled")
    assert_unchanged(order, before, "cancelled")


def test_receipt_cannot_be_confirmed_before_shipping(paid):
    order, client = paid
    before = row_counts()
    body = assert_refused(f.post_json(client, f"/api/orders/{order.pk}/confirm-receipt"), 409, "invalid_state")
    assert "待发货" in body["message"]
    assert_unchanged(order, before, "paid")


def test_receipt_is_confirmed_once(paid):
    order, client = paid
    ship(order)
    response = f.post_json(client, f"/api/orders/{order.pk}/confirm-receipt")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "completed"
    before = row_counts()
    assert_refused(f.post_json(client, f"/api/orders/{order.pk}/confirm-receipt"), 409, "invalid_state")
    assert_unchanged(order, before, "completed")


def test_merchant_staff_cannot_use_the_buyers_order_endpoints(paid):
    order, _client = paid
    staff = f.api_client(f.staff(order.merchant))
    before = row_counts()
    assert_refused(staff.get("/api/orders"), 403, "forbidden")
    assert_refused(f.post_json(staff, f"/api/orders/{order.pk}/cancel"), 403, "forbidden")
    assert_unchanged(order, before, "paid")


def test_a_cancelled_order_says_why_and_lists_its_refund_until_the_provider_confirms_it(paid):
    order, client = paid
    assert f.post_json(client, f"/api/orders/{order.pk}/cancel").status_code == 200
    body = client.get(f"/api/orders/{order.pk}").json()
    assert (body["state"], body["cancel_reason"], body["pay_by"]) == ("cancelled", "buyer_cancelled", None)
    assert [(r["amount_fen"], r["state"], r["succeeded_at"]) for r in body["refunds"]] == [
        (order.total_fen, "requested", None)
    ]
    deadlines.run_due()  # the worker sends the refund; the simulated provider confirms it at once
    (refund,) = client.get(f"/api/orders/{order.pk}").json()["refunds"]
    assert refund["state"] == "succeeded" and refund["succeeded_at"] is not None


def test_an_unpaid_order_says_when_it_expires():
    clock.freeze(clock.now().replace(microsecond=0))  # the API writes times to the millisecond
    checkout = f.placed_checkout()
    body = f.api_client(checkout.buyer).get(f"/api/orders/{checkout.orders.get().pk}").json()
    assert datetime.fromisoformat(body["pay_by"]) == checkout.pay_by
    assert (body["cancel_reason"], body["refunds"]) == ("", [])
