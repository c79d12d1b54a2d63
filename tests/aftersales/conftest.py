"""Orders in each state after-sales starts from, and a way to step the clock and the worker."""

from datetime import timedelta

import pytest

from anxin.aftersales import services
from anxin.aftersales.models import Case
from anxin.core import audit, clock, deadlines
from anxin.fulfilment import services as fulfilment
from anxin.orders.models import Order
from tests import factories as f

TRACKING = iter(range(10**12, 10**13))


def tracking() -> str:
    return f"SF{next(TRACKING)}"


def paid_order(*, price_fen: int = 2000, quantity: int = 2, buyer=None, **product_fields) -> Order:
    shop = f.merchant()
    item = f.product(shop, price_fen=price_fen, **product_fields)
    return f.paid_checkout(buyer, lines=[(item.skus.first(), quantity)]).orders.get()


def shipped(order: Order) -> Order:
    staff = f.staff(order.merchant)
    fulfilment.ship(staff, order.pk, carrier="顺丰速运", tracking_number=tracking())
    order.refresh_from_db()
    return order


def scan_delivered(tracking_number: str) -> str:
    """The carrier's delivery scan, as the carriers' desk posts it; returns its effect."""
    data = {
        "carrier": "顺丰速运",
        "tracking_number": tracking_number,
        "kind": "delivered",
        "at": clock.now().isoformat(),
    }
    return fulfilment.record_scan(f.ops(), data).effect


def delivered(order: Order) -> Order:
    shipped(order)
    scan_delivered(order.shipment.legs.get(number=1).tracking_number)
    order.refresh_from_db()
    return order


def ask(order: Order, kind: str, reason: str, *, quantity: int | None = None, uploads=(), **extra) -> Case:
    line = order.lines.order_by("pk").first()
    assert line is not None
    request = services.Request(kind=kind, reason=reason, lines={line.pk: quantity or line.quantity}, **extra)
    return services.open_case(order.buyer, order.pk, request, uploads)


def run_worker_after(delta: timedelta) -> int:
    clock.advance(delta)
    return deadlines.run_due(limit=1000)


def settle_refunds() -> None:
    """The worker sends due refunds; the simulated provider confirms them at once."""
    deadlines.run_due(limit=1000)


def assert_audit_clean() -> None:
    assert {name: problems for name, problems in audit.run_all().items() if problems} == {}


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield
