"""买贵必赔 claims (RULES §6) as pure functions: the evidence's checks, the claim window, the exclusions, the
caps, the fraud signals, the compensation and the three-way decision. No Django and no clock: times, the
rules' numbers (`Limits`, read from `core.config` by the services) and the matcher's answer come in.

Choices the rules leave open, decided here:
- The money cap (¥2,000 per buyer per 30 days) pays what is left under it: a claim that would pass it is paid
  the remainder, since RULES says "at most"; a claim with nothing left under either cap is refused.
- An approved claim pays the difference to the higher of the feed's comparable price and the price the buyer
  saw: never more than the buyer asked for, never below what the feed verified.
- The paid unit price is what the buyer paid for one unit after coupons (a discount spread over the line).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from anxin.core.rules import Message
from anxin.core.rules import message as _
from anxin.guarantee import platforms

TITLE_MAX = 300
SPEC_MAX = 300
SCREENSHOTS_MAX = 3
PRICE_MAX_FEN = 100_000_00  # ¥100,000 for one unit: above it a typo, not a price seen
FRAUD_WINDOW = timedelta(hours=24)
CAP_WINDOW = timedelta(days=30)


class State(StrEnum):
    REVIEW = "review"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Limits:
    """The rules' numbers (`guarantee.*` in `core.config`)."""

    window_days: int = 7
    max_paid_claims: int = 5
    max_paid_fen: int = 2000_00
    feed_fresh_hours: int = 24
    review_hours: int = 48
    fraud_buyers: int = 3


@dataclass(frozen=True)
class MegaPromotion:
    """A yearly mega-promotion window (618, 双11) in Beijing days, during which no price is comparable."""

    name: str
    month: int
    first_day: int
    last_day: int

    def contains(self, beijing_day: tuple[int, int]) -> bool:
        month, day = beijing_day
        return month == self.month and self.first_day <= day <= self.last_day


MEGA_PROMOTIONS = (MegaPromotion("618", 6, 1, 18), MegaPromotion("双11", 11, 1, 11))


@dataclass(frozen=True)
class LineFacts:
    """The order line claimed on, as the rules see it. `enrolled_multiplier` is 0 when the SKU carried no
    enrollment at payment; `paid_claim` whether the line already has a paid claim."""

    paid_at: datetime | None
    open: bool  # paid and not cancelled
    unit_price_fen: int
    quantity: int
    total_fen: int
    discount_fen: int
    refunded_fen: int
    compensated_fen: int
    enrolled_multiplier: int
    paid_claim: bool

    @property
    def paid_unit_fen(self) -> int:
        """One unit as paid: the list price less its share of the coupons (rounded down, in the platform's favour
        by less than a fen a unit)."""
        return (self.total_fen - self.discount_fen) // self.quantity

    @property
    def left_fen(self) -> int:
        """What is left of what the buyer paid for the line after refunds and other compensation."""
        return max(self.total_fen - self.discount_fen - self.refunded_fen - self.compensated_fen, 0)

    @property
    def units_kept(self) -> int:
        """Units not refunded whole: a unit given back is not compensated."""
        return max(self.quantity - self.refunded_fen // max(self.unit_price_fen, 1), 0)


@dataclass(frozen=True)
class OfferFacts:
    """The feed's latest capture of the listing claimed."""

    price_fen: int
    shipping_fen: int
    price_type: str
    captured_at: datetime
    captured_day: tuple[int, int]  # (month, day) in Beijing, for the mega-promotion windows

    @property
    def comparable_fen(self) -> int:
        return comparable_fen(self.price_fen, self.shipping_fen)


@dataclass(frozen=True)
class BuyerHistory:
    """The buyer's paid claims in the last 30 days, and how many other buyers claimed the same listing URL or
    screenshot in the last 24 hours."""

    paid_claims: int
    paid_fen: int
    url_buyers: int = 0
    screenshot_buyers: int = 0


class Match(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"


@dataclass(frozen=True)
class Verdict:
    """The decision: its state, the reason in a buyer's words (None for an approval), the comparable price it
    used, what it pays and the fraud signals that sent it to a person."""

    state: State
    reason: Message | None = None
    comparable_fen: int | None = None
    compensation_fen: int = 0
    signals: tuple[str, ...] = field(default_factory=tuple)


NOT_ENROLLED = _("这件商品下单时未参加买贵必赔。", code="claim_not_enrolled")
OUT_OF_WINDOW = _("已超过付款后 %(days)s 天的申请期限。", code="claim_out_of_window")
ALREADY_COMPENSATED = _("这件商品已获得过买贵必赔赔付。", code="claim_already_compensated")
REFUNDED = _("订单未付款、已取消或这件商品已全部退款，不能申请。", code="claim_refunded")
NOT_LOWER = _("您看到的价格不低于您的实付单价，无需赔付。", code="claim_not_lower")
FEED_NOT_LOWER = _("我们核实到该商品当前的到手价不低于您的实付单价。", code="claim_feed_not_lower")
NOT_COMPARABLE = _("该价格是%(kind)s，不属于人人可买的常规价，不能比价。", code="claim_not_comparable")
MEGA_PROMOTION = _("大促期间（%(name)s）的价格不参与比价。", code="claim_mega_promotion")
DIFFERENT_PRODUCT = _("经比对，对方商品与您购买的不是同一款。", code="claim_different_product")
CAP_CLAIMS = _("30 天内最多获赔 %(count)s 次，您已达到上限。", code="claim_cap_claims")
CAP_MONEY = _("30 天内最多获赔 %(amount)s，您已达到上限。", code="claim_cap_money")
NEEDS_REVIEW = _("需要人工核实，我们会在 %(hours)s 小时内给您答复。", code="claim_review")
NOTHING_LEFT = _("这件商品已没有可赔付的金额。", code="claim_nothing_left")

URL_SIGNAL = "same_url_many_buyers"
SCREENSHOT_SIGNAL = "same_screenshot_many_buyers"


def comparable_fen(price_fen: int, shipping_fen: int) -> int:
    """RULES §6: the competitor's price for one new unit including its shipping."""
    return price_fen + shipping_fen


def in_window(paid_at: datetime, at: datetime, days: int) -> bool:
    """From payment to exactly `days` x 24 hours after it, both ends included."""
    return paid_at <= at <= paid_at + timedelta(days=days)


def compensation_fen(line: LineFacts, comparable: int, multiplier: int) -> int:
    """(paid unit - comparable) x units kept x multiplier, capped at what is left of the line's paid amount;
    integer fen throughout, never negative."""
    difference = max(line.paid_unit_fen - comparable, 0)
    return min(difference * line.units_kept * multiplier, line.left_fen)


def money_room_fen(history: BuyerHistory, limits: Limits) -> int:
    """What the buyer may still be paid in the rolling 30 days (0 once either cap is reached)."""
    if history.paid_claims >= limits.max_paid_claims:
        return 0
    return max(limits.max_paid_fen - history.paid_fen, 0)


def cap_refusal(history: BuyerHistory, limits: Limits) -> Message | None:
    if history.paid_claims >= limits.max_paid_claims:
        return _(CAP_CLAIMS.msgid, code=CAP_CLAIMS.code, count=limits.max_paid_claims)
    if history.paid_fen >= limits.max_paid_fen:
        return _(CAP_MONEY.msgid, code=CAP_MONEY.code, amount=f"¥{limits.max_paid_fen // 100:,}")
    return None


def fraud_signals(history: BuyerHistory, limits: Limits) -> tuple[str, ...]:
    """More than `fraud_buyers` distinct buyers (this one included) on one URL or screenshot within 24 h."""
    signals = []
    if history.url_buyers > limits.fraud_buyers:
        signals.append(URL_SIGNAL)
    if history.screenshot_buyers > limits.fraud_buyers:
        signals.append(SCREENSHOT_SIGNAL)
    return tuple(signals)


def mega_promotion_at(beijing_day: tuple[int, int], windows: Sequence[MegaPromotion] = MEGA_PROMOTIONS) -> str:
    """The name of the mega promotion running on that Beijing day ('' for none)."""
    return next((window.name for window in windows if window.contains(beijing_day)), "")


def exclusion(line: LineFacts, at: datetime, price_seen_fen: int, limits: Limits) -> Message | None:
    """Why the claim is refused whatever the evidence (None when the evidence decides)."""
    if not line.open or line.paid_at is None or line.units_kept == 0:
        return REFUNDED
    if not line.enrolled_multiplier:
        return NOT_ENROLLED
    if not in_window(line.paid_at, at, limits.window_days):
        return _(OUT_OF_WINDOW.msgid, code=OUT_OF_WINDOW.code, days=limits.window_days)
    if line.paid_claim:
        return ALREADY_COMPENSATED
    if line.left_fen == 0:
        return NOTHING_LEFT
    if price_seen_fen >= line.paid_unit_fen:
        return NOT_LOWER
    return None


def offer_refusal(offer: OfferFacts, line: LineFacts) -> Message | None:
    """Why the feed's capture rules the claim out (None when its price is a comparable lower one)."""
    if not platforms.is_comparable(offer.price_type):
        kind = platforms.PRICE_TYPES.get(offer.price_type)
        return _(NOT_COMPARABLE.msgid, code=NOT_COMPARABLE.code, kind=kind.msgid if kind else offer.price_type)
    promotion = mega_promotion_at(offer.captured_day)
    if promotion:
        return _(MEGA_PROMOTION.msgid, code=MEGA_PROMOTION.code, name=promotion)
    if offer.comparable_fen >= line.paid_unit_fen:
        return FEED_NOT_LOWER
    return None


def is_fresh(offer: OfferFacts | None, at: datetime, limits: Limits) -> bool:
    return offer is not None and timedelta(0) <= at - offer.captured_at < timedelta(hours=limits.feed_fresh_hours)


def review(limits: Limits, signals: tuple[str, ...] = ()) -> Verdict:
    return Verdict(
        State.REVIEW, _(NEEDS_REVIEW.msgid, code=NEEDS_REVIEW.code, hours=limits.review_hours), signals=signals
    )


def payable(line: LineFacts, comparable: int, history: BuyerHistory, limits: Limits) -> Verdict:
    """An approval paying the compensation within the caps, or the refusal when nothing is left to pay."""
    refusal = cap_refusal(history, limits)
    if refusal is not None:
        return Verdict(State.REJECTED, refusal, comparable)
    owed = min(compensation_fen(line, comparable, line.enrolled_multiplier), money_room_fen(history, limits))
    if owed <= 0:
        return Verdict(State.REJECTED, NOTHING_LEFT, comparable)
    return Verdict(State.APPROVED, None, comparable, owed)


def decide(
    line: LineFacts,
    at: datetime,
    price_seen_fen: int,
    offer: OfferFacts | None,
    match: Match,
    history: BuyerHistory,
    limits: Limits,
) -> Verdict:
    """The three-way decision: refused by an exclusion, the feed or a confident matcher (whose reasons the
    claim keeps beside the sentence); approved when a fresh comparable capture is lower and the matcher is sure
    it is the same product; a person otherwise (and always when a fraud signal is raised)."""
    refusal = exclusion(line, at, price_seen_fen, limits) or cap_refusal(history, limits)
    if refusal is not None:
        return Verdict(State.REJECTED, refusal)
    if match == Match.DIFFERENT:
        return Verdict(State.REJECTED, DIFFERENT_PRODUCT)
    fresh = offer if is_fresh(offer, at, limits) else None
    if fresh is not None:
        refusal = offer_refusal(fresh, line)
        if refusal is not None:
            return Verdict(State.REJECTED, refusal, fresh.comparable_fen)
    signals = fraud_signals(history, limits)
    if signals or fresh is None or match != Match.SAME:
        return review(limits, signals)
    return payable(line, max(fresh.comparable_fen, price_seen_fen), history, limits)


def evidence_problems(platform: str, url: str, title: str, spec_text: str) -> dict[str, Message]:
    """The evidence's field problems (empty when it may be judged)."""
    problems: dict[str, Message] = {}
    listing = platforms.listing_problem(platform, url)
    if listing is not None:
        problems["platform" if listing.code == "unknown_platform" else "url"] = listing
    if not title.strip() or len(title) > TITLE_MAX:
        problems["title"] = _("请填写对方商品的标题（不超过 %(max)s 个字符）。", code="claim_title", max=TITLE_MAX)
    if len(spec_text) > SPEC_MAX:
        problems["spec_text"] = _("规格说明不能超过 %(max)s 个字符。", code="claim_spec_text", max=SPEC_MAX)
    return problems


PRICE_INVALID = _("请填写您看到的价格（0.01 到 100,000 元，最多两位小数）。", code="claim_price_invalid")


def price_problem(price_fen: int) -> Message | None:
    """A price seen must be money a unit can cost: above 0, at most ¥100,000."""
    if price_fen <= 0 or price_fen > PRICE_MAX_FEN:
        return PRICE_INVALID
    return None


def review_due(created_at: datetime, limits: Limits) -> datetime:
    """A person answers within `review_hours` (48)."""
    return created_at + timedelta(hours=limits.review_hours)
