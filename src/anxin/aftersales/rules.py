"""After-sales (RULES §5) as pure functions: what a buyer may ask for now and why not, the state machine of a
case with the deadline of every waiting state and the default applied when it passes, and the amounts.

Every waiting state names who acts next and by when; silence counts in the buyer's favour (a silent merchant
approves, a merchant who never confirms a return's receipt refunds). Arbitration's 48 hours are the
platform's own promise: measured and shown overdue, never defaulted.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from anxin.core.money import format_fen
from anxin.core.rules import Message
from anxin.core.rules import message as _

LOCAL = ZoneInfo("Asia/Shanghai")

# --- types and reasons -----------------------------------------------------------------------------------

REFUND_UNSHIPPED = "refund_unshipped"
REFUND_ONLY = "refund_only"
RETURN_REFUND = "return_refund"
EXCHANGE = "exchange"
RESEND = "resend"
TYPES = (REFUND_UNSHIPPED, REFUND_ONLY, RETURN_REFUND, EXCHANGE, RESEND)
WITH_RETURN = frozenset({RETURN_REFUND, EXCHANGE})
WITH_REPLACEMENT = frozenset({EXCHANGE, RESEND})
REFUNDING = frozenset({REFUND_UNSHIPPED, REFUND_ONLY, RETURN_REFUND})

NO_REASON = "no_reason"
QUALITY = "quality"
DAMAGED = "damaged"
WRONG_ITEM = "wrong_item"
NOT_AS_DESCRIBED = "not_as_described"
MISSING_ITEM = "missing_item"
ROTTEN = "rotten"
LATE_DELIVERY = "late_delivery"
OTHER = "other"
REASONS = (NO_REASON, QUALITY, DAMAGED, WRONG_ITEM, NOT_AS_DESCRIBED, MISSING_ITEM, ROTTEN, LATE_DELIVERY, OTHER)
MERCHANT_FAULT = frozenset({QUALITY, DAMAGED, WRONG_ITEM, NOT_AS_DESCRIBED, MISSING_ITEM, ROTTEN})

# --- limits and windows ----------------------------------------------------------------------------------

MAX_EVIDENCE = 8
MAX_CASES_PER_LINE = 5
NO_REASON_DAYS = 7
OTHER_REASON_DAYS = 15
ROTTEN_HOURS = 48
ESCALATE_DAYS = 7
INSTANT_REFUND_MAX_FEN = 150_000
ROTTEN_REFUND_MAX_FEN = 20_000
STANDING_REFUNDS_DAYS = 30
STANDING_MAX_REFUNDS = 3
STANDING_ABUSE_DAYS = 90
DESCRIPTION_MAX = 500
MESSAGE_MAX = 500

# 退货补运费: the postage a buyer is given back, by where the return is sent from.
POSTAGE_SAME_PROVINCE_FEN = 800
POSTAGE_OTHER_PROVINCE_FEN = 1000
POSTAGE_REMOTE_FEN = 1500

# --- states ----------------------------------------------------------------------------------------------

PENDING_MERCHANT = "pending_merchant"
OFFERED = "offered"
AWAITING_RETURN = "awaiting_return"
RETURN_SHIPPED = "return_shipped"
AWAITING_REPLACEMENT = "awaiting_replacement"
REPLACEMENT_LATE = "replacement_late"
REPLACEMENT_SHIPPED = "replacement_shipped"
REJECTED = "rejected"
ARBITRATION = "arbitration"
REFUNDED = "refunded"
COMPLETED = "completed"
CLOSED = "closed"
STATES = (
    PENDING_MERCHANT,
    OFFERED,
    AWAITING_RETURN,
    RETURN_SHIPPED,
    AWAITING_REPLACEMENT,
    REPLACEMENT_LATE,
    REPLACEMENT_SHIPPED,
    REJECTED,
    ARBITRATION,
    REFUNDED,
    COMPLETED,
    CLOSED,
)
FINAL = frozenset({REFUNDED, COMPLETED, CLOSED})
OPEN = frozenset(STATES) - FINAL

BUYER, MERCHANT, OPS, NOBODY = "buyer", "merchant", "ops", ""

# Who acts next in each waiting state, and how long they have.
WAITING: dict[str, tuple[str, timedelta]] = {
    PENDING_MERCHANT: (MERCHANT, timedelta(hours=48)),
    OFFERED: (BUYER, timedelta(hours=48)),
    AWAITING_RETURN: (BUYER, timedelta(days=7)),
    RETURN_SHIPPED: (MERCHANT, timedelta(days=10)),
    AWAITING_REPLACEMENT: (MERCHANT, timedelta(hours=48)),
    REPLACEMENT_LATE: (BUYER, timedelta(days=7)),
    REPLACEMENT_SHIPPED: (BUYER, timedelta(days=10)),
    REJECTED: (BUYER, timedelta(days=ESCALATE_DAYS)),
    ARBITRATION: (OPS, timedelta(hours=48)),
}
# The default the worker applies when a waiting state's time passes (arbitration has none: it is measured).
DEFAULTS: dict[str, str] = {
    PENDING_MERCHANT: "approve",
    OFFERED: "decline_offer",
    AWAITING_RETURN: "close_unreturned",
    RETURN_SHIPPED: "receive",
    AWAITING_REPLACEMENT: "replacement_overdue",
    REPLACEMENT_LATE: "convert_to_refund",
    REPLACEMENT_SHIPPED: "confirm_replacement",
    REJECTED: "close_unescalated",
}


# The defaults that move no money, and the state each leads to: the worker applies them many at once.
QUIET_DEFAULTS: dict[str, str] = {
    AWAITING_RETURN: CLOSED,
    REJECTED: CLOSED,
    AWAITING_REPLACEMENT: REPLACEMENT_LATE,
    OFFERED: REJECTED,
}


def next_actor(state: str) -> str:
    return WAITING[state][0] if state in WAITING else NOBODY


def due_at(state: str, since: datetime) -> datetime | None:
    """When the party acting next must have acted, counted from the moment the case entered `state`."""
    return since + WAITING[state][1] if state in WAITING else None


def is_defaulted(state: str) -> bool:
    return state in DEFAULTS


# --- transitions -----------------------------------------------------------------------------------------


class Refused(ValueError):
    """An action the case's state or type does not allow: `problem` says why, in words for the person."""

    def __init__(self, problem: Message):
        super().__init__(str(problem))
        self.problem = problem


# action -> (who may take it, states it starts from)
ACTIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "approve": (frozenset({MERCHANT}), frozenset({PENDING_MERCHANT})),
    "reject": (frozenset({MERCHANT}), frozenset({PENDING_MERCHANT, RETURN_SHIPPED})),
    "offer": (frozenset({MERCHANT}), frozenset({PENDING_MERCHANT})),
    "accept_offer": (frozenset({BUYER}), frozenset({OFFERED})),
    "decline_offer": (frozenset({BUYER}), frozenset({OFFERED})),
    "ship_return": (frozenset({BUYER}), frozenset({AWAITING_RETURN})),
    "receive": (frozenset({MERCHANT}), frozenset({RETURN_SHIPPED})),
    "ship_replacement": (frozenset({MERCHANT}), frozenset({AWAITING_REPLACEMENT, REPLACEMENT_LATE})),
    "replacement_overdue": (frozenset(), frozenset({AWAITING_REPLACEMENT})),
    "convert_to_refund": (frozenset({BUYER}), frozenset({REPLACEMENT_LATE})),
    "confirm_replacement": (frozenset({BUYER}), frozenset({REPLACEMENT_SHIPPED})),
    "escalate": (frozenset({BUYER}), frozenset({REJECTED})),
    "rule": (frozenset({OPS}), frozenset({ARBITRATION})),
    "withdraw": (frozenset({BUYER}), frozenset({PENDING_MERCHANT, OFFERED, AWAITING_RETURN, REJECTED})),
    "close_unreturned": (frozenset(), frozenset({AWAITING_RETURN})),
    "close_unescalated": (frozenset(), frozenset({REJECTED})),
}

ACTION_NAMES = {
    "approve": _("同意"),
    "reject": _("拒绝"),
    "offer": _("协商部分退款"),
    "accept_offer": _("接受协商方案"),
    "decline_offer": _("不接受协商方案"),
    "ship_return": _("寄回商品"),
    "receive": _("确认收到退货"),
    "ship_replacement": _("发出换货/补寄商品"),
    "replacement_overdue": _("商家超时未发货"),
    "convert_to_refund": _("改为退款"),
    "confirm_replacement": _("确认收到换货/补寄商品"),
    "escalate": _("申请平台介入"),
    "rule": _("平台裁决"),
    "withdraw": _("撤销申请"),
    "close_unreturned": _("超时未寄回，申请关闭"),
    "close_unescalated": _("超时未申请平台介入，申请关闭"),
}


def check_action(action: str, *, kind: str, state: str, role: str) -> None:
    """Refuse an action its taker may not take, or that the case's state or type does not allow now.
    The worker takes the defaults (role NOBODY) without a role check."""
    takers, starts = ACTIONS[action]
    if role != NOBODY and role not in takers:
        raise Refused(_("这一步不该由你来操作。", code="not_your_turn"))
    if state not in starts:
        raise Refused(_("售后单当前的状态不能进行这一步，请刷新页面查看最新进展。", code="illegal_transition"))
    if action == "ship_replacement" and kind not in WITH_REPLACEMENT:
        raise Refused(_("这类售后没有换货或补寄。", code="illegal_transition"))


def after_approval(kind: str) -> str:
    """Where an approved case goes: money at once, a return to wait for, or a replacement to ship."""
    if kind in WITH_RETURN:
        return AWAITING_RETURN
    if kind == RESEND:
        return AWAITING_REPLACEMENT
    return REFUNDED


def after_receipt(kind: str) -> str:
    return AWAITING_REPLACEMENT if kind == EXCHANGE else REFUNDED


# --- what may be asked for now ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LineFacts:
    """What the rules need to know of one order line at the moment a buyer asks."""

    order_state: str  # the order's: paid / shipped / delivered / completed ...
    delivered_at: datetime | None
    personalised: bool
    made: bool
    fresh: bool
    no_reason_return: str  # yes / no / unopened
    refundable_fen: int
    cases_so_far: int
    has_open_case: bool


@dataclass(frozen=True)
class Offer:
    """What one type (or reason) would be now: allowed, or the sentence that says why not."""

    code: str
    allowed: bool
    why_not: Message | None = None


UNSHIPPED_STATES = frozenset({"paid"})
SHIPPED_STATES = frozenset({"shipped", "delivered", "completed"})


def line_problem(facts: LineFacts) -> Message | None:
    """Why no case at all can be opened on this line now, or None."""
    if facts.has_open_case:
        return _("这件商品已有一个处理中的售后申请，请在那里继续。", code="case_already_open")
    if facts.cases_so_far >= MAX_CASES_PER_LINE:
        return _("这件商品已申请过 %(n)d 次售后，不能再申请。", code="too_many_cases", n=MAX_CASES_PER_LINE)
    if facts.order_state not in UNSHIPPED_STATES | SHIPPED_STATES:
        return _("订单当前状态不能申请售后。", code="order_not_eligible")
    if facts.refundable_fen <= 0:
        return _("这件商品已全额退款。", code="nothing_to_refund")
    return None


def type_problem(kind: str, facts: LineFacts, now: datetime) -> Message | None:
    """Why this type cannot be asked for this line now, or None."""
    if kind == REFUND_UNSHIPPED:
        if facts.order_state not in UNSHIPPED_STATES:
            return _("订单已发货，请选择其他售后类型。", code="already_shipped")
        return None
    if facts.order_state in UNSHIPPED_STATES:
        return _("订单还没有发货，可以直接申请未发货退款。", code="not_shipped")
    if kind in WITH_RETURN | {RESEND} and facts.delivered_at is None:
        return _("商品签收后才能申请退货、换货或补寄。", code="not_delivered")
    if facts.delivered_at is not None and now >= window_end(facts.delivered_at, OTHER_REASON_DAYS):
        return _("已超过签收后 %(days)d 天的售后期限。", code="window_passed", days=OTHER_REASON_DAYS)
    return None


def reason_problem(reason: str, kind: str, facts: LineFacts, now: datetime) -> Message | None:
    """Why this reason cannot be given for this type and line now, or None."""
    if kind == REFUND_UNSHIPPED:
        return None
    if reason == NO_REASON:
        # What rules the reason out for this line comes first: it is what the buyer needs to hear.
        if facts.personalised:
            return _("定制商品不支持七天无理由退货。", code="personalised_no_reason")
        if facts.no_reason_return == "no":
            return _("这件商品不支持七天无理由退货。", code="product_no_reason")
        if facts.delivered_at is not None and now >= window_end(facts.delivered_at, NO_REASON_DAYS):
            return _("已超过签收后 %(days)d 天的无理由退货期限。", code="window_passed", days=NO_REASON_DAYS)
        if kind not in {RETURN_REFUND, EXCHANGE}:
            return _("七天无理由只能退货退款或换货。", code="no_reason_needs_return")
    if reason == ROTTEN:
        if not facts.fresh:
            return _("只有生鲜商品可以选择“坏了包退”。", code="not_fresh")
        if facts.delivered_at is None:
            return _("生鲜商品签收后才能申请“坏了包退”。", code="not_delivered")
        if now >= facts.delivered_at + timedelta(hours=ROTTEN_HOURS):
            return _("已超过签收后 %(hours)d 小时的坏了包退期限。", code="window_passed", hours=ROTTEN_HOURS)
    if reason == LATE_DELIVERY and kind != REFUND_ONLY:
        return _("物流延误只能申请仅退款。", code="reason_not_for_type")
    return None


def offers(facts: LineFacts, now: datetime) -> tuple[list[Offer], list[Offer]]:
    """Every type and reason, each allowed or with its reason why not, for the 申请售后 form."""
    blocked = line_problem(facts)
    kinds = [_offer(kind, blocked or type_problem(kind, facts, now)) for kind in TYPES]
    reasons = [_offer(reason, blocked or _reason_anywhere(reason, facts, now)) for reason in REASONS]
    return kinds, reasons


def _reason_anywhere(reason: str, facts: LineFacts, now: datetime) -> Message | None:
    """A reason is offered when some type that is allowed takes it; else the first type's objection."""
    problems = [reason_problem(reason, kind, facts, now) for kind in TYPES if type_problem(kind, facts, now) is None]
    return None if any(p is None for p in problems) else next((p for p in problems if p), _no_type())


def _no_type() -> Message:
    return _("现在没有可以申请的售后类型。", code="no_type_allowed")


def _offer(code: str, problem: Message | None) -> Offer:
    return Offer(code, problem is None, problem)


def window_end(delivered_at: datetime, days: int) -> datetime:
    """The end of the `days`-th day after the delivery day, in Asia/Shanghai: delivered on the 1st, a 7-day
    window ends at midnight closing the 8th, as the marketplaces count 签收后7天."""
    day: date = delivered_at.astimezone(LOCAL).date() + timedelta(days=days + 1)
    return datetime.combine(day, time.min, tzinfo=LOCAL)


# --- decisions at creation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A buyer's record the instant refund looks at."""

    refunds_last_30_days: int
    abuse_last_90_days: int

    @property
    def good(self) -> bool:
        return self.abuse_last_90_days == 0 and self.refunds_last_30_days <= STANDING_MAX_REFUNDS


def approved_at_once(kind: str, reason: str, *, amount_fen: int, photos: int, made: bool) -> bool:
    """Unshipped cancels (unless a personalised line is already made) and 坏了包退 within its limits need no
    merchant: the money goes back on the spot."""
    if kind == REFUND_UNSHIPPED:
        return not made
    return kind == REFUND_ONLY and reason == ROTTEN and photos >= 1 and amount_fen <= ROTTEN_REFUND_MAX_FEN


def rotten_photo_problem(reason: str, photos: int) -> Message | None:
    if reason == ROTTEN and photos < 1:
        return _("“坏了包退”需要至少一张照片。", code="photo_required")
    return None


def instant_refund_eligible(*, kind: str, personalised: bool, amount_fen: int, standing: Standing) -> bool:
    """极速退款 when the return's tracking number is given: the platform advances the money."""
    return kind == RETURN_REFUND and not personalised and amount_fen <= INSTANT_REFUND_MAX_FEN and standing.good


def return_postage_fen(*, from_province: str, to_province: str, remote_provinces: Iterable[str]) -> int:
    """退货补运费 by where the buyer sends the return from (RULES §5)."""
    if from_province in set(remote_provinces):
        return POSTAGE_REMOTE_FEN
    return POSTAGE_SAME_PROVINCE_FEN if from_province == to_province else POSTAGE_OTHER_PROVINCE_FEN


def postage_paid_by_merchant(reason: str) -> bool:
    return reason in MERCHANT_FAULT


# --- amounts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskedLine:
    line_id: int
    quantity: int  # asked for
    ordered: int
    unit_price_fen: int
    refundable_fen: int


@dataclass(frozen=True)
class Amounts:
    lines: dict[int, int] = field(default_factory=dict)  # line id -> fen

    @property
    def total_fen(self) -> int:
        return sum(self.lines.values())


def line_amounts(asked: Iterable[AskedLine], wanted_fen: int | None) -> Amounts:
    """What each line of a case asks back: its units' price, never beyond what is left to refund; a smaller
    total the buyer typed is taken from the lines in order."""
    amounts: dict[int, int] = {}
    for line in asked:
        if not 1 <= line.quantity <= line.ordered:
            raise Refused(_("数量须在 1 到 %(n)d 之间。", code="invalid_quantity", n=line.ordered))
        amounts[line.line_id] = min(line.unit_price_fen * line.quantity, line.refundable_fen)
    most = sum(amounts.values())
    if wanted_fen is None:
        return Amounts(amounts)
    if wanted_fen <= 0:
        raise Refused(_("退款金额须大于 0。", code="invalid_amount"))
    if wanted_fen > most:
        raise Refused(_("退款金额最多 %(most)s。", code="amount_above_limit", most=format_fen(most)))
    return Amounts(_take_in_order(amounts, wanted_fen))


def _take_in_order(amounts: Mapping[int, int], total_fen: int) -> dict[int, int]:
    left, taken = total_fen, {}
    for line_id, fen in amounts.items():
        part = min(fen, left)
        if part:
            taken[line_id] = part
        left -= part
    return taken


def offer_problem(offer_fen: int, asked_fen: int) -> Message | None:
    if not 0 < offer_fen < asked_fen:
        return _("协商退款金额须大于 0 且少于申请金额 %(asked)s。", code="invalid_offer", asked=format_fen(asked_fen))
    return None


def scale(amounts: Mapping[int, int], total_fen: int) -> dict[int, int]:
    """A smaller total (an accepted offer, a ruling) spread over the same lines in order."""
    return _take_in_order(amounts, total_fen)


TYPE_NAMES = {
    REFUND_UNSHIPPED: _("未发货退款"),
    REFUND_ONLY: _("仅退款"),
    RETURN_REFUND: _("退货退款"),
    EXCHANGE: _("换货"),
    RESEND: _("补寄"),
}
