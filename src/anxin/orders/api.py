"""The buyer's orders and the merchant's orders under /api/."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from anxin.core import events
from anxin.core.permissions import require_role
from anxin.core.schemas import paginate
from anxin.orders import queries, services

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
    refunded_fen: int
    address: dict[str, Any]
    created_at: datetime
    paid_at: datetime | None
    ship_by: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_merchant_name(order) -> str:
        return order.merchant.name

    @staticmethod
    def resolve_lines(order) -> list:
        return list(order.lines.all())


class EventOut(Schema):
    kind: str
    at: datetime
    data: dict[str, Any]


class OrderDetailOut(OrderOut):
    timeline: list[EventOut]

    @staticmethod
    def resolve_timeline(order) -> list:
        return list(events.for_subject(order))


class ProductionLineOut(Schema):
    order_id: int
    order_number: str
    title: str
    spec: dict[str, str]
    quantity: int
    answers: list[dict[str, Any]]
    ship_by: datetime | None

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
