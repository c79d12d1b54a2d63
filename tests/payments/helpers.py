"""Payments on their own floor: a captured payment and a snapshot of everything a refund could change."""

from anxin.core import ledger
from anxin.core.models import Deadline, Event, LedgerTransaction
from anxin.payments import provider, services
from anxin.payments.models import Payment, Refund


def captured_payment(amount_fen: int = 10000) -> Payment:
    payment = services.open_payment(amount_fen)
    services.capture(payment, services.read_notification(*provider.notification(payment)))
    return payment


def money_rows() -> tuple:
    return (
        list(Refund.objects.values_list("pk", "state", "attempts", "provider_ref").order_by("pk")),
        LedgerTransaction.objects.count(),
        Event.objects.count(),
        list(Deadline.objects.values_list("kind", "subject_id", "state", "due_at").order_by("pk")),
        ledger.balances(),
    )
