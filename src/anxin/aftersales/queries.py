"""Reads of after-sales: who sees which case, the facts the rules judge a line by, queues and figures."""

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from anxin.aftersales import rules
from anxin.aftersales.models import Case, CaseEntry, CaseLine
from anxin.catalog.models import Category, Merchant
from anxin.core import events, ledger
from anxin.core.errors import translate
from anxin.core.models import Event
from anxin.core.pages import local_name
from anxin.core.stats import median_seconds
from anxin.orders.models import Order, OrderLine


def cases_visible_to(user) -> QuerySet[Case]:
    """A buyer's own cases, a merchant's staff their shop's, ops every case; anyone else none."""
    cases = Case.objects.select_related("order", "merchant", "buyer", "refund")
    role = getattr(user, "role", "")
    if role == "buyer":
        return cases.filter(buyer=user)
    if role == "merchant_staff":
        return cases.filter(merchant_id=user.merchant_id)
    if role == "ops":
        return cases
    return cases.none()


def new_case_number(at: datetime) -> str:
    return f"AS{at:%y%m%d}{secrets.randbelow(10**10):010d}"


def case_counts(line_ids: Iterable[int]) -> dict[int, tuple[int, bool]]:
    """Per order line: how many cases it has had, and whether one is open now."""
    rows = (
        CaseLine.objects.filter(order_line_id__in=list(line_ids))
        .values("order_line_id")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(open=True)))
    )
    return {row["order_line_id"]: (row["total"], row["open"] > 0) for row in rows}


def refundable(line: OrderLine) -> int:
    return line.total_fen - line.refunded_fen


def delivered_at(order: Order) -> datetime | None:
    """When the goods reached the buyer: the delivery scan, or the completion that stood for it."""
    return order.delivered_at or order.completed_at


def line_facts(order: Order, line: OrderLine, counts: tuple[int, bool]) -> rules.LineFacts:
    product = line.product
    return rules.LineFacts(
        order_state=order.state,
        delivered_at=delivered_at(order),
        personalised=bool(line.answers),
        made=bool(line.answers and line.made_at),
        fresh=product.is_fresh,
        no_reason_return=product.no_reason_return,
        refundable_fen=refundable(line),
        cases_so_far=counts[0],
        has_open_case=counts[1],
    )


def offers_for_order(order: Order, now: datetime) -> dict[int, tuple[list[rules.Offer], list[rules.Offer]]]:
    """For each line of an order, every type and reason with why not: what 申请售后 offers."""
    lines = list(order.lines.select_related("product").order_by("pk"))
    counts = case_counts(line.pk for line in lines)
    return {line.pk: rules.offers(line_facts(order, line, counts.get(line.pk, (0, False))), now) for line in lines}


def standing(buyer_id: int, now: datetime) -> rules.Standing:
    """The buyer's record for 极速退款: refunds in the last 30 days, abuse rulings in the last 90."""
    mine = Case.objects.filter(buyer_id=buyer_id)
    refunds = mine.filter(refunded_fen__gt=0, closed_at__gte=now - timedelta(days=rules.STANDING_REFUNDS_DAYS))
    abuse = mine.filter(ruling=Case.Ruling.ABUSE, ruled_at__gte=now - timedelta(days=rules.STANDING_ABUSE_DAYS))
    instant = mine.filter(instant=True, created_at__gte=now - timedelta(days=rules.STANDING_REFUNDS_DAYS))
    return rules.Standing(
        refunds_last_30_days=refunds.count() + instant.exclude(state__in=rules.FINAL).count(),
        abuse_last_90_days=abuse.count(),
    )


def merchant_province(merchant_id: int) -> str:
    return Merchant.objects.values_list("origin_province_id", flat=True).get(pk=merchant_id)


def open_case_of_line(line_id: int) -> Case | None:
    return Case.objects.filter(lines__order_line_id=line_id, lines__open=True).first()


# --- queues and figures ------------------------------------------------------------------------------------

# What a timeline calls each recorded step (`case.<action>`), beside the words people wrote.
TIMELINE_EXTRA = {"opened": _("提交售后申请"), "message": _("留言"), "needs_merchant": _("定制商品已制作，需商家审核")}


def merchant_queue(merchant_id: int, state: str = "") -> QuerySet[Case]:
    """The shop's cases, the soonest deadline first (so the overdue lead); open ones unless a state is asked."""
    cases = Case.objects.filter(merchant_id=merchant_id).select_related("buyer", "order")
    cases = cases.filter(state=state) if state else cases.filter(state__in=rules.OPEN)
    return cases.order_by(F("due_at").asc(nulls_last=True), "-created_at", "pk")


def arbitration_queue() -> QuerySet[Case]:
    """Escalated cases by their 48-hour ruling deadline (`due_at` of the arbitration state), overdue first."""
    cases = Case.objects.filter(state=rules.ARBITRATION).select_related("buyer", "merchant", "order")
    return cases.order_by(F("due_at").asc(nulls_last=True), "pk")


def merchant_payable_fen(merchant_id: int) -> int:
    """What the platform owes the shop; below zero it is the platform's claim on the shop (refunds paid from
    the payable after settlement). The ledger keeps liabilities as credits, hence the minus."""
    return -ledger.balance(ledger.merchant_payable(merchant_id))


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    label: str
    role: str = ""
    text: str = ""
    data: dict = dc_field(default_factory=dict)
    images: tuple = ()


def case_timeline(case: Case) -> list[TimelineItem]:
    """The case's recorded steps, the words and pictures people added, and the money's arrival, in the order
    they happened: every audience's timeline."""
    steps = [
        TimelineItem(at=event.at, label=_step_label(event.kind.removeprefix("case.")), data=event.data)
        for event in events.for_subject(case).exclude(kind="case.message")
    ]
    entries = [
        TimelineItem(
            at=entry.created_at,
            label=str(entry.get_role_display()),
            role=entry.role,
            text=entry.text,
            images=tuple(entry.images.all()),
        )
        for entry in case.entries.select_related("author").prefetch_related("images")
    ]
    arrived = []
    if case.refund is not None and case.refund.succeeded_at is not None:
        amount = {"arrived_fen": case.refund.amount_fen}
        arrived.append(TimelineItem(at=case.refund.succeeded_at, label=translate(_("退款成功")), data=amount))
    return sorted(steps + entries + arrived, key=lambda item: item.at)


def _step_label(action: str) -> str:
    """In the page's language: the steps' names are the rules' (ACTION_NAMES) or the few of TIMELINE_EXTRA."""
    return translate(TIMELINE_EXTRA.get(action) or rules.ACTION_NAMES.get(action) or action)


@dataclass(frozen=True)
class FigureRow:
    """One group's cases (a type, a reason, a merchant, a category) and how they went."""

    key: str
    label: str
    cases: int
    refunded: int = 0
    instant: int = 0
    merchant_decided: int = 0  # cases that waited for the merchant (not approved at once)
    auto_approved: int = 0

    @property
    def instant_share(self) -> float | None:
        return self.instant / self.refunded if self.refunded else None

    @property
    def auto_share(self) -> float | None:
        return self.auto_approved / self.merchant_decided if self.merchant_decided else None


@dataclass(frozen=True)
class Figures:
    total: FigureRow
    by_type: list[FigureRow]
    by_reason: list[FigureRow]
    by_merchant: list[FigureRow]
    by_category: list[FigureRow]
    median_refund_seconds: float | None  # case opened -> the provider confirmed its refund


def _counts() -> dict[str, Count]:
    refunded = Q(refund__isnull=False)
    return {
        "cases": Count("pk"),
        "refunded": Count("pk", filter=refunded),
        "instant": Count("pk", filter=refunded & Q(instant=True)),
        "merchant_decided": Count("pk", filter=Q(approved_at_once=False)),
        "auto_approved": Count("pk", filter=Q(auto_approved=True)),
    }


def _rows(cases: QuerySet[Case], key: str, labels: Mapping[Any, Any]) -> list[FigureRow]:
    """One aggregate query grouped by `key`, most cases first."""
    grouped = cases.values(key).annotate(**_counts()).order_by("-cases", key)
    return [
        FigureRow(
            key=str(row[key]),
            label=str(labels.get(row[key], row[key] or "—")),
            **{name: row[name] for name in _counts()},
        )
        for row in grouped
    ]


def _first_line_category() -> Subquery:
    first = CaseLine.objects.filter(case=OuterRef("pk")).order_by("pk")
    return Subquery(first.values("order_line__product__category_id")[:1])


def figures(start: datetime, end: datetime) -> Figures:
    """The after-sales figures of cases opened in [start, end): by type, reason, merchant and first line's
    category; refunded instantly (极速退款) among refunded cases; approved because the merchant was silent
    among cases that waited for a merchant; the median wait from opening to the provider's confirmation."""
    cases = Case.objects.filter(created_at__gte=start, created_at__lt=end)
    refunded = cases.filter(refund__state="succeeded")
    totals = cases.aggregate(**_counts())
    merchants = dict(Merchant.objects.filter(cases__in=cases).values_list("pk", "name").distinct())
    by_category = _rows(cases.annotate(category=_first_line_category()), "category", {})
    ids = [int(row.key) for row in by_category if row.key.isdigit()]
    names = {category.pk: local_name(category) for category in Category.objects.filter(pk__in=ids)}
    return Figures(
        total=FigureRow(key="", label="", **totals),
        by_type=_rows(cases, "kind", dict(Case.Kind.choices)),
        by_reason=_rows(cases, "reason", dict(Case.Reason.choices)),
        by_merchant=_rows(cases, "merchant_id", merchants),
        by_category=[replace(row, label=names.get(int(row.key), row.label)) for row in by_category],
        median_refund_seconds=median_seconds(refunded, "created_at", "refund__succeeded_at"),
    )


# --- buyer


def buyer_cases(buyer) -> QuerySet[Case]:
    """The buyer's cases for the 退款/售后 tab, newest first, with what each row shows read at once."""
    return (
        Case.objects.filter(buyer=buyer)
        .select_related("order", "merchant", "refund")
        .prefetch_related("lines__order_line")
        .order_by("-created_at", "-pk")
    )


def open_cases_by_line(order: Order) -> dict[int, Case]:
    """Per line of an order, the case open on it now (the order page links there instead of 申请售后)."""
    rows = CaseLine.objects.filter(order_line__order=order, open=True).select_related("case")
    return {row.order_line_id: row.case for row in rows}


def case_lines(case: Case) -> list[CaseLine]:
    return list(case.lines.select_related("order_line").order_by("pk"))


def case_entries(case: Case) -> list[CaseEntry]:
    return list(case.entries.prefetch_related("images").order_by("created_at", "pk"))


def case_events(case: Case) -> list[Event]:
    """The case's steps; a message is shown as its entry, so its event is left out here."""
    return list(events.for_subject(case).exclude(kind="case.message"))
