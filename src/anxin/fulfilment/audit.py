"""Fulfilment invariants: every leg 2 the hub sent is paid from the subsidy account, exactly once."""

from django.db.models import Sum

from anxin.core import ledger
from anxin.core.audit import check
from anxin.core.models import LedgerEntry
from anxin.fulfilment.models import Shipment


@check("fulfilment: every leg 2 is posted to the subsidy account at its cost")
def leg2_subsidy_posted() -> list[str]:
    posted = dict(
        LedgerEntry.objects.filter(account__code=ledger.PLATFORM_SUBSIDY, transaction__kind="leg2_subsidy")
        .values("transaction__subject_id")
        .annotate(total=Sum("amount_fen"))
        .values_list("transaction__subject_id", "total")
    )
    shipments = Shipment.objects.filter(legs__number=2).values_list("pk", "order__number", "leg2_cost_fen")
    return [
        f"order {number}: leg 2 cost {cost} fen but {posted.get(pk, 0)} fen posted to the subsidy account"
        for pk, number, cost in shipments
        if posted.get(pk, 0) != cost
    ]
