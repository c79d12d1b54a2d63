"""Shipments, legs and scans: the only code that changes them.

Shipping an order goes through here (the order's own state change is `orders.services.mark_shipped`), so
every shipped order has its shipment and leg 1; the hub dispatches leg 2 for remote regions, which is when
the platform's subsidy is posted to the ledger; the last leg's delivery scan delivers the order.

Trust is scoped to the delivery, not to the role: a carrier account acts only on its own company's legs
and a courier only on the deliveries assigned to them; anything else answers 404, as an unknown one would,
so nobody learns which parcels exist. Ops may act on any, and the event says it was ops."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from anxin.accounts.models import User
from anxin.core import clock, events, ledger
from anxin.core.errors import AnxinError, Conflict, Forbidden, NotFound
from anxin.core.permissions import require_role
from anxin.core.text import clean_text
from anxin.fulfilment import queries, rules
from anxin.fulfilment.models import CarrierCompany, Leg, Scan, Shipment
from anxin.orders import services as orders
from anxin.orders.models import Order
from anxin.shipping import rules as shipping_rules
from anxin.shipping.queries import remote_program

SCAN_RANK = {kind: rank for rank, kind in enumerate(Scan.Kind.values)}
SCANNERS = ("carrier", "ops")
HAND_DELIVERERS = ("courier", "ops")


def ensure_builtin_carriers() -> int:
    """Recreate any missing built-in carrier company (after a test flush, say) without touching the others."""
    existing = set(CarrierCompany.objects.values_list("code", flat=True))
    missing = [CarrierCompany(code=c, name=n, aliases=a) for c, n, a in rules.CARRIER_COMPANIES if c not in existing]
    CarrierCompany.objects.bulk_create(missing)
    return len(missing)


def _acting_as(actor) -> dict[str, str]:
    """What an event says about who acted: ops acting on someone else's parcel must be visible as such."""
    return {"as": actor.role}


def _own_company(actor) -> CarrierCompany | None:
    """The company whose legs `actor` may touch: its own for a carrier account, None (all) for ops.
    A carrier account without a company touches nothing."""
    if actor.role == User.Role.OPS:
        return None
    staff = getattr(actor, "carrier_staff", None)
    if staff is None:
        raise NotFound(_("找不到这个运单。"))
    return staff.company


# --- shipping ------------------------------------------------------------------------------------------


def clean_shipment(carrier: Any, tracking_number: Any) -> tuple[CarrierCompany, str, str]:
    """The carrier company a merchant or hub clerk named, its name as written, and the tracking number;
    or a 400 naming every bad field (an unknown company lists the known ones)."""
    errors: dict[str, str] = {}
    company, name = None, ""
    try:
        name = clean_text(carrier, field="carrier", max_length=rules.CARRIER_MAX)
    except AnxinError as exc:
        errors["carrier"] = _("请填写快递公司（最多40个字）。") if exc.code == "required" else exc.fields["carrier"]
    else:
        company = queries.company_named(name)
        if company is None:
            names = "、".join(CarrierCompany.objects.values_list("name", flat=True))
            errors["carrier"] = _("不认识这家快递公司，请从这些中选择：%(names)s。") % {"names": names}
    tracking = rules.normalise_tracking(tracking_number)
    if not rules.tracking_ok(tracking):
        errors["tracking_number"] = _("运单号须为 6–40 位字母、数字或连字符。")
    if errors:
        code = "unknown_carrier" if name and company is None and len(errors) == 1 else "invalid_shipment"
        raise AnxinError(_("发货信息有误。"), code=code, fields=errors)
    assert company is not None
    return company, name, tracking


def _refuse_open_tracking(company: CarrierCompany, tracking: str) -> None:
    """One company's number names one parcel on the way; after delivery the company may reuse it."""
    if Leg.objects.filter(company=company, tracking_number=tracking, delivered_at__isnull=True).exists():
        raise AnxinError(_("这个运单号正在使用中。"), code="duplicate_tracking", fields={"tracking_number": _("重复")})


def ship(staff, order_id: int, *, carrier: Any, tracking_number: Any) -> Shipment:
    """The merchant hands the parcel to a carrier: the order is shipped and its shipment opened with leg 1
    (to the transit hub for remote regions)."""
    company, carrier, tracking = clean_shipment(carrier, tracking_number)
    with transaction.atomic():
        order = orders.mark_shipped(staff, order_id, carrier=carrier, tracking_number=tracking)
        _refuse_open_tracking(company, tracking)
        shipment = Shipment.objects.create(order=order, created_at=clock.now())
        Leg.objects.create(
            shipment=shipment,
            number=1,
            company=company,
            carrier=carrier,
            tracking_number=tracking,
            created_at=clock.now(),
        )
    return shipment


def _shipment_for_update(order_id: int) -> Shipment:
    shipment = Shipment.objects.select_for_update().select_related("order").filter(order_id=order_id).first()
    if shipment is None:
        raise NotFound(_("找不到这个订单的包裹。"))
    return shipment


def dispatch_from_hub(actor, order_id: int, *, carrier: Any, tracking_number: Any) -> Shipment:
    """The hub sends a remote order on (leg 2); the platform pays that leg from its subsidy account.
    A carrier account sends it under its own company only; ops under any."""
    require_role(actor, *SCANNERS)
    own = _own_company(actor)
    company, carrier, tracking = clean_shipment(carrier, tracking_number)
    if own is not None and company != own:
        raise Forbidden(
            _("只能以本公司（%(name)s）的运单发出第二段。") % {"name": own.name},
            code="other_company",
            fields={"carrier": own.name},
        )
    with transaction.atomic():
        shipment = _shipment_for_update(order_id)
        if not shipment.via_hub:
            raise Conflict(_("这个订单不经过中转仓。"), code="not_via_hub")
        if shipment.legs.filter(number=2).exists():
            raise Conflict(_("第二段已经发出。"), code="leg2_exists")
        if shipment.state != Shipment.State.AT_HUB:
            raise Conflict(_("包裹还没有到达中转仓。"), code="not_at_hub")
        _refuse_open_tracking(company, tracking)
        weight = sum(line.quantity * line.sku.weight_g for line in shipment.order.lines.select_related("sku"))
        shipment.leg2_cost_fen = shipping_rules.leg2_cost(weight, remote_program())
        shipment.state = Shipment.State.FROM_HUB
        shipment.save(update_fields=["leg2_cost_fen", "state"])
        Leg.objects.create(
            shipment=shipment,
            number=2,
            company=company,
            carrier=carrier,
            tracking_number=tracking,
            created_at=clock.now(),
        )
        ledger.post(
            f"shipment:{shipment.pk}:leg2",
            "leg2_subsidy",
            [
                ledger.Line(ledger.PLATFORM_SUBSIDY, shipment.leg2_cost_fen),
                ledger.Line(ledger.CARRIERS_PAYABLE, -shipment.leg2_cost_fen),
            ],
            memo=f"order {shipment.order.number} hub -> buyer",
            subject=shipment,
        )
        events.record(
            "shipment.left_hub",
            shipment.order,
            {"carrier": carrier, "company": company.code, "tracking_number": tracking, **_acting_as(actor)},
            actor=actor,
        )
    return shipment


# --- hand delivery -------------------------------------------------------------------------------------


def _courier(courier_id: Any) -> User:
    found = User.objects.filter(pk=courier_id, role=User.Role.COURIER, is_active=True).first()
    if found is None:
        message = _("找不到这位配送员。")
        raise AnxinError(message, code="unknown_courier", fields={"courier_id": message})
    return found


def _shipment_of_merchant_or_any(actor, order_id: int) -> Shipment:
    """Ops may assign any delivery; merchant staff (商家自配送) only their shop's."""
    shipment = _shipment_for_update(order_id)
    if actor.role == User.Role.MERCHANT_STAFF and shipment.order.merchant_id != actor.merchant_id:
        raise NotFound(_("找不到这个订单的包裹。"))
    return shipment


def assign_courier(actor, order_id: int, courier_id: Any) -> Shipment:
    """Who hands this parcel over: a platform courier chosen by ops, or by the merchant delivering itself.
    Only that courier may then mark it delivered; assigning again replaces the previous one."""
    require_role(actor, "merchant_staff", "ops")
    if not isinstance(courier_id, int) or isinstance(courier_id, bool):
        message = _("请选择配送员。")
        raise AnxinError(message, code="unknown_courier", fields={"courier_id": message})
    with transaction.atomic():
        shipment = _shipment_of_merchant_or_any(actor, order_id)
        courier = _courier(courier_id)
        if shipment.state == Shipment.State.DELIVERED:
            raise Conflict(_("包裹已经签收。"), code="already_delivered")
        previous = shipment.courier_id
        shipment.courier = courier
        shipment.save(update_fields=["courier"])
        events.record(
            "shipment.courier_assigned",
            shipment.order,
            {"courier_id": courier.pk, "previous_courier_id": previous, **_acting_as(actor)},
            actor=actor,
        )
    return shipment


def deliver_by_hand(actor, order_id: int) -> Shipment:
    """The assigned courier (or ops) hands the parcel over: the shipment closes and the order is delivered
    together, as a carrier's last delivery scan would do. Another courier's delivery is not found."""
    require_role(actor, *HAND_DELIVERERS)
    with transaction.atomic():
        shipment = _shipment_for_update(order_id)
        if actor.role == User.Role.COURIER and shipment.courier_id != actor.pk:
            raise NotFound(_("找不到这个订单的包裹。"))
        if shipment.state == Shipment.State.DELIVERED:
            raise Conflict(_("包裹已经签收。"), code="already_delivered")
        now = clock.now()
        shipment.state, shipment.delivered_at = Shipment.State.DELIVERED, now
        shipment.save(update_fields=["state", "delivered_at"])
        shipment.legs.filter(delivered_at__isnull=True).update(delivered_at=now)
        orders.deliver(order_id, at=now, actor=actor)
        events.record("shipment.delivered_by_hand", shipment.order, _acting_as(actor), actor=actor)
    return shipment


# --- scans ---------------------------------------------------------------------------------------------


@dataclass
class ScanOutcome:
    scan: Scan
    effect: str = ""  # "", "arrived_hub", "delivered"


def _parse_at(value: Any) -> datetime | None:
    """An ISO 8601 time, or None when it is not one (a naive time is returned naive for the caller to refuse)."""
    try:
        return value if isinstance(value, datetime) else parse_datetime(str(value or "").strip())
    except ValueError:  # well-formed but impossible, such as month 13
        return None


def _scan_time(value: Any) -> tuple[datetime | None, str | None]:
    """The scan's time (now when not given) and what is wrong with it. One policy for the API, the page and the
    CSV import: an offset is required (a time without one is not silently read as Beijing or UTC time), and a
    time more than an hour ahead or months back is refused (`rules.scan_time_problem`)."""
    if not value:
        return clock.now(), None
    at = _parse_at(value)
    if at is None:
        return None, _("时间格式须为 ISO 8601，例如 2026-11-27T10:30:00+08:00。")
    if timezone.is_naive(at):
        return None, _("时间须带时区，例如 2026-11-27T10:30:00+08:00。")
    problem = rules.scan_time_problem(at, clock.now())
    if problem == "in_the_future":
        return None, _("扫描时间比现在晚了一小时以上，请检查扫描枪的时钟。")
    if problem == "too_old":
        return None, _("扫描时间早于 %(days)d 天前，不能再登记。") % {"days": rules.SCAN_MAX_AGE.days}
    return at, None


def _clean_scan(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for name, limit in (("carrier", rules.CARRIER_MAX), ("location", rules.LOCATION_MAX)):
        try:
            texts[name] = clean_text(data.get(name), field=name, max_length=limit, required=False)
        except AnxinError as exc:
            errors.update(exc.fields)
    tracking = rules.normalise_tracking(data.get("tracking_number"))
    if not rules.tracking_ok(tracking):
        errors["tracking_number"] = _("运单号须为 6–40 位字母、数字或连字符。")
    kind = str(data.get("kind") or "").strip()
    if kind not in SCAN_RANK:
        errors["kind"] = _("未知的扫描类型：%(kind)s") % {"kind": kind}
    at, at_error = _scan_time(data.get("at"))
    if at_error is not None:
        errors["at"] = at_error
    if errors:
        raise AnxinError(_("扫描记录有误。"), code="invalid_scan", fields=errors)
    return {"tracking_number": tracking, "kind": kind, "at": at, **texts}


def _flag_for(leg: Leg | None, kind: str, at: datetime) -> str:
    """Why a scan must not move the parcel: unknown number, after delivery, or earlier than what we know. (A
    scan from before the leg was entered is not one: merchants often type the number after the pick-up.)"""
    if leg is None:
        return "unknown_tracking"
    if leg.delivered_at is not None:
        return "after_delivery"
    last = leg.scans.filter(flag="").order_by("-at", "-id").first()
    if last is not None and (at < last.at or SCAN_RANK[kind] < SCAN_RANK[last.kind]):
        return "out_of_order"
    return ""


def _leg_for(tracking_number: str, company: CarrierCompany | None) -> Leg | None:
    """The leg a scan is about: the open one with this number (of `company` when known), else the latest
    delivered one, so a late scan is kept as after delivery. Two companies' legs with one number and no
    company to choose between them name no leg."""
    legs = Leg.objects.select_for_update().filter(tracking_number=tracking_number).order_by("pk")
    if company is not None:
        legs = legs.filter(company=company)
    found = list(legs[:20])
    candidates = [leg for leg in found if leg.delivered_at is None] or found
    if len({leg.company_id for leg in candidates}) != 1:
        return None
    return candidates[-1]


def record_scan(actor, data: dict[str, Any], *, source: str = "api") -> ScanOutcome:
    """Keep the scan and apply it when it is the next step of the leg (hub arrival, final delivery).

    A carrier account scans its own company's legs only: another company's number answers 404 like one
    that does not exist, and nothing is written. Ops may scan any, and an unknown number is kept, flagged."""
    require_role(actor, *SCANNERS)
    own = _own_company(actor)
    cleaned = _clean_scan(data)
    company = own or (queries.company_named(cleaned["carrier"]) if cleaned["carrier"] else None)
    with transaction.atomic():
        leg = _leg_for(cleaned["tracking_number"], company)
        if leg is None and own is not None:
            raise NotFound(_("找不到这个运单。"), fields={"tracking_number": _("找不到这个运单。")})
        flag = _flag_for(leg, cleaned["kind"], cleaned["at"])
        scan = Scan.objects.create(
            leg=leg,
            company_id=leg.company_id if leg else getattr(company, "pk", None),
            flag=flag,
            source=source,
            posted_by=actor,
            recorded_at=clock.now(),
            **cleaned,
        )
        events.record(
            "scan.recorded",
            scan,
            {"tracking_number": scan.tracking_number, "kind": scan.kind, "flag": flag, **_acting_as(actor)},
            actor=actor,
        )
        effect = "" if flag or leg is None else _apply(leg, scan, actor)
    return ScanOutcome(scan, effect)


def _apply(leg: Leg, scan: Scan, actor) -> str:
    shipment = Shipment.objects.select_for_update().get(pk=leg.shipment_id)
    last_leg = 2 if shipment.via_hub else 1
    reached_hub = shipment.via_hub and leg.number == 1 and scan.kind in {Scan.Kind.ARRIVED_HUB, Scan.Kind.DELIVERED}
    if reached_hub and shipment.state == Shipment.State.IN_TRANSIT:
        shipment.state = Shipment.State.AT_HUB
        shipment.save(update_fields=["state"])
        Leg.objects.filter(pk=leg.pk).update(delivered_at=scan.at)
        events.record(
            "shipment.arrived_hub",
            shipment.order,
            {"hub_code": shipment.hub_code, "at": scan.at.isoformat(), **_acting_as(actor)},
            actor=actor,
        )
        return "arrived_hub"
    if leg.number == last_leg and scan.kind == Scan.Kind.DELIVERED:
        shipment.state, shipment.delivered_at = Shipment.State.DELIVERED, scan.at
        shipment.save(update_fields=["state", "delivered_at"])
        Leg.objects.filter(pk=leg.pk).update(delivered_at=scan.at)
        if Order.objects.filter(pk=shipment.order_id, state=Order.State.SHIPPED).exists():
            # The order is delivered by its carrier's scan (the scan's own event names who posted it).
            orders.deliver(shipment.order_id, at=scan.at)
            return "delivered"
        # The order completed on its own (15 days after shipping) before this scan came: keep the record.
        events.record("shipment.delivered_after_completion", shipment.order, {"at": scan.at.isoformat()})
        return "delivered_late_scan"
    return ""


@dataclass
class ImportSummary:
    recorded: int = 0
    applied: int = 0
    flagged: int = 0
    errors: list[str] = field(default_factory=list)


CSV_COLUMNS = ("carrier", "tracking_number", "kind", "at", "location")


def import_scans_csv(actor, text: str) -> ImportSummary:
    """Scans from a carrier's CSV (carrier,tracking_number,kind,at,location); bad rows, and for a carrier
    account rows of numbers it does not carry, are reported by line and skipped; good rows are kept and
    applied in file order."""
    require_role(actor, *SCANNERS)
    _own_company(actor)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("tracking_number", "kind") if c not in (reader.fieldnames or [])]
    if missing:
        raise AnxinError(
            _("CSV 缺少列：%(cols)s（需要 %(all)s）。") % {"cols": ", ".join(missing), "all": ",".join(CSV_COLUMNS)},
            code="invalid_csv",
        )
    summary = ImportSummary()
    for line_number, row in enumerate(reader, start=2):
        try:
            outcome = record_scan(actor, row, source="csv")
        except AnxinError as exc:
            summary.errors.append(f"{line_number}: " + "; ".join(exc.fields.values() or [exc.message]))
            continue
        summary.recorded += 1
        summary.applied += bool(outcome.effect)
        summary.flagged += bool(outcome.scan.flag)
    return summary
