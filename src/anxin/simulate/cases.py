"""The demo's after-sales cases: one story for every state a case can be in, told through the services.

Three days before the demo's "now", each story takes the order the build bought for it (or, when that one was
not bought, another delivered order: the demo buyer's and the demo seller's shop's first); its steps are
queued at their hours, so the worker's deadlines (a silent merchant, a late replacement) fall due on the way
as they would in real life. Evidence is drawn by `pictures.draw_evidence` and uploaded as a buyer's or a
merchant's photo would be.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from anxin.aftersales import rules, services
from anxin.aftersales.models import Case
from anxin.core import clock
from anxin.core.errors import AnxinError
from anxin.fulfilment import services as fulfilment
from anxin.orders.models import Order
from anxin.simulate import data, pictures

STORIES_START = timedelta(hours=72)  # before the demo's end
ELIGIBLE_DELIVERED = timedelta(days=4)  # delivered at most this long before the stories start (7-day window)
FRESH_DELIVERED = timedelta(hours=24)  # 坏了包退 is asked within 48 hours of delivery
TRIES = 12  # candidate orders tried for a story before it is skipped

Push = Callable[..., None]


@dataclass(frozen=True)
class Step:
    at_hours: float  # after the stories start
    action: str
    args: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Story:
    """A case of `kind` and `reason`, opened at the first step's hour, then moved by the others."""

    name: str
    kind: str
    reason: str
    steps: tuple[Step, ...]
    fresh: bool = False
    photos: int = 0
    main_buyer: bool = True  # may be told with the demo buyer's orders


def _s(at: float, action: str, **args: Any) -> Step:
    return Step(at, action, tuple(args.items()))


# Each story ends in the state of its name at the demo's end (hour 72); the worker applies the defaults.
STORIES: tuple[Story, ...] = (
    Story("pending_merchant", rules.REFUND_ONLY, rules.QUALITY, (_s(62, "open"),), photos=2),
    Story("offered", rules.REFUND_ONLY, rules.NOT_AS_DESCRIBED, (_s(40, "open"), _s(50, "offer", share=0.5))),
    Story("awaiting_return", rules.RETURN_REFUND, rules.NO_REASON, (_s(30, "open"), _s(40, "approve"))),
    Story(
        "return_shipped",
        rules.RETURN_REFUND,
        rules.NO_REASON,
        (_s(10, "open"), _s(20, "approve"), _s(30, "ship_return")),
    ),
    Story(
        "refunded_instantly",
        rules.RETURN_REFUND,
        rules.NO_REASON,
        (_s(5, "open"), _s(8, "approve"), _s(12, "ship_return"), _s(40, "return_scanned")),
    ),
    Story("awaiting_replacement", rules.RESEND, rules.MISSING_ITEM, (_s(50, "open"), _s(55, "approve"))),
    Story("replacement_late", rules.RESEND, rules.MISSING_ITEM, (_s(5, "open"), _s(10, "approve")), photos=1),
    Story(
        "replacement_shipped",
        rules.EXCHANGE,
        rules.WRONG_ITEM,
        (_s(5, "open"), _s(8, "approve"), _s(12, "ship_return"), _s(30, "receive"), _s(40, "ship_replacement")),
        photos=1,
    ),
    Story(
        "completed",
        rules.EXCHANGE,
        rules.QUALITY,
        (
            _s(0, "open"),
            _s(2, "approve"),
            _s(4, "ship_return"),
            _s(20, "receive"),
            _s(24, "ship_replacement"),
            _s(50, "confirm_replacement"),
        ),
        photos=1,
    ),
    Story("rejected", rules.REFUND_ONLY, rules.OTHER, (_s(30, "open"), _s(40, "reject", photos=1))),
    Story(
        "arbitration",
        rules.REFUND_ONLY,
        rules.DAMAGED,
        (_s(5, "open"), _s(12, "reject"), _s(20, "escalate", photos=2), _s(30, "message", photos=1)),
        photos=1,
    ),
    Story(
        "ruled_refund",
        rules.REFUND_ONLY,
        rules.QUALITY,
        (_s(2, "open"), _s(6, "reject"), _s(10, "escalate"), _s(30, "rule", ruling="refund", share=0.6)),
        photos=1,
    ),
    Story(
        "ruled_abuse",
        rules.REFUND_ONLY,
        rules.QUALITY,
        (_s(2, "open"), _s(6, "reject"), _s(10, "escalate"), _s(30, "rule", ruling="abuse")),
        main_buyer=False,
    ),
    Story("auto_approved", rules.REFUND_ONLY, rules.LATE_DELIVERY, (_s(5, "open"),)),
    Story("rotten_refunded", rules.REFUND_ONLY, rules.ROTTEN, (_s(20, "open"),), fresh=True, photos=1),
    Story("withdrawn", rules.REFUND_ONLY, rules.OTHER, (_s(5, "open"), _s(9, "withdraw"))),
)

WORDS = {
    "reject": "商品出库前已检查，无质量问题。",
    "escalate": "商家拒绝了，但照片里的破损很清楚，请平台看看。",
    "message": "我们的出库照片附上，包装完好。",
    "rule": "根据双方凭证作出裁决。",
}


@dataclass
class Tale:
    """One story as it is told: the orders it may use (the first the rules accept) and the case it opened."""

    story: Story
    orders: list[Order]
    rng: random.Random
    case_id: int | None = None


def plan(world: Any, push: Push) -> None:
    """Queue the stories' start three days before the demo's end."""
    push(world.end - STORIES_START, "aftersales_start")


def start(world: Any, push: Push) -> None:
    """Give each story its candidate orders and queue its steps at their hours."""
    began = clock.now()
    candidates = _candidates(world, began)
    taken: set[int] = set()
    for number, story in enumerate(STORIES):
        bought = world.case_checkouts.get(story.name)
        own = list(Order.objects.filter(checkout_id=bought.checkout_id)) if bought and bought.checkout_id else []
        mine = [
            order
            for order, fresh in [(order, story.fresh) for order in own] + candidates
            if order.pk not in taken and fresh == story.fresh and (story.main_buyer or order.buyer_id != _main(world))
        ][:TRIES]
        if not mine:
            world.skipped[f"aftersales {story.name}: no order"] += 1
            continue
        taken.add(mine[0].pk)
        tale = Tale(story, mine, random.Random(number))
        for at in story.steps:
            push(began + timedelta(hours=at.at_hours), "aftersales_step", tale=tale, step=at)


def step(world: Any, tale: Tale, step: Step, new_tracking: Callable[[random.Random], tuple[str, str]]) -> None:
    """One step of a story (a refused step is counted by the build, as any refused demo action)."""
    if step.action == "open":
        _open(world, tale)
        return
    case = Case.objects.filter(pk=tale.case_id).first()
    if case is None:
        return  # the story found no order the rules accepted
    if step.action in {"ship_return", "ship_replacement"}:
        _ship(world, case, new_tracking(tale.rng), replacement=step.action == "ship_replacement")
        return
    ACTIONS[step.action](world, case, tale.rng, **dict(step.args))


def _open(world: Any, tale: Tale) -> None:
    story = tale.story
    for order in tale.orders:
        line = order.lines.order_by("pk").first()
        if line is None:
            continue
        request = services.Request(
            kind=story.kind, reason=story.reason, lines={line.pk: 1}, description=DESCRIPTIONS.get(story.reason, "")
        )
        try:
            case = services.open_case(order.buyer, order.pk, request, _photos(order, story.photos, tale.rng, story))
        except AnxinError:
            continue
        tale.case_id = case.pk
        return
    world.skipped[f"aftersales {story.name}: refused"] += 1


DESCRIPTIONS = {
    rules.QUALITY: "收到后发现有明显划痕。",
    rules.DAMAGED: "外包装压坏，商品破损。",
    rules.WRONG_ITEM: "发来的颜色不对。",
    rules.NOT_AS_DESCRIBED: "和详情页的描述不一样。",
    rules.MISSING_ITEM: "少发了一件。",
    rules.ROTTEN: "打开就坏了好几个。",
    rules.LATE_DELIVERY: "比承诺的时间晚到了。",
    rules.NO_REASON: "不太合适，想退。",
    rules.OTHER: "想申请售后。",
}


def _photos(order: Order, count: int, rng: random.Random, story: Story | None = None) -> list[bytes]:
    line = order.lines.select_related("product__category").order_by("pk").first()
    if line is None or count == 0:
        return []
    flaw = "rotten" if story is not None and story.reason == rules.ROTTEN else rng.choice(("scratch", "crushed"))
    colour = pictures.colour_of(line.spec, line.title, line.product_id)
    category = line.product.category.slug if line.product.category else ""
    return [
        pictures.draw_evidence(line.title, category=category, colour=colour, seed=rng.randrange(10**6), flaw=flaw)
        for _ in range(count)
    ]


def _main(world: Any) -> int:
    return world.main_buyer.user.pk


def _candidates(world: Any, now: datetime) -> list[tuple[Order, bool]]:
    """Delivered orders still inside their windows whose first line is not personalised, each with whether
    that line is fresh: the demo buyer's and the demo seller's shop's first, so both see cases."""
    seller = get_user_model().objects.filter(username=data.SELLER_LOGIN[0]).first()
    seller_shop = getattr(seller, "merchant_id", None)
    delivered = Order.objects.filter(
        state__in=[Order.State.DELIVERED, Order.State.COMPLETED],
        delivered_at__gte=now - ELIGIBLE_DELIVERED,
        delivered_at__lte=now,
        cases__isnull=True,
    ).select_related("buyer")
    found = []
    for order in delivered.prefetch_related("lines__product").order_by("pk"):
        first = min(order.lines.all(), key=lambda line: line.pk)
        fresh = first.product.is_fresh
        if not first.answers and (not fresh or order.delivered_at >= now - FRESH_DELIVERED):
            found.append((order, fresh))
    return sorted(found, key=lambda row: (row[0].buyer_id != _main(world), row[0].merchant_id != seller_shop))


# --- the steps after opening ---------------------------------------------------------------------------------


def _staff(world: Any, case: Case):
    return world.staff[case.merchant_id]


def _approve(world: Any, case: Case, rng: random.Random) -> None:
    services.approve(_staff(world, case), case.pk)


def _reject(world: Any, case: Case, rng: random.Random, photos: int = 0) -> None:
    services.reject(_staff(world, case), case.pk, WORDS["reject"], _photos(case.order, photos, rng))


def _offer(world: Any, case: Case, rng: random.Random, share: float) -> None:
    services.offer(_staff(world, case), case.pk, max(1, int(case.asked_fen * share)))


def _ship(world: Any, case: Case, waybill: tuple[str, str], *, replacement: bool) -> None:
    carrier, tracking = waybill
    if replacement:
        services.ship_replacement(_staff(world, case), case.pk, carrier=carrier, tracking_number=tracking)
    else:
        services.ship_return(case.buyer, case.pk, carrier=carrier, tracking_number=tracking)


def _return_scanned(world: Any, case: Case, rng: random.Random) -> None:
    """The carrier's delivery scan of the return leg: the merchant's receipt, without the merchant."""
    case.refresh_from_db()
    leg = case.return_leg
    if leg is not None:
        body = {"carrier": leg.carrier, "tracking_number": leg.tracking_number, "kind": "delivered"}
        fulfilment.record_scan(world.carriers[leg.carrier], {**body, "at": clock.now(), "location": "商家仓库"})


def _receive(world: Any, case: Case, rng: random.Random) -> None:
    services.receive(_staff(world, case), case.pk)


def _escalate(world: Any, case: Case, rng: random.Random, photos: int = 0) -> None:
    services.escalate(case.buyer, case.pk, WORDS["escalate"], _photos(case.order, photos, rng))


def _message(world: Any, case: Case, rng: random.Random, photos: int = 0) -> None:
    services.add_message(_staff(world, case), case.pk, WORDS["message"], _photos(case.order, photos, rng))


def _rule(world: Any, case: Case, rng: random.Random, ruling: str, share: float = 1.0) -> None:
    amount = max(1, int(case.asked_fen * share)) if ruling == "refund" else None
    services.rule(world.ops, case.pk, ruling=ruling, note=WORDS["rule"], amount_fen=amount)


ACTIONS: dict[str, Callable[..., None]] = {
    "approve": _approve,
    "reject": _reject,
    "offer": _offer,
    "return_scanned": _return_scanned,
    "receive": _receive,
    "confirm_replacement": lambda world, case, rng: services.confirm_replacement(case.buyer, case.pk),
    "escalate": _escalate,
    "message": _message,
    "rule": _rule,
    "withdraw": lambda world, case, rng: services.withdraw(case.buyer, case.pk),
}


def cases_by_state() -> dict[str, int]:
    """How many demo cases are in each state, for the build's summary."""
    counts = dict.fromkeys(rules.STATES, 0)
    for state in Case.objects.values_list("state", flat=True):
        counts[state] += 1
    return counts
