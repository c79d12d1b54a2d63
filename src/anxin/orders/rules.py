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

# What ops write when they cancel or refund (kept as the refund's reason) and in a note on an order.
OPS_REASON_MAX = 60
NOTE_MAX = 1000


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def refund_key(order_id: int, key: str) -> str:
    """The payments key of one refund of an order (`key` is `cancel`, `aftersales:12`, ...): unique across
    orders, and its prefix finds every refund of the order."""
    return f"{refund_key_prefix(order_id)}{key}"


def refund_key_prefix(order_id: int) -> str:
    return f"order:{order_id}:refund:"


def pay_by(created_at: datetime, unpaid_expiry_minutes: int) -> datetime:
    return created_at + timedelta(minutes=unpaid_expiry_minutes)


def seconds_to_pay(pay_by: datetime, now: datetime) -> int:
    """Whole seconds left to pay (rounded up, so a page never shows 00:00 while paying still works)."""
    left = (pay_by - now).total_seconds()
    return max(0, int(-(-left // 1)))


def countdown_text(seconds: int) -> str:
    """ "29:41", or "1:05:00" past an hour: what the unpaid order's countdown shows (the script ticks the same)."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


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


def units_refunded_whole(refunded_before_fen: int, refunded_after_fen: int, unit_price_fen: int) -> int:
    """How many more whole units of a line a refund gave back: they no longer count as sold."""
    unit = max(unit_price_fen, 1)
    return refunded_after_fen // unit - refunded_before_fen // unit


# --- refunds of lines coupons paid part of (RULES §13) ------------------------------------------------


def cash_refunded(value_refunded_fen: int, line_total_fen: int, line_discount_fen: int) -> int:
    """Of a line's value refunded so far, the part that is cash (RULES §13: refunds in proportion to what was
    paid in cash): rounded down on the running total, so a full refund returns exactly the line's cash."""
    if line_total_fen <= 0:
        return 0
    return value_refunded_fen * (line_total_fen - line_discount_fen) // line_total_fen


def cash_of_refund(before_fen: int, after_fen: int, line_total_fen: int, line_discount_fen: int) -> int:
    """The cash one refund of a line gives back, taking its line from `before_fen` to `after_fen` refunded."""
    return cash_refunded(after_fen, line_total_fen, line_discount_fen) - cash_refunded(
        before_fen, line_total_fen, line_discount_fen
    )


def split_by_funder(funding: Mapping[str, int], returned_before: int, returned_after: int) -> dict[str, int]:
    """How a part of what several accounts paid goes back to them (account -> fen), in proportion, on running
    totals so that giving back the whole returns each exactly its part: the coupons' part of a refund to the
    coupons' issuers, compensation kept back by a full refund to whoever paid it. Never negative while the
    returned total only grows."""
    total = sum(funding.values())
    if total <= 0:
        return {}
    before, after = _funder_shares(funding, total, returned_before), _funder_shares(funding, total, returned_after)
    return {account: after[account] - before[account] for account in funding if after[account] != before[account]}


def _funder_shares(funding: Mapping[str, int], total: int, returned: int) -> dict[str, int]:
    accounts = sorted(funding)
    shares = {account: funding[account] * returned // total for account in accounts[:-1]}
    shares[accounts[-1]] = returned - sum(shares.values())
    return shares


def compensation_deducted(cash_fen: int, compensated_fen: int, fully_refunded: bool) -> int:
    """A refund that leaves a line fully refunded keeps back the compensation already paid for it (买贵必赔,
    价保): the buyer would otherwise get the difference twice. Never more than the refund's cash."""
    return min(cash_fen, compensated_fen) if fully_refunded else 0
