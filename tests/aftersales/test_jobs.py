"""Every waiting state's default, applied by the worker when its deadline passes, and never before."""

from datetime import timedelta

import pytest

from anxin.aftersales import rules, services
from anxin.aftersales.models import Case, CaseLine
from anxin.core import clock, deadlines
from anxin.core.models import Deadline, Event
from tests import factories as f
from tests.aftersales.conftest import (
    ask,
    assert_audit_clean,
    delivered,
    paid_order,
    run_worker_after,
    scan_delivered,
    tracking,
)

pytestmark = pytest.mark.django_db


def opened(kind: str = rules.REFUND_ONLY, reason: str = rules.QUALITY) -> Case:
    return ask(delivered(paid_order()), kind, reason)


def state_after(case: Case, delta: timedelta) -> str:
    run_worker_after(delta)
    case.refresh_from_db()
    return case.state


def test_an_unanswered_offer_lapses_into_a_rejection_the_buyer_may_escalate():
    case = opened()
    services.offer(f.staff(case.merchant), case.pk, 500)
    assert state_after(case, timedelta(hours=47)) == rules.OFFERED
    assert state_after(case, timedelta(hours=1)) == rules.REJECTED
    assert case.due_at is not None and services.escalate(case.buyer, case.pk, "不接受").state == rules.ARBITRATION


def test_a_rejection_not_escalated_within_7_days_closes():
    case = opened()
    services.reject(f.staff(case.merchant), case.pk, "无问题")
    assert state_after(case, timedelta(days=6, hours=23)) == rules.REJECTED
    assert state_after(case, timedelta(hours=1)) == rules.CLOSED
    assert not Deadline.objects.filter(subject_id=case.pk, kind=services.DUE, state=Deadline.State.PENDING).exists()


def test_a_late_replacement_the_buyer_leaves_alone_is_refunded_after_7_more_days():
    case = opened(rules.RESEND, rules.MISSING_ITEM)
    services.approve(f.staff(case.merchant), case.pk)
    assert state_after(case, timedelta(hours=48)) == rules.REPLACEMENT_LATE
    assert state_after(case, timedelta(days=7)) == rules.REFUNDED
    assert case.refunded_fen > 0
    assert_audit_clean()


def test_a_replacement_shipped_completes_on_its_delivery_scan_or_after_10_days():
    scanned = opened(rules.RESEND, rules.MISSING_ITEM)
    staff = f.staff(scanned.merchant)
    services.approve(staff, scanned.pk)
    number = tracking()
    services.ship_replacement(staff, scanned.pk, carrier="顺丰速运", tracking_number=number)
    assert scan_delivered(number) == "replacement_delivered"
    scanned.refresh_from_db()
    assert scanned.state == rules.COMPLETED

    silent = opened(rules.RESEND, rules.MISSING_ITEM)
    services.approve(f.staff(silent.merchant), silent.pk)
    services.ship_replacement(f.staff(silent.merchant), silent.pk, carrier="顺丰速运", tracking_number=tracking())
    assert state_after(silent, timedelta(days=10)) == rules.COMPLETED


def test_the_return_legs_delivery_scan_is_the_merchants_receipt():
    case = ask(delivered(paid_order(price_fen=80000)), rules.RETURN_REFUND, rules.NO_REASON)
    services.approve(f.staff(case.merchant), case.pk)
    number = tracking()
    services.ship_return(case.buyer, case.pk, carrier="顺丰速运", tracking_number=number)
    assert scan_delivered(number) == "return_delivered"
    case.refresh_from_db()
    assert (case.state, case.instant) == (rules.REFUNDED, False)
    assert case.refunded_fen == case.order.total_fen
    assert_audit_clean()


def test_a_deadline_that_comes_after_the_merchant_acted_does_nothing():
    case = opened()
    services.approve(f.staff(case.merchant), case.pk)
    case.refresh_from_db()
    refunded = case.refunded_fen
    assert state_after(case, timedelta(days=30)) == rules.REFUNDED
    assert case.refunded_fen == refunded
    assert case.auto_approved is False


def test_an_instant_refund_is_recovered_from_the_merchant_when_the_receipt_deadline_passes():
    case = ask(delivered(paid_order()), rules.RETURN_REFUND, rules.NO_REASON)
    services.approve(f.staff(case.merchant), case.pk)
    services.ship_return(case.buyer, case.pk, carrier="顺丰速运", tracking_number=tracking())
    assert state_after(case, timedelta(days=10)) == rules.REFUNDED
    assert case.instant and case.advance_recovered_at is not None
    assert_audit_clean()


def test_defaults_that_move_no_money_are_applied_many_at_once_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    returns = [return_awaiting() for _ in range(6)]
    silent = opened()  # its default refunds: it is left to the one-by-one handler
    clock.advance(timedelta(days=7))
    with django_assert_num_queries(4):  # lock and read, close the lines, move the cases, one insert of events
        left = services.apply_quiet_defaults([c.pk for c in returns] + [silent.pk])
    assert left == {silent.pk}
    assert {c.state for c in Case.objects.filter(pk__in=[c.pk for c in returns])} == {rules.CLOSED}
    assert not CaseLine.objects.filter(case__in=returns, open=True).exists()
    events = Event.objects.filter(kind="case.close_unreturned").values_list("subject_id", "data")
    assert sorted(pk for pk, _data in events) == sorted(c.pk for c in returns)
    assert all(data == {"state": rules.CLOSED, "by": "system", "auto": True} for _pk, data in events)
    deadlines.run_due(limit=1000)
    silent.refresh_from_db()
    assert (silent.state, silent.auto_approved) == (rules.REFUNDED, True)
    assert_audit_clean()


def test_an_unanswered_offer_in_bulk_clears_the_offer_and_arms_the_escalation_window():
    case = opened()
    services.offer(f.staff(case.merchant), case.pk, 500)
    run_worker_after(timedelta(hours=48))
    case.refresh_from_db()
    assert (case.state, case.offer_fen, case.reject_reason) == (rules.REJECTED, None, "买家未接受协商方案。")
    assert Deadline.objects.get(kind=services.DUE, subject_id=case.pk).due_at == clock.now() + timedelta(days=7)


def return_awaiting() -> Case:
    case = ask(delivered(paid_order()), rules.RETURN_REFUND, rules.NO_REASON)
    return services.approve(f.staff(case.merchant), case.pk)
