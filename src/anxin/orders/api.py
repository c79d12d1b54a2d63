"""The buyer's orders and the merchant's orders under /api/."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from anxin.core import events
from anxin.core.permissions import require_role
from anxin.core.schemas import Input, paginate
from anxin.orders import queries, rules, services
from anxin.orders.models import Order

router = Router(tags=["orders"])


class OrderLineOut(Schema):
    id: int
    sku_id: int
    product_id: int
    title: str
    spec: dict[str, str]
    answers: list[dict[str, Any]]
    unit_price_fen: int
    quantity: int
    total_fen: int
    discount_fen: int
    refunded_fen: int


class OrderOut(Schema):
    id: int
    number: str
    checkout_id: int
    merchant_id: int
    merchant_name: str
    state: str
    goods_fen: int
    shipping_fen: int
    total_fen: int
    discount_fen: int  # the coupons' part of the goods: the buyer paid total_fen - discount_fen
    refunded_fen: int  # value refunded (cash and the coupons' part); each refund's cash is its amount
    address: dict[str, Any]
    created_at: datetime
    paid_at: datetime | None
    ship_by: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    pay_by: datetime | None
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_merchant_name(order) -> str:
        return order.merchant.name

    @staticmethod
    def resolve_pay_by(order) -> datetime | None:
        """When an unpaid order is cancelled if it is still not paid (none once paid or cancelled)."""
        return order.checkout.pay_by if order.state == Order.State.PENDING_PAYMENT else None

    @staticmethod
    def resolve_lines(order) -> list:
        return list(order.lines.all())


class EventOut(Schema):
    kind: str
    at: datetime
    data: dict[str, Any]


class RefundOut(Schema):
    """One refund of the order: granted at `requested_at`, money back with the buyer at `succeeded_at`."""

    id: int
    amount_fen: int
    state: str
    requested_at: datetime
    succeeded_at: datetime | None


class OrderDetailOut(OrderOut):
    timeline: list[EventOut]
    refunds: list[RefundOut]

    @staticmethod
    def resolve_timeline(order) -> list:
        return list(events.for_subject(order))

    @staticmethod
    def resolve_refunds(order) -> list:
        return queries.order_refunds(order)


class ProductionLineOut(Schema):
    order_id: int
    order_number: str
    title: str
    spec: dict[str, str]
    quantity: int
    answers: list[dict[str, Any]]
    ship_by: datetime | None
    made_at: datetime | None

    @staticmethod
    def resolve_order_number(line) -> str:
        return line.order.number

    @staticmethod
    def resolve_ship_by(line):
        return line.order.ship_by


# --- buyer's orders ------------------------------------------------------------------------------------


@router.get("/orders", response=list[OrderOut], tags=["orders"])
@paginate
def my_orders(request: HttpRequest, state: str = ""):
    require_role(request.auth, "buyer")
    return queries.buyer_orders(request.auth, state[:20])


@router.get("/orders/{order_id}", response=OrderDetailOut, tags=["orders"])
def my_order(request: HttpRequest, order_id: int):
    services.own_order(request.auth, order_id)
    return queries.buyer_orders(request.auth).get(pk=order_id)


@router.post("/orders/{order_id}/cancel", response=OrderOut, tags=["orders"])
def cancel_order(request: HttpRequest, order_id: int):
    services.cancel_order(request.auth, order_id)
    return queries.buyer_orders(request.auth).get(pk=order_id)


@router.post("/orders/{order_id}/confirm-receipt", response=OrderOut, tags=["orders"])
def confirm_receipt(request: HttpRequest, order_id: int):
    services.confirm_receipt(request.auth, order_id)
    return queries.buyer_orders(request.auth).get(pk=order_id)


# --- merchant's orders ---------------------------------------------------------------------------------


@router.get("/seller/orders", response=list[OrderOut], tags=["seller"])
@paginate
def seller_orders(request: HttpRequest, state: str = ""):
    require_role(request.auth, "merchant_staff")
    return queries.merchant_orders(request.auth.merchant_id, state[:20])


@router.get("/seller/orders/{order_id}", response=OrderDetailOut, tags=["seller"])
def seller_order(request: HttpRequest, order_id: int):
    order = services.merchant_order(request.auth, order_id)
    return queries.merchant_orders(order.merchant_id).get(pk=order_id)


@router.get("/seller/production-list", response=list[ProductionLineOut], tags=["seller"])
@paginate
def production_list(request: HttpRequest):
    """Personalized lines of paid orders still to be made, oldest first."""
    require_role(request.auth, "merchant_staff")
    return queries.production_list(request.auth.merchant_id)


class MadeIn(Input):
    line_id: int | None = None


class MadeOut(Schema):
    order_id: int
    line_ids: list[int]


@router.post("/seller/orders/{order_id}/made", response=MadeOut, tags=["seller"])
def mark_made(request: HttpRequest, order_id: int, payload: MadeIn):
    """Mark a personalized line (`line_id`), or every one not yet made, of a paid order as made."""
    lines = services.mark_made(request.auth, order_id, payload.line_id, whole=payload.line_id is None)
    return {"order_id": order_id, "line_ids": [line.pk for line in lines]}


# --- ops ----------------------------------------------------------------------------------------------------


class OpsCancelIn(Input):
    note: str = Field(..., max_length=rules.OPS_REASON_MAX)


class OpsRefundIn(Input):
    line_id: int
    amount_fen: int = Field(..., gt=0, le=10**12)
    reason: str = Field(..., max_length=rules.OPS_REASON_MAX)
    number: int = Field(..., ge=1, le=10_000, description="this refund's number on the order (key ops:<number>)")


class OpsRefundOut(Schema):
    id: int
    amount_fen: int
    state: str
    reason: str


class NoteIn(Input):
    text: str = Field(..., max_length=rules.NOTE_MAX)


class NoteOut(Schema):
    id: int
    order_id: int
    text: str
    created_at: datetime


@router.post("/ops/orders/{order_id}/cancel", response=OrderOut, tags=["ops"])
def ops_cancel(request: HttpRequest, order_id: int, payload: OpsCancelIn):
    """Ops cancel an unshipped order with a reason: unpaid, its checkout; paid, the rest is refunded at once."""
    services.cancel_by_ops(request.auth, order_id, note=payload.note)
    return queries.ops_order(order_id)


@router.post("/ops/orders/{order_id}/refunds", response={201: OpsRefundOut}, tags=["ops"])
def ops_refund(request: HttpRequest, order_id: int, payload: OpsRefundIn):
    """Refund part or all of one line; the same number with the same amount returns the first refund."""
    refund = services.refund_by_ops(
        request.auth,
        order_id,
        line_id=payload.line_id,
        amount_fen=payload.amount_fen,
        reason=payload.reason,
        key=payload.number,
    )
    return 201, refund


@router.post("/ops/orders/{order_id}/notes", response={201: NoteOut}, tags=["ops"])
def ops_note(request: HttpRequest, order_id: int, payload: NoteIn):
    """A note on the order that only ops see."""
    return 201, services.add_note(request.auth, order_id, payload.text)
