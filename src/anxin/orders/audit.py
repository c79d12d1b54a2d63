"""Order invariants: held stock matches open orders, refunds within what was paid and matching the payment's
refunds, escrow matches orders."""

from collections import defaultdict

from django.db.models import F, Sum

from anxin.core import ledger
from anxin.core.audit import check
from anxin.inventory.models import Stock
from anxin.orders.models import Order, OrderLine
from anxin.orders.rules import HOLDING_STOCK
from anxin.payments.models import Refund

IN_ESCROW = (Order.State.PAID, Order.State.SHIPPED, Order.State.DELIVERED)


@check("orders: allocated stock equals the open order lines")
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


@check("orders: no line refunded beyond what was paid")
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


@check("orders: escrow holds exactly the paid, unsettled orders")
def escrow_matches_orders() -> list[str]:
    held = (
        Order.objects.filter(state__in=IN_ESCROW).aggregate(total=Sum(F("total_fen") - F("refunded_fen")))["total"] or 0
    )
    balance = -ledger.balance(ledger.ESCROW)
    if balance != held:
        return [f"escrow holds {balance} fen but paid, unsettled orders come to {held} fen"]
    return []


@check("orders: every order's refunds are refunds of its payment")
def refunded_matches_refunds() -> list[str]:
    granted: dict[int, int] = defaultdict(int)
    for detail, amount in Refund.objects.exclude(detail__order_id=None).values_list("detail", "amount_fen"):
        granted[int(detail["order_id"])] += amount
    refunded = dict(Order.objects.filter(refunded_fen__gt=0).values_list("pk", "refunded_fen"))
    numbers = dict(Order.objects.filter(pk__in=set(granted) | set(refunded)).values_list("pk", "number"))
    return [
        f"order {numbers.get(pk, pk)}: refunded {refunded.get(pk, 0)} fen, its refunds {granted.get(pk, 0)} fen"
        for pk in sorted(set(granted) | set(refunded))
        if refunded.get(pk, 0) != granted.get(pk, 0)
    ]
