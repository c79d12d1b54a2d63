"""Read helpers for orders: a buyer's orders, a merchant's orders, the production list."""

from datetime import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from anxin.accounts.models import User
from anxin.catalog.models import Merchant
from anxin.orders.models import Order, OrderLine
from anxin.payments.models import Payment


def _with_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.select_related("merchant").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )


def buyer_orders(buyer, state: str = "") -> QuerySet[Order]:
    orders = Order.objects.filter(buyer=buyer)
    if state:
        orders = orders.filter(state=state)
    return _with_lines(orders).order_by("-created_at", "-id")


def checkout_orders(checkout_id: int) -> QuerySet[Order]:
    return _with_lines(Order.objects.filter(checkout_id=checkout_id)).order_by("pk")


def merchant_orders(merchant_id: int, state: str = "") -> QuerySet[Order]:
    orders = Order.objects.filter(merchant_id=merchant_id)
    if state:
        orders = orders.filter(state=state)
    return _with_lines(orders).select_related("buyer").order_by("-created_at", "-id")


def production_list(merchant_id: int) -> QuerySet[OrderLine]:
    """Personalized lines of paid orders still to be made and shipped, oldest payment first."""
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
        "production_count": production_list(merchant_id).count(),
        "to_ship": list(merchant_orders(merchant_id, Order.State.PAID).order_by("ship_by", "pk")[:20]),
    }


def ops_orders() -> QuerySet[Order]:
    """Every order with its buyer, merchant and lines, newest first (the ops console)."""
    return _with_lines(Order.objects.all()).select_related("buyer").order_by("-created_at", "-id")


def counts_by_state() -> dict[str, int]:
    return dict(Order.objects.values("state").annotate(n=Count("pk")).values_list("state", "n"))


def recent_payments(limit: int = 20) -> list:
    return list(Payment.objects.select_related("checkout", "checkout__buyer").order_by("-created_at", "-id")[:limit])


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
