"""Reads for shipping: templates as rule objects, the remote program, quotes and delivery promises.

The geography (province centres, remote flags, hubs) changes rarely and is read on every quote, so it is
cached per process for a few seconds, like the rules' settings."""

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from anxin.core import config
from anxin.geo.models import Region
from anxin.geo.rules import distance_km
from anxin.logistics import rules
from anxin.logistics.models import FreeRule, Leg, RegionFee, Shipment, ShippingTemplate

DEFAULT_TEMPLATE_ID = 0  # products without a template of their own
CACHE_SECONDS = 5.0
MAX_KM = 10_000.0


@dataclass(frozen=True)
class Geography:
    centres: dict[str, tuple[float, float]]  # province prefix -> (lat, lng)
    hubs: dict[str, str]  # remote province prefix -> hub city code
    names: dict[str, str]  # province prefix -> name


_geography: Geography | None = None
_loaded_at = 0.0


def geography() -> Geography:
    global _geography, _loaded_at
    if _geography is None or time.monotonic() - _loaded_at > CACHE_SECONDS:
        provinces = Region.objects.filter(level=Region.Level.PROVINCE).only(
            "code", "name", "latitude", "longitude", "is_remote", "hub_code"
        )
        centres, hubs, names = {}, {}, {}
        for row in provinces:
            prefix = row.code[:2]
            names[prefix] = row.name
            if row.latitude is not None and row.longitude is not None:
                centres[prefix] = (row.latitude, row.longitude)
            if row.is_remote and row.hub_code:
                hubs[prefix] = row.hub_code
        _geography = Geography(centres, hubs, names)
        _loaded_at = time.monotonic()
    return _geography


def forget_geography() -> None:
    global _loaded_at
    _loaded_at = 0.0


def remote_program() -> rules.RemoteProgram:
    return rules.RemoteProgram(
        hubs={prefix: hub[:2] for prefix, hub in geography().hubs.items()},
        leg2_first_kg_fen=config.get("logistics.leg2_first_kg_fen"),
        leg2_next_kg_fen=config.get("logistics.leg2_next_kg_fen"),
    )


def default_template() -> rules.Template:
    """The flat fee per merchant order for products without a template, waived from a subtotal."""
    free_over = config.get("orders.free_shipping_over_fen")
    return rules.Template(
        id=DEFAULT_TEMPLATE_ID,
        mode=rules.PIECE,
        first_units=10**9,
        first_fen=config.get("orders.flat_shipping_fen"),
        step_units=1,
        step_fen=0,
        free=(rules.FreeCondition(frozenset(), rules.SUBTOTAL, free_over),) if free_over else (),
        name="default",
    )


def as_rule(template: ShippingTemplate) -> rules.Template:
    """A template row (with its region fees and free rules prefetched) as the pure rules see it."""
    return rules.Template(
        id=template.pk,
        mode=template.mode,
        first_units=template.first_units,
        first_fen=template.first_fen,
        step_units=template.step_units,
        step_fen=template.step_fen,
        regions=tuple(
            rules.RegionFee(frozenset(r.provinces), r.first_fen, r.step_fen) for r in template.region_fees.all()
        ),
        free=tuple(rules.FreeCondition(frozenset(c.provinces), c.kind, c.threshold) for c in template.free_rules.all()),
        excluded=frozenset(template.excluded_provinces),
        name=template.name,
    )


def with_rules(templates):
    return templates.prefetch_related(
        Prefetch("region_fees", queryset=RegionFee.objects.order_by("id")),
        Prefetch("free_rules", queryset=FreeRule.objects.order_by("id")),
    )


def templates_for(template_ids: Iterable[int | None]) -> dict[int, rules.Template]:
    """Rule objects for these template ids (None or 0: the default), in three queries at most."""
    ids = {tid for tid in template_ids if tid}
    found = {DEFAULT_TEMPLATE_ID: default_template()}
    if ids:
        found.update({t.pk: as_rule(t) for t in with_rules(ShippingTemplate.objects.filter(pk__in=ids))})
    return found


def quote(lines: list[rules.Line], destination_province: str, origin_province: str = "") -> rules.Quote:
    templates = templates_for(line.template_id for line in lines)
    return rules.quote(lines, templates, destination_province, remote_program(), origin_province)


def refusal_message(refusal: rules.Refusal) -> str:
    """Why a product cannot go to an address, in words a buyer understands."""
    if refusal.reason == "not_remote":
        return _("“%(title)s”不支持配送到偏远地区（新疆、西藏、青海、甘肃、宁夏、内蒙古）。") % {"title": refusal.title}
    return _("“%(title)s”的商家不配送到这个省份。") % {"title": refusal.title}


def _km(a: str, b: str) -> float:
    centres = geography().centres
    if a == b:
        return 0.0
    if a not in centres or b not in centres:
        return MAX_KM
    return distance_km(*centres[a], *centres[b])


def promise(
    origin_province: str, destination_province: str, handling_hours: int, ordered_at: datetime
) -> rules.Promise:
    """预计送达 for a parcel from the merchant's province, via the hub when the destination is remote."""
    origin, destination = origin_province[:2], destination_province[:2]
    ordered_on = timezone.localtime(ordered_at).date()
    hub = geography().hubs.get(destination) if origin != destination else None
    spread = config.get("logistics.promise_spread_days")
    if hub:
        return rules.promise(
            ordered_on, handling_hours, _km(origin, hub[:2]), _km(hub[:2], destination), spread_days=spread
        )
    return rules.promise(ordered_on, handling_hours, _km(origin, destination), spread_days=spread)


def local_date(at: datetime) -> date:
    return timezone.localtime(at).date()


def shipment_of(order) -> Shipment | None:
    return Shipment.objects.filter(order=order).prefetch_related("legs__scans").first()


@dataclass(frozen=True)
class Offer:
    """What the product page tells a buyer about delivery to their address."""

    fee_fen: int
    via_hub: bool
    refusal: str  # why it cannot go there ("" when it can)
    promise: rules.Promise


def offer(product, sku, province_code: str, at: datetime) -> Offer:
    """One unit of `sku` to `province_code`: its fee, whether it goes via the hub, why not, and 预计送达."""
    line = rules.Line(
        template_id=product.shipping_template_id or DEFAULT_TEMPLATE_ID,
        quantity=1,
        unit_price_fen=sku.price_fen,
        weight_g=sku.weight_g,
        remote_ok=product.remote_deliverable,
        product_id=product.pk,
        title=product.title,
    )
    result = quote([line], province_code, product.merchant.origin_province_id)
    return Offer(
        fee_fen=result.fee_fen,
        via_hub=bool(result.via_hub),
        refusal=refusal_message(result.refusals[0]) if result.refusals else "",
        promise=promise(product.merchant.origin_province_id, province_code, product.handling_hours, at),
    )


# --- pages: the scan desk, the hub's queue, the remote program's figures ------------------------------------
# (imports local to these functions keep this section self-contained)


def recent_scans(limit: int = 50, *, flagged_only: bool = False) -> list:
    """The latest recorded scans (newest first) with their leg's order, for the scan desk (one query)."""
    from anxin.logistics.models import Scan

    scans = Scan.objects.select_related("leg__shipment__order").order_by("-recorded_at", "-id")
    if flagged_only:
        scans = scans.exclude(flag="")
    return list(scans[:limit])


def hub_queue(limit: int = 100) -> list[Shipment]:
    """Remote parcels that arrived at the hub and wait for their second leg, oldest first (two queries).
    Sending leg 2 moves a shipment on to `from_hub`, so `at_hub` alone names the queue."""
    return list(
        Shipment.objects.filter(state=Shipment.State.AT_HUB)
        .select_related("order")
        .prefetch_related(Prefetch("legs", queryset=Leg.objects.order_by("number")))
        .order_by("created_at", "pk")[:limit]
    )


def order_id_for(reference: str) -> int | None:
    """An order's id from what a hub clerk typed: its number, or its id."""
    from anxin.orders.models import Order

    text = str(reference or "").strip()
    if not text or len(text) > 40:
        return None
    found = Order.objects.filter(number=text).values_list("pk", flat=True).first()
    if found is None and text.isdigit() and len(text) <= 12:
        found = Order.objects.filter(pk=int(text)).values_list("pk", flat=True).first()
    return found


@dataclass(frozen=True)
class RegionFigures:
    """One province's (or one group's) numbers over the window of `remote_figures`."""

    code: str
    name: str
    orders: int = 0
    per_day: tuple[int, ...] = ()
    leg2_count: int = 0
    subsidy_fen: int = 0
    delivered: int = 0
    on_time: int = 0
    avg_delivery_days: float | None = None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.delivered if self.delivered else None

    @property
    def peak(self) -> int:
        return max(self.per_day, default=0)


@dataclass(frozen=True)
class RemoteFigures:
    days: int
    start: date
    end: date  # inclusive
    dates: tuple[date, ...]
    regions: tuple[RegionFigures, ...]  # each remote province (the program's, and any with figures in the window)
    remote: RegionFigures  # the remote provinces together
    non_remote: RegionFigures  # every other province together (deliveries only)
    ledger_subsidy_fen: int  # what the ledger's leg2_subsidy postings of the window sum to

    @property
    def peak(self) -> int:
        return max((r.peak for r in self.regions), default=0)


def _local_window(days: int, today: date) -> tuple[date, datetime, datetime]:
    from datetime import time, timedelta

    zone = timezone.get_current_timezone()
    start = today - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(start, time.min), zone)
    until = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min), zone)
    return start, since, until


def _mean_days(total, count: int) -> float | None:
    return total.total_seconds() / 86400 / count if count else None


def remote_figures(days: int, today: date) -> RemoteFigures:
    """The remote-region program over the `days` local days ending `today`: paid orders per day and province,
    the platform's leg-2 subsidy, and delivery times and on-time share against the other provinces.

    Orders count on the day they were paid (cancelled ones left out), subsidies on the day leg 2 left the hub,
    deliveries on the day they were delivered. Four queries (five when the geography cache is cold), whatever
    the number of orders."""
    from datetime import timedelta

    from django.db.models import BooleanField, Case, Count, DurationField, ExpressionWrapper, F, Q, Sum, Value, When
    from django.db.models.functions import TruncDate

    from anxin.core import ledger
    from anxin.core.models import LedgerEntry
    from anxin.orders.models import Order

    days = max(1, int(days))
    start, since, until = _local_window(days, today)
    dates = tuple(start + timedelta(days=i) for i in range(days))
    index = {day: i for i, day in enumerate(dates)}

    per_day: dict[str, list[int]] = {}
    paid = (
        Order.objects.filter(paid_at__gte=since, paid_at__lt=until)
        .exclude(hub_code="")
        .exclude(state=Order.State.CANCELLED)
        .annotate(day=TruncDate("paid_at", tzinfo=timezone.get_current_timezone()))
        .values("province_code", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in paid:
        day = row["day"].date() if isinstance(row["day"], datetime) else row["day"]
        if day in index:
            per_day.setdefault(row["province_code"], [0] * days)[index[day]] += row["n"]

    legs2 = Shipment.objects.filter(legs__number=2, legs__created_at__gte=since, legs__created_at__lt=until)
    subsidies = {
        row["order__province_code"]: (row["n"], row["fen"] or 0)
        for row in legs2.values("order__province_code").annotate(n=Count("pk"), fen=Sum("leg2_cost_fen")).order_by()
    }
    ledger_total = LedgerEntry.objects.filter(
        account__code=ledger.PLATFORM_SUBSIDY,
        transaction__kind="leg2_subsidy",
        transaction__at__gte=since,
        transaction__at__lt=until,
    ).aggregate(total=Sum("amount_fen"))["total"]

    took = ExpressionWrapper(F("delivered_at") - F("paid_at"), output_field=DurationField())
    via_hub = Case(When(hub_code="", then=Value(False)), default=Value(True), output_field=BooleanField())
    delivered_rows = (
        Order.objects.filter(delivered_at__gte=since, delivered_at__lt=until, paid_at__isnull=False)
        .annotate(via_hub=via_hub)
        .values("province_code", "via_hub")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(delivery_days_late=0)), took=Sum(took))
        .order_by()
    )
    zero = timedelta(0)
    delivered: dict[str, list] = {}
    remote_all, others = [0, 0, zero], [0, 0, zero]
    for row in delivered_rows:
        took_sum = row["took"] if isinstance(row["took"], timedelta) else timedelta(microseconds=row["took"] or 0)
        buckets = [delivered.setdefault(row["province_code"], [0, 0, zero]), remote_all] if row["via_hub"] else [others]
        for bucket in buckets:
            bucket[0] += row["n"]
            bucket[1] += row["on_time"]
            bucket[2] += took_sum

    geo = geography()
    codes = sorted({prefix + "0000" for prefix in geo.hubs} | set(per_day) | set(subsidies) | set(delivered))
    regions = []
    for code in codes:
        counts = tuple(per_day.get(code, [0] * days))
        legs, fen = subsidies.get(code, (0, 0))
        n, on_time, total = delivered.get(code, [0, 0, zero])
        regions.append(
            RegionFigures(
                code=code,
                name=geo.names.get(code[:2], code),
                orders=sum(counts),
                per_day=counts,
                leg2_count=legs,
                subsidy_fen=fen,
                delivered=n,
                on_time=on_time,
                avg_delivery_days=_mean_days(total, n),
            )
        )
    remote = RegionFigures(
        code="remote",
        name=_("偏远地区合计"),
        orders=sum(r.orders for r in regions),
        per_day=tuple(sum(r.per_day[i] for r in regions) for i in range(days)),
        leg2_count=sum(r.leg2_count for r in regions),
        subsidy_fen=sum(r.subsidy_fen for r in regions),
        delivered=remote_all[0],
        on_time=remote_all[1],
        avg_delivery_days=_mean_days(remote_all[2], remote_all[0]),
    )
    non_remote = RegionFigures(
        code="other",
        name=_("非偏远地区"),
        delivered=others[0],
        on_time=others[1],
        avg_delivery_days=_mean_days(others[2], others[0]),
    )
    return RemoteFigures(
        days=days,
        start=start,
        end=today,
        dates=dates,
        regions=tuple(regions),
        remote=remote,
        non_remote=non_remote,
        ledger_subsidy_fen=ledger_total or 0,
    )
