"""Read helpers for orders: a buyer's orders, a merchant's orders, the production list."""

from django.db.models import Prefetch, QuerySet

from anxin.orders.models import Order, OrderLine


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
