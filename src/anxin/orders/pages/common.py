"""What the order pages of every audience share: the states to filter by, the timeline, and showing an order
page with the sections other apps registered for it (`sections.py`)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from anxin.core import events
from anxin.orders import queries
from anxin.orders.models import Order
from anxin.orders.pages import sections

ORDER_STATES = Order.State.choices


def state_filter(request: HttpRequest) -> str:
    """The `?state=` asked for, when it is one; otherwise all states ("")."""
    state = request.GET.get("state", "")
    return state if state in dict(ORDER_STATES) else ""


def cancel_reason_label(code: str) -> str:
    """Why an order was cancelled, as the people on its page say it."""
    labels = {
        "buyer_cancelled": _("买家在发货前取消了订单"),
        "unpaid_expired": _("超时未付款，系统自动取消"),
    }
    return labels.get(code, _("订单已取消"))


def event_label(kind: str) -> str:
    labels = {
        "order.placed": _("下单"),
        "order.paid": _("付款成功"),
        "order.shipped": _("商家已发货"),
        "order.delivered": _("已送达"),
        "order.completed": _("交易完成"),
        "order.cancelled": _("订单已取消"),
        "order.shipment_overdue": _("商家超时未发货"),
        "order.delivery_late": _("晚于承诺时间送达"),
        "shipment.arrived_hub": _("包裹到达中转仓"),
        "shipment.left_hub": _("中转仓发出第二段"),
        "shipment.delivered_after_completion": _("交易完成后收到签收扫描"),
        "shipment.courier_assigned": _("已指派配送员"),
        "shipment.delivered_by_hand": _("配送员已送达"),
        "order.refunded": _("退款已受理"),
        "refund.succeeded": _("退款已到账"),
        "order.lines_made": _("定制商品已制作"),
        "shipment.tracking_corrected": _("运单号已更正"),
    }
    return labels.get(kind, _("订单更新"))  # a person never reads an event's code


def timeline(order: Order) -> list[dict[str, Any]]:
    """The order's events, with each refund twice: when it was granted (and where it stands now), and when the
    provider confirmed that the money reached the buyer, which the order's own events do not record."""
    refunds = {refund.pk: refund for refund in queries.order_refunds(order)}
    reasons = dict(Order.CancelReason.choices)
    items = []
    for e in events.for_subject(order):
        item = {"label": event_label(e.kind), "at": e.at, "kind": e.kind, "data": e.data}
        if e.kind == "order.cancelled":
            item["reason"] = reasons.get(e.data.get("reason", ""), "")
        if e.kind == "order.refunded" and e.data.get("refund_id") in refunds:
            item["refund"] = refunds[e.data["refund_id"]]
        items.append(item)
    for refund in refunds.values():
        if refund.succeeded_at is not None:
            items.append(
                {
                    "label": event_label("refund.succeeded"),
                    "at": refund.succeeded_at,
                    "kind": "refund.succeeded",
                    "data": {"refunded_fen": refund.amount_fen},
                }
            )
    return sorted(items, key=lambda item: item["at"])


def show_order(
    request: HttpRequest,
    order: Order,
    audience: str,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    refused: tuple[str, sections.Refused] | None = None,
) -> HttpResponse:
    """The order page of `audience`: its own context, the timeline and every registered section; after a refused
    POST, that section shown again with its form and the error at the top."""
    overrides = {refused[0]: refused[1].context} if refused else {}
    page = {
        "order": order,
        "timeline": timeline(order),
        "sections": sections.rendered(request, order, audience, overrides),
        "error": refused[1].error if refused else "",
        **(context or {}),
    }
    return render(request, template, page, status=refused[1].status if refused else status)
