"""Payments: the only code that changes them. What a payment is for is the caller's business (a checkout);
this floor opens payments, reads the provider's signed notifications and moves the money they report."""

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from anxin.core import clock, events, ledger
from anxin.core.errors import AnxinError
from anxin.payments import provider
from anxin.payments.models import Payment


@dataclass(frozen=True)
class Notification:
    """What a provider told us about a payment, after its signature was checked."""

    payment_id: int
    amount_fen: int
    provider_ref: str
    status: str

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


def open_payment(amount_fen: int, *, actor=None) -> Payment:
    """A new pending payment of `amount_fen` through the configured provider."""
    payment = Payment.objects.create(provider=provider.NAME, amount_fen=amount_fen, created_at=clock.now())
    events.record("payment.started", payment, {"amount_fen": amount_fen}, actor=actor)
    return payment


def read_notification(body: bytes, signature: str) -> Notification:
    """The provider's notification, refused unless its signature matches the exact body bytes."""
    if not provider.verify(body, signature):
        raise AnxinError(_("支付通知的签名无效。"), code="bad_signature", fields={"signature": _("签名不匹配")})
    try:
        data = json.loads(body)
        return Notification(
            payment_id=int(data["payment_id"]),
            amount_fen=int(data["amount_fen"]),
            provider_ref=str(data["provider_ref"])[:64],
            status=str(data["status"]),
        )
    except (ValueError, KeyError, TypeError):
        raise AnxinError(_("支付通知格式不正确。"), code="bad_notification") from None


def refuse(payment: Payment, note: Notification) -> None:
    payment.state = Payment.State.REFUSED
    payment.save(update_fields=["state"])
    events.record("payment.refused", payment, {"status": note.status})


def capture(payment: Payment, note: Notification) -> None:
    """The money arrived at the provider: it is held in escrow until the orders settle or are refunded."""
    payment.state = Payment.State.SUCCEEDED
    payment.provider_ref = note.provider_ref
    payment.succeeded_at = clock.now()
    payment.save(update_fields=["state", "provider_ref", "succeeded_at"])
    ledger.post(
        f"payment:{payment.pk}:received",
        "payment_received",
        [
            ledger.Line(ledger.PROVIDER_CLEARING, payment.amount_fen),
            ledger.Line(ledger.ESCROW, -payment.amount_fen),
        ],
        subject=payment,
    )
    events.record("payment.succeeded", payment, {"amount_fen": payment.amount_fen, "provider_ref": note.provider_ref})


def refund_in_full(payment: Payment, *, reason: str) -> None:
    """Money that arrived for something no longer for sale (a checkout already cancelled) goes back whole."""
    ledger.post(
        f"payment:{payment.pk}:late_refund",
        "refund",
        [
            ledger.Line(ledger.ESCROW, payment.amount_fen),
            ledger.Line(ledger.PROVIDER_CLEARING, -payment.amount_fen),
        ],
        memo=reason,
        subject=payment,
    )
    events.record("payment.refunded_after_cancellation", payment, {"amount_fen": payment.amount_fen})


def notification_for(payment: Payment, *, approve: bool) -> tuple[bytes, str]:
    """What the simulated provider sends when the buyer approves or declines on its page."""
    return provider.notification(payment, status="succeeded" if approve else "declined")
