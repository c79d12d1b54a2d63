"""Time: unpaid orders expire and release stock at 30 minutes, late shipments are flagged, orders complete on
their own; and a deadline that comes due when there is nothing left to do does nothing."""

from datetime import timedelta

import pytest

from anxin.core import clock, deadlines, ledger
from anxin.core.models import Deadline, Event
from anxin.fulfilment import services as fulfilment
from anxin.inventory.models import Stock
from anxin.orders import services
from anxin.orders.models import Order
from tests import factories as f
from tests.orders.helpers import row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    clock.freeze(clock.now().replace(microsecond=0))


def test_an_unpaid_order_is_cancelled_after_30_minutes_and_its_stock_released():
    item = f.product(stock=4)
    checkout = f.placed_checkout(lines=[(item.skus.first(), 3)])
    clock.advance(timedelta(minutes=29, seconds=59))
    deadlines.run_due()
    assert checkout.orders.get().state == "pending_payment"
    clock.advance(timedelta(seconds=1))
    assert deadlines.run_due() == 1
    order = checkout.orders.get()
    assert (order.state, order.cancel_reason) == ("cancelled", "unpaid_expired")
    stock = Stock.objects.get(sku=item.skus.first())
    assert (stock.available, stock.allocated) == (4, 0)


def test_a_paid_order_does_not_expire():
    checkout = f.paid_checkout()
    clock.advance(timedelta(hours=1))
    deadlines.run_due()
    assert checkout.orders.get().state == "paid"


def test_an_unshipped_order_is_flagged_overdue_after_its_handling_time():
    checkout = f.paid_checkout()
    order = checkout.orders.get()
    clock.advance(timedelta(hours=48, seconds=1))
    deadlines.run_due()
    assert Event.objects.filter(kind="order.shipment_overdue", subject_id=order.pk).exists()
    assert Order.objects.get(pk=order.pk).state == "paid"


def test_a_late_shipment_is_recorded_as_late():
    checkout = f.paid_checkout()
    order = checkout.orders.get()
    clock.advance(timedelta(hours=50))
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000000000001")
    assert Event.objects.get(kind="order.shipped", subject_id=order.pk).data["late"] is True


def ship(order: Order) -> None:
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="中通", tracking_number="750012345678")


def test_a_delivered_order_completes_7_days_after_delivery_and_pays_the_merchant():
    order = f.paid_checkout().orders.get()
    ship(order)
    clock.advance(timedelta(days=2))
    fulfilment.deliver_by_hand(f.assigned_courier(order), order.pk)
    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    deadlines.run_due()
    assert Order.objects.get(pk=order.pk).state == "delivered"
    clock.advance(timedelta(seconds=1))
    deadlines.run_due()
    order.refresh_from_db()
    assert order.state == "completed"
    assert ledger.balance(ledger.merchant_payable(order.merchant_id)) == -order.total_fen


def test_a_shipped_order_without_delivery_scan_completes_after_15_days():
    order = f.paid_checkout().orders.get()
    ship(order)
    clock.advance(timedelta(days=14))
    deadlines.run_due()
    assert Order.objects.get(pk=order.pk).state == "shipped"
    clock.advance(timedelta(days=1))
    deadlines.run_due()
    assert Order.objects.get(pk=order.pk).state == "completed"


def test_a_buyer_confirmation_completes_at_once_and_the_deadline_does_nothing_later():
    order = f.paid_checkout().orders.get()
    ship(order)
    services.confirm_receipt(order.buyer, order.pk)
    clock.advance(timedelta(days=30))
    assert deadlines.run_due() == 0
    assert Event.objects.filter(kind="order.completed", subject_id=order.pk).count() == 1


# --- a deadline that comes due with nothing left to do: done, and nothing else happens ---------------------


def fires_doing_nothing(kind: str, subject_id: int, order: Order) -> None:
    """The deadline is due for an order that moved on (a retry, a race with the buyer): the handler
    succeeds, the deadline is done, and the order, events and ledger are as they were."""
    deadlines.run_due()  # what is rightly due by now (an overdue flag) is not this test's business
    state = Order.objects.get(pk=order.pk).state
    deadlines.schedule(kind, subject_id, clock.now())
    before = row_counts()
    assert deadlines.run_due() == 1
    assert Deadline.objects.get(kind=kind, subject_id=subject_id).state == Deadline.State.DONE
    assert Order.objects.get(pk=order.pk).state == state
    assert row_counts() == before


def shipped_order() -> Order:
    order = f.paid_checkout().orders.get()
    ship(order)
    return order


def cancelled_order() -> Order:
    order = f.paid_checkout().orders.get()
    services.cancel_order(order.buyer, order.pk)
    return order


def completed_order() -> Order:
    order = shipped_order()
    services.confirm_receipt(order.buyer, order.pk)
    return order


@pytest.mark.parametrize("make", [lambda: f.paid_checkout().orders.get(), cancelled_order, shipped_order])
def test_the_unpaid_expiry_of_a_checkout_already_paid_or_cancelled_does_nothing(make):
    order = make()
    clock.advance(timedelta(minutes=31))
    fires_doing_nothing(services.EXPIRE_UNPAID, order.checkout_id, order)


def test_the_unpaid_expiry_firing_early_does_nothing():
    order = f.placed_checkout().orders.get()
    fires_doing_nothing(services.EXPIRE_UNPAID, order.checkout_id, order)


@pytest.mark.parametrize("make", [shipped_order, cancelled_order, completed_order])
def test_the_overdue_flag_of_an_order_no_longer_waiting_to_ship_does_nothing(make):
    order = make()
    clock.advance(timedelta(hours=49))
    fires_doing_nothing(services.SHIP_BY, order.pk, order)


@pytest.mark.parametrize("make", [lambda: f.paid_checkout().orders.get(), cancelled_order, completed_order])
def test_auto_completion_of_an_order_not_in_transit_does_nothing(make):
    order = make()
    clock.advance(timedelta(days=16))
    fires_doing_nothing(services.AUTO_COMPLETE, order.pk, order)


def test_a_deadline_of_an_order_that_no_longer_exists_does_nothing():
    order = f.placed_checkout().orders.get()
    fires_doing_nothing(services.AUTO_COMPLETE, order.pk + 1000, order)
