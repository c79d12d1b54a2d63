"""Reads for fulfilment: a shipment with its scans, the scan desk, the hub's queue and the remote
programme's figures."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from anxin.accounts.models import User
from anxin.core import clock, ledger
from anxin.core.models import LedgerEntry
from anxin.core.permissions import require_role
from anxin.fulfilment import rules
from anxin.fulfilment.models import CarrierCompany, Leg, Scan, Shipment
from anxin.orders.models import Order
from anxin.shipping.queries import geography


def company_named(typed: str) -> CarrierCompany | None:
    """The carrier company that a merchant's, a hub clerk's or a carrier feed's name for it means."""
    companies = list(CarrierCompany.objects.all())
    code = rules.match_company(typed, [(c.code, c.name, c.aliases) for c in companies])
    return next((c for c in companies if c.code == code), None)


def companies() -> list[CarrierCompany]:
    """The carrier companies the platform knows, for the seller's select."""
    return list(CarrierCompany.objects.order_by("code"))


def tracking_examples() -> list[tuple[str, str]]:
    """(company name, an example waybill number) for every company with a known pattern, for the ship form."""
    names = dict(CarrierCompany.objects.values_list("code", "name"))
    return [(names[code], p.example) for code, p in rules.TRACKING_PATTERNS.items() if code in names]


def correctable(leg: Leg | None) -> bool:
    """Whether the seller may still correct this leg's number (the service decides again under lock)."""
    if leg is None or leg.number != 1:
        return False
    scanned = leg.delivered_at is not None or bool(leg.scans.all())
    return rules.correction_refusal(already_corrected=leg.corrected_at is not None, scanned=scanned) is None


def merchant_order_by_number(merchant_id: int, number: str) -> Order | None:
    """The shop's order with this number; another shop's is None, as an unknown one is."""
    if not number or len(number) > 40:
        return None
    return Order.objects.filter(merchant_id=merchant_id, number=number).first()


def shipment_of(order) -> Shipment | None:
    """The order's shipment with its outbound legs (1, 2) and their scans as `outbound_legs`: the tracking
    timeline and the carrier line are about the parcel to the buyer; after-sales legs are `legs_of_order`'s."""
    outbound = Leg.objects.filter(purpose=Leg.Purpose.OUTBOUND).prefetch_related("scans")
    return (
        Shipment.objects.filter(order=order)
        .select_related("order")
        .prefetch_related(Prefetch("legs", queryset=outbound, to_attr="outbound_legs"))
        .first()
    )


def legs_of_order(order_id: int) -> list[Leg]:
    """Every leg of the order, outbound and after-sales (`purpose`), in number order with their scans."""
    return list(Leg.objects.filter(shipment__order_id=order_id).order_by("number").prefetch_related("scans"))


def open_deliveries(user, limit: int = 200) -> list[Shipment]:
    """The assigned parcels not yet handed over: a courier's own, or for ops every courier's (one query)."""
    require_role(user, "courier", "ops")
    shipments = Shipment.objects.filter(courier__isnull=False).exclude(state=Shipment.State.DELIVERED)
    if user.role != "ops":
        shipments = shipments.filter(courier=user)
    return list(shipments.select_related("order").order_by("created_at", "pk")[:limit])


def recent_scans(viewer, limit: int = 50, *, flagged_only: bool = False) -> list:
    """The latest recorded scans (newest first) with their leg's order, for the scan desk (one query):
    every scan for ops, a carrier's own company's for a carrier account (none without a company).
    `flagged_only`: the flagged scans nobody has resolved yet, what the desk still has to look into."""
    scans = Scan.objects.select_related("leg__shipment__order", "resolved_by").order_by("-recorded_at", "-id")
    if viewer.role != "ops":
        staff = getattr(viewer, "carrier_staff", None)
        scans = scans.filter(company_id=staff.company_id) if staff is not None else scans.none()
    if flagged_only:
        scans = scans.exclude(flag="").filter(resolved_at__isnull=True)
    return list(scans[:limit])


def couriers() -> list:
    """The platform's active couriers, for choosing who hands a parcel over."""
    return list(User.objects.filter(role="courier", is_active=True).order_by("username"))


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
    start = today - timedelta(days=days - 1)
    return start, clock.local_midnight(start), clock.local_midnight(today + timedelta(days=1))


def _mean_days(total, count: int) -> float | None:
    return total.total_seconds() / 86400 / count if count else None


def remote_figures(days: int, today: date) -> RemoteFigures:
    """The remote-region program over the `days` local days ending `today`: paid orders per day and province,
    the platform's leg-2 subsidy, and delivery times and on-time share against the other provinces.

    Orders count on the day they were paid (cancelled ones left out), subsidies on the day leg 2 left the hub,
    deliveries on the day they were delivered. Four queries (five when the geography cache is cold), whatever
    the number of orders."""
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
