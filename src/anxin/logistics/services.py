"""Shipping templates, shipments and scans: the only code that changes them.

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
from django.utils.translation import gettext_lazy

from anxin.catalog.models import Product
from anxin.core import clock, config, events, ledger
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.permissions import owned, require_role
from anxin.geo.data import PROVINCES
from anxin.geo.models import Region
from anxin.logistics import rules
from anxin.logistics.models import FreeRule, Leg, RegionFee, Scan, Shipment, ShippingTemplate
from anxin.logistics.queries import as_rule, forget_geography, remote_program, with_rules
from anxin.orders import services as orders
from anxin.orders.models import Order

KNOWN_PROVINCES = frozenset(p.code[:2] for p in PROVINCES)
SCAN_RANK = {kind: rank for rank, kind in enumerate(Scan.Kind.values)}
SCANNERS = ("carrier", "courier", "ops")
FUTURE_TOLERANCE = timedelta(hours=1)  # carriers' clocks drift; a scan further ahead is flagged
PROBLEM_MESSAGES = {
    "unknown_mode": gettext_lazy("计费方式须为按重量或按件数。"),
    "negative_fee": gettext_lazy("运费不能为负数。"),
    "units_below_one": gettext_lazy("首重/首件和续重/续件须至少为 1。"),
    "no_provinces": gettext_lazy("每条地区规则至少要选一个省份。"),
    "overlap": gettext_lazy("同一个省份只能出现在一条地区规则里。"),
    "unknown_kind": gettext_lazy("包邮条件须为包邮、满额或满件。"),
    "bad_threshold": gettext_lazy("满额/满件包邮需要大于 0 的门槛。"),
}


# --- templates -----------------------------------------------------------------------------------------


def _provinces(values: Any) -> frozenset[str]:
    if not isinstance(values, (list, tuple, set, frozenset)):
        raise AnxinError(_("省份须为省份代码的列表。"), code="invalid_template", fields={"provinces": _("须为列表")})
    return frozenset(str(v).strip()[:2] for v in values if str(v).strip())


def _int(data: dict, key: str, default: int = 0) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnxinError(_("“%(key)s”须为整数。") % {"key": key}, code="invalid_template", fields={key: _("须为整数")})
    return value


def template_from_input(data: dict[str, Any], template_id: int = 0) -> rules.Template:
    """A template as the rules see it, from what a merchant sent (API or page); raises on shapes."""
    return rules.Template(
        id=template_id,
        mode=str(data.get("mode", rules.WEIGHT)),
        first_units=_int(data, "first_units", 1000),
        first_fen=_int(data, "first_fen"),
        step_units=_int(data, "step_units", 1000),
        step_fen=_int(data, "step_fen"),
        regions=tuple(
            rules.RegionFee(_provinces(r.get("provinces", [])), _int(r, "first_fen"), _int(r, "step_fen"))
            for r in data.get("regions") or []
        ),
        free=tuple(
            rules.FreeCondition(_provinces(c.get("provinces", [])), str(c.get("kind", "")), _int(c, "threshold"))
            for c in data.get("free") or []
        ),
        excluded=_provinces(data.get("excluded_provinces") or []),
        name=str(data.get("name", "")).strip(),
    )


def _check(template: rules.Template) -> None:
    problems = rules.template_problems(template, KNOWN_PROVINCES)
    if not template.name or len(template.name) > 60:
        problems["name"] = "name"
    if not problems:
        return
    fields = {}
    for key, problem in problems.items():
        if problem.startswith("unknown:"):
            fields[key] = _("未知的省份代码：%(codes)s") % {"codes": problem.split(":", 1)[1]}
        elif problem == "name":
            fields[key] = _("请填写模板名称（最多60个字）。")
        else:
            fields[key] = PROBLEM_MESSAGES[problem]
    raise AnxinError(_("运费模板有误，请按提示修改。"), code="invalid_template", fields=fields)


def own_template(staff, template_id: int, *, lock: bool = False) -> ShippingTemplate:
    require_role(staff, "merchant_staff")
    templates = ShippingTemplate.objects.filter(pk=template_id, merchant_id=staff.merchant_id)
    return owned(templates, _("找不到这个运费模板。"), lock=lock)


def save_template(staff, data: dict[str, Any], template_id: int | None = None) -> ShippingTemplate:
    """Create or replace a template with its region fees and free-shipping rules, checked as a whole."""
    require_role(staff, "merchant_staff")
    spec = template_from_input(data, template_id or 0)
    _check(spec)
    with transaction.atomic():
        if template_id:
            template = own_template(staff, template_id, lock=True)
            template.region_fees.all().delete()
            template.free_rules.all().delete()
        else:
            template = ShippingTemplate(merchant_id=staff.merchant_id, created_at=clock.now())
        template.name, template.mode = spec.name, spec.mode
        template.first_units, template.first_fen = spec.first_units, spec.first_fen
        template.step_units, template.step_fen = spec.step_units, spec.step_fen
        template.excluded_provinces = sorted(spec.excluded)
        template.save()
        RegionFee.objects.bulk_create(
            RegionFee(template=template, provinces=sorted(r.provinces), first_fen=r.first_fen, step_fen=r.step_fen)
            for r in spec.regions
        )
        FreeRule.objects.bulk_create(
            FreeRule(template=template, provinces=sorted(c.provinces), kind=c.kind, threshold=c.threshold)
            for c in spec.free
        )
        events.record("shipping_template.saved", template, {"name": template.name}, actor=staff)
    return template


def assign_template(staff, product_ids: list[int], template_id: int | None) -> int:
    """Attach a template to some of the merchant's own products (None: back to the platform default)."""
    if template_id:
        own_template(staff, template_id)
    else:
        require_role(staff, "merchant_staff")
    products = Product.objects.filter(pk__in=product_ids, merchant_id=staff.merchant_id)
    if products.count() != len(set(product_ids)):
        raise NotFound(_("找不到这个商品。"))
    return products.update(shipping_template_id=template_id or None)


def preview(template: ShippingTemplate, weight_g: int = 1000) -> list[tuple[str, str, int | None]]:
    """The fee of one parcel (1 kg by default) to every province: (code, name, fee or None if not delivered)."""
    spec = as_rule(with_rules(ShippingTemplate.objects.filter(pk=template.pk)).get())
    program = remote_program()
    rows = []
    for province in PROVINCES:
        line = rules.Line(template_id=spec.id, quantity=1, unit_price_fen=0, weight_g=weight_g)
        quote = rules.quote([line], {spec.id: spec}, province.code, program)
        rows.append((province.code, province.name, None if quote.refusals else quote.fee_fen))
    return rows


# --- the remote-region program (ops) -------------------------------------------------------------------


def update_remote_program(actor, *, remote: dict[str, str], leg2_first_kg_fen: int, leg2_next_kg_fen: int) -> None:
    """Ops set which provinces are remote (province code -> hub city code) and the leg-2 rate per kg.

    Provinces left out are not remote. A hub must be a city in the region table."""
    require_role(actor, "ops")
    errors = {}
    provinces = {r.code: r for r in Region.objects.filter(level=Region.Level.PROVINCE)}
    hubs = set(
        Region.objects.filter(level=Region.Level.CITY, code__in=set(remote.values())).values_list("code", flat=True)
    )
    for province, hub in remote.items():
        if province not in provinces:
            errors[f"remote.{province}"] = _("未知的省份代码。")
        elif hub not in hubs:
            errors[f"remote.{province}"] = _("中转仓须为地区表中的城市代码。")
    for key, value in (("leg2_first_kg_fen", leg2_first_kg_fen), ("leg2_next_kg_fen", leg2_next_kg_fen)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
            errors[key] = _("须为 0 到 100,000 分之间的整数。")
    if errors:
        raise AnxinError(_("偏远地区设置有误。"), code="invalid_remote_program", fields=errors)
    with transaction.atomic():
        for code, row in provinces.items():
            row.is_remote, row.hub_code = code in remote, remote.get(code, "")
        Region.objects.bulk_update(list(provinces.values()), ["is_remote", "hub_code"])
        config.set_value("logistics.leg2_first_kg_fen", leg2_first_kg_fen)
        config.set_value("logistics.leg2_next_kg_fen", leg2_next_kg_fen)
        events.record(
            "logistics.remote_program_set",
            actor,
            {"remote": remote, "leg2_first_kg_fen": leg2_first_kg_fen, "leg2_next_kg_fen": leg2_next_kg_fen},
            actor=actor,
        )
    forget_geography()


# --- shipping ------------------------------------------------------------------------------------------


def ship(staff, order_id: int, *, carrier: Any, tracking_number: Any) -> Shipment:
    """The merchant hands the parcel to a carrier: the order is shipped and its shipment opened with leg 1
    (to the transit hub for remote regions)."""
    with transaction.atomic():
        order = orders.mark_shipped(staff, order_id, carrier=carrier, tracking_number=tracking_number)
        if Leg.objects.filter(carrier=order.carrier, tracking_number=order.tracking_number).exists():
            raise AnxinError(
                _("这个运单号已经用过了。"), code="duplicate_tracking", fields={"tracking_number": _("重复")}
            )
        shipment = Shipment.objects.create(order=order, hub_code=order.hub_code, created_at=clock.now())
        Leg.objects.create(
            shipment=shipment,
            number=1,
            carrier=order.carrier,
            tracking_number=order.tracking_number,
            created_at=clock.now(),
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
    carrier, tracking = orders.clean_shipment(carrier, tracking_number)
    with transaction.atomic():
        shipment = _shipment_for_update(order_id)
        if not shipment.via_hub:
            raise Conflict(_("这个订单不经过中转仓。"), code="not_via_hub")
        if shipment.legs.filter(number=2).exists():
            raise Conflict(_("第二段已经发出。"), code="leg2_exists")
        if shipment.state != Shipment.State.AT_HUB:
            raise Conflict(_("包裹还没有到达中转仓。"), code="not_at_hub")
        if Leg.objects.filter(carrier=carrier, tracking_number=tracking).exists():
            raise AnxinError(
                _("这个运单号已经用过了。"), code="duplicate_tracking", fields={"tracking_number": _("重复")}
            )
        weight = sum(line.quantity * line.sku.weight_g for line in shipment.order.lines.select_related("sku"))
        shipment.leg2_cost_fen = rules.leg2_cost(weight, remote_program())
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
    tracking = str(data.get("tracking_number") or "").strip().upper()
    if not 6 <= len(tracking) <= 40:
        errors["tracking_number"] = _("运单号须为 6–40 位。")
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


def order_for_tracking(order: Order) -> Shipment | None:
    return Shipment.objects.filter(order=order).prefetch_related("legs__scans").first()
