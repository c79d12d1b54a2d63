"""价保 invariants: every payout went out as a payout posted from the merchant's payable, and no line was
paid more than (list price paid - lowest price seen) x quantity."""

from django.db.models import Min, Sum
from django.utils.translation import gettext_lazy as _

from anxin.catalog import rules as catalog_rules
from anxin.core import ledger
from anxin.core.audit import check
from anxin.core.models import LedgerEntry
from anxin.guarantee import rules_protection as rules
from anxin.guarantee.models import ProtectionPayout
from anxin.orders.models import OrderLine
from anxin.payments.models import Refund


def _posted_owed() -> dict[tuple[str, str], int]:
    """(refund key, account) -> amount of each payout's `refund:<id>:owed` posting."""
    payouts = Refund.objects.filter(key__startswith="protection:").values_list("pk", "key")
    keys = {f"refund:{pk}:owed": key for pk, key in payouts}
    rows = LedgerEntry.objects.filter(transaction__idempotency_key__in=list(keys)).values_list(
        "transaction__idempotency_key", "account__code", "amount_fen"
    )
    return {(keys[tx_key], account): amount for tx_key, account, amount in rows}


@check("price protection: every payout is paid and posted", _("价保：每笔保价都已发起赔付并记账"))
def payouts_paid_and_posted() -> list[str]:
    posted = _posted_owed()
    problems = []
    payouts = ProtectionPayout.objects.select_related("refund", "line__order")
    for payout in payouts.order_by("pk"):
        key = rules.payout_key(payout.line_id, payout.lowest_unit_fen)
        refund = payout.refund
        if refund is None or refund.key != key or refund.kind != Refund.Kind.PAYOUT:
            problems.append(f"price protection {payout.pk} has no payout {key}")
        elif refund.amount_fen != payout.amount_fen:
            problems.append(f"price protection {payout.pk} of {payout.amount_fen} fen paid {refund.amount_fen}")
        elif posted.get((key, ledger.merchant_payable(payout.line.order.merchant_id))) != payout.amount_fen:
            problems.append(f"price protection {payout.pk} is not posted from its merchant's payable")
    return problems


@check("price protection: no line paid beyond the lowest price", _("价保：每件商品的保价不超过价保期内最低价的差价"))
def payouts_within_difference() -> list[str]:
    paid = ProtectionPayout.objects.values("line_id").annotate(total=Sum("amount_fen"), lowest=Min("lowest_unit_fen"))
    by_line = {row["line_id"]: row for row in paid}
    lines = OrderLine.objects.filter(pk__in=list(by_line)).only(
        "pk", "unit_price_fen", "quantity", "answers", "compensated_fen"
    )
    problems = []
    for line in lines.order_by("pk"):
        row = by_line[line.pk]
        list_unit = line.unit_price_fen - catalog_rules.options_delta_fen(line.answers or [])
        most = max(list_unit - row["lowest"], 0) * line.quantity
        if row["total"] > most:
            problems.append(f"line {line.pk} got {row['total']} fen of price protection, at most {most}")
        if row["total"] > line.compensated_fen:
            problems.append(f"line {line.pk} got {row['total']} fen of price protection, counts {line.compensated_fen}")
    return problems
