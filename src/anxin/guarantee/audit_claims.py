"""买贵必赔 invariants: every approved claim paid once with its compensation (a payout posted from the account
charged, or a coupon of the amount, with the merchant's charge posted when the merchant pays), nothing paid
for a claim not approved, and every line counting what its claims paid."""

from collections import defaultdict

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from anxin.core import ledger
from anxin.core.audit import check
from anxin.core.models import LedgerEntry
from anxin.coupons.models import Coupon
from anxin.guarantee.models import Claim, ProtectionPayout
from anxin.guarantee.services.claims import claim_key
from anxin.orders.models import OrderLine
from anxin.payments.models import Refund

PREFIX = "claim:"


def _postings(keys: list[str]) -> dict[tuple[str, str], int]:
    """(ledger key, account) -> amount, for the given ledger keys."""
    rows = LedgerEntry.objects.filter(transaction__idempotency_key__in=keys).values_list(
        "transaction__idempotency_key", "account__code", "amount_fen"
    )
    return {(key, account): amount for key, account, amount in rows}


def _payment_problem(claim: Claim, refunds: dict[str, Refund], coupon_fen: dict[str, int], posted) -> str | None:
    key = claim_key(claim.pk)
    if claim.pay_to == Claim.PayTo.COUPON:
        if coupon_fen.get(key) != claim.compensation_fen:
            return f"claim {claim.pk} of {claim.compensation_fen} fen has no coupon of that amount"
        charged = claim.charged_to != ledger.PLATFORM_COMPENSATION
        if charged and posted.get((f"{key}:charged", claim.charged_to)) != claim.compensation_fen:
            return f"claim {claim.pk}: the charge to {claim.charged_to} is not posted"
        return None
    refund = refunds.get(key)
    if refund is None or refund.kind != Refund.Kind.PAYOUT or refund.amount_fen != claim.compensation_fen:
        return f"claim {claim.pk} of {claim.compensation_fen} fen has no payout {key} of that amount"
    if posted.get((f"refund:{refund.pk}:owed", claim.charged_to)) != claim.compensation_fen:
        return f"claim {claim.pk}: its payout is not posted from {claim.charged_to}"
    return None


@check("price guarantee: every approved claim is paid once", _("买贵必赔：每个通过的申请都已赔付一次并记账"))
def claims_paid_once() -> list[str]:
    approved = list(Claim.objects.filter(state=Claim.State.APPROVED).order_by("pk"))
    refunds = {refund.key: refund for refund in Refund.objects.filter(key__startswith=PREFIX)}
    coupon_fen = dict(Coupon.objects.filter(key__startswith=PREFIX).values_list("key", "amount_fen"))
    keys = [f"refund:{refund.pk}:owed" for refund in refunds.values()]
    keys += [f"{claim_key(claim.pk)}:charged" for claim in approved]
    posted = _postings(keys)
    problems = []
    for claim in approved:
        if claim.compensation_fen <= 0:
            problems.append(f"claim {claim.pk} is approved and pays nothing")
        elif (problem := _payment_problem(claim, refunds, coupon_fen, posted)) is not None:
            problems.append(problem)
    paid_keys = {claim_key(claim.pk) for claim in approved}
    stray = sorted((set(refunds) | set(coupon_fen)) - paid_keys)
    return problems + [f"{key} was paid but its claim is not approved" for key in stray]


@check("price guarantee: lines count what claims paid", _("买贵必赔：每件商品的补偿金额包含其赔付"))
def lines_count_claims() -> list[str]:
    claims = Claim.objects.filter(state=Claim.State.APPROVED).values("line_id").annotate(t=Sum("compensation_fen"))
    paid: dict[int, int] = defaultdict(int, claims.values_list("line_id", "t"))
    protection = ProtectionPayout.objects.filter(line_id__in=list(paid)).values("line_id").annotate(t=Sum("amount_fen"))
    for line_id, total in protection.values_list("line_id", "t"):
        paid[line_id] += total
    counted = dict(OrderLine.objects.filter(pk__in=list(paid)).values_list("pk", "compensated_fen"))
    return [
        f"line {line_id} was paid {total} fen by claims and price protection but counts {counted.get(line_id, 0)}"
        for line_id, total in sorted(paid.items())
        if counted.get(line_id, 0) < total
    ]
