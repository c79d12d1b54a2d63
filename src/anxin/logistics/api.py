"""Shipping templates (merchant staff), shipping and the hub's second leg, carriers' scans, tracking."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from anxin.core.permissions import require_role
from anxin.logistics import queries, services
from anxin.logistics.models import ShippingTemplate
from anxin.orders import services as orders

router = Router(tags=["logistics"])


class RegionFeeIn(Schema):
    provinces: list[str] = Field(..., max_length=31)
    first_fen: int = Field(..., ge=0, le=10_000_000)
    step_fen: int = Field(..., ge=0, le=10_000_000)


class FreeRuleIn(Schema):
    provinces: list[str] = Field([], max_length=31)
    kind: Literal["always", "subtotal", "pieces"]
    threshold: int = Field(0, ge=0, le=100_000_000)


class TemplateIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)
    mode: Literal["weight", "piece"] = "weight"
    first_units: int = Field(1000, ge=1, le=1_000_000)
    first_fen: int = Field(..., ge=0, le=10_000_000)
    step_units: int = Field(1000, ge=1, le=1_000_000)
    step_fen: int = Field(..., ge=0, le=10_000_000)
    regions: list[RegionFeeIn] = Field([], max_length=31)
    free: list[FreeRuleIn] = Field([], max_length=31)
    excluded_provinces: list[str] = Field([], max_length=31)


class RegionFeeOut(Schema):
    provinces: list[str]
    first_fen: int
    step_fen: int


class FreeRuleOut(Schema):
    provinces: list[str]
    kind: str
    threshold: int


class TemplateOut(Schema):
    id: int
    name: str
    mode: str
    first_units: int
    first_fen: int
    step_units: int
    step_fen: int
    excluded_provinces: list[str]
    regions: list[RegionFeeOut]
    free: list[FreeRuleOut]

    @staticmethod
    def resolve_regions(template) -> list:
        return list(template.region_fees.all())

    @staticmethod
    def resolve_free(template) -> list:
        return list(template.free_rules.all())


class PreviewRow(Schema):
    province_code: str
    province_name: str
    fee_fen: int | None


class AssignIn(Schema):
    product_ids: list[int] = Field(..., min_length=1, max_length=500)
    template_id: int | None = None


class ShipIn(Schema):
    carrier: str = Field(..., max_length=40)
    tracking_number: str = Field(..., max_length=40)


class ScanIn(Schema):
    tracking_number: str = Field(..., max_length=40)
    carrier: str = Field("", max_length=40)
    kind: Literal["picked_up", "in_transit", "arrived_hub", "left_hub", "out_for_delivery", "delivered"]
    at: datetime | None = None
    location: str = Field("", max_length=80)


class ScanOut(Schema):
    id: int
    tracking_number: str
    kind: str
    at: datetime
    location: str
    flag: str
    effect: str = ""


class ScanCsvIn(Schema):
    csv: str = Field(..., max_length=5_000_000)


class ImportOut(Schema):
    recorded: int
    applied: int
    flagged: int
    errors: list[str]


class LegOut(Schema):
    number: int
    carrier: str
    tracking_number: str
    delivered_at: datetime | None
    scans: list[ScanOut]

    @staticmethod
    def resolve_scans(leg) -> list:
        return list(leg.scans.all())


class TrackingOut(Schema):
    order_id: int
    state: str
    hub_code: str
    promise_earliest: date | None
    promise_latest: date | None
    delivery_days_late: int | None
    legs: list[LegOut]


def _template_out(template: ShippingTemplate) -> ShippingTemplate:
    return queries.with_rules(ShippingTemplate.objects.filter(pk=template.pk)).get()


@router.get("/seller/shipping-templates", response=list[TemplateOut], tags=["seller"])
def list_templates(request: HttpRequest):
    require_role(request.auth, "merchant_staff")
    return list(queries.with_rules(ShippingTemplate.objects.filter(merchant_id=request.auth.merchant_id)))


@router.post("/seller/shipping-templates", response={201: TemplateOut}, tags=["seller"])
def create_template(request: HttpRequest, payload: TemplateIn):
    return 201, _template_out(services.save_template(request.auth, payload.dict()))


@router.put("/seller/shipping-templates/{template_id}", response=TemplateOut, tags=["seller"])
def replace_template(request: HttpRequest, template_id: int, payload: TemplateIn):
    return _template_out(services.save_template(request.auth, payload.dict(), template_id))


@router.get("/seller/shipping-templates/{template_id}/preview", response=list[PreviewRow], tags=["seller"])
def preview_template(request: HttpRequest, template_id: int, weight_g: int = 1000):
    """The fee of one parcel (1 kg by default) to every province."""
    template = services.own_template(request.auth, template_id)
    rows = services.preview(template, max(1, min(weight_g, 1_000_000)))
    return [{"province_code": code, "province_name": name, "fee_fen": fee} for code, name, fee in rows]


@router.post("/seller/shipping-assignments", response={200: dict}, tags=["seller"])
def assign_template(request: HttpRequest, payload: AssignIn):
    count = services.assign_template(request.auth, payload.product_ids, payload.template_id)
    return {"updated": count}


@router.post("/seller/orders/{order_id}/ship", response={200: dict}, tags=["seller"])
def ship_order(request: HttpRequest, order_id: int, payload: ShipIn):
    """Ship with carrier and tracking number; a remote order goes to the transit hub (`hub_code`)."""
    shipment = services.ship(request.auth, order_id, carrier=payload.carrier, tracking_number=payload.tracking_number)
    order = orders.merchant_order(request.auth, order_id)
    return {"order_id": order.pk, "state": order.state, "hub_code": shipment.hub_code, "shipment_id": shipment.pk}


@router.post("/logistics/orders/{order_id}/leg2", response={201: dict}, tags=["logistics"])
def dispatch_from_hub(request: HttpRequest, order_id: int, payload: ShipIn):
    """The hub sends a remote order on to the buyer (leg 2), paid by the platform."""
    shipment = services.dispatch_from_hub(
        request.auth, order_id, carrier=payload.carrier, tracking_number=payload.tracking_number
    )
    return 201, {"order_id": order_id, "leg2_cost_fen": shipment.leg2_cost_fen}


@router.post("/logistics/scans", response={201: ScanOut}, tags=["logistics"])
def post_scan(request: HttpRequest, payload: ScanIn):
    """A carrier's scan. Unknown tracking numbers and out-of-order scans are kept and flagged, never lost."""
    outcome = services.record_scan(request.auth, payload.dict())
    scan = outcome.scan
    return 201, {**ScanOut.from_orm(scan).dict(), "effect": outcome.effect}


@router.post("/logistics/scans/import", response=ImportOut, tags=["logistics"])
def import_scans(request: HttpRequest, payload: ScanCsvIn):
    """Scans as CSV text with the columns carrier,tracking_number,kind,at,location."""
    return services.import_scans_csv(request.auth, payload.csv)


@router.get("/orders/{order_id}/tracking", response=TrackingOut, tags=["orders"])
def tracking(request: HttpRequest, order_id: int):
    """The buyer's tracking timeline: legs with their scans, the hub, the promise and its judgement."""
    order = orders.own_order(request.auth, order_id)
    shipment = queries.shipment_of(order)
    return {
        "order_id": order.pk,
        "state": order.state,
        "hub_code": order.hub_code,
        "promise_earliest": order.promise_earliest,
        "promise_latest": order.promise_latest,
        "delivery_days_late": order.delivery_days_late,
        "legs": list(shipment.legs.all()) if shipment else [],
    }
