"""Reads of 价保: the SKUs' price history (the `sku.price_changed` events), each line's facts and assessment,
and the lines a price drop may owe, for the worker, the claim, the order pages and the API."""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, QuerySet, Sum

from anxin.catalog import rules as catalog_rules
from anxin.catalog.models import SKU, Product
from anxin.core.events import subject_type_of
from anxin.core.models import Event
from anxin.guarantee import rules_protection as rules
from anxin.guarantee.models import ProtectionPayout
from anxin.orders import rules as order_rules
from anxin.orders.models import Order, OrderLine

PRICE_CHANGED = "sku.price_changed"
PRODUCT_UPDATED = "product.updated"
LONGEST_WINDOW = timedelta(days=max(catalog_rules.PRICE_PROTECTION_DAYS))


@dataclass(frozen=True)
class LineProtection:
    """One order line's price protection as the pages and the API show it."""

    line: OrderLine
    days: int  # offered when the line was paid
    assessment: rules.Assessment
    protected_fen: int

    def claimable(self, now: datetime) -> bool:
        """申请价保 is offered while something is owed, or while the window is open on a line still kept."""
        window, refusal = self.assessment.window, self.assessment.refusal
        if self.assessment.owed_fen > 0:
            return True
        return window is not None and window.contains(now) and refusal != rules.NOT_ELIGIBLE


def _history(rows: QuerySet[Event], read: Callable[[dict], dict]) -> dict[int, list[rules.Change]]:
    history: dict[int, list[rules.Change]] = defaultdict(list)
    for subject_id, at, data in rows.order_by("at", "id").values_list("subject_id", "at", "data"):
        change = read(data)
        history[subject_id].append(rules.Change(at, int(change["before"]), int(change["after"])))
    return history


def price_history(sku_ids: Collection[int], since: datetime) -> dict[int, list[rules.Change]]:
    """Each SKU's list-price changes after `since`, oldest first: all `assess` needs for windows from then."""
    rows = Event.objects.filter(
        kind=PRICE_CHANGED, subject_type=subject_type_of(SKU()), subject_id__in=list(sku_ids), at__gt=since
    )
    return _history(rows, lambda data: data)


def days_history(product_ids: Collection[int], since: datetime) -> dict[int, list[rules.Change]]:
    """Each product's changes of its 价保 days after `since` (from `product.updated`), oldest first."""
    rows = Event.objects.filter(
        kind=PRODUCT_UPDATED,
        subject_type=subject_type_of(Product()),
        subject_id__in=list(product_ids),
        at__gt=since,
        data__changes__has_key="price_protection_days",
    )
    return _history(rows, lambda data: data["changes"]["price_protection_days"])


def protected_fen(line_ids: Iterable[int]) -> dict[int, int]:
    """What price protection paid each line so far."""
    rows = (
        ProtectionPayout.objects.filter(line_id__in=list(line_ids))
        .values("line_id")
        .annotate(paid=Sum("amount_fen"))
        .values_list("line_id", "paid")
    )
    return dict(rows)


def facts(line: OrderLine, protected: int, days: int) -> rules.LineFacts:
    """The line as the rules see it (its order loaded), with the 价保 days its product offered at payment."""
    order = line.order
    return rules.LineFacts(
        paid_at=order.paid_at,
        days=days,
        open=order.state in order_rules.REFUNDABLE,
        list_unit_fen=line.unit_price_fen - catalog_rules.options_delta_fen(line.answers or []),
        unit_price_fen=line.unit_price_fen,
        quantity=line.quantity,
        refunded_fen=line.refunded_fen,
        compensated_fen=line.compensated_fen,
        protected_fen=protected,
    )


def _days_at_payment(lines: list[OrderLine], since: datetime) -> dict[int, int]:
    """Line id -> the 价保 days its product offered when the line was paid (0 for a line not paid)."""
    history = days_history({line.product_id for line in lines}, since)
    days = {}
    for line in lines:
        offered = line.product.price_protection_days
        paid_at = line.order.paid_at
        days[line.pk] = rules.in_effect_at(history.get(line.product_id, []), paid_at, offered) if paid_at else 0
    return days


def _assessed(lines: list[OrderLine], now: datetime) -> list[LineProtection]:
    """Every line assessed in four queries whatever their number: payouts, the days' and the prices' history,
    current prices. Only lines whose product offered price protection when they were paid are kept."""
    if not lines:
        return []
    since = min((line.order.paid_at for line in lines if line.order.paid_at), default=now)
    days = _days_at_payment(lines, since)
    lines = [line for line in lines if days[line.pk]]
    paid = protected_fen(line.pk for line in lines)
    sku_ids = {line.sku_id for line in lines}
    history = price_history(sku_ids, since)
    current = dict(SKU.objects.filter(pk__in=sku_ids).values_list("pk", "price_fen"))
    return [
        LineProtection(
            line,
            days[line.pk],
            rules.assess(
                facts(line, paid.get(line.pk, 0), days[line.pk]),
                history.get(line.sku_id, []),
                current.get(line.sku_id, 0),
                now,
            ),
            paid.get(line.pk, 0),
        )
        for line in lines
    ]


def assess_line(line: OrderLine, now: datetime) -> LineProtection | None:
    """One line (read under its lock by the service, so the amount is the one paid); None if its product
    offered no price protection when it was paid."""
    assessed = _assessed([line], now)
    return assessed[0] if assessed else None


def order_protection(order: Order, now: datetime) -> list[LineProtection]:
    """The order's lines that offered price protection when paid, assessed now."""
    return _assessed(list(order.lines.select_related("product", "order")), now)


def owed_after_drop(sku_id: int, now: datetime) -> list[int]:
    """The ids of the SKU's lines a price drop may owe: paid in the longest window, not cancelled, not refunded
    whole, of a product that offered price protection then; assessed without locks (the service assesses again under its
    lock, and payouts and refunds only ever lower what is owed)."""
    lines = list(
        OrderLine.objects.filter(
            sku_id=sku_id,
            order__state__in=order_rules.REFUNDABLE,
            order__paid_at__gte=now - LONGEST_WINDOW,
            refunded_fen__lt=F("total_fen"),
        )
        .select_related("order", "product")
        .order_by("pk")
    )
    return [row.line.pk for row in _assessed(lines, now) if row.assessment.owed_fen > 0]


def payouts_of_order(order: Order) -> list[ProtectionPayout]:
    """The 价保 payouts of an order's lines, oldest first (the merchant's order page: what it was charged)."""
    return list(ProtectionPayout.objects.filter(line__order=order).select_related("line", "refund"))
