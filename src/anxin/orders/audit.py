"""Order invariants: held stock matches open orders, refunds within what was paid and matching the payment's
refunds, escrow matches orders."""

from collections import defaultdict

from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from anxin.core import ledger
from anxin.core.audit import check
from anxin.core.models import LedgerTransaction
from anxin.inventory.models import Stock
from anxin.orders.models import Order, OrderLine
from anxin.orders.rules import HOLDING_STOCK
from anxin.payments.models import Refund

IN_ESCROW = (Order.State.PAID, Order.State.SHIPPED, Order.State.DELIVERED)


@check("orders: allocated stock equals the open order lines", _("订单：占用的库存等于未发货的订单商品"))
def allocated_matches_open_lines() -> list[str]:
    held: dict[int, int] = defaultdict(int)
    rows = OrderLine.objects.filter(order__state__in=HOLDING_STOCK).values("sku_id").annotate(total=Sum("quantity"))
    for row in rows:
        held[row["sku_id"]] = row["total"]
    allocated = dict(Stock.objects.filter(allocated__gt=0).values_list("sku_id", "allocated"))
    return [
        f"SKU {sku}: {allocated.get(sku, 0)} allocated but {held.get(sku, 0)} on open order lines"
        for sku in sorted(set(held) | set(allocated))
        if held.get(sku, 0) != allocated.get(sku, 0)
    ]


@check("orders: no line refunded beyond what was paid", _("订单：每行退款不超过实付"))
def refunds_within_paid() -> list[str]:
    lines = OrderLine.objects.filter(refunded_fen__gt=F("total_fen")).values_list(
        "pk", "order__number", "refunded_fen", "total_fen"
    )
    problems = [f"order {number} line {pk}: refunded {refunded} of {paid} fen" for pk, number, refunded, paid in lines]
    orders = (
        Order.objects.filter(refunded_fen__gt=0)
        .annotate(lines_refunded=Sum("lines__refunded_fen"))
        .values_list("number", "refunded_fen", "lines_refunded", "shipping_fen")
    )
    for number, refunded, lines_refunded, shipping in orders:
        # an order's refunds are its lines' refunds plus, at most, its shipping fee
        if not lines_refunded <= refunded <= lines_refunded + shipping:
            problems.append(f"order {number}: refunded {refunded} fen but its lines {lines_refunded} fen")
    return problems


@check("orders: escrow holds exactly the paid, unsettled orders", _("订单：托管余额正好等于已付款、未结算的订单"))
def escrow_matches_orders() -> list[str]:
    held = (
        Order.objects.filter(state__in=IN_ESCROW).aggregate(total=Sum(F("total_fen") - F("refunded_fen")))["total"] or 0
    )
    balance = -ledger.balance(ledger.ESCROW)
    held += sum(advanced_outstanding(ledger.ESCROW).values())
    if balance != held:
        return [f"escrow holds {balance} fen but paid, unsettled orders come to {held} fen"]
    return []


def advanced_outstanding(source: str | None = None) -> dict[int, int]:
    """极速退款 the platform paid and has neither recovered nor borne (refund id -> fen), from `source` or any:
    that money is still held where the refund would have come from."""
    closed = LedgerTransaction.objects.filter(kind__in=["advance_recovered", "advance_borne"])
    recovered = set(closed.values_list("subject_id", flat=True))
    advanced = Refund.objects.filter(detail__has_key="advanced_from").values_list("pk", "amount_fen", "detail")
    return {
        pk: amount
        for pk, amount, detail in advanced
        if pk not in recovered and detail.get("advanced_from") and source in (None, detail["advanced_from"])
    }


@check(
    "orders: the platform's advances are the instant refunds not yet recovered",
    _("订单：平台垫付余额等于尚未追回的极速退款"),
)
def advances_match_refunds() -> list[str]:
    outstanding = sum(advanced_outstanding().values())
    balance = ledger.balance(ledger.PLATFORM_ADVANCES)
    if balance != outstanding:
        return [f"platform advances stand at {balance} fen but unrecovered instant refunds come to {outstanding} fen"]
    return []


@check("orders: every order's refunds are refunds of its payment", _("订单：每个订单的退款都来自它自己的支付"))
def refunded_matches_refunds() -> list[str]:
    granted: dict[int, int] = defaultdict(int)
    for detail, amount in (
        Refund.objects.filter(kind=Refund.Kind.REFUND)
        .exclude(detail__order_id=None)
        .values_list("detail", "amount_fen")
    ):
        # an order's refunds count value: the cash, the coupons' part and any compensation kept back
        kept = detail.get("coupon_fen", 0) + detail.get("compensation_deducted_fen", 0)
        granted[int(detail["order_id"])] += amount + kept
    refunded = dict(Order.objects.filter(refunded_fen__gt=0).values_list("pk", "refunded_fen"))
    numbers = dict(Order.objects.filter(pk__in=set(granted) | set(refunded)).values_list("pk", "number"))
    return [
        f"order {numbers.get(pk, pk)}: refunded {refunded.get(pk, 0)} fen, its refunds {granted.get(pk, 0)} fen"
        for pk in sorted(set(granted) | set(refunded))
        if refunded.get(pk, 0) != granted.get(pk, 0)
    ]
