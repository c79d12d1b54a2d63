"""The remote-region program's figures: orders per day and province, the subsidy, delivery times, on-time share."""

from datetime import timedelta

import pytest

from anxin.core import clock, ledger
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.queries import remote_figures
from anxin.orders import services as orders
from anxin.shipping.queries import local_date
from tests import factories as f
from tests.fulfilment.helpers import baoyou_product, deliver_from_hub, remote_order, scan, to_hub
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_figures_count_paid_remote_orders_per_day_and_the_subsidy_posted_to_the_ledger():
    clock.freeze(clock.now().replace(microsecond=0))
    item = baoyou_product()
    first = remote_order(item=item)
    to_hub(first)
    deliver_from_hub(first)
    clock.advance(timedelta(days=1))
    remote_order(item=item)  # paid today, still at the merchant
    today = local_date(clock.now())
    figures = remote_figures(30, today)
    assert figures.dates[-1] == today and len(figures.dates) == 30
    xinjiang = next(r for r in figures.regions if r.code == "650000")
    assert xinjiang.orders == 2 and sum(xinjiang.per_day) == 2
    assert xinjiang.per_day[-1] == 1  # the second one, paid today
    assert (xinjiang.leg2_count, xinjiang.subsidy_fen) == (1, 800)
    assert figures.ledger_subsidy_fen == ledger.balance(ledger.PLATFORM_SUBSIDY) == 800
    assert xinjiang.delivered == 1 and xinjiang.on_time_share == 1.0
    took = first.delivered_at - first.paid_at
    assert xinjiang.avg_delivery_days == pytest.approx(took.total_seconds() / 86400)
    assert {r.code for r in figures.regions} == {"150000", "540000", "620000", "630000", "640000", "650000"}
    assert figures.remote.orders == 2 and figures.remote.subsidy_fen == 800
    assert figures.non_remote.delivered == 0 and figures.non_remote.avg_delivery_days is None


def test_non_remote_deliveries_are_the_comparison_and_late_ones_lower_the_on_time_share():
    clock.freeze(clock.now().replace(microsecond=0))
    on_time, late = paid_order(), paid_order()
    for order, tracking in ((on_time, "SF000900000001"), (late, "SF000900000002")):
        fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=tracking)
    scan("SF000900000001", "delivered")
    late.refresh_from_db()
    clock.advance(timedelta(days=(late.promise_latest - local_date(clock.now())).days + 1))
    scan("SF000900000002", "delivered")
    figures = remote_figures(7, local_date(clock.now()))
    assert figures.non_remote.delivered == 2
    assert figures.non_remote.on_time_share == 0.5
    assert figures.remote.delivered == 0 and figures.remote.orders == 0


def test_cancelled_orders_and_orders_outside_the_window_do_not_count():
    clock.freeze(clock.now().replace(microsecond=0))
    item = baoyou_product()
    cancelled = remote_order(item=item)
    orders.cancel_order(cancelled.buyer, cancelled.pk)
    remote_order(item=item)
    clock.advance(timedelta(days=10))
    figures = remote_figures(7, local_date(clock.now()))
    assert figures.remote.orders == 0
    assert remote_figures(30, local_date(clock.now())).remote.orders == 1


@pytest.mark.parametrize("count", [3, 30])
def test_figures_take_a_fixed_number_of_queries(django_assert_max_num_queries, count):
    clock.freeze(clock.now().replace(microsecond=0))
    item = baoyou_product()
    for i in range(count):
        order = remote_order(item=item)
        if i % 2:
            to_hub(order)
            deliver_from_hub(order)
    with django_assert_max_num_queries(5):
        figures = remote_figures(90, local_date(clock.now()))
    assert figures.remote.orders == count
    assert figures.remote.leg2_count == count // 2
