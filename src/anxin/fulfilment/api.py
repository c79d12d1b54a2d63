"""Shipping an order, the hub's second leg, carriers' scans, tracking and hand delivery under /api/."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from anxin.core.schemas import AwareTime, Input
from anxin.fulfilment import queries, services
from anxin.orders import services as orders

router = Router(tags=["fulfilment"])


class ShipIn(Input):
    carrier: str = Field(..., max_length=40)
    tracking_number: str = Field(..., max_length=40)


class ScanIn(Input):
    tracking_number: str = Field(..., max_length=40)
    carrier: str = Field("", max_length=40)
    kind: Literal["picked_up", "in_transit", "arrived_hub", "left_hub", "out_for_delivery", "delivered"]
    at: AwareTime | None = None
    location: str = Field("", max_length=80)


class ScanOut(Schema):
    id: int
    tracking_number: str
    kind: str
    at: datetime
    location: str
    flag: str
    effect: str = ""


class ScanCsvIn(Input):
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


@router.post("/seller/orders/{order_id}/ship", response={200: dict}, tags=["seller"])
def ship_order(request: HttpRequest, order_id: int, payload: ShipIn):
    """Ship with carrier and tracking number; a remote order goes to the transit hub (`hub_code`)."""
    shipment = services.ship(request.auth, order_id, carrier=payload.carrier, tracking_number=payload.tracking_number)
    order = orders.merchant_order(request.auth, order_id)
    return {"order_id": order.pk, "state": order.state, "hub_code": shipment.hub_code, "shipment_id": shipment.pk}


class TrackingIn(Input):
    tracking_number: str = Field(..., max_length=40)


@router.post("/seller/orders/{order_id}/tracking", response={200: dict}, tags=["seller"])
def correct_tracking(request: HttpRequest, order_id: int, payload: TrackingIn):
    """Correct leg 1's tracking number: once, before the carrier's first scan (409 otherwise)."""
    leg = services.correct_tracking(request.auth, order_id, payload.tracking_number)
    return {"order_id": order_id, "tracking_number": leg.tracking_number, "corrected_from": leg.corrected_from}


class BulkShipIn(Input):
    csv: str = Field(..., max_length=1_000_000)


class BulkShipLineOut(Schema):
    line: int
    order_number: str
    outcome: Literal["shipped", "already_shipped", "refused"]
    message: str


@router.post("/seller/bulk-ship", response=list[BulkShipLineOut], tags=["seller"])
def bulk_ship(request: HttpRequest, payload: BulkShipIn):
    """Ship many orders from CSV text (order number, carrier, tracking number): one result per line."""
    return services.ship_from_csv(request.auth, payload.csv)


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


class ResolveIn(Input):
    resolution: str = Field(..., max_length=200)


@router.post("/logistics/scans/{scan_id}/resolve", response=ScanOut, tags=["logistics"])
def resolve_scan(request: HttpRequest, scan_id: int, payload: ResolveIn):
    """Close a flagged scan with what was found (a carrier account: its own company's scans only)."""
    return services.resolve_scan(request.auth, scan_id, payload.resolution)


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
        "legs": shipment.outbound_legs if shipment else [],
    }


# --- hand delivery --------------------------------------------------------------------------------------------


class CourierAssignIn(Input):
    courier_id: int


class DeliveryOut(Schema):
    order_id: int
    order_number: str
    state: str
    courier_id: int | None


def _delivery(shipment) -> dict:
    order = shipment.order
    return {
        "order_id": order.pk,
        "order_number": order.number,
        "state": shipment.state,
        "courier_id": shipment.courier_id,
    }


@router.get("/deliveries", response=list[DeliveryOut], tags=["delivery"])
def my_deliveries(request: HttpRequest):
    """A courier's parcels to hand over (ops: every assigned one), oldest first."""
    return [_delivery(shipment) for shipment in queries.open_deliveries(request.auth)]


@router.post("/deliveries/{order_id}/courier", response={200: DeliveryOut}, tags=["delivery"])
def assign_courier(request: HttpRequest, order_id: int, payload: CourierAssignIn):
    """Ops, or the order's merchant delivering itself, assigns the courier who hands the parcel over."""
    return _delivery(services.assign_courier(request.auth, order_id, payload.courier_id))


@router.post("/deliveries/{order_id}/delivered", response={200: dict}, tags=["delivery"])
def mark_delivered(request: HttpRequest, order_id: int):
    """The courier assigned to this delivery, or ops, records that the parcel was handed over."""
    shipment = services.deliver_by_hand(request.auth, order_id)
    order = shipment.order
    order.refresh_from_db()
    return {"order_id": order.pk, "state": order.state, "delivered_at": order.delivered_at}
