"""Payment and refund invariants: what the provider reported is in the ledger, and every refunded fen left
through the provider, never more than was paid."""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from anxin.core import ledger
from anxin.core.audit import check
from anxin.core.models import LedgerEntry, LedgerTransaction
from anxin.payments.models import Payment, Refund


def _posted(kind: str) -> set[int]:
    return set(LedgerTransaction.objects.filter(kind=kind).values_list("subject_id", flat=True))


@check("payments: every successful payment is in the ledger", _("支付：每笔成功的支付都已入账"))
def payments_posted() -> list[str]:
    posted = _posted("payment_received")
    paid = Payment.objects.filter(state=Payment.State.SUCCEEDED).values_list("pk", flat=True)
    return [f"payment {pk} succeeded but was never posted" for pk in paid if pk not in posted]


@check(
    "payments: every refund is owed in the ledger, and paid there once the provider confirmed it",
    _("支付：每笔退款都已记为应退，支付渠道确认后记为已退"),
)
def refunds_posted() -> list[str]:
    owed, paid = _posted("refund_owed"), _posted("refund_paid")
    problems = []
    for pk, key, state in Refund.objects.values_list("pk", "key", "state").order_by("pk"):
        if pk not in owed:
            problems.append(f"refund {key} was never posted as owed to the buyer")
        if state == Refund.State.SUCCEEDED and pk not in paid:
            problems.append(f"refund {key} succeeded but its payment to the buyer was never posted")
        if state != Refund.State.SUCCEEDED and pk in paid:
            problems.append(f"refund {key} is {state} but was posted as paid to the buyer")
    return problems


def _total(rows) -> int:
    return rows.aggregate(total=Sum("amount_fen"))["total"] or 0


@check("payments: every refunded fen left through the provider", _("支付：每一分退款都经支付渠道退出"))
def refunds_left_through_provider() -> list[str]:
    confirmed = _total(Refund.objects.filter(state=Refund.State.SUCCEEDED))
    left = -_total(LedgerEntry.objects.filter(transaction__kind="refund_paid", account__code=ledger.PROVIDER_CLEARING))
    pending = _total(Refund.objects.exclude(state=Refund.State.SUCCEEDED))
    owed = -ledger.balance(ledger.REFUNDS_PAYABLE)
    problems = []
    if confirmed != left:
        problems.append(f"refunds confirmed by the provider come to {confirmed} fen, but {left} fen left clearing")
    if pending != owed:
        problems.append(f"refunds not yet confirmed come to {pending} fen, but {owed} fen is owed to buyers")
    return problems


@check("payments: no payment refunded beyond what it took", _("支付：没有支付退款超过实收"))
def refunds_within_payment() -> list[str]:
    rows = (
        Payment.objects.annotate(refunded=Sum("refunds__amount_fen", filter=Q(refunds__kind=Refund.Kind.REFUND)))
        .filter(refunded__gt=0)
        .values_list("pk", "amount_fen", "refunded")
        .order_by("pk")
    )
    return [f"payment {pk}: refunded {refunded} of {paid} fen" for pk, paid, refunded in rows if refunded > paid]
