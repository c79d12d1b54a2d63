"""Order rules of RULES §3 as pure functions: state transitions, deadlines, totals and refund arithmetic."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
# Orders whose money was paid and not (all) given back: what a refund can come from. Until completion the
# money is in escrow; after it, in the merchant's payable.
REFUNDABLE = frozenset({PAID, SHIPPED, DELIVERED, COMPLETED})


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


@dataclass(frozen=True)
class PaidLine:
    line_id: int
    paid_fen: int
    refunded_fen: int

    @property
    def refundable_fen(self) -> int:
        return self.paid_fen - self.refunded_fen


@dataclass(frozen=True)
class RefundPlan:
    """How much of each line (line id -> fen), and of the shipping fee, one refund gives back."""

    lines: dict[int, int]
    shipping_fen: int

    @property
    def total_fen(self) -> int:
        return sum(self.lines.values()) + self.shipping_fen


class RefundRefused(ValueError):
    """Why a refund cannot be made as asked: `reason` is an error code, `line_id` the line it is about."""

    def __init__(self, reason: str, line_id: int | None = None):
        super().__init__(reason)
        self.reason, self.line_id = reason, line_id


def remaining_fen(lines: Iterable[PaidLine]) -> dict[int, int]:
    """Everything not yet refunded, line by line: what refunding "the whole order" means now."""
    return {line.line_id: line.refundable_fen for line in lines if line.refundable_fen > 0}


def plan_refund(
    lines: Iterable[PaidLine], requested: Mapping[int, int], *, shipping_fen: int, shipping_refunded_fen: int
) -> RefundPlan:
    """Refund any part of any lines, never beyond what was paid for a line less what it already got back.

    The shipping fee goes back only with the whole order: when this refund leaves no goods unrefunded.
    """
    by_id = {line.line_id: line for line in lines}
    for line_id, fen in requested.items():
        if line_id not in by_id:
            raise RefundRefused("unknown_line", line_id)
        if fen < 0:
            raise RefundRefused("negative_amount", line_id)
        if fen > by_id[line_id].refundable_fen:
            raise RefundRefused("exceeds_paid", line_id)
    amounts = {line_id: fen for line_id, fen in requested.items() if fen}
    if not amounts:
        raise RefundRefused("nothing_to_refund")
    whole_order = all(line.refundable_fen == amounts.get(line.line_id, 0) for line in by_id.values())
    return RefundPlan(amounts, shipping_fen - shipping_refunded_fen if whole_order else 0)
