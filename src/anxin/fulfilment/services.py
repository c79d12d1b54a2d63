"""Shipments, legs and scans: the only code that changes them.

Shipping an order goes through here (the order's own state change is `orders.services.mark_shipped`), so
every shipped order has its shipment and leg 1; the hub dispatches leg 2 for remote regions, which is when
the platform's subsidy is posted to the ledger; the last leg's delivery scan delivers the order."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from anxin.core import clock, events, ledger
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.permissions import require_role
from anxin.fulfilment import rules
from anxin.fulfilment.models import Leg, Scan, Shipment
from anxin.orders import services as orders
from anxin.orders.models import Order
from anxin.shipping import rules as shipping_rules
from anxin.shipping.queries import remote_program

SCAN_RANK = {kind: rank for rank, kind in enumerate(Scan.Kind.values)}
SCANNERS = ("carrier", "courier", "ops")
FUTURE_TOLERANCE = timedelta(hours=1)  # carriers' clocks drift; a scan further ahead is flagged


# --- shipping ------------------------------------------------------------------------------------------


def clean_shipment(carrier: Any, tracking_number: Any) -> tuple[str, str]:
    """A carrier's name and a tracking number as typed by a merchant or a hub clerk, or a 400 naming both."""
    carrier = str(carrier or "").strip()
    tracking = rules.normalise_tracking(tracking_number)
    errors = {}
    if not rules.carrier_ok(carrier):
        errors["carrier"] = _("请填写快递公司（最多40个字）。")
    if not rules.tracking_ok(tracking):
        errors["tracking_number"] = _("运单号须为 6–40 位字母、数字或连字符。")
    if errors:
        raise AnxinError(_("发货信息有误。"), code="invalid_shipment", fields=errors)
    return carrier, tracking


def _refuse_used_tracking(carrier: str, tracking: str) -> None:
    if Leg.objects.filter(carrier=carrier, tracking_number=tracking).exists():
        raise AnxinError(_("这个运单号已经用过了。"), code="duplicate_tracking", fields={"tracking_number": _("重复")})


def ship(staff, order_id: int, *, carrier: Any, tracking_number: Any) -> Shipment:
    """The merchant hands the parcel to a carrier: the order is shipped and its shipment opened with leg 1
    (to the transit hub for remote regions)."""
    carrier, tracking = clean_shipment(carrier, tracking_number)
    with transaction.atomic():
        order = orders.mark_shipped(staff, order_id, carrier=carrier, tracking_number=tracking)
        _refuse_used_tracking(carrier, tracking)
        shipment = Shipment.objects.create(order=order, created_at=clock.now())
        Leg.objects.create(
            shipment=shipment, number=1, carrier=carrier, tracking_number=tracking, created_at=clock.now()
        )
    return shipment


def _shipment_for_update(order_id: int) -> Shipment:
    shipment = Shipment.objects.select_for_update().select_related("order").filter(order_id=order_id).first()
    if shipment is None:
        raise NotFound(_("找不到这个订单的包裹。"))
    return shipment


def dispatch_from_hub(actor, order_id: int, *, carrier: Any, tracking_number: Any) -> Shipment:
    """The hub sends a remote order on (leg 2); the platform pays that leg from its subsidy account."""
    require_role(actor, *SCANNERS)
    carrier, tracking = clean_shipment(carrier, tracking_number)
    with transaction.atomic():
        shipment = _shipment_for_update(order_id)
        if not shipment.via_hub:
            raise Conflict(_("这个订单不经过中转仓。"), code="not_via_hub")
        if shipment.legs.filter(number=2).exists():
            raise Conflict(_("第二段已经发出。"), code="leg2_exists")
        if shipment.state != Shipment.State.AT_HUB:
            raise Conflict(_("包裹还没有到达中转仓。"), code="not_at_hub")
        _refuse_used_tracking(carrier, tracking)
        weight = sum(line.quantity * line.sku.weight_g for line in shipment.order.lines.select_related("sku"))
        shipment.leg2_cost_fen = shipping_rules.leg2_cost(weight, remote_program())
        shipment.state = Shipment.State.FROM_HUB
        shipment.save(update_fields=["leg2_cost_fen", "state"])
        Leg.objects.create(
            shipment=shipment, number=2, carrier=carrier, tracking_number=tracking, created_at=clock.now()
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
            "shipment.left_hub", shipment.order, {"carrier": carrier, "tracking_number": tracking}, actor=actor
        )
    return shipment


def deliver_by_hand(actor, order_id: int) -> Shipment:
    """A courier or ops hands the parcel over: the shipment closes and the order is delivered, as a
    carrier's last delivery scan would do."""
    require_role(actor, "courier", "ops")
    with transaction.atomic():
        shipment = _shipment_for_update(order_id)
        if shipment.state == Shipment.State.DELIVERED:
            raise Conflict(_("包裹已经签收。"), code="already_delivered")
        now = clock.now()
        shipment.state, shipment.delivered_at = Shipment.State.DELIVERED, now
        shipment.save(update_fields=["state", "delivered_at"])
        shipment.legs.filter(delivered_at__isnull=True).update(delivered_at=now)
        orders.deliver(order_id, at=now, actor=actor)
    return shipment


# --- scans ---------------------------------------------------------------------------------------------


@dataclass
class ScanOutcome:
    scan: Scan
    effect: str = ""  # "", "arrived_hub", "delivered"


def _parse_at(value: Any) -> datetime | None:
    try:
        at = value if isinstance(value, datetime) else parse_datetime(str(value or "").strip())
    except ValueError:  # well-formed but impossible, such as month 13
        return None
    if at is None:
        return None
    return timezone.make_aware(at) if timezone.is_naive(at) else at


def _clean_scan(data: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    tracking = rules.normalise_tracking(data.get("tracking_number"))
    if not rules.tracking_ok(tracking):
        errors["tracking_number"] = _("运单号须为 6–40 位字母、数字或连字符。")
    kind = str(data.get("kind") or "").strip()
    if kind not in SCAN_RANK:
        errors["kind"] = _("未知的扫描类型：%(kind)s") % {"kind": kind}
    at = _parse_at(data.get("at")) if data.get("at") else clock.now()
    if at is None:
        errors["at"] = _("时间格式须为 ISO 8601，例如 2026-11-27T10:30:00+08:00。")
    if errors:
        raise AnxinError(_("扫描记录有误。"), code="invalid_scan", fields=errors)
    return {
        "tracking_number": tracking,
        "carrier": str(data.get("carrier") or "").strip()[:40],
        "kind": kind,
        "at": at,
        "location": str(data.get("location") or "").strip()[:80],
    }


def _flag_for(leg: Leg | None, kind: str, at: datetime) -> str:
    """Why a scan must not move the parcel: unknown number, after delivery, or earlier than what we know."""
    if leg is None:
        return "unknown_tracking"
    if leg.delivered_at is not None:
        return "after_delivery"
    last = leg.scans.filter(flag="").order_by("-at", "-id").first()
    if last is not None and (at < last.at or SCAN_RANK[kind] < SCAN_RANK[last.kind]):
        return "out_of_order"
    if at > clock.now() + FUTURE_TOLERANCE:
        return "in_the_future"
    return ""


def _leg_for(tracking_number: str, carrier: str) -> Leg | None:
    """The leg a scan is about. Carriers spell their names variously ("中通" / "中通快递"), so the name
    only decides between legs that share a tracking number."""
    legs = list(Leg.objects.select_for_update().filter(tracking_number=tracking_number).order_by("pk")[:5])
    if len(legs) > 1 and carrier:
        legs = [leg for leg in legs if leg.carrier == carrier] or legs
    return legs[0] if len(legs) == 1 else None


def record_scan(actor, data: dict[str, Any], *, source: str = "api") -> ScanOutcome:
    """Keep every scan; apply it when it is the next step of a known leg (hub arrival, final delivery)."""
    require_role(actor, *SCANNERS)
    cleaned = _clean_scan(data)
    with transaction.atomic():
        leg = _leg_for(cleaned["tracking_number"], cleaned["carrier"])
        flag = _flag_for(leg, cleaned["kind"], cleaned["at"])
        scan = Scan.objects.create(leg=leg, flag=flag, source=source, recorded_at=clock.now(), **cleaned)
        effect = "" if flag or leg is None else _apply(leg, scan)
    return ScanOutcome(scan, effect)


def _apply(leg: Leg, scan: Scan) -> str:
    shipment = Shipment.objects.select_for_update().get(pk=leg.shipment_id)
    last_leg = 2 if shipment.via_hub else 1
    reached_hub = shipment.via_hub and leg.number == 1 and scan.kind in {Scan.Kind.ARRIVED_HUB, Scan.Kind.DELIVERED}
    if reached_hub and shipment.state == Shipment.State.IN_TRANSIT:
        shipment.state = Shipment.State.AT_HUB
        shipment.save(update_fields=["state"])
        Leg.objects.filter(pk=leg.pk).update(delivered_at=scan.at)
        events.record(
            "shipment.arrived_hub", shipment.order, {"hub_code": shipment.hub_code, "at": scan.at.isoformat()}
        )
        return "arrived_hub"
    if leg.number == last_leg and scan.kind == Scan.Kind.DELIVERED:
        shipment.state, shipment.delivered_at = Shipment.State.DELIVERED, scan.at
        shipment.save(update_fields=["state", "delivered_at"])
        Leg.objects.filter(pk=leg.pk).update(delivered_at=scan.at)
        if Order.objects.filter(pk=shipment.order_id, state=Order.State.SHIPPED).exists():
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
    """Scans from a carrier's CSV (carrier,tracking_number,kind,at,location); bad rows are reported by line
    and skipped, good rows are kept and applied in file order."""
    require_role(actor, *SCANNERS)
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
