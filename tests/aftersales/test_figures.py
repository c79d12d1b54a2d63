"""The after-sales figures on a handful of cases with known outcomes: by type, reason, merchant and first
line's category; refunded instantly; approved because the merchant was silent; the median wait for money."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anxin.aftersales import queries, rules, services
from anxin.aftersales.models import Case
from anxin.core import clock
from anxin.orders.models import Order
from tests import factories as f
from tests.aftersales.conftest import delivered, run_worker_after, settle_refunds, tracking

pytestmark = pytest.mark.django_db

HOUR = 3600


def order_of(shop, category) -> Order:
    item = f.product(shop, price_fen=2000, category=category)
    return f.paid_checkout(lines=[(item.skus.first(), 2)]).orders.get()


def open_case(order: Order, kind: str, reason: str) -> Case:
    lines = {line.pk: line.quantity for line in order.lines.all()}
    return services.open_case(order.buyer, order.pk, services.Request(kind=kind, reason=reason, lines=lines))


@pytest.fixture
def world():
    """Two shops, two categories, one old case and five in range:
    A refund_only/quality (shop1, cat1): approved by the merchant after 2 h;
    B refund_only/damaged (shop1, cat2): the merchant silent, approved after 48 h;
    C return_refund/no_reason (shop2, cat1): 极速退款 when the return is shipped, at once;
    D refund_unshipped (shop2, cat2): approved and refunded at once, no merchant;
    E refund_only/quality (shop1, cat2): still waiting for the merchant."""
    shop1, shop2 = f.merchant(name="一号店"), f.merchant(name="二号店")
    cat1, cat2 = f.category(), f.category()
    old = open_case(delivered(order_of(shop1, cat1)), rules.REFUND_ONLY, rules.QUALITY)
    clock.advance(timedelta(days=40))
    settle_refunds()  # the old case's own business, far outside the range
    cases = {
        "A": open_case(delivered(order_of(shop1, cat1)), rules.REFUND_ONLY, rules.QUALITY),
        "B": open_case(delivered(order_of(shop1, cat2)), rules.REFUND_ONLY, rules.DAMAGED),
        "C": open_case(delivered(order_of(shop2, cat1)), rules.RETURN_REFUND, rules.NO_REASON),
        "D": open_case(order_of(shop2, cat2), rules.REFUND_UNSHIPPED, ""),
    }
    services.approve(f.staff(shop2), cases["C"].pk)
    services.ship_return(cases["C"].buyer, cases["C"].pk, carrier="顺丰速运", tracking_number=tracking())
    settle_refunds()  # C and D succeed now
    clock.advance(timedelta(hours=2))
    services.approve(f.staff(shop1), cases["A"].pk)
    settle_refunds()
    cases["E"] = open_case(delivered(order_of(shop1, cat2)), rules.REFUND_ONLY, rules.QUALITY)
    run_worker_after(timedelta(hours=46))  # B's 48 hours pass (E's not)
    settle_refunds()
    return {"shop1": shop1, "shop2": shop2, "cat1": cat1, "cat2": cat2, "old": old, **cases}


def last_days(days: int):
    end = clock.now() + timedelta(minutes=1)
    return end - timedelta(days=days), end


def by_key(rows):
    return {row.key: row for row in rows}


def test_the_setup_is_what_the_figures_are_checked_against(world):
    got = {name: Case.objects.get(pk=world[name].pk) for name in "ABCDE"}
    waits = {
        name: (case.refund.succeeded_at - case.created_at).total_seconds() / HOUR
        for name, case in got.items()
        if case.refund
    }
    assert waits == {"A": 2, "B": 48, "C": 0, "D": 0}
    assert [name for name, case in got.items() if case.instant] == ["C"]
    assert [name for name, case in got.items() if case.auto_approved] == ["B"]
    assert [name for name, case in got.items() if case.approved_at_once] == ["D"]


def test_totals_shares_and_the_median_wait_for_money(world):
    found = queries.figures(*last_days(30))
    total = found.total
    assert (total.cases, total.refunded, total.instant, total.merchant_decided, total.auto_approved) == (5, 4, 1, 4, 1)
    assert (total.instant_share, total.auto_share) == (0.25, 0.25)
    assert found.median_refund_seconds == 1 * HOUR  # waits 0, 0, 2, 48 hours: the middle two average 1


def test_cases_by_type_and_by_reason(world):
    found = queries.figures(*last_days(30))
    assert {row.key: row.cases for row in found.by_type} == {
        rules.REFUND_ONLY: 3,
        rules.RETURN_REFUND: 1,
        rules.REFUND_UNSHIPPED: 1,
    }
    assert found.by_type[0].key == rules.REFUND_ONLY  # most first
    assert {row.key: row.cases for row in found.by_reason} == {
        rules.QUALITY: 2,
        rules.DAMAGED: 1,
        rules.NO_REASON: 1,
        rules.OTHER: 1,
    }


def test_per_merchant_and_per_category_of_the_first_line(world):
    found = queries.figures(*last_days(30))
    shops = by_key(found.by_merchant)
    one, two = shops[str(world["shop1"].pk)], shops[str(world["shop2"].pk)]
    assert (one.label, one.cases, one.refunded, one.instant_share, one.auto_share) == ("一号店", 3, 2, 0, 1 / 3)
    assert (two.label, two.cases, two.refunded, two.instant_share, two.auto_share) == ("二号店", 2, 2, 0.5, 0)
    categories = by_key(found.by_category)
    first, second = categories[str(world["cat1"].pk)], categories[str(world["cat2"].pk)]
    assert (first.label, first.cases, first.instant_share, first.auto_share) == (world["cat1"].name, 2, 0.5, 0)
    assert (second.cases, second.refunded, second.instant_share, second.auto_share) == (3, 2, 0, 0.5)


def test_a_range_holding_only_the_old_case(world):
    start = world["old"].created_at - timedelta(minutes=1)
    found = queries.figures(start, start + timedelta(days=1))
    assert found.total.cases == 1 and [row.key for row in found.by_type] == [rules.REFUND_ONLY]


def test_no_cases_no_shares_and_no_median():
    found = queries.figures(*last_days(30))
    assert found.total.cases == 0 and found.total.instant_share is None and found.median_refund_seconds is None


def test_the_figures_page_defaults_to_the_last_30_days_and_draws_the_bars(client, world):
    client.force_login(f.ops())
    page = client.get("/ops/aftersales/figures/")
    assert page.status_code == 200
    assert 'id="instant-share">25%' in page.text and 'id="auto-share">25%' in page.text
    assert "1.0 小时" in page.text
    assert page.text.count('<svg class="bar-chart"') == 2
    assert "一号店" in page.text and world["cat2"].name in page.text
    today = timezone.localdate(clock.now())
    assert f'value="{today:%Y-%m-%d}"' not in page.text  # the form starts empty: the default range is said below
    assert f"{today - timedelta(days=29):%Y-%m-%d} 至 {today:%Y-%m-%d}" in page.text


def test_the_figures_page_takes_a_range_and_refuses_one_backwards(client, world):
    client.force_login(f.ops())
    old_day = timezone.localdate(world["old"].created_at)
    page = client.get(f"/ops/aftersales/figures/?start={old_day}&end={old_day}")
    assert page.status_code == 200 and '<div class="n">1</div>' in page.text
    backwards = client.get(f"/ops/aftersales/figures/?start={old_day}&end={old_day - timedelta(days=1)}")
    assert backwards.status_code == 400 and "结束日期不能早于开始日期。" in backwards.text
