"""The worker sends refunds to the provider outside any row lock, and retries failures with growing delays."""

from datetime import UTC, datetime, timedelta

import pytest

from anxin.core import clock, deadlines, ledger
from anxin.core.models import Deadline, Event
from anxin.payments import provider, rules, services
from anxin.payments.models import Refund
from tests.payments.helpers import captured_payment

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Outage(provider.SimulatedProvider):
    """A provider that cannot be reached."""

    def refund(self, refund):
        raise provider.ProviderError("connection refused")


class LaterNotifier(provider.SimulatedProvider):
    """A provider that accepts the request and will notify us later."""

    def refund(self, refund):
        return None


def deadline_of(refund: Refund) -> Deadline:
    return Deadline.objects.get(kind=services.SEND_REFUND, subject_id=refund.pk)


@pytest.fixture
def refund() -> Refund:
    clock.freeze(T0)
    return services.request_refund(captured_payment(10000), 4000, key="r1", reason="test")


def test_the_worker_sends_the_refund_and_the_simulated_provider_confirms_it(refund):
    assert deadlines.run_due() == 1
    refund.refresh_from_db()
    assert (refund.state, refund.attempts) == ("succeeded", 1)
    assert ledger.balance(ledger.PROVIDER_CLEARING) == 6000
    kinds = list(Event.objects.filter(subject_type="payments.refund").values_list("kind", flat=True))
    assert kinds == ["refund.requested", "refund.sent", "refund.succeeded"]
    assert deadlines.run_due() == 0


def test_a_provider_outage_marks_the_refund_failed_and_retries_with_growing_delays(refund, monkeypatch):
    monkeypatch.setattr(provider, "configured", Outage)
    deadlines.run_due()
    refund.refresh_from_db()
    assert (refund.state, refund.attempts, refund.last_error) == ("failed", 1, "connection refused")
    assert (deadline_of(refund).state, deadline_of(refund).due_at) == ("pending", T0 + timedelta(minutes=1))
    assert ledger.balance(ledger.PROVIDER_CLEARING) == 10000
    clock.advance(timedelta(minutes=1))
    deadlines.run_due()
    assert deadline_of(refund).due_at == T0 + timedelta(minutes=1 + 2)
    monkeypatch.undo()
    clock.advance(timedelta(minutes=2))
    deadlines.run_due()
    refund.refresh_from_db()
    assert (refund.state, refund.attempts, refund.last_error) == ("succeeded", 3, "")
    assert ledger.balance(ledger.PROVIDER_CLEARING) == 6000


def test_a_provider_that_notifies_later_is_asked_again_until_it_does(refund, monkeypatch):
    monkeypatch.setattr(provider, "configured", LaterNotifier)
    deadlines.run_due()
    refund.refresh_from_db()
    assert (refund.state, refund.attempts) == ("requested", 1)
    assert deadline_of(refund).state == "pending"
    services.handle_refund_notification(*provider.refund_notification(refund))
    assert deadline_of(refund).state == "cancelled"
    clock.advance(timedelta(hours=1))
    assert deadlines.run_due() == 0
    assert Refund.objects.get(pk=refund.pk).state == "succeeded"


def test_a_refund_confirmed_before_its_turn_is_not_sent_again(refund, monkeypatch):
    services.handle_refund_notification(*provider.refund_notification(refund))
    monkeypatch.setattr(provider, "configured", Outage)
    Deadline.objects.filter(kind=services.SEND_REFUND).update(state="pending")
    deadlines.run_due()
    refund.refresh_from_db()
    assert (refund.state, refund.attempts) == ("succeeded", 0)


def test_retry_delays_double_and_stop_growing_at_six_hours():
    assert [rules.next_refund_attempt(T0, n) - T0 for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert rules.next_refund_attempt(T0, 40) - T0 == timedelta(hours=6)
