"""Each path of a case through its states, with the money it moves (RULES §5)."""

from datetime import timedelta

import pytest

from anxin.aftersales import rules, services
from anxin.aftersales.models import Case, Evidence
from anxin.core import clock, ledger
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.models import Event
from anxin.orders.models import Order
from anxin.payments.models import Refund
from tests import factories as f
from tests.aftersales.conftest import (
    ask,
    assert_audit_clean,
    delivered,
    paid_order,
    run_worker_after,
    settle_refunds,
    tracking,
)

pytestmark = pytest.mark.django_db


def staff_of(case: Case):
    return f.staff(case.merchant)


def test_an_unshipped_cancel_is_approved_and_refunded_at_once_with_shipping():
    order = paid_order()
    case = ask(order, rules.REFUND_UNSHIPPED, "")
    order.refresh_from_db()
    assert (case.state, case.approved_at_once) == (rules.REFUNDED, True)
    assert order.state == Order.State.CANCELLED
    assert case.refunded_fen == order.total_fen == order.refunded_fen
    settle_refunds()
    case.refund.refresh_from_db()
    assert case.refund.state == Refund.State.SUCCEEDED
    assert_audit_clean()


def test_a_made_personalised_line_goes_to_the_merchant_before_it_is_cancelled():
    order = paid_order()
    line = order.lines.get()
    line.answers, line.made_at = [{"label": "印字", "value": "安"}], clock.now()
    line.save()
    case = ask(order, rules.REFUND_UNSHIPPED, "")
    assert case.state == rules.PENDING_MERCHANT
    assert Event.objects.filter(kind="case.needs_merchant", subject_id=case.pk).exists()
    services.approve(staff_of(case), case.pk)
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED


def test_a_silent_merchant_approves_after_48_hours_and_the_buyer_is_refunded():
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.MISSING_ITEM)
    assert case.state == rules.PENDING_MERCHANT
    assert case.due_at == clock.now() + timedelta(hours=48)
    assert run_worker_after(timedelta(hours=47, minutes=59)) == 0
    run_worker_after(timedelta(minutes=1))
    case.refresh_from_db()
    order.refresh_from_db()
    assert (case.state, case.auto_approved) == (rules.REFUNDED, True)
    assert case.refunded_fen == order.total_fen == 4000 + order.shipping_fen  # the whole order: shipping too
    assert_audit_clean()


def test_rotten_fresh_goods_with_a_photo_are_refunded_at_once_without_a_return():
    order = delivered(paid_order(is_fresh=True, price_fen=5000))
    case = ask(order, rules.REFUND_ONLY, rules.ROTTEN, uploads=[f.upload()])
    assert (case.state, case.approved_at_once, case.refunded_fen) == (rules.REFUNDED, True, 10000)
    assert Evidence.objects.filter(case=case).count() == 1


def test_rotten_above_200_yuan_goes_to_the_merchant():
    order = delivered(paid_order(is_fresh=True, price_fen=10001, quantity=2))
    case = ask(order, rules.REFUND_ONLY, rules.ROTTEN, uploads=[f.upload()])
    assert case.state == rules.PENDING_MERCHANT


def test_rotten_needs_a_photo_and_writes_nothing_without_one():
    order = delivered(paid_order(is_fresh=True))
    with pytest.raises(AnxinError) as refused:
        ask(order, rules.REFUND_ONLY, rules.ROTTEN)
    assert refused.value.code == "photo_required"
    assert Case.objects.count() == 0


def test_rotten_is_refused_after_48_hours():
    order = delivered(paid_order(is_fresh=True))
    clock.advance(timedelta(hours=48))
    with pytest.raises(AnxinError) as refused:
        ask(order, rules.REFUND_ONLY, rules.ROTTEN, uploads=[f.upload()])
    assert refused.value.code == "window_passed"
    assert Case.objects.count() == 0


def return_approved(**order_fields) -> Case:
    order = delivered(paid_order(**order_fields))
    case = ask(order, rules.RETURN_REFUND, rules.NO_REASON)
    return services.approve(staff_of(case), case.pk)


def test_the_return_tracking_number_brings_an_instant_refund_the_platform_advances():
    case = return_approved()
    assert case.state == rules.AWAITING_RETURN
    case = services.ship_return(case.buyer, case.pk, carrier="顺丰速运", tracking_number=tracking())
    assert (case.state, case.instant, case.refunded_fen) == (rules.RETURN_SHIPPED, True, case.order.total_fen)
    assert ledger.balance(ledger.PLATFORM_ADVANCES) == case.refunded_fen
    assert_audit_clean()
    services.receive(staff_of(case), case.pk)
    case.refresh_from_db()
    assert case.state == rules.REFUNDED
    assert case.advance_recovered_at is not None
    assert ledger.balance(ledger.PLATFORM_ADVANCES) == 0
    assert case.postage_fen == rules.POSTAGE_SAME_PROVINCE_FEN and not case.postage_by_merchant
    assert ledger.balance(ledger.PLATFORM_SHIPPING_INSURANCE) == rules.POSTAGE_SAME_PROVINCE_FEN
    settle_refunds()
    assert_audit_clean()


def instantly_refunded_then_rejected() -> Case:
    case = return_approved()
    case = services.ship_return(case.buyer, case.pk, carrier="顺丰速运", tracking_number=tracking())
    return services.reject(staff_of(case), case.pk, "退回的是空盒")


def test_a_rejection_after_an_instant_refund_goes_straight_to_ops_with_the_advance_outstanding():
    case = instantly_refunded_then_rejected()
    assert (case.state, case.reject_reason) == (rules.ARBITRATION, "退回的是空盒")
    assert case.due_at == clock.now() + timedelta(hours=48)
    assert ledger.balance(ledger.PLATFORM_ADVANCES) == case.refunded_fen
    assert_audit_clean()


def test_ops_ruling_for_the_merchant_after_an_instant_refund_makes_the_platform_bear_it():
    case = instantly_refunded_then_rejected()
    merchant = ledger.merchant_payable(case.merchant_id)
    owed_before = ledger.balance(merchant)
    case = services.rule(f.ops(), case.pk, ruling="merchant", note="退回空盒属实")
    assert case.state == rules.CLOSED and case.advance_recovered_at is not None
    assert ledger.balance(ledger.PLATFORM_ADVANCES) == 0
    assert ledger.balance(ledger.PLATFORM_ADVANCE_LOSSES) == case.refunded_fen
    assert ledger.balance(merchant) == owed_before - case.refunded_fen  # the merchant is owed the value back
    assert case.postage_fen == 0
    settle_refunds()
    assert_audit_clean()


def test_ops_ruling_for_the_buyer_after_an_instant_refund_recovers_it_from_the_merchant_as_on_receipt():
    case = instantly_refunded_then_rejected()
    with pytest.raises(Conflict) as refused:
        services.rule(f.ops(), case.pk, ruling="refund", note="部分", amount_fen=100)
    assert refused.value.code == "instant_refund_stands"
    assert Case.objects.get(pk=case.pk).state == rules.ARBITRATION
    case = services.rule(f.ops(), case.pk, ruling="refund", note="商品无误")
    assert case.state == rules.REFUNDED and case.advance_recovered_at is not None
    assert ledger.balance(ledger.PLATFORM_ADVANCES) == 0
    assert ledger.balance(ledger.PLATFORM_ADVANCE_LOSSES) == 0
    assert case.postage_fen == rules.POSTAGE_SAME_PROVINCE_FEN
    assert Refund.objects.filter(detail__order_id=case.order_id, kind=Refund.Kind.REFUND).count() == 1
    settle_refunds()
    assert_audit_clean()


def test_a_return_above_1500_yuan_waits_for_the_merchant_then_refunds_on_its_silence():
    case = return_approved(price_fen=75001)
    case = services.ship_return(case.buyer, case.pk, carrier="顺丰速运", tracking_number=tracking())
    assert (case.instant, case.refunded_fen) == (False, 0)
    run_worker_after(timedelta(days=10))
    case.refresh_from_db()
    assert (case.state, case.refunded_fen) == (rules.REFUNDED, 150002)
    assert_audit_clean()


def test_a_return_not_shipped_within_7_days_closes_the_case():
    case = return_approved()
    run_worker_after(timedelta(days=7))
    case.refresh_from_db()
    assert (case.state, case.refunded_fen) == (rules.CLOSED, 0)


def test_a_rejected_buyer_escalates_and_ops_rule_a_partial_refund():
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY)
    services.reject(staff_of(case), case.pk, "商品无质量问题")
    case = services.escalate(case.buyer, case.pk, "明明有划痕", [f.upload()])
    assert case.state == rules.ARBITRATION
    assert case.due_at == clock.now() + timedelta(hours=48)
    assert run_worker_after(timedelta(days=3)) == 0  # arbitration's deadline is measured, never defaulted
    case = services.rule(f.ops(), case.pk, ruling="refund", note="划痕属实", amount_fen=1500)
    assert (case.state, case.refunded_fen) == (rules.REFUNDED, 1500)
    assert_audit_clean()


def test_an_abuse_ruling_costs_the_buyer_the_instant_refund():
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY)
    services.reject(staff_of(case), case.pk, "无问题")
    services.escalate(case.buyer, case.pk, "要退")
    services.rule(f.ops(), case.pk, ruling="abuse", note="恶意")
    other = delivered(paid_order(buyer=order.buyer))
    second = ask(other, rules.RETURN_REFUND, rules.NO_REASON)
    services.approve(staff_of(second), second.pk)
    second = services.ship_return(order.buyer, second.pk, carrier="顺丰速运", tracking_number=tracking())
    assert second.instant is False


def test_exchange_runs_through_return_and_replacement_and_pays_merchant_fault_postage():
    order = delivered(paid_order())
    case = ask(order, rules.EXCHANGE, rules.WRONG_ITEM)
    staff = staff_of(case)
    services.approve(staff, case.pk)
    services.ship_return(case.buyer, case.pk, carrier="顺丰速运", tracking_number=tracking())
    case = services.receive(staff, case.pk)
    assert case.state == rules.AWAITING_REPLACEMENT
    case = services.ship_replacement(staff, case.pk, carrier="顺丰速运", tracking_number=tracking())
    assert case.state == rules.REPLACEMENT_SHIPPED
    case = services.confirm_replacement(case.buyer, case.pk)
    assert (case.state, case.refunded_fen, case.postage_by_merchant) == (rules.COMPLETED, 0, True)
    assert ledger.balance(ledger.merchant_payable(case.merchant_id)) == case.postage_fen  # the shop's debt
    assert_audit_clean()


def test_a_late_replacement_lets_the_buyer_take_the_money_instead():
    order = delivered(paid_order())
    case = ask(order, rules.RESEND, rules.MISSING_ITEM)
    services.approve(staff_of(case), case.pk)
    run_worker_after(timedelta(hours=48))
    case.refresh_from_db()
    assert case.state == rules.REPLACEMENT_LATE
    case = services.convert_to_refund(case.buyer, case.pk)
    assert (case.state, case.refunded_fen) == (rules.REFUNDED, case.order.total_fen)


def test_a_partial_offer_accepted_refunds_that_much():
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.NOT_AS_DESCRIBED)
    services.offer(staff_of(case), case.pk, 1000)
    case = services.accept_offer(case.buyer, case.pk)
    assert (case.state, case.refunded_fen) == (rules.REFUNDED, 1000)


def test_illegal_steps_are_refused_with_their_code_and_change_nothing():
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY)
    before = (Event.objects.count(), Refund.objects.count())
    with pytest.raises(Conflict) as refused:
        services.escalate(case.buyer, case.pk, "想升级")
    assert refused.value.code == "illegal_transition"
    with pytest.raises(Conflict) as refused:
        services.approve(f.ops(), case.pk)
    assert refused.value.code == "not_your_turn"
    case.refresh_from_db()
    assert case.state == rules.PENDING_MERCHANT
    assert (Event.objects.count(), Refund.objects.count()) == before


def test_another_buyers_or_shops_case_is_not_found():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    with pytest.raises(NotFound):
        services.withdraw(f.buyer(), case.pk)
    with pytest.raises(NotFound):
        services.approve(f.staff(f.merchant()), case.pk)


def test_one_open_case_per_line_and_five_over_its_life():
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY, quantity=1)
    with pytest.raises(AnxinError) as refused:
        ask(order, rules.REFUND_ONLY, rules.QUALITY, quantity=1)
    assert refused.value.code == "case_already_open"
    services.withdraw(order.buyer, case.pk)
    for _ in range(4):
        services.withdraw(order.buyer, ask(order, rules.REFUND_ONLY, rules.QUALITY, quantity=1).pk)
    with pytest.raises(AnxinError) as refused:
        ask(order, rules.REFUND_ONLY, rules.QUALITY, quantity=1)
    assert refused.value.code == "too_many_cases"
    assert Case.objects.count() == 5


def test_no_reason_is_refused_for_personalised_lines_and_products_without_it():
    order = delivered(paid_order(no_reason_return="no"))
    with pytest.raises(AnxinError) as refused:
        ask(order, rules.RETURN_REFUND, rules.NO_REASON)
    assert refused.value.code == "product_no_reason"
    custom = delivered(paid_order())
    custom.lines.update(answers=[{"label": "印字", "value": "安"}])
    with pytest.raises(AnxinError) as refused:
        ask(custom, rules.RETURN_REFUND, rules.NO_REASON)
    assert refused.value.code == "personalised_no_reason"
    assert Case.objects.count() == 0


def test_an_amount_above_what_is_left_is_refused():
    order = delivered(paid_order())
    with pytest.raises(AnxinError) as refused:
        ask(order, rules.REFUND_ONLY, rules.QUALITY, amount_fen=4001)
    assert refused.value.code == "amount_above_limit"
    assert Case.objects.count() == 0


def test_nine_images_are_refused_before_any_is_stored(settings):
    order = delivered(paid_order())
    with pytest.raises(AnxinError) as refused:
        ask(order, rules.REFUND_ONLY, rules.QUALITY, uploads=[f.upload() for _ in range(9)])
    assert refused.value.code == "too_many_images"
    assert Case.objects.count() == 0 and Evidence.objects.count() == 0
