"""价保 services: the worker pays price drops once, down to the lowest price; the claim pays the same way."""

from datetime import timedelta

import pytest

from anxin.catalog import services as catalog
from anxin.core import audit, clock
from anxin.core.errors import Conflict, Forbidden, NotFound
from anxin.core.models import Deadline, Event
from anxin.guarantee.models import ProtectionPayout
from anxin.guarantee.services import protection
from anxin.orders import services as orders
from anxin.payments.models import Refund
from tests import factories as f
from tests.guarantee.protection_support import assert_audit_clean, protected_order, run_worker, set_price

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def paid_back(order) -> list[int]:
    return list(ProtectionPayout.objects.filter(line__order=order).values_list("amount_fen", flat=True))


def test_a_price_drop_arms_one_deadline_for_the_sku_and_a_rise_none():
    order = protected_order()
    sku_id = order.lines.get().sku_id
    set_price(order, 11000)
    assert not Deadline.objects.filter(kind=catalog.PRICE_DROPPED).exists()
    set_price(order, 9000)
    set_price(order, 8000)
    armed = Deadline.objects.filter(kind=catalog.PRICE_DROPPED, subject_id=sku_id, state=Deadline.State.PENDING)
    assert armed.count() == 1


def test_the_spec_matrix_arms_the_deadline_when_it_lowers_a_price():
    order = protected_order()
    line = order.lines.get()
    staff = f.staff(order.merchant)
    matrix = {
        "dimensions": [{"name": "颜色", "values": [{"name": "黑"}]}],
        "skus": [{"values": ["黑"], "price_fen": 9000, "stock": 5, "code": line.sku.code}],
    }
    catalog.replace_spec_matrix(staff, line.product_id, matrix)
    assert Deadline.objects.filter(kind=catalog.PRICE_DROPPED, subject_id=line.sku_id).exists()


def test_several_drops_pay_the_total_difference_once():
    order = protected_order(price_fen=10000, quantity=1)
    set_price(order, 9000)
    run_worker()
    assert paid_back(order) == [1000]
    set_price(order, 9500)
    run_worker()
    assert paid_back(order) == [1000]
    set_price(order, 8000)
    run_worker()
    run_worker()
    assert paid_back(order) == [1000, 1000]
    line = order.lines.get()
    assert line.compensated_fen == 2000
    payouts = Refund.objects.filter(key__startswith=f"protection:{line.pk}:")
    assert sorted(payouts.values_list("amount_fen", "state")) == [(1000, "succeeded"), (1000, "succeeded")]
    assert Event.objects.filter(kind="protection.paid").count() == 2
    assert_audit_clean()


def test_the_merchant_pays_and_the_quantity_counts():
    order = protected_order(price_fen=10000, quantity=3)
    set_price(order, 9000)
    run_worker()
    payout = ProtectionPayout.objects.get()
    assert (payout.amount_fen, payout.trigger, payout.lowest_unit_fen) == (3000, "auto", 9000)
    assert payout.refund.detail["line_id"] == order.lines.get().pk
    assert_audit_clean()


def test_a_drop_outside_the_window_pays_nothing():
    order = protected_order(days=7)
    clock.advance(timedelta(days=8))
    set_price(order, 5000)
    run_worker()
    assert paid_back(order) == []


def test_a_product_without_price_protection_pays_nothing():
    order = protected_order(days=0)
    set_price(order, 5000)
    run_worker()
    assert paid_back(order) == []


def test_a_line_refunded_whole_pays_nothing():
    order = protected_order()
    orders.refund_lines(order, key="cancel-all", reason="test")
    set_price(order, 5000)
    run_worker()
    assert paid_back(order) == []


def test_a_cancelled_order_pays_nothing():
    order = protected_order()
    orders.cancel(order.pk, reason="buyer_cancelled")
    set_price(order, 5000)
    run_worker()
    assert paid_back(order) == []


def test_the_worker_run_twice_pays_once():
    order = protected_order()
    set_price(order, 9000)
    sku_id = order.lines.get().sku_id
    protection.protect_after_drop(sku_id)
    protection.protect_after_drop(sku_id)
    assert paid_back(order) == [2000]


def test_the_claim_pays_what_the_worker_would_and_the_worker_then_nothing():
    order = protected_order()
    line = order.lines.get()
    set_price(order, 9000)
    payout = protection.claim_protection(order.buyer, order.pk, line.pk)
    assert (payout.amount_fen, payout.trigger) == (2000, "buyer")
    run_worker()
    assert paid_back(order) == [2000]
    assert_audit_clean()


def test_after_the_worker_a_claim_is_refused_as_already_paid_and_changes_nothing():
    order = protected_order()
    line = order.lines.get()
    set_price(order, 9000)
    run_worker()
    with pytest.raises(Conflict) as refused:
        protection.claim_protection(order.buyer, order.pk, line.pk)
    assert refused.value.code == "protection_already_paid"
    assert paid_back(order) == [2000]
    assert Refund.objects.filter(kind="payout").count() == 1


def test_a_claim_with_no_drop_is_refused_not_lower():
    order = protected_order()
    with pytest.raises(Conflict) as refused:
        protection.claim_protection(order.buyer, order.pk, order.lines.get().pk)
    assert refused.value.code == "protection_not_lower"
    assert refused.value.message == "当前价格未低于您的购买价，无需保价。"
    assert not ProtectionPayout.objects.exists()


def test_a_claim_after_the_window_is_refused_expired():
    order = protected_order(days=7)
    clock.advance(timedelta(days=7, seconds=1))
    set_price(order, 9000)
    with pytest.raises(Conflict) as refused:
        protection.claim_protection(order.buyer, order.pk, order.lines.get().pk)
    assert (refused.value.code, refused.value.message) == ("protection_expired", "已超过价保期。")
    assert not ProtectionPayout.objects.exists()


def test_another_buyers_line_is_not_found_and_a_merchant_may_not_claim():
    order = protected_order()
    set_price(order, 9000)
    line = order.lines.get()
    with pytest.raises(NotFound):
        protection.claim_protection(f.buyer(), order.pk, line.pk)
    other = protected_order(buyer=order.buyer)
    with pytest.raises(NotFound):
        protection.claim_protection(order.buyer, order.pk, other.lines.get().pk)
    with pytest.raises(Forbidden):
        protection.claim_protection(f.staff(order.merchant), order.pk, line.pk)
    assert not ProtectionPayout.objects.exists()


def test_days_taken_back_after_the_sale_still_protect_that_sale():
    order = protected_order(days=30)
    staff = f.staff(order.merchant)
    clock.advance(timedelta(days=1))
    catalog.update_product(staff, order.lines.get().product_id, {"price_protection_days": 0})
    set_price(order, 9000)
    run_worker()
    assert paid_back(order) == [2000]


def test_days_offered_after_the_sale_do_not_protect_it():
    order = protected_order(days=0)
    clock.advance(timedelta(hours=1))
    catalog.update_product(f.staff(order.merchant), order.lines.get().product_id, {"price_protection_days": 30})
    set_price(order, 9000)
    run_worker()
    assert paid_back(order) == []
    with pytest.raises(Conflict) as refused:
        protection.claim_protection(order.buyer, order.pk, order.lines.get().pk)
    assert refused.value.code == "protection_not_offered"


def test_the_audit_finds_a_payout_beyond_the_difference():
    order = protected_order(price_fen=10000, quantity=1)
    set_price(order, 9000)
    run_worker()
    ProtectionPayout.objects.update(lowest_unit_fen=9500)  # as if it had paid 1000 for a drop to 9500
    problems = audit.run_all()
    assert problems["price protection: no line paid beyond the lowest price"]
    assert problems["price protection: every payout is paid and posted"]
