"""Refunds granted inside the caller's transaction: owed at once, never beyond the payment, once per key."""

import pytest

from anxin.core import deadlines, ledger
from anxin.core.errors import AnxinError, Conflict
from anxin.core.models import Deadline
from anxin.payments import provider, services
from anxin.payments.models import Refund
from tests.payments.helpers import captured_payment, money_rows

pytestmark = pytest.mark.django_db


def test_a_granted_refund_is_owed_to_the_buyer_and_armed_for_the_worker():
    payment = captured_payment(10000)
    refund = services.request_refund(payment, 4000, key="r1", reason="test")
    assert (refund.state, refund.attempts, refund.amount_fen) == ("requested", 0, 4000)
    assert ledger.balance(ledger.ESCROW) == -6000
    assert ledger.balance(ledger.REFUNDS_PAYABLE) == -4000
    assert ledger.balance(ledger.PROVIDER_CLEARING) == 10000  # nothing has left the provider yet
    assert Deadline.objects.get(kind=services.SEND_REFUND, subject_id=refund.pk).state == "pending"


def test_the_same_key_returns_the_first_refund():
    payment = captured_payment()
    first = services.request_refund(payment, 4000, key="r1", reason="test")
    before = money_rows()
    assert services.request_refund(payment, 4000, key="r1", reason="test").pk == first.pk
    assert money_rows() == before


def test_the_same_key_with_another_amount_is_refused_and_writes_nothing():
    payment = captured_payment()
    services.request_refund(payment, 4000, key="r1", reason="test")
    before = money_rows()
    with pytest.raises(Conflict) as refused:
        services.request_refund(payment, 3000, key="r1", reason="test")
    assert refused.value.code == "refund_key_reused"
    assert money_rows() == before


def test_refunds_together_never_exceed_the_payment():
    payment = captured_payment(10000)
    services.request_refund(payment, 7000, key="r1", reason="test")
    before = money_rows()
    with pytest.raises(Conflict) as refused:
        services.request_refund(payment, 3001, key="r2", reason="test")
    assert refused.value.code == "refund_exceeds_payment"
    assert money_rows() == before
    assert services.request_refund(payment, 3000, key="r3", reason="test").amount_fen == 3000


def test_a_payment_that_never_succeeded_refunds_nothing():
    payment = services.open_payment(10000)
    before = money_rows()
    with pytest.raises(Conflict) as refused:
        services.request_refund(payment, 100, key="r1", reason="test")
    assert refused.value.code == "payment_not_captured"
    assert money_rows() == before


def test_the_providers_confirmation_moves_the_money_out_once():
    payment = captured_payment(10000)
    refund = services.request_refund(payment, 4000, key="r1", reason="test")
    body, signature = provider.refund_notification(refund)
    services.handle_refund_notification(body, signature)
    refund.refresh_from_db()
    assert (refund.state, refund.provider_ref) == ("succeeded", f"SIMR{refund.pk:010d}")
    assert Deadline.objects.get(kind=services.SEND_REFUND, subject_id=refund.pk).state == "cancelled"
    before = money_rows()
    services.handle_refund_notification(body, signature)
    assert money_rows() == before
    assert ledger.balance(ledger.PROVIDER_CLEARING) == 6000
    assert ledger.balance(ledger.REFUNDS_PAYABLE) == 0


def test_a_provider_that_says_it_failed_leaves_the_refund_failed_and_retried():
    payment = captured_payment()
    refund = services.request_refund(payment, 4000, key="r1", reason="test")
    services.handle_refund_notification(*provider.refund_notification(refund, status="failed"))
    refund.refresh_from_db()
    assert refund.state == "failed"
    assert "failed" in refund.last_error
    assert Deadline.objects.get(kind=services.SEND_REFUND, subject_id=refund.pk).state == "pending"
    assert ledger.balance(ledger.REFUNDS_PAYABLE) == -4000
    deadlines.run_due()  # not yet: the retry waits
    assert Refund.objects.get(pk=refund.pk).state == "failed"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "bad_notification"),
        (b"[1, 2]", "bad_notification"),
        (b'{"refund_id": "x", "amount_fen": 1, "provider_ref": "p", "status": "succeeded"}', "bad_notification"),
        (b'{"refund_id": 999999, "amount_fen": 1, "provider_ref": "p", "status": "succeeded"}', "unknown_refund"),
    ],
)
def test_a_signed_but_unusable_refund_notification_is_refused_and_changes_nothing(body, code):
    payment = captured_payment()
    services.request_refund(payment, 4000, key="r1", reason="test")
    before = money_rows()
    with pytest.raises(AnxinError) as refused:
        services.handle_refund_notification(body, provider.sign(body))
    assert (refused.value.status, refused.value.code) == (400, code)
    assert money_rows() == before


def test_a_refund_notification_for_another_amount_is_refused():
    payment = captured_payment()
    refund = services.request_refund(payment, 4000, key="r1", reason="test")
    refund.amount_fen = 4001
    body, signature = provider.refund_notification(refund)
    before = money_rows()
    with pytest.raises(AnxinError) as refused:
        services.handle_refund_notification(body, signature)
    assert refused.value.code == "amount_mismatch"
    assert money_rows() == before
