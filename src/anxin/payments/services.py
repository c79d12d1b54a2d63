"""Payments and refunds: the only code that changes them. What a payment is for is the caller's business (a
checkout); this floor opens payments, reads the provider's signed notifications and moves the money they report.

A refund is granted inside the caller's transaction (`request_refund`: the money leaves escrow for
`refunds:payable` and a deadline is armed) and sent to the provider later by the worker (`send_refund`), so no
order or payment row is locked while the provider is called. The provider's signed confirmation
(`handle_refund_notification`) moves the money out of `provider_clearing`, once.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from anxin.core import clock, deadlines, events, ledger
from anxin.core.errors import AnxinError, Conflict
from anxin.payments import provider, rules
from anxin.payments.models import Payment, Refund

SEND_REFUND = "payments.send_refund"


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


@dataclass(frozen=True)
class RefundNotification:
    """What a provider told us about a refund, after its signature was checked."""

    refund_id: int
    amount_fen: int
    provider_ref: str
    status: str

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


def open_payment(amount_fen: int, *, actor=None) -> Payment:
    """A new pending payment of `amount_fen` through the configured provider."""
    payment = Payment.objects.create(provider=provider.configured().name, amount_fen=amount_fen, created_at=clock.now())
    events.record("payment.started", payment, {"amount_fen": amount_fen}, actor=actor)
    return payment


def _signed_json(body: bytes, signature: str) -> dict:
    """The notification's fields, refused unless its signature matches the exact body bytes."""
    if not provider.verify(body, signature):
        raise AnxinError(_("支付通知的签名无效。"), code="bad_signature", fields={"signature": _("签名不匹配")})
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise AnxinError(_("支付通知格式不正确。"), code="bad_notification")
    return data


def _notice_fields(body: bytes, signature: str, id_field: str, malformed: str) -> dict[str, Any]:
    """The checked fields of a signed notification about the object named by `id_field`."""
    data = _signed_json(body, signature)
    try:
        return {
            id_field: int(data[id_field]),
            "amount_fen": int(data["amount_fen"]),
            "provider_ref": str(data["provider_ref"])[:64],
            "status": str(data["status"]),
        }
    except (ValueError, KeyError, TypeError):
        raise AnxinError(malformed, code="bad_notification") from None


def read_notification(body: bytes, signature: str) -> Notification:
    return Notification(**_notice_fields(body, signature, "payment_id", _("支付通知格式不正确。")))


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


def notification_for(payment: Payment, *, approve: bool) -> tuple[bytes, str]:
    """What the simulated provider sends when the buyer approves or declines on its page."""
    return provider.notification(payment, status="succeeded" if approve else "declined")


# --- refunds -------------------------------------------------------------------------------------------


def refund_by_key(key: str) -> Refund | None:
    return Refund.objects.filter(key=key).first()


def refunded_fen(payment: Payment) -> int:
    return (
        Refund.objects.filter(payment=payment, kind=Refund.Kind.REFUND).aggregate(total=Sum("amount_fen"))["total"] or 0
    )


def request_refund(
    payment: Payment,
    amount_fen: int,
    *,
    key: str,
    reason: str,
    detail: dict | None = None,
    source: str = ledger.ESCROW,
    actor=None,
) -> Refund:
    """Grant a refund inside the caller's transaction; the worker sends it to the provider (`send_refund`).

    From now on the money is owed to the buyer: it leaves `source` (escrow, or a merchant's payable after
    settlement) for `refunds:payable` and leaves the provider only when the provider confirms. The same key
    returns the refund it first made; with another amount it is refused.
    """
    return _grant(
        payment, amount_fen, Refund.Kind.REFUND, key=key, reason=reason, detail=detail, source=source, actor=actor
    )


def request_payout(
    payment: Payment, amount_fen: int, *, key: str, reason: str, source: str, detail: dict | None = None, actor=None
) -> Refund:
    """Pay the buyer money beyond the goods (退货补运费) to the channel they paid with, from `source` (the
    platform's shipping insurance, a merchant's payable): sent, retried and confirmed exactly as a refund."""
    return _grant(
        payment, amount_fen, Refund.Kind.PAYOUT, key=key, reason=reason, detail=detail, source=source, actor=actor
    )


def _grant(
    payment: Payment, amount_fen: int, kind: str, *, key: str, reason: str, detail: dict | None, source: str, actor
) -> Refund:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    existing = refund_by_key(key)
    if existing is not None:
        if existing.amount_fen != amount_fen or existing.payment_id != payment.pk:
            raise Conflict(_("这个退款编号已用于另一笔退款。"), code="refund_key_reused", fields={"key": key})
        return existing
    if payment.state != Payment.State.SUCCEEDED:
        raise Conflict(_("这笔支付尚未成功，没有可退的钱。"), code="payment_not_captured")
    if kind == Refund.Kind.REFUND and not rules.refund_fits(payment.amount_fen, refunded_fen(payment), amount_fen):
        raise Conflict(_("退款金额超过了这笔支付还可退的金额。"), code="refund_exceeds_payment")
    refund = Refund.objects.create(
        payment=payment,
        key=key,
        kind=kind,
        amount_fen=amount_fen,
        reason=reason[:60],
        detail=detail or {},
        requested_at=clock.now(),
    )
    ledger.post(
        f"refund:{refund.pk}:owed",
        "refund_owed",
        [ledger.Line(source, amount_fen), ledger.Line(ledger.REFUNDS_PAYABLE, -amount_fen)],
        memo=reason,
        subject=refund,
    )
    events.record(f"{kind}.requested", refund, {"amount_fen": amount_fen, "reason": reason}, actor=actor)
    deadlines.schedule_new(SEND_REFUND, refund.pk, refund.requested_at)
    return refund


def refund_in_full(payment: Payment, *, reason: str) -> Refund:
    """Money that arrived for something no longer for sale (a checkout already cancelled) goes back whole."""
    return request_refund(payment, payment.amount_fen, key=f"payment:{payment.pk}:late_refund", reason=reason)


def send_refund(refund_id: int) -> None:
    """The worker's handler: ask the provider for the money back, holding no order or payment lock.

    A call that fails marks the refund failed and tries again later, with growing delays; a call that gets
    through waits for the provider's notification, asking again later in case it never comes (the provider
    de-duplicates by the refund's key). A provider that answers at once is handled here and then."""
    refund = Refund.objects.filter(pk=refund_id).first()
    if refund is None or refund.state == Refund.State.SUCCEEDED:
        return
    try:
        answer = provider.configured().refund(refund)
    except provider.ProviderError as exc:
        _after_attempt(refund, error=str(exc) or exc.__class__.__name__)
        return
    _after_attempt(refund)
    if answer is not None:
        handle_refund_notification(*answer)


def _after_attempt(refund: Refund, *, error: str = "", called: bool = True) -> None:
    """Record how a call to the provider (or its answer) went and arm the next try; a refund confirmed
    meanwhile is left alone. Only calls count as attempts, so the delays grow with what we asked."""
    changes: dict[str, object] = {
        "state": Refund.State.FAILED if error else Refund.State.REQUESTED,
        "last_error": error[-2000:],
    }
    if called:
        changes["attempts"] = F("attempts") + 1
    unconfirmed = [Refund.State.REQUESTED, Refund.State.FAILED]
    if not Refund.objects.filter(pk=refund.pk, state__in=unconfirmed).update(**changes):
        return
    refund.refresh_from_db(fields=["state", "attempts", "last_error"])
    events.record("refund.failed" if error else "refund.sent", refund, {"attempts": refund.attempts, "error": error})
    deadlines.schedule(SEND_REFUND, refund.pk, rules.next_refund_attempt(clock.now(), refund.attempts))


def read_refund_notification(body: bytes, signature: str) -> RefundNotification:
    return RefundNotification(**_notice_fields(body, signature, "refund_id", _("退款通知格式不正确。")))


def handle_refund_notification(body: bytes, signature: str) -> Refund:
    """The provider's signed word on a refund. Sent twice, it counts once; a failure is retried later."""
    note = read_refund_notification(body, signature)
    with transaction.atomic():
        refund = Refund.objects.select_for_update().filter(pk=note.refund_id).first()
        if refund is None:
            raise AnxinError(_("退款通知指向不存在的退款。"), code="unknown_refund")
        if refund.state == Refund.State.SUCCEEDED:
            return refund
        if note.amount_fen != refund.amount_fen:
            raise AnxinError(_("退款金额与退款单不符。"), code="amount_mismatch")
        if note.succeeded:
            _confirm_refund(refund, note)
        else:
            _after_attempt(refund, error=f"provider answered {note.status[:40]}", called=False)
    return refund


def _confirm_refund(refund: Refund, note: RefundNotification) -> None:
    """The money left the provider for the buyer: what we owed them leaves `provider_clearing`."""
    refund.state, refund.provider_ref, refund.succeeded_at = Refund.State.SUCCEEDED, note.provider_ref, clock.now()
    refund.last_error = ""
    refund.save(update_fields=["state", "provider_ref", "succeeded_at", "last_error"])
    ledger.post(
        f"refund:{refund.pk}:paid",
        "refund_paid",
        [
            ledger.Line(ledger.REFUNDS_PAYABLE, refund.amount_fen),
            ledger.Line(ledger.PROVIDER_CLEARING, -refund.amount_fen),
        ],
        memo=refund.reason,
        subject=refund,
    )
    events.record("refund.succeeded", refund, {"amount_fen": refund.amount_fen, "provider_ref": note.provider_ref})
    deadlines.cancel(SEND_REFUND, refund.pk)
