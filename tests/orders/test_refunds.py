"""refund_lines: any part of any lines, never beyond what was paid, each distinct refund once, through payments."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from anxin.catalog.models import DailySales
from anxin.core import audit, deadlines, ledger
from anxin.core.errors import AnxinError, Conflict
from anxin.core.models import Event, LedgerTransaction
from anxin.fulfilment import services as fulfilment
from anxin.geo.services import ensure_builtin_regions
from anxin.orders import rules, services
from anxin.orders.models import Order, OrderLine
from anxin.payments.models import Refund
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def order() -> Order:
    """A paid order of two lines: 2 x 20.00 and 1 x 30.00, under the free-shipping threshold, so with a fee."""
    shop = f.merchant()
    a, b = f.product(shop, price_fen=2000), f.product(shop, price_fen=3000)
    return f.paid_checkout(lines=[(a.skus.first(), 2), (b.skus.first(), 1)]).orders.get()


def lines_of(order: Order) -> list[OrderLine]:
    return list(order.lines.order_by("pk"))


def money_state(order: Order) -> tuple:
    order.refresh_from_db()
    return (
        order.refunded_fen,
        [line.refunded_fen for line in lines_of(order)],
        Refund.objects.count(),
        LedgerTransaction.objects.count(),
        Event.objects.count(),
        ledger.balances(),
    )


def assert_audit_clean() -> None:
    assert {name: problems for name, problems in audit.run_all().items() if problems} == {}


def test_part_of_a_line_is_refunded_and_owed_to_the_buyer_until_the_provider_confirms(order):
    first, _second = lines_of(order)
    refund = services.refund_lines(order, {first.pk: 2500}, key="short", reason="missing_goods")
    order.refresh_from_db()
    first.refresh_from_db()
    assert (order.refunded_fen, first.refunded_fen) == (2500, 2500)
    assert (refund.amount_fen, refund.state) == (2500, "requested")
    assert ledger.balance(ledger.REFUNDS_PAYABLE) == -2500
    assert -ledger.balance(ledger.ESCROW) == order.total_fen - 2500
    assert Event.objects.filter(kind="order.refunded", subject_id=order.pk).count() == 1
    assert_audit_clean()
    deadlines.run_due()
    refund.refresh_from_db()
    assert refund.state == "succeeded"
    assert ledger.balance(ledger.PROVIDER_CLEARING) == order.total_fen - 2500
    assert ledger.balance(ledger.REFUNDS_PAYABLE) == 0
    assert_audit_clean()


def test_two_distinct_partial_refunds_each_post_once(order):
    first, second = lines_of(order)
    services.refund_lines(order, {first.pk: 1000}, key="a", reason="r")
    services.refund_lines(order, {first.pk: 1000, second.pk: 500}, key="b", reason="r")
    order.refresh_from_db()
    assert order.refunded_fen == 2500
    assert LedgerTransaction.objects.filter(kind="refund_owed").count() == 2
    assert_audit_clean()


def test_the_same_refund_replayed_returns_it_and_changes_nothing(order):
    first, _ = lines_of(order)
    refund = services.refund_lines(order, {first.pk: 1000}, key="a", reason="r")
    before = money_state(order)
    again = services.refund_lines(order, {str(first.pk): "1000"}, key="a", reason="r")
    assert again.pk == refund.pk
    assert money_state(order) == before


def test_the_same_key_with_other_amounts_is_refused_and_changes_nothing(order):
    first, _ = lines_of(order)
    services.refund_lines(order, {first.pk: 1000}, key="a", reason="r")
    before = money_state(order)
    with pytest.raises(Conflict) as refused:
        services.refund_lines(order, {first.pk: 2000}, key="a", reason="r")
    assert refused.value.code == "refund_key_reused"
    assert money_state(order) == before


@pytest.mark.parametrize(
    ("amount", "status", "code"),
    [(4001, 409, "refund_exceeds_paid"), (-1, 400, "refund_negative_amount"), (0, 400, "refund_nothing_to_refund")],
)
def test_a_refund_the_line_cannot_take_is_refused_and_changes_nothing(order, amount, status, code):
    first, _ = lines_of(order)
    before = money_state(order)
    with pytest.raises(AnxinError) as refused:
        services.refund_lines(order, {first.pk: amount}, key="x", reason="r")
    assert (refused.value.status, refused.value.code) == (status, code)
    assert money_state(order) == before


def test_no_refund_goes_beyond_what_was_paid_less_what_was_refunded(order):
    first, _ = lines_of(order)
    services.refund_lines(order, {first.pk: 3000}, key="a", reason="r")
    before = money_state(order)
    with pytest.raises(Conflict) as refused:
        services.refund_lines(order, {first.pk: 1001}, key="b", reason="r")
    assert refused.value.fields == {"line_id": str(first.pk)}
    assert money_state(order) == before


def test_another_orders_line_and_bad_amounts_are_refused(order):
    other = f.paid_checkout().orders.get()
    before = money_state(order)
    with pytest.raises(AnxinError) as unknown:
        services.refund_lines(order, {other.lines.get().pk: 100}, key="x", reason="r")
    assert unknown.value.code == "refund_unknown_line"
    with pytest.raises(AnxinError) as malformed:
        services.refund_lines(order, {"one": "lots"}, key="y", reason="r")
    assert malformed.value.code == "invalid_refund_amount"
    assert money_state(order) == before


def test_shipping_goes_back_only_with_the_whole_order(order):
    assert order.shipping_fen > 0
    first, second = lines_of(order)
    services.refund_lines(order, {first.pk: first.total_fen}, key="a", reason="r")
    order.refresh_from_db()
    assert order.refunded_fen == first.total_fen
    last = services.refund_lines(order, {second.pk: second.total_fen}, key="b", reason="r")
    order.refresh_from_db()
    assert last.amount_fen == second.total_fen + order.shipping_fen
    assert order.refunded_fen == order.total_fen
    assert_audit_clean()


def test_the_whole_order_after_a_partial_refund_gives_back_the_rest(order):
    first, _ = lines_of(order)
    services.refund_lines(order, {first.pk: 1234}, key="a", reason="r")
    rest = services.refund_lines(order, key="all", reason="r")
    order.refresh_from_db()
    assert rest.amount_fen == order.total_fen - 1234
    assert order.refunded_fen == order.total_fen
    assert services.refund_lines(order, key="all", reason="r").pk == rest.pk  # a replay, not a refusal
    assert_audit_clean()


def test_an_unpaid_order_has_nothing_to_refund():
    order = f.placed_checkout().orders.get()
    before = money_state(order)
    with pytest.raises(Conflict) as refused:
        services.refund_lines(order, key="all", reason="r")
    assert refused.value.code == "order_not_refundable"
    assert money_state(order) == before


def test_a_completed_order_is_refunded_from_the_merchants_payable(order):
    staff = f.staff(order.merchant)
    fulfilment.ship(staff, order.pk, carrier="顺丰", tracking_number="SF000012345678")
    services.confirm_receipt(order.buyer, order.pk)
    first, _ = lines_of(order)
    services.refund_lines(order, {first.pk: 500}, key="late", reason="r")
    assert ledger.balance(ledger.merchant_payable(order.merchant_id)) == -(order.total_fen - 500)
    assert ledger.balance(ledger.ESCROW) == 0
    deadlines.run_due()
    assert_audit_clean()


def test_cancelling_after_a_partial_refund_refunds_the_rest_once(order):
    first, _ = lines_of(order)
    services.refund_lines(order, {first.pk: 1000}, key="short", reason="missing_goods")
    services.cancel_order(order.buyer, order.pk)
    order.refresh_from_db()
    assert (order.state, order.refunded_fen) == ("cancelled", order.total_fen)
    assert Refund.objects.filter(key=f"order:{order.pk}:refund:cancel").get().amount_fen == order.total_fen - 1000
    deadlines.run_due()
    assert ledger.balance(ledger.PROVIDER_CLEARING) == 0
    assert_audit_clean()


def test_the_refund_plan_refunds_shipping_only_when_no_goods_remain():
    lines = [rules.PaidLine(1, 1000, 0), rules.PaidLine(2, 500, 500)]
    assert rules.plan_refund(lines, {1: 999}, shipping_fen=800, shipping_refunded_fen=0).shipping_fen == 0
    whole = rules.plan_refund(lines, {1: 1000}, shipping_fen=800, shipping_refunded_fen=0)
    assert (whole.lines, whole.shipping_fen, whole.total_fen) == ({1: 1000}, 800, 1800)
    assert rules.remaining_fen(lines) == {1: 1000}
    with pytest.raises(rules.RefundRefused) as refused:
        rules.plan_refund(lines, {2: 1}, shipping_fen=800, shipping_refunded_fen=0)
    assert (refused.value.reason, refused.value.line_id) == ("exceeds_paid", 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_refunds_of_one_line_give_back_what_was_paid_once_and_refuse_the_rest_cleanly():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL; CI runs this suite with DATABASE_URL set")
    ensure_builtin_regions()  # a transactional test starts from a flushed database
    order = f.paid_checkout(lines=[(f.product(price_fen=4000).skus.first(), 1)]).orders.get()
    line = order.lines.get()
    start = threading.Barrier(6)

    def refund(i: int) -> str:
        try:
            start.wait()
            services.refund_lines(order, {line.pk: line.total_fen}, key=f"race-{i % 3}", reason="r")
            return "refunded"
        except Conflict as exc:
            return exc.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(refund, range(6)))
    assert Refund.objects.count() == 1
    winner = Refund.objects.get().key.rsplit("-", 1)[1]
    assert outcomes.count("refunded") == 2, outcomes  # the winner and its own replay
    assert outcomes.count("refund_exceeds_paid") == 4, (outcomes, winner)
    order.refresh_from_db()
    assert order.refunded_fen == order.total_fen
    assert_audit_clean()


def test_units_refunded_whole_no_longer_count_as_sold_on_the_day_they_were_paid(order):
    two, one = lines_of(order)
    sold = {row.product_id: row.units for row in DailySales.objects.all()}
    assert sold == {two.product_id: 2, one.product_id: 1}
    services.refund_lines(order, {two.pk: 1000}, key="half-a-unit", reason="test")  # not a whole unit yet
    assert DailySales.objects.get(product_id=two.product_id).units == 2
    services.refund_lines(order, {two.pk: 1000}, key="the-rest-of-it", reason="test")
    assert DailySales.objects.get(product_id=two.product_id).units == 1
    services.refund_lines(order, key="everything", reason="test")
    assert {row.product_id: row.units for row in DailySales.objects.all()} == {two.product_id: 0, one.product_id: 0}


def test_a_refund_counts_whole_units_only():
    assert rules.units_refunded_whole(0, 1999, 2000) == 0
    assert rules.units_refunded_whole(1999, 4000, 2000) == 2
    assert rules.units_refunded_whole(4000, 4000, 2000) == 0


def _compensate(line: OrderLine, fen: int, paid_from: str) -> None:
    """Money paid to the buyer beyond refunds, as 买贵必赔 and 价保 pay it: out of `paid_from`, counted on the line."""
    ledger.post(
        f"test:compensation:{paid_from}",
        "compensation",
        [ledger.Line(paid_from, fen), ledger.Line(ledger.REFUNDS_PAYABLE, -fen)],
    )
    services.record_compensation(line.pk, fen, paid_from=paid_from)


def test_a_full_refund_keeps_back_the_compensation_and_gives_it_to_whoever_paid_it(order):
    first, second = lines_of(order)
    merchant = ledger.merchant_payable(order.merchant_id)
    merchant_before = ledger.balance(merchant)
    _compensate(first, 300, ledger.PLATFORM_COMPENSATION)
    _compensate(first, 200, merchant)
    first.refresh_from_db()
    assert (first.compensated_fen, first.compensation_funding) == (
        500,
        {ledger.PLATFORM_COMPENSATION: 300, merchant: 200},
    )

    partial = services.refund_lines(order, {first.pk: 2000}, key="half", reason="test")
    assert (partial.amount_fen, partial.detail["compensation_deducted_fen"]) == (2000, 0)
    full = services.refund_lines(order, {first.pk: 2000}, key="rest", reason="test")
    assert (full.amount_fen, full.detail["compensation_deducted_fen"]) == (1500, 500)
    assert ledger.balance(ledger.PLATFORM_COMPENSATION) == 0
    assert ledger.balance(merchant) == merchant_before
    second.refresh_from_db()
    assert second.refunded_fen == 0


def test_compensation_beyond_what_the_line_cost_is_refused_and_changes_nothing(order):
    first = lines_of(order)[0]
    with pytest.raises(Conflict) as refused:
        services.record_compensation(first.pk, first.total_fen + 1, paid_from=ledger.PLATFORM_COMPENSATION)
    assert refused.value.code == "compensation_exceeds_paid"
    first.refresh_from_db()
    assert (first.compensated_fen, first.compensation_funding) == (0, {})
