"""Fulfilment invariants: every leg 2 the hub sent is paid from the subsidy account, exactly once; every
order and its shipment tell the same story."""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from anxin.core import ledger
from anxin.core.audit import check
from anxin.core.models import LedgerEntry
from anxin.fulfilment import rules
from anxin.fulfilment.models import Shipment
from anxin.orders.models import Order

SHIPPED_ORDER_STATES = (Order.State.SHIPPED, Order.State.DELIVERED, Order.State.COMPLETED)


@check(
    "fulfilment: every leg 2 is posted to the subsidy account at its cost",
    _("物流：每个第二段都按运费记入平台补贴账户"),
)
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


@check("fulfilment: every order's state agrees with its shipment's", _("物流：订单状态与包裹状态一致"))
def order_and_shipment_agree() -> list[str]:
    orders = (
        Order.objects.filter(Q(shipment__isnull=False) | Q(state__in=SHIPPED_ORDER_STATES))
        .values_list("number", "state", "shipment__state")
        .order_by("pk")
    )
    return [
        f"order {number}: {state} but its shipment is {shipment_state or 'missing'}"
        for number, state, shipment_state in orders
        if not rules.states_agree(state, shipment_state)
    ]
