"""Shipments, legs and scans: the only code that changes them.

Shipping an order goes through here (the order's own state change is `orders.services.mark_shipped`), so
every shipped order has its shipment and leg 1; the hub dispatches leg 2 for remote regions, which is when
the platform's subsidy is posted to the ledger; the last leg's delivery scan delivers the order.

After-sales opens return and replacement legs on the same shipment (`open_after_sales_leg`); their scans come
the same ways as any, and their delivery is told to the floor above through `on_leg_delivered`, since
fulfilment cannot import after-sales.

Trust is scoped to the delivery, not to the role: a carrier account acts only on its own company's legs
and a courier only on the deliveries assigned to them; anything else answers 404, as an unknown one would,
so nobody learns which parcels exist. Ops may act on any, and the event says it was ops."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anxin.accounts.models import User
from anxin.core import clock, events, ledger
from anxin.core.errors import AnxinError, Conflict, Forbidden, NotFound
from anxin.core.permissions import require_role
from anxin.core.rules import has_control_characters
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
    tracking, tracking_error = _checked_tracking(company, tracking_number)
    if tracking_error is not None:
        errors["tracking_number"] = tracking_error.message
    if errors:
        code = "invalid_shipment"
        if list(errors) == ["carrier"] and name and company is None:
            code = "unknown_carrier"
        elif list(errors) == ["tracking_number"] and tracking_error is not None:
            code = tracking_error.code
        raise AnxinError(_("发货信息有误。"), code=code, fields=errors)
    assert company is not None
    return company, name, tracking


@dataclass(frozen=True)
class TrackingProblem:
    code: str
    message: str


def _checked_tracking(company: CarrierCompany | None, tracking_number: Any) -> tuple[str, TrackingProblem | None]:
    """The normalised number and what is wrong with it: its form, then whether `company` prints such numbers
    (`rules.TRACKING_PATTERNS`), with an example of one that it does."""
    tracking = rules.normalise_tracking(tracking_number)
    if not rules.tracking_ok(tracking):
        return tracking, TrackingProblem("invalid_shipment", _("运单号须为 6–40 位字母、数字或连字符。"))
    example = rules.tracking_pattern_example(company.code, tracking) if company is not None else None
    if company is not None and example is not None:
        message = _("这不是%(name)s的运单号格式，例如 %(example)s。") % {"name": company.name, "example": example}
        return tracking, TrackingProblem("tracking_pattern", message)
    return tracking, None


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


CORRECTION_REFUSALS = {
    "already_scanned": gettext_lazy("快递公司已经扫描过这个包裹，运单号不能再改。"),
    "already_corrected": gettext_lazy("运单号只能更正一次，已经更正过了。"),
}


def correct_tracking(staff, order_id: int, tracking_number: Any) -> Leg:
    """The merchant fixes a mistyped tracking number of leg 1: once, and only before the carrier's first scan
    (`rules.correction_refusal`); the number must fit the leg's company as when shipping."""
    with transaction.atomic():
        order = orders.merchant_order(staff, order_id, lock=True)
        legs = Leg.objects.select_for_update(of=("self",)).filter(shipment__order=order, number=1)
        leg = legs.select_related("company").first()
        if leg is None:
            raise Conflict(_("这个订单还没有发货。"), code="not_shipped")
        tracking, problem = _checked_tracking(leg.company, tracking_number)
        if problem is not None:
            raise AnxinError(problem.message, code=problem.code, fields={"tracking_number": problem.message})
        refusal = rules.correction_refusal(
            already_corrected=leg.corrected_at is not None,
            scanned=leg.delivered_at is not None or leg.scans.exists(),
        )
        if refusal is not None:
            raise Conflict(str(CORRECTION_REFUSALS[refusal]), code=refusal)
        if tracking == leg.tracking_number:
            message = _("新运单号与原运单号相同。")
            raise AnxinError(message, code="same_tracking", fields={"tracking_number": message})
        if leg.company is not None:
            _refuse_open_tracking(leg.company, tracking)
        previous = leg.tracking_number
        leg.corrected_from, leg.tracking_number, leg.corrected_at = previous, tracking, clock.now()
        leg.save(update_fields=["corrected_from", "tracking_number", "corrected_at"])
        events.record(
            "shipment.tracking_corrected", order, {"from": previous, "to": tracking, "leg": leg.number}, actor=staff
        )
    return leg


# --- bulk shipping from a CSV ----------------------------------------------------------------------------

BULK_SHIP_MAX_LINES = 1000
NUL_BYTES_MESSAGE = gettext_lazy("文件中有 NUL 字节（可能是 UTF-16 或 Excel 格式），请另存为“CSV UTF-8”后再上传。")
BULK_SHIP_HEADERS = {"order_number", "订单号"}
ALREADY_SHIPPED = {Order.State.SHIPPED, Order.State.DELIVERED, Order.State.COMPLETED}


@dataclass(frozen=True)
class BulkShipLine:
    """One line of a bulk-shipping file and what became of it: `shipped`, `already_shipped` or `refused`."""

    line: int
    order_number: str
    outcome: str
    message: str = ""


def _bulk_rows(text: str) -> list[tuple[int, list[str]]]:
    """The file's data rows with their line numbers (a header row and blank lines left out); a file that is
    no UTF-8 CSV of at most `BULK_SHIP_MAX_LINES` lines is refused whole, with what is wrong with it."""
    if "\x00" in text:
        raise AnxinError(str(NUL_BYTES_MESSAGE), code="nul_bytes")
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as exc:
        raise AnxinError(_("无法读取 CSV：%(error)s") % {"error": exc}, code="invalid_csv") from None
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    hidden = next((number for number, row in numbered if any(has_control_characters(cell) for cell in row)), None)
    if hidden is not None:
        raise AnxinError(
            _("第 %(n)d 行有看不见的字符（控制、零宽或方向字符），请删除后再上传。") % {"n": hidden},
            code="control_characters",
        )
    if numbered and numbered[0][1][0].strip().lower() in BULK_SHIP_HEADERS:
        numbered = numbered[1:]
    if not numbered:
        raise AnxinError(_("文件里没有要发货的订单。"), code="empty_csv")
    if len(numbered) > BULK_SHIP_MAX_LINES:
        raise AnxinError(
            _("一次最多 %(n)d 行，请分成几个文件上传。") % {"n": BULK_SHIP_MAX_LINES}, code="too_many_lines"
        )
    return numbered


def _ship_line(staff, number: int, row: list[str]) -> BulkShipLine:
    """One line through the same `ship` as the ship form, in its own transaction: shipped whole or refused."""
    if len(row) != 3:
        return BulkShipLine(
            number, row[0].strip() if row else "", "refused", _("每行须为三列：订单号,快递公司,运单号。")
        )
    order_number, carrier, tracking = (cell.strip() for cell in row)
    order = queries.merchant_order_by_number(staff.merchant_id, order_number)
    if order is None:
        return BulkShipLine(number, order_number, "refused", _("找不到这个订单。"))
    if order.state in ALREADY_SHIPPED:
        return BulkShipLine(number, order_number, "already_shipped", _("已发货，未重复处理。"))
    try:
        ship(staff, order.pk, carrier=carrier, tracking_number=tracking)
    except AnxinError as exc:
        return BulkShipLine(number, order_number, "refused", "; ".join(exc.fields.values()) or exc.message)
    return BulkShipLine(number, order_number, "shipped")


def ship_from_csv(staff, text: str) -> list[BulkShipLine]:
    """Ship many orders from a CSV of order number, carrier (code or name), tracking number: each line alone,
    so a bad line refuses only itself, and a file uploaded again reports its orders as already shipped."""
    require_role(staff, "merchant_staff")
    return [_ship_line(staff, number, row) for number, row in _bulk_rows(text)]


def _locked_shipment(order_id: int) -> Shipment | None:
    return Shipment.objects.select_for_update().select_related("order").filter(order_id=order_id).first()


def _shipment_for_update(order_id: int) -> Shipment:
    shipment = _locked_shipment(order_id)
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
        shipment.legs.filter(purpose=Leg.Purpose.OUTBOUND, delivered_at__isnull=True).update(delivered_at=now)
        orders.deliver(order_id, at=now, actor=actor)
        events.record("shipment.delivered_by_hand", shipment.order, _acting_as(actor), actor=actor)
    return shipment


# --- after-sales legs ----------------------------------------------------------------------------------

# A scan's effect when it delivers a return or replacement leg, for the pages to say so.
AFTER_SALES_EFFECTS = frozenset(f"{purpose}_delivered" for purpose in rules.AFTER_SALES_PURPOSES)

LegDeliveredHandler = Callable[[int, datetime, Any], None]
_leg_delivered_handlers: dict[str, LegDeliveredHandler] = {}


def on_leg_delivered(purpose: str) -> Callable[[LegDeliveredHandler], LegDeliveredHandler]:
    """Register `fn(leg_id, at, actor)`, called when a `purpose` leg (return, replacement) is delivered, by a
    carrier's scan or by `mark_leg_delivered`, inside that transaction: how after-sales, on the floor above,
    hears of it without fulfilment importing it. Register in `AppConfig.ready()`; one handler a purpose."""
    if purpose not in rules.AFTER_SALES_PURPOSES:
        raise ValueError(f"no after-sales leg has the purpose {purpose!r}")

    def register(fn: LegDeliveredHandler) -> LegDeliveredHandler:
        registered = _leg_delivered_handlers.setdefault(purpose, fn)
        if registered is not fn:
            raise ValueError(f"a handler for delivered {purpose} legs is already registered: {registered!r}")
        return fn

    return register


def _after_sales_shipment(order_id: int) -> Shipment:
    """The order's shipment, locked; one is made (delivered) for an order that reached the buyer without one
    (delivered by other means), while an order not yet on its way has nothing to return or replace."""
    shipment = _locked_shipment(order_id)
    if shipment is not None:  # locked before its order, as a delivery scan locks them
        return shipment
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("找不到这个订单。"))
    if order.state not in {Order.State.DELIVERED, Order.State.COMPLETED}:
        raise Conflict(_("这个订单还没有发货。"), code="not_shipped")
    delivered_at = order.delivered_at or clock.now()
    return Shipment.objects.create(
        order=order, state=Shipment.State.DELIVERED, created_at=clock.now(), delivered_at=delivered_at
    )


def open_after_sales_leg(order_id: int, *, purpose: str, carrier: Any, tracking_number: Any, actor) -> Leg:
    """A return (buyer -> merchant) or replacement (merchant -> buyer) parcel handed to a carrier: a leg with
    the next number on the order's shipment, its carrier and number checked as when shipping. Who may open one
    is the caller's (after-sales') decision; this only refuses a bad carrier, number or purpose."""
    if purpose not in rules.AFTER_SALES_PURPOSES:
        message = _("未知的运输段用途：%(purpose)s") % {"purpose": purpose}
        raise AnxinError(message, code="invalid_leg_purpose", fields={"purpose": message})
    company, carrier, tracking = clean_shipment(carrier, tracking_number)
    with transaction.atomic():
        shipment = _after_sales_shipment(order_id)
        _refuse_open_tracking(company, tracking)
        numbers = shipment.legs.values_list("number", flat=True)
        leg = Leg.objects.create(
            shipment=shipment,
            number=rules.next_after_sales_leg_number(numbers),
            purpose=purpose,
            company=company,
            carrier=carrier,
            tracking_number=tracking,
            created_at=clock.now(),
        )
        events.record(
            "leg.opened",
            shipment.order,
            {
                "purpose": purpose,
                "leg": leg.number,
                "carrier": carrier,
                "company": company.code,
                "tracking_number": tracking,
                **_acting_as(actor),
            },
            actor=actor,
        )
    return leg


def _deliver_after_sales_leg(leg: Leg, at: datetime, actor, *, by: str) -> bool:
    """Close a return or replacement leg once and tell its purpose's handler; False when it was already
    delivered (a second scan, or a scan after the merchant's "received"), so the case hears once."""
    if not Leg.objects.filter(pk=leg.pk, delivered_at__isnull=True).update(delivered_at=at):
        return False
    order = Order.objects.get(shipment__pk=leg.shipment_id)
    events.record(
        "leg.delivered",
        order,
        {"purpose": leg.purpose, "leg": leg.number, "at": at.isoformat(), "by": by, **_acting_as(actor)},
        actor=actor,
    )
    handler = _leg_delivered_handlers.get(leg.purpose)
    if handler is not None:
        handler(leg.pk, at, actor)
    return True


def mark_leg_delivered(leg_id: int, *, at: datetime, actor) -> Leg:
    """A person confirms a return or replacement arrived (the merchant's "received"): as the carrier's
    delivery scan would, and idempotent, so whichever comes second does nothing. The caller checked who may."""
    with transaction.atomic():
        leg = Leg.objects.select_for_update().filter(pk=leg_id).first()
        if leg is None:
            raise NotFound(_("找不到这个运单。"))
        if leg.purpose == Leg.Purpose.OUTBOUND:
            raise Conflict(_("发货的运输段由快递签收或配送员送达，不能手动确认。"), code="outbound_leg")
        _deliver_after_sales_leg(leg, at, actor, by="hand")
        leg.refresh_from_db(fields=["delivered_at"])
    return leg


# --- scans ---------------------------------------------------------------------------------------------


@dataclass
class ScanOutcome:
    scan: Scan
    effect: str = ""  # "", "arrived_hub", "delivered", "delivered_late_scan", "return_delivered" ...


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
    if not kind:
        errors["kind"] = _("请填写扫描类型（%(kinds)s 之一）。") % {"kinds": "、".join(SCAN_RANK)}
    elif kind not in SCAN_RANK:
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
    """What an unflagged scan changes: an outbound leg moves the shipment and the order, an after-sales leg
    only closes itself (and tells after-sales) on delivery."""
    if leg.purpose != Leg.Purpose.OUTBOUND:
        delivered = scan.kind == Scan.Kind.DELIVERED and _deliver_after_sales_leg(leg, scan.at, actor, by="scan")
        return f"{leg.purpose}_delivered" if delivered else ""
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
    account rows of numbers it does not carry, are reported by line and column and skipped; good rows are kept
    and applied in file order. A file holding control characters (a NUL byte: a damaged or binary file) or
    that is no CSV at all is refused whole, saying where."""
    require_role(actor, *SCANNERS)
    _own_company(actor)
    _refuse_control_characters(text)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        missing = [c for c in ("tracking_number", "kind") if c not in (reader.fieldnames or [])]
        if missing:
            raise AnxinError(
                _("CSV 缺少列：%(cols)s（需要 %(all)s）。")
                % {"cols": ", ".join(missing), "all": ",".join(CSV_COLUMNS)},
                code="invalid_csv",
            )
        summary = ImportSummary()
        for row in reader:
            _import_row(actor, row, reader.line_num, summary)
    except csv.Error as exc:
        raise AnxinError(
            _("CSV 第 %(line)d 行无法读取：%(problem)s") % {"line": reader.line_num, "problem": exc},
            code="invalid_csv",
        ) from None
    return summary


def _refuse_control_characters(text: str) -> None:
    found = rules.control_characters(text)
    if found:
        where = "；".join(
            _("第 %(line)d 行第 %(column)d 列是 %(char)s") % {"line": line, "column": column, "char": char}
            for line, column, char in found
        )
        raise AnxinError(
            _("CSV 中有不可见的控制字符（%(where)s）：文件可能已损坏或不是文本 CSV，没有导入任何扫描。")
            % {"where": where},
            code="csv_control_characters",
        )


def _import_row(actor, row: dict[str, Any], line_number: int, summary: ImportSummary) -> None:
    try:
        outcome = record_scan(actor, row, source="csv")
    except AnxinError as exc:
        problems = [
            _("%(column)s 列：%(problem)s") % {"column": name, "problem": problem}
            for name, problem in exc.fields.items()
        ]
        summary.errors.append(f"{line_number}: " + "; ".join(problems or [exc.message]))
        return
    summary.recorded += 1
    summary.applied += bool(outcome.effect)
    summary.flagged += bool(outcome.scan.flag)


def resolve_scan(actor, scan_id: int, resolution: Any) -> Scan:
    """Someone looked into a flagged scan (a mistyped number, a scanner clock): what they found is kept with
    who and when, and the scan leaves the desk's list of scans to look into. The scan itself is unchanged: a
    carrier account resolves its own company's scans only (another's answers 404), ops any."""
    require_role(actor, *SCANNERS)
    own = _own_company(actor)
    why = clean_text(resolution, field="resolution", max_length=rules.RESOLUTION_MAX)
    scans = Scan.objects.filter(pk=scan_id)
    if own is not None:
        scans = scans.filter(company=own)
    with transaction.atomic():
        scan = scans.select_for_update().first()
        if scan is None:
            raise NotFound(_("找不到这条扫描。"))
        if not scan.flag:
            raise Conflict(_("这条扫描没有被标记，不需要处理。"), code="scan_not_flagged")
        if scan.resolved_at is not None:
            raise Conflict(_("这条扫描已经处理过了。"), code="scan_already_resolved")
        scan.resolved_at, scan.resolved_by, scan.resolution = clock.now(), actor, why
        scan.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        events.record("scan.resolved", scan, {"resolution": why, "flag": scan.flag, **_acting_as(actor)}, actor=actor)
    return scan
