"""价保 price protection (RULES §6) as pure functions: a line's window, the lowest list price in it from the
SKU's price history, and what the line is owed. No Django and no clock: times come in as arguments.

The worker after a price drop and the buyer's one-click claim both ask `assess`, so they can never disagree
on an amount; each payout records the lowest price it paid down to, so a second payment for the same low
finds the first and pays nothing."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from anxin.core.rules import Message
from anxin.core.rules import message as _


@dataclass(frozen=True)
class Change:
    """One change of a number kept in events: a SKU's list price (`sku.price_changed`) or a product's 价保
    days (`product.updated`), oldest first in a history."""

    at: datetime
    before: int
    after: int


@dataclass(frozen=True)
class Window:
    """From payment for the product's days: a plain duration (a day is 24 hours, not a calendar date)."""

    start: datetime
    end: datetime

    def contains(self, at: datetime) -> bool:
        return self.start <= at <= self.end


@dataclass(frozen=True)
class LineFacts:
    """What price protection needs to know of an order line. `list_unit_fen` is the SKU's list price the buyer
    paid (the unit price less any personalization options, which no price drop changes); `protected_fen` is
    what price protection already paid to this line, `compensated_fen` everything paid beyond refunds."""

    paid_at: datetime | None
    days: int  # offered when it was paid: a later change of the product's days does not take it back
    open: bool  # paid, not cancelled
    list_unit_fen: int
    unit_price_fen: int
    quantity: int
    refunded_fen: int
    compensated_fen: int
    protected_fen: int

    @property
    def total_fen(self) -> int:
        return self.unit_price_fen * self.quantity


@dataclass(frozen=True)
class Assessment:
    """A line's price protection now: its window (None when it has none), the lowest list price seen in it,
    what is owed, and, when nothing is, why in words a buyer understands."""

    window: Window | None
    lowest_fen: int
    owed_fen: int
    refusal: Message | None


NOT_OFFERED = _("这件商品不提供价保。", code="protection_not_offered")
NOT_ELIGIBLE = _("订单未付款、已取消或这件商品已退款，不能保价。", code="protection_not_eligible")


def window(paid_at: datetime, days: int) -> Window:
    return Window(paid_at, paid_at + timedelta(days=days))


def in_effect_at(changes: Sequence[Change], at: datetime, current: int) -> int:
    """The value in effect at `at`: the `before` of the first change after it, or the current value if none
    came since. So a history needs only the changes after the moments asked about."""
    later = next((change for change in changes if change.at > at), None)
    return later.before if later is not None else current


def lowest_list_price(changes: Sequence[Change], within: Window, current_fen: int) -> int:
    """The lowest list price in effect at any moment of the window: the price at its start, then every price
    a change inside the window set."""
    inside = [change.after for change in changes if within.start < change.at <= within.end]
    return min([in_effect_at(changes, within.start, current_fen), *inside])


def units_kept(quantity: int, refunded_fen: int, unit_price_fen: int) -> int:
    """Units not refunded whole: a unit given back is no longer protected (a partial refund keeps the unit)."""
    return max(quantity - refunded_fen // max(unit_price_fen, 1), 0)


def owed_fen(facts: LineFacts, lowest_fen: int) -> int:
    """(list price paid - lowest) x units kept, less what price protection already paid; never negative and
    never beyond what is left of what the buyer paid for the line after refunds and other compensation."""
    if not facts.open or facts.days <= 0 or facts.paid_at is None:
        return 0
    kept = units_kept(facts.quantity, facts.refunded_fen, facts.unit_price_fen)
    due = max(facts.list_unit_fen - lowest_fen, 0) * kept
    left_of_paid = facts.total_fen - facts.refunded_fen - facts.compensated_fen
    return max(min(due - facts.protected_fen, left_of_paid), 0)


def assess(facts: LineFacts, changes: Sequence[Change], current_fen: int, now: datetime) -> Assessment:
    """What the line is owed now, and, when nothing, why (for the claim's refusal and the order page)."""
    if facts.days <= 0:
        return Assessment(None, facts.list_unit_fen, 0, NOT_OFFERED)
    if facts.paid_at is None:
        return Assessment(None, facts.list_unit_fen, 0, NOT_ELIGIBLE)
    span = window(facts.paid_at, facts.days)
    lowest = lowest_list_price(changes, span, current_fen)
    owed = owed_fen(facts, lowest)
    return Assessment(span, lowest, owed, None if owed else _refusal(facts, span, lowest, now))


def _refusal(facts: LineFacts, span: Window, lowest_fen: int, now: datetime) -> Message:
    if not facts.open or facts.refunded_fen >= facts.total_fen:
        return NOT_ELIGIBLE
    if now > span.end:
        return _("已超过价保期。", code="protection_expired")
    if facts.protected_fen and lowest_fen < facts.list_unit_fen:
        return _("已按价保期内的最低价保价，无需再次申请。", code="protection_already_paid")
    return _("当前价格未低于您的购买价，无需保价。", code="protection_not_lower")


def payout_key(line_id: int, lowest_fen: int) -> str:
    """One payment per line per lowest price: the payout's (and so its ledger posting's) unique key."""
    return f"protection:{line_id}:{lowest_fen}"
