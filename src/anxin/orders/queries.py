"""Read helpers for orders: a buyer's orders, a merchant's orders and their search, the production list."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from anxin.accounts.models import User
from anxin.catalog.models import Merchant
from anxin.core import clock, ledger
from anxin.orders import rules
from anxin.orders.models import Order, OrderLine, OrderNote
from anxin.payments.models import Payment, Refund


def _with_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Orders with what every list shows of them: shop, lines (with their products, for English titles), and the
    checkout (an unpaid one's pay-by)."""
    return orders.select_related("merchant", "checkout").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("product").order_by("pk"))
    )


def buyer_orders(buyer, state: str = "", *, where: Q | None = None) -> QuerySet[Order]:
    """The buyer's orders, newest first, of one state or matching `where` (an order-list tab's condition,
    which may reach into other apps' rows, hence distinct)."""
    orders = Order.objects.filter(buyer=buyer)
    if state:
        orders = orders.filter(state=state)
    if where is not None:
        orders = orders.filter(where).distinct()
    return _with_lines(orders).order_by("-created_at", "-id")


def buyer_counts(buyer, conditions: Mapping[str, Q]) -> dict[str, int]:
    """How many of the buyer's orders match each condition (the tabs' counts), in one query."""
    if not conditions:
        return {}
    counts = Order.objects.filter(buyer=buyer).aggregate(
        **{name: Count("pk", filter=condition, distinct=True) for name, condition in conditions.items()}
    )
    return {name: counts[name] or 0 for name in conditions}


def order_refunds(order: Order) -> list[Refund]:
    """The refunds of an order (each with its state: granted, or confirmed by the provider), oldest first."""
    return list(Refund.objects.filter(key__startswith=rules.refund_key_prefix(order.pk)).order_by("requested_at", "pk"))


def checkout_orders(checkout_id: int) -> QuerySet[Order]:
    return _with_lines(Order.objects.filter(checkout_id=checkout_id)).order_by("pk")


def merchant_orders(merchant_id: int, state: str = "") -> QuerySet[Order]:
    orders = Order.objects.filter(merchant_id=merchant_id)
    if state:
        orders = orders.filter(state=state)
    return _with_lines(orders).select_related("buyer").order_by("-created_at", "-id")


@dataclass(frozen=True)
class OrderSearch:
    """What a merchant searches their orders by; empty fields do not filter. Dates are local days, inclusive."""

    number: str = ""
    buyer: str = ""
    product: str = ""
    state: str = ""
    placed_from: date | None = None
    placed_to: date | None = None


def search_merchant_orders(merchant_id: int, search: OrderSearch) -> QuerySet[Order]:
    """The shop's orders matching every given field: part of the order number; the buyer's account name,
    display name or phone, or the recipient's name or phone on the address; part of a line's title; the
    state; the local days the order was placed on."""
    orders = merchant_orders(merchant_id, search.state)
    if search.number:
        orders = orders.filter(number__contains=search.number)
    if search.buyer:
        text = search.buyer
        orders = orders.filter(
            Q(buyer__username__icontains=text)
            | Q(buyer__display_name__icontains=text)
            | Q(buyer__phone=text)
            | Q(address__recipient__icontains=text)
            | Q(address__phone=text)
        )
    if search.product:
        titled = OrderLine.objects.filter(order=OuterRef("pk"), title__icontains=search.product)
        orders = orders.filter(Exists(titled))
    if search.placed_from:
        orders = orders.filter(created_at__gte=clock.local_midnight(search.placed_from))
    if search.placed_to:
        orders = orders.filter(created_at__lt=clock.local_midnight(search.placed_to + timedelta(days=1)))
    return orders


CANCELLATION_NOTICE_DAYS = 7


def recent_buyer_cancellations(merchant_id: int, now: datetime, limit: int = 20) -> list[Order]:
    """Paid orders of the shop that their buyers cancelled in the last week, newest first: the seller must
    not ship them (the money has gone back)."""
    return list(
        Order.objects.filter(
            merchant_id=merchant_id,
            state=Order.State.CANCELLED,
            cancel_reason="buyer_cancelled",
            paid_at__isnull=False,
            cancelled_at__gte=now - timedelta(days=CANCELLATION_NOTICE_DAYS),
        )
        .select_related("buyer")
        .order_by("-cancelled_at", "-pk")[:limit]
    )


def production_list(merchant_id: int) -> QuerySet[OrderLine]:
    """Personalized lines of paid orders still to be shipped (made or not), oldest payment first."""
    return (
        OrderLine.objects.filter(order__merchant_id=merchant_id, order__state=Order.State.PAID)
        .exclude(answers=[])
        .select_related("order")
        .order_by("order__paid_at", "pk")
    )


def merchant_dashboard(merchant_id: int, now: datetime) -> dict:
    """The seller center's figures: orders to ship (and how many are overdue), unpaid ones, today's sales."""
    mine = Order.objects.filter(merchant_id=merchant_id)
    counts = mine.aggregate(
        to_ship=Count("pk", filter=Q(state=Order.State.PAID)),
        overdue=Count("pk", filter=Q(state=Order.State.PAID, ship_by__lt=now)),
        pending_payment=Count("pk", filter=Q(state=Order.State.PENDING_PAYMENT)),
    )
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = mine.filter(paid_at__gte=start_of_day).exclude(state=Order.State.CANCELLED)
    sales = today.aggregate(n=Count("pk"), fen=Sum(F("total_fen") - F("refunded_fen")))
    return {
        "counts": counts,
        "sales_count": sales["n"] or 0,
        "sales_fen": sales["fen"] or 0,
        "production_count": production_list(merchant_id).filter(made_at__isnull=True).count(),
        "cancellations": recent_buyer_cancellations(merchant_id, now),
        "to_ship": list(merchant_orders(merchant_id, Order.State.PAID).order_by("ship_by", "pk")[:20]),
    }


def ops_orders() -> QuerySet[Order]:
    """Every order with its buyer and merchant, newest first (the ops console's lists show no lines)."""
    return Order.objects.select_related("buyer", "merchant").order_by("-created_at", "-id")


def ops_order(order_id: int) -> Order | None:
    """One order with its buyer, merchant and lines, for its ops page."""
    return _with_lines(Order.objects.filter(pk=order_id)).select_related("buyer").first()


def counts_by_state() -> dict[str, int]:
    return dict(Order.objects.values("state").annotate(n=Count("pk")).values_list("state", "n"))


def recent_payments(limit: int = 20) -> list:
    return list(Payment.objects.select_related("checkout__buyer").order_by("-created_at", "-id")[:limit])


def ops_payments(filters: dict[str, Any]) -> QuerySet[Payment]:
    """Payments newest first with their buyer and orders, narrowed by the payments page's filters (state,
    Beijing dates `start`..`end` inclusive, amounts `low`..`high` in fen, buyer name)."""
    payments = Payment.objects.select_related("checkout__buyer")
    if filters.get("state"):
        payments = payments.filter(state=filters["state"])
    if filters.get("start"):
        payments = payments.filter(created_at__gte=clock.local_midnight(filters["start"]))
    if filters.get("end"):
        payments = payments.filter(created_at__lt=clock.local_midnight(filters["end"] + timedelta(days=1)))
    if filters.get("low") is not None:
        payments = payments.filter(amount_fen__gte=filters["low"])
    if filters.get("high") is not None:
        payments = payments.filter(amount_fen__lte=filters["high"])
    if filters.get("buyer"):
        payments = payments.filter(checkout__buyer__username__icontains=filters["buyer"])
    return payments.order_by("-created_at", "-id")


def orders_paid_by(payments: list[Payment]) -> dict[int, list[tuple[int, str]]]:
    """Payment id -> (order id, number) of the orders it paid, for a page of payments in one query (a
    prefetch through each payment's checkout costs more than the page itself)."""
    found: dict[int, list[tuple[int, str]]] = {}
    rows = Order.objects.filter(checkout__payment__in=payments).order_by("pk")
    for payment_id, order_id, number in rows.values_list("checkout__payment_id", "pk", "number"):
        found.setdefault(payment_id, []).append((order_id, number))
    return found


@dataclass(frozen=True)
class LedgerRow:
    code: str
    balance_fen: int
    merchant_name: str = ""  # for a merchant's payable


def ledger_rows() -> list[LedgerRow]:
    """Every account's balance, the platform's own accounts first (clearing, escrow, refunds owed, subsidy,
    carriers), then what is owed to each merchant by shop name."""
    balances = ledger.balances()
    owed_to = {code: ledger.payable_merchant_id(code) for code in balances}
    names = dict(Merchant.objects.filter(pk__in=set(owed_to.values()) - {None}).values_list("pk", "name"))
    rows = [
        LedgerRow(code, fen, names.get(owed_to[code], code) if owed_to[code] is not None else "")
        for code, fen in balances.items()
    ]
    platform = list(ledger.ACCOUNT_NAMES)  # money in, held, owed out, spent: the order the ledger names them
    return sorted(
        rows,
        key=lambda row: (
            bool(row.merchant_name),
            platform.index(row.code) if row.code in platform else len(platform),
            row.merchant_name,
            row.code,
        ),
    )


def notes_of(order: Order) -> list[OrderNote]:
    return list(OrderNote.objects.filter(order=order).select_related("author").order_by("created_at", "pk"))


def next_ops_refund_number(order: Order) -> int:
    """The number the ops page gives the next refund it makes on `order` (its key is `ops:<number>`)."""
    return Refund.objects.filter(key__startswith=f"order:{order.pk}:refund:ops:").count() + 1


def payment_of(order: Order):
    return Payment.objects.filter(checkout__pk=order.checkout_id).first()


def lookup(text: str, limit: int = 50) -> dict[str, list]:
    """Orders, buyers and merchants matching what ops typed: an order number, a buyer's name or phone, a shop."""
    buyers = list(
        User.objects.filter(role=User.Role.BUYER)
        .filter(Q(username__icontains=text) | Q(display_name__icontains=text) | Q(phone=text))
        .order_by("pk")[:limit]
    )
    merchants = list(Merchant.objects.filter(Q(name__icontains=text) | Q(slug__icontains=text)).order_by("pk")[:20])
    orders = list(
        ops_orders().filter(Q(number__icontains=text) | Q(buyer__in=buyers) | Q(merchant__in=merchants))[:limit]
    )
    return {"orders": orders, "buyers": buyers, "merchants": merchants}
