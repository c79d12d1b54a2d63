"""Coupon rules of RULES §13 as pure functions: which coupons apply, how a discount is spread, validity.

A discount never pays shipping and never takes a line's goods below 1 fen (so an order always costs at least
¥0.01, and every line a buyer can refund holds real money). Spreading is in proportion to goods value with
remainders by largest remainder, so the same checkout always gets the same split.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

PLATFORM = "platform"
MERCHANT = "merchant"

PRICE_GUARANTEE = "price_guarantee"
LATE_DELIVERY = "late_delivery"
CAMPAIGN = "campaign"
GOODWILL = "goodwill"
REASONS = (PRICE_GUARANTEE, LATE_DELIVERY, CAMPAIGN, GOODWILL)
# What ops and merchants may issue by hand; the compensating services issue the others.
HAND_ISSUED_REASONS = (CAMPAIGN, GOODWILL)

AVAILABLE = "available"
USED = "used"
EXPIRED = "expired"
REVOKED = "revoked"

MAX_VALID_DAYS = 365
MAX_AMOUNT_FEN = 100_000_00  # ¥100,000: above it a typo, not a coupon


def funding_account(issuer_kind: str, reason: str, merchant_id: int | None) -> str:
    """The ledger account that pays a coupon's part of the price: the merchant's payable for its own coupon;
    for the platform's, compensation when it makes good a broken promise, campaigns otherwise."""
    if issuer_kind == MERCHANT:
        assert merchant_id is not None
        return f"merchant:{merchant_id}:payable"
    return "platform:compensation" if reason in (PRICE_GUARANTEE, LATE_DELIVERY) else "platform:campaigns"


def valid_to(valid_from: datetime, valid_days: int) -> datetime:
    return valid_from + timedelta(days=valid_days)


def is_valid_at(valid_from: datetime, valid_to: datetime, at: datetime) -> bool:
    return valid_from <= at < valid_to


def meets_threshold(threshold_fen: int, goods_fen: int) -> bool:
    """0 means no threshold; otherwise the goods it applies to must come to at least the threshold."""
    return goods_fen >= threshold_fen


def state_after_return(valid_to: datetime, at: datetime) -> str:
    """A coupon of an order cancelled before shipping goes back to the buyer, unless its time is over."""
    return AVAILABLE if at < valid_to else EXPIRED


def spread(total_fen: int, weights: Sequence[int], caps: Sequence[int]) -> list[int]:
    """Split `total_fen` over parts in proportion to `weights`, none beyond its cap (largest remainder, ties
    to the earlier part); what a capped part cannot take goes to the others. Never more than the caps hold."""
    shares = [0] * len(weights)
    left = min(total_fen, sum(caps))
    open_parts = [i for i, cap in enumerate(caps) if cap > 0]
    while left > 0 and open_parts:
        weight = {i: weights[i] for i in open_parts}
        if not sum(weight.values()):
            weight = dict.fromkeys(open_parts, 1)
        whole = sum(weight.values())
        parts = {i: left * weight[i] // whole for i in open_parts}
        extra = left - sum(parts.values())
        for i in sorted(open_parts, key=lambda i: (-(left * weight[i] % whole), i))[:extra]:
            parts[i] += 1
        over = [i for i in open_parts if parts[i] > caps[i] - shares[i]]
        if not over:
            for i in open_parts:
                shares[i] += parts[i]
            break
        for i in over:  # fill the parts that overflow, then share what is left among the others
            left -= caps[i] - shares[i]
            shares[i] = caps[i]
        open_parts = [i for i in open_parts if i not in over]
    return shares


@dataclass(frozen=True)
class OrderGoods:
    """One merchant order of a checkout as the coupons see it: its lines' goods values, in line order."""

    merchant_id: int
    lines: tuple[int, ...]

    @property
    def goods_fen(self) -> int:
        return sum(self.lines)


@dataclass(frozen=True)
class Allocation:
    """Per order (same order as given), per line: the discount; and what each coupon actually took."""

    lines: list[list[int]]
    merchant_used: dict[int, int]  # merchant id -> fen its coupon took
    platform_used: int
    platform_by_order: list[int]

    def order_discount(self, index: int) -> int:
        return sum(self.lines[index])


def allocate(orders: Sequence[OrderGoods], merchant_fen: Mapping[int, int], platform_fen: int) -> Allocation:
    """Apply each merchant's coupon to its order, then the platform coupon over every order in proportion to
    goods value; each over its order's lines in proportion to their value, every line keeping 1 fen."""
    room = [[max(line - 1, 0) for line in order.lines] for order in orders]
    lines = [[0] * len(order.lines) for order in orders]
    merchant_used: dict[int, int] = {}
    for index, order in enumerate(orders):
        wanted = merchant_fen.get(order.merchant_id, 0)
        if wanted:
            parts = spread(wanted, order.lines, room[index])
            _add(lines[index], room[index], parts)
            merchant_used[order.merchant_id] = sum(parts)
    by_order = spread(platform_fen, [o.goods_fen for o in orders], [sum(r) for r in room]) if platform_fen else []
    for index, part in enumerate(by_order):
        if part:
            _add(lines[index], room[index], spread(part, orders[index].lines, room[index]))
    return Allocation(lines, merchant_used, sum(by_order), by_order or [0] * len(orders))


def _add(lines: list[int], room: list[int], parts: list[int]) -> None:
    for i, part in enumerate(parts):
        lines[i] += part
        room[i] -= part


@dataclass(frozen=True)
class Candidate:
    """A coupon the buyer holds, as the checkout weighs it."""

    coupon_id: int
    issuer_kind: str
    merchant_id: int | None
    amount_fen: int
    threshold_fen: int


def best_choice(candidates: Sequence[Candidate], orders: Sequence[OrderGoods]) -> list[int]:
    """The coupons preselected at checkout: per merchant order the applicable merchant coupon that takes the
    most, then the applicable platform coupon that takes the most on top (ties: the earlier candidate, so the
    caller lists those expiring first first)."""
    goods = {order.merchant_id: order.goods_fen for order in orders}
    room = {order.merchant_id: sum(max(line - 1, 0) for line in order.lines) for order in orders}
    chosen: dict[int, tuple[int, Candidate]] = {}
    for c in candidates:
        if c.issuer_kind != MERCHANT or c.merchant_id not in goods:
            continue
        taken = min(c.amount_fen, room[c.merchant_id])
        if meets_threshold(c.threshold_fen, goods[c.merchant_id]) and taken > chosen.get(c.merchant_id, (0, c))[0]:
            chosen[c.merchant_id] = (taken, c)
    merchant_fen = {merchant_id: c.amount_fen for merchant_id, (_taken, c) in chosen.items()}
    best: tuple[int, Candidate | None] = (0, None)
    for c in candidates:
        if c.issuer_kind == PLATFORM and meets_threshold(c.threshold_fen, sum(goods.values())):
            taken = allocate(orders, merchant_fen, c.amount_fen).platform_used
            if taken > best[0]:
                best = (taken, c)
    ids = [c.coupon_id for _taken, c in chosen.values()]
    return ids + ([best[1].coupon_id] if best[1] is not None else [])
