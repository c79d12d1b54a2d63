"""Coupons through the services: issuing, use at checkout, funding, refunds, give-back and expiry."""

from datetime import timedelta

import pytest

from anxin.core import clock, deadlines, ledger
from anxin.core.errors import AnxinError, Conflict
from anxin.coupons import services as coupons
from anxin.coupons.models import Coupon
from anxin.orders import services as orders
from anxin.orders.models import Checkout, Order
from anxin.payments.models import Refund
from tests import factories as f
from tests.aftersales.conftest import assert_audit_clean, settle_refunds, shipped

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield
    clock.reset()


def _shop_with(price_fen: int):
    shop = f.merchant()
    return shop, f.product(shop, price_fen=price_fen).skus.first()


def test_issuing_is_idempotent_by_key():
    buyer = f.buyer()
    first = coupons.issue(buyer, 500, reason="goodwill", key="k-1")
    again = coupons.issue(buyer, 500, reason="goodwill", key="k-1")
    assert first.pk == again.pk and Coupon.objects.count() == 1
    assert first.funding_account == ledger.PLATFORM_CAMPAIGNS
    assert first.valid_to == clock.now() + timedelta(days=30)


@pytest.mark.parametrize(
    ("amount", "threshold", "days", "reason"),
    [(0, 0, 30, "campaign"), (100, -1, 30, "campaign"), (100, 0, 0, "campaign"), (100, 0, 30, "lottery")],
)
def test_bad_terms_are_refused_and_issue_nothing(amount, threshold, days, reason):
    with pytest.raises(AnxinError) as refused:
        coupons.issue(f.buyer(), amount, reason=reason, key="k", threshold_fen=threshold, valid_days=days)
    assert refused.value.code == "invalid_coupon"
    assert not Coupon.objects.exists()


def test_ops_issue_platform_coupons_and_merchants_their_own():
    buyer = f.buyer()
    by_ops = coupons.issue_by_ops(f.ops(), buyer.username, 800, 5000, 7, "campaign", key="form-1")
    shop = f.merchant()
    by_shop = coupons.issue_by_merchant(f.staff(shop), buyer.username, 300, 0, 10, "goodwill", key="form-1")
    assert (by_ops.issuer_kind, by_ops.threshold_fen) == ("platform", 5000)
    assert (by_shop.issuer_kind, by_shop.merchant_id) == ("merchant", shop.pk)
    assert by_shop.funding_account == ledger.merchant_payable(shop.pk)
    with pytest.raises(AnxinError) as refused:
        coupons.issue_by_ops(f.ops(), buyer.username, 800, 0, 7, "price_guarantee", key="form-2")
    assert refused.value.code == "invalid_coupon"
    assert Coupon.objects.count() == 2


def test_a_checkout_uses_a_shop_and_a_platform_coupon_never_on_shipping():
    buyer = f.buyer()
    shop_a, sku_a = _shop_with(6000)
    _shop_b, sku_b = _shop_with(4000)
    mine = f.coupon(buyer, 1000, shop=shop_a, threshold_fen=6000)
    platform = f.coupon(buyer, 500)
    checkout = f.checkout_with_coupons(buyer, [(sku_a, 1), (sku_b, 1)], [mine.pk, platform.pk])
    first, second = checkout.orders.order_by("merchant_id")
    assert (first.discount_fen, second.discount_fen) == (1000 + 300, 200)
    assert checkout.total_fen == first.total_fen + second.total_fen - 1500
    assert first.lines.get().discount_fen == 1300
    assert first.discount_funding == {ledger.merchant_payable(shop_a.pk): 1000, ledger.PLATFORM_CAMPAIGNS: 300}
    mine.refresh_from_db()
    platform.refresh_from_db()
    assert (mine.state, mine.order_id, mine.used_fen) == ("used", first.pk, 1000)
    assert (platform.state, platform.checkout_id, platform.used_fen) == ("used", checkout.pk, 500)
    assert -ledger.balance(ledger.ESCROW) == first.total_fen + second.total_fen
    assert ledger.balance(ledger.PLATFORM_CAMPAIGNS) == 500
    assert_audit_clean()


def test_a_coupon_never_takes_the_goods_below_one_fen():
    buyer = f.buyer()
    _shop, sku = _shop_with(300)
    checkout = f.checkout_with_coupons(buyer, [(sku, 1)], [f.coupon(buyer, 5000).pk])
    order = checkout.orders.get()
    assert order.discount_fen == 299
    assert checkout.total_fen == 1 + order.shipping_fen


def test_a_used_coupon_is_refused_and_nothing_is_placed():
    buyer = f.buyer()
    _shop, sku = _shop_with(3000)
    used = f.coupon(buyer, 500)
    f.checkout_with_coupons(buyer, [(sku, 1)], [used.pk])
    with pytest.raises(Conflict) as refused:
        f.checkout_with_coupons(buyer, [(sku, 1)], [used.pk])
    assert refused.value.code == "coupon_unavailable"
    assert Checkout.objects.count() == 1


def test_a_threshold_not_met_or_another_shops_coupon_is_refused():
    buyer = f.buyer()
    _shop, sku = _shop_with(3000)
    high = f.coupon(buyer, 500, threshold_fen=3001)
    other = f.coupon(buyer, 500, shop=f.merchant())
    for chosen in (high, other):
        with pytest.raises(AnxinError) as refused:
            f.checkout_with_coupons(buyer, [(sku, 1)], [chosen.pk])
        assert refused.value.code == "coupon_not_applicable"
    assert not Checkout.objects.exists()
    assert set(Coupon.objects.values_list("state", flat=True)) == {"available"}


def test_two_platform_coupons_are_refused():
    buyer = f.buyer()
    _shop, sku = _shop_with(3000)
    with pytest.raises(AnxinError) as refused:
        f.checkout_with_coupons(buyer, [(sku, 1)], [f.coupon(buyer, 100).pk, f.coupon(buyer, 200).pk])
    assert refused.value.code == "too_many_coupons"


def test_another_buyers_coupon_is_not_found():
    buyer = f.buyer()
    _shop, sku = _shop_with(3000)
    with pytest.raises(AnxinError) as refused:
        f.checkout_with_coupons(buyer, [(sku, 1)], [f.coupon(f.buyer(), 100).pk])
    assert refused.value.code == "coupon_not_found"


def test_cancel_before_shipping_refunds_the_cash_gives_the_coupon_back_and_its_part_to_the_issuer():
    buyer = f.buyer()
    _shop, sku = _shop_with(3000)
    platform = f.coupon(buyer, 1000, reason="price_guarantee")
    order = f.checkout_with_coupons(buyer, [(sku, 1)], [platform.pk]).orders.get()
    orders.cancel(order.pk, reason=Order.CancelReason.OPS)
    refund = Refund.objects.get()
    assert refund.amount_fen == order.total_fen - 1000
    assert refund.detail["coupon_fen"] == 1000
    platform.refresh_from_db()
    assert (platform.state, platform.checkout_id, platform.used_fen) == ("available", None, 0)
    assert ledger.balance(ledger.PLATFORM_COMPENSATION) == 0
    settle_refunds()
    assert_audit_clean()


def test_a_coupon_given_back_after_its_end_is_expired():
    buyer = f.buyer()
    _shop, sku = _shop_with(3000)
    short = f.coupon(buyer, 500, valid_days=1)
    order = f.checkout_with_coupons(buyer, [(sku, 1)], [short.pk]).orders.get()
    clock.advance(timedelta(days=2))
    orders.cancel(order.pk, reason=Order.CancelReason.OPS)
    short.refresh_from_db()
    assert short.state == "expired"


def test_an_unpaid_checkout_that_expires_gives_its_coupons_back():
    buyer = f.buyer()
    _shop, sku = _shop_with(3000)
    mine = f.coupon(buyer, 500)
    f.checkout_with_coupons(buyer, [(sku, 1)], [mine.pk], pay=False)
    clock.advance(timedelta(hours=2))
    deadlines.run_due(limit=100)
    mine.refresh_from_db()
    assert mine.state == "available"
    assert not ledger.balance(ledger.PLATFORM_CAMPAIGNS)
    assert_audit_clean()


def test_the_worker_expires_an_unused_coupon_at_its_end():
    coupon = f.coupon(f.buyer(), 500, valid_days=3)
    clock.advance(timedelta(days=3))
    deadlines.run_due(limit=100)
    coupon.refresh_from_db()
    assert coupon.state == "expired"


def test_a_partial_refund_of_a_coupon_line_gives_back_cash_in_proportion():
    buyer = f.buyer()
    _shop, sku = _shop_with(1000)
    order = f.checkout_with_coupons(buyer, [(sku, 3)], [f.coupon(buyer, 1000).pk]).orders.get()
    shipped(order)
    line = order.lines.get()
    refund = orders.refund_lines(order, {line.pk: 1000}, key="part", reason="test")
    assert refund.amount_fen == 666
    assert refund.detail["coupon_fen"] == 334
    rest = orders.refund_lines(order, {line.pk: 2000}, key="rest", reason="test")
    assert refund.amount_fen + rest.amount_fen - rest.detail["shipping_fen"] == 2000  # the whole order: its fee too
    assert ledger.balance(ledger.PLATFORM_CAMPAIGNS) == 0
    settle_refunds()
    assert_audit_clean()


def test_a_completed_order_pays_the_merchant_its_value_less_its_own_coupon():
    buyer = f.buyer()
    shop, sku = _shop_with(5000)
    mine = f.coupon(buyer, 700, shop=shop)
    order = f.checkout_with_coupons(buyer, [(sku, 1)], [mine.pk, f.coupon(buyer, 300).pk]).orders.get()
    shipped(order)
    orders.confirm_receipt(buyer, order.pk)
    assert -ledger.balance(ledger.merchant_payable(shop.pk)) == order.total_fen - 700
    assert ledger.balance(ledger.PLATFORM_CAMPAIGNS) == 300
    assert_audit_clean()


def test_the_audit_names_a_used_coupon_not_funded_with_what_it_took():
    from anxin.core import audit

    buyer = f.buyer()
    _shop, sku = _shop_with(5000)
    coupon = f.coupon(buyer, 700)
    f.checkout_with_coupons(buyer, [(sku, 1)], [coupon.pk])
    Coupon.objects.filter(pk=coupon.pk).update(used_fen=600)
    problems = audit.run_all()
    assert problems["coupons: every used coupon of a paid checkout is funded once"] == [
        f"coupon {coupon.pk}: took 600 fen but its funding into escrow is 700 fen"
    ]


def test_a_refund_that_would_give_back_no_cash_is_refused_and_changes_nothing():
    buyer = f.buyer()
    _shop, sku = _shop_with(1000)
    order = f.checkout_with_coupons(buyer, [(sku, 1)], [f.coupon(buyer, 900).pk]).orders.get()
    shipped(order)
    line = order.lines.get()
    with pytest.raises(Conflict) as refused:
        orders.refund_lines(order, {line.pk: 5}, key="tiny", reason="test")  # 10% cash: 0.5 fen, rounded down
    assert refused.value.code == "refund_no_cash"
    line.refresh_from_db()
    assert line.refunded_fen == 0 and not Refund.objects.exists()


def test_cancelling_one_order_of_two_keeps_the_platform_coupon_in_use_and_returns_that_orders_part():
    buyer = f.buyer()
    _a, sku_a = _shop_with(6000)
    _b, sku_b = _shop_with(4000)
    platform = f.coupon(buyer, 1000)
    checkout = f.checkout_with_coupons(buyer, [(sku_a, 1), (sku_b, 1)], [platform.pk])
    first, second = checkout.orders.order_by("merchant_id")
    orders.cancel(second.pk, reason=Order.CancelReason.OPS)
    platform.refresh_from_db()
    assert platform.state == "used"
    assert Refund.objects.get().detail["coupon_fen"] == second.discount_fen == 400
    assert ledger.balance(ledger.PLATFORM_CAMPAIGNS) == 600
    orders.cancel(first.pk, reason=Order.CancelReason.OPS)
    platform.refresh_from_db()
    assert platform.state == "available"
    assert ledger.balance(ledger.PLATFORM_CAMPAIGNS) == 0
    settle_refunds()
    assert_audit_clean()


def test_the_buyers_own_cancel_before_shipping_gives_the_coupon_back():
    buyer = f.buyer()
    shop, sku = _shop_with(3000)
    mine = f.coupon(buyer, 500, shop=shop)
    order = f.checkout_with_coupons(buyer, [(sku, 1)], [mine.pk]).orders.get()
    orders.cancel_order(buyer, order.pk)
    mine.refresh_from_db()
    assert mine.state == "available"
    assert Refund.objects.get().amount_fen == order.total_fen - 500
    assert ledger.balance(ledger.merchant_payable(shop.pk)) == 0
    settle_refunds()
    assert_audit_clean()
