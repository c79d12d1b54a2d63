"""Order rules of RULES §3 as pure functions: state transitions, deadlines and totals."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

PENDING_PAYMENT = "pending_payment"
PAID = "paid"
SHIPPED = "shipped"
DELIVERED = "delivered"
COMPLETED = "completed"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING_PAYMENT: frozenset({PAID, CANCELLED}),
    PAID: frozenset({SHIPPED, CANCELLED}),
    SHIPPED: frozenset({DELIVERED, COMPLETED}),
    DELIVERED: frozenset({COMPLETED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}

# Orders whose stock is still held in the warehouse (allocated, not yet shipped).
HOLDING_STOCK = frozenset({PENDING_PAYMENT, PAID})


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def pay_by(created_at: datetime, unpaid_expiry_minutes: int) -> datetime:
    return created_at + timedelta(minutes=unpaid_expiry_minutes)


def ship_by(paid_at: datetime, handling_hours: Iterable[int], default_hours: int) -> datetime:
    """The merchant ships within the slowest line's handling time (RULES §3: default 48 hours)."""
    hours = max(handling_hours, default=default_hours)
    return paid_at + timedelta(hours=hours)


def auto_complete_at(
    *,
    shipped_at: datetime | None,
    delivered_at: datetime | None,
    days_after_delivery: int,
    days_after_shipping: int,
) -> datetime | None:
    """Completed 7 days after delivery, or 15 days after shipping when no delivery scan arrives."""
    if delivered_at is not None:
        return delivered_at + timedelta(days=days_after_delivery)
    if shipped_at is not None:
        return shipped_at + timedelta(days=days_after_shipping)
    return None


def merge_quantities(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """SKU id -> total quantity, for several lines of the same SKU (other personalizations)."""
    totals: dict[int, int] = defaultdict(int)
    for sku_id, quantity in pairs:
        totals[sku_id] += quantity
    return dict(totals)


def settlement_fen(order_total_fen: int, refunded_fen: int) -> int:
    """What the merchant is owed at completion: the order's total less refunds (no commission yet)."""
    return max(order_total_fen - refunded_fen, 0)
