"""`anxin audit` on refunds: every refunded fen left through the provider, none beyond the payment."""

import pytest

from anxin.core import audit, deadlines
from anxin.core.models import LedgerTransaction
from anxin.orders import services as orders
from anxin.payments import services
from anxin.payments.models import Refund
from tests import factories as f
from tests.payments.helpers import captured_payment

pytestmark = pytest.mark.django_db


def breaches() -> dict[str, list[str]]:
    return {name: problems for name, problems in audit.run_all().items() if problems}


def test_refunds_pending_and_confirmed_pass_the_audit():
    order = f.paid_checkout().orders.get()
    orders.refund_lines(order, {order.lines.get().pk: 100}, key="a", reason="r")
    assert breaches() == {}
    deadlines.run_due()
    assert breaches() == {}


def test_a_confirmed_refund_whose_money_never_left_the_provider_is_named():
    refund = services.request_refund(captured_payment(), 4000, key="r1", reason="test")
    deadlines.run_due()
    LedgerTransaction.objects.filter(kind="refund_paid").get().entries.all().delete()
    LedgerTransaction.objects.filter(kind="refund_paid").delete()
    found = breaches()
    assert found["payments: every refund is owed in the ledger, and paid there once the provider confirmed it"] == [
        f"refund {refund.key} succeeded but its payment to the buyer was never posted"
    ]
    assert "payments: every refunded fen left through the provider" in found


def test_a_payment_refunded_beyond_what_it_took_is_named():
    payment = captured_payment(10000)
    refund = services.request_refund(payment, 6000, key="r1", reason="test")
    Refund.objects.filter(pk=refund.pk).update(amount_fen=10001)
    found = breaches()
    assert found["payments: no payment refunded beyond what it took"] == [
        f"payment {payment.pk}: refunded 10001 of 10000 fen"
    ]


def test_an_order_refunded_without_a_refund_of_its_payment_is_named():
    order = f.paid_checkout().orders.get()
    type(order).objects.filter(pk=order.pk).update(refunded_fen=100)
    found = breaches()
    assert found["orders: every order's refunds are refunds of its payment"] == [
        f"order {order.number}: refunded 100 fen, its refunds 0 fen"
    ]
