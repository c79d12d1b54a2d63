"""Time: unpaid orders expire and release stock at 30 minutes; orders complete on their own."""

from datetime import timedelta

import pytest

from anxin.core import clock, deadlines, ledger
from anxin.core.models import Event
from anxin.fulfilment import services as fulfilment
from anxin.inventory.models import Stock
from anxin.orders import services
from anxin.orders.models import Order
from tests import factories as f

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
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF00000001")
    assert Event.objects.get(kind="order.shipped", subject_id=order.pk).data["late"] is True


def ship(order: Order) -> None:
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="中通", tracking_number="ZT12345678")


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
