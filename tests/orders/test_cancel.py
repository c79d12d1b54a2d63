"""Buyer cancels before shipping: unpaid -> the checkout is cancelled; paid -> refunded in full at once."""

import pytest

from anxin.core import audit, clock, deadlines, ledger
from anxin.core.errors import Conflict
from anxin.fulfilment import services as fulfilment
from anxin.inventory.models import Stock
from anxin.orders import services
from anxin.orders.models import OrderLine
from anxin.payments.models import Refund
from tests import factories as f
from tests.orders.helpers import row_counts

pytestmark = pytest.mark.django_db


def test_cancelling_an_unpaid_order_cancels_its_checkout_and_frees_the_stock():
    a, b = f.product(stock=2), f.product(stock=2)
    checkout = f.placed_checkout(lines=[(a.skus.first(), 2), (b.skus.first(), 1)])
    first = checkout.orders.first()
    services.cancel_order(checkout.buyer, first.pk)
    assert set(checkout.orders.values_list("state", flat=True)) == {"cancelled"}
    assert Stock.objects.get(sku=a.skus.first()).available == 2
    assert Stock.objects.get(sku=b.skus.first()).available == 2


def test_cancelling_a_paid_unshipped_order_refunds_it_in_full():
    item = f.product(price_fen=5000, stock=3)
    checkout = f.paid_checkout(lines=[(item.skus.first(), 2)])
    order = checkout.orders.get()
    services.cancel_order(checkout.buyer, order.pk)
    order.refresh_from_db()
    assert (order.state, order.refunded_fen) == ("cancelled", order.total_fen)
    assert OrderLine.objects.get(order=order).refunded_fen == 10000
    assert ledger.balance(ledger.ESCROW) == 0
    deadlines.run_due()  # the worker sends the refund; the simulated provider confirms it at once
    assert ledger.balance(ledger.PROVIDER_CLEARING) == 0
    assert Stock.objects.get(sku=item.skus.first()).available == 3
    assert all(not problems for problems in audit.run_all().values())


def test_a_shipped_order_cannot_be_cancelled():
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000012345678")
    before = row_counts()
    with pytest.raises(Conflict) as caught:
        services.cancel_order(order.buyer, order.pk)
    assert caught.value.code == "already_shipped"
    assert row_counts() == before
    order.refresh_from_db()
    assert (order.state, order.refunded_fen) == ("shipped", 0)


def test_cancelling_twice_refunds_once():
    order = f.paid_checkout().orders.get()
    services.cancel_order(order.buyer, order.pk)
    before = row_counts()
    with pytest.raises(Conflict) as caught:
        services.cancel_order(order.buyer, order.pk)
    assert caught.value.code == "already_cancelled"
    assert row_counts() == before
    assert ledger.balance(ledger.ESCROW) == 0


@pytest.mark.parametrize("reason", ["ops_cancelled", "merchant_cancelled"])
def test_every_cancel_path_records_why_and_when(reason):
    order = f.paid_checkout().orders.get()
    at = clock.freeze(clock.now().replace(microsecond=0))
    services.cancel(order.pk, reason=reason, actor=f.ops())
    order.refresh_from_db()
    assert (order.state, order.cancel_reason, order.cancelled_at) == ("cancelled", reason, at)
    assert order.refunded_fen == order.total_fen
    assert Refund.objects.get().reason == f"{reason}_before_shipping"


def test_an_unknown_cancel_reason_changes_nothing():
    order = f.placed_checkout().orders.get()
    before = row_counts()
    with pytest.raises(ValueError):
        services.cancel(order.pk, reason="because")
    assert row_counts() == before
    order.refresh_from_db()
    assert (order.state, order.cancel_reason) == ("pending_payment", "")
