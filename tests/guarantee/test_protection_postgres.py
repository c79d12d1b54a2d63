"""PostgreSQL: a price drop pays price protection once, however many workers (and clicks) race for it."""

import pytest

from anxin.catalog import services as catalog
from anxin.core import clock, deadlines
from anxin.core.errors import Conflict
from anxin.core.models import Deadline
from anxin.guarantee.models import ProtectionPayout
from anxin.guarantee.services import protection
from anxin.payments.models import Refund
from tests import factories as f
from tests.guarantee.protection_support import assert_audit_clean, protected_order, set_price
from tests.postgres import at_once, require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    require_postgres()
    clock.freeze()
    yield


def test_two_workers_processing_one_price_drop_make_one_payment():
    item = f.product(price_fen=10000, price_protection_days=7)
    sku = item.skus.get()
    orders = [f.paid_checkout(lines=[(sku, 1)]).orders.get() for _ in range(3)]
    catalog.update_sku(f.staff(item.merchant), sku.pk, {"price_fen": 9000})

    at_once(2, lambda i: deadlines.run_due(limit=100))
    deadlines.run_due(limit=100)  # send and confirm the payouts

    paid = sorted(ProtectionPayout.objects.values_list("line__order_id", "amount_fen"))
    assert paid == [(order.pk, 1000) for order in orders]
    assert Refund.objects.filter(kind="payout", state=Refund.State.SUCCEEDED).count() == 3
    assert_audit_clean()


def test_two_handlers_on_one_drop_at_once_pay_once():
    """Even past the queue's SKIP LOCKED (a handler run twice at once), the line's lock and the unique
    (line, lowest) payout leave one payment."""
    order = protected_order(price_fen=10000, quantity=2)
    set_price(order, 9000)
    sku_id = order.lines.get().sku_id
    at_once(2, lambda i: protection.protect_after_drop(sku_id))
    assert list(ProtectionPayout.objects.values_list("amount_fen", flat=True)) == [2000]
    assert Refund.objects.filter(kind="payout").count() == 1
    assert_audit_clean()


def test_the_worker_and_the_buyers_click_at_once_pay_once():
    order = protected_order(price_fen=10000, quantity=2)
    line = order.lines.get()
    set_price(order, 9000)

    def act(i: int) -> str:
        if i == 0:
            deadlines.run_due(limit=100)
            return "worker"
        try:
            protection.claim_protection(order.buyer, order.pk, line.pk)
        except Conflict as refused:
            return refused.code
        return "claimed"

    outcomes = at_once(2, act)
    assert outcomes[1] in {"claimed", "protection_already_paid"}
    assert list(ProtectionPayout.objects.values_list("amount_fen", flat=True)) == [2000]
    assert Refund.objects.filter(kind="payout").count() == 1


def test_a_merchant_lowering_the_price_again_while_the_worker_pays_the_first_drop():
    """The worker holds the SKU's price-drop deadline and locks orders; the merchant locks the product and
    arms that deadline again: neither waits on the other's locks in reverse, and the lowest price is paid."""
    order = protected_order(price_fen=10000, quantity=1)
    set_price(order, 9000)

    def act(i: int) -> None:
        if i == 0:
            deadlines.run_due(limit=100)
        else:
            set_price(order, 8000)

    at_once(2, act)
    deadlines.run_due(limit=100)
    deadlines.run_due(limit=100)
    assert sum(ProtectionPayout.objects.values_list("amount_fen", flat=True)) == 2000
    assert not Deadline.objects.filter(state=Deadline.State.FAILED).exists()
    assert not Deadline.objects.exclude(last_error="").filter(kind="catalog.price_dropped").exists()
    assert_audit_clean()
