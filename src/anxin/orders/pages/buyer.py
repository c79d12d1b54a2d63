"""The buyer's orders: the list, an order's page (with the sections other apps add), cancel and confirm."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anxin.core.errors import AnxinError, NotFound
from anxin.core.pages import buyer_required, page_of
from anxin.orders import queries, services
from anxin.orders.models import Order
from anxin.orders.pages import sections
from anxin.orders.pages.common import ORDER_STATES, show_order, state_filter

ORDERS_PAGE_SIZE = 20
TEMPLATE = "orders/buyer/order_detail.html"


@require_GET
@buyer_required
def order_list(request: HttpRequest) -> HttpResponse:
    state = state_filter(request)
    page = page_of(request, queries.buyer_orders(request.user, state), ORDERS_PAGE_SIZE)
    context = {"page": page, "orders": page.object_list, "state": state, "states": ORDER_STATES}
    return render(request, "orders/buyer/order_list.html", context)


def _own_order(request: HttpRequest, order_id: int) -> Order:
    services.own_order(request.user, order_id)
    return queries.buyer_orders(request.user).get(pk=order_id)


@require_GET
@buyer_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    return show_order(request, _own_order(request, order_id), "buyer", TEMPLATE)


@require_POST
@buyer_required
def order_section(request: HttpRequest, order_id: int, section: str) -> HttpResponse:
    """An action of a section another app registered (the pay button posts here as `pay`)."""
    order = _own_order(request, order_id)
    outcome = sections.post_to(request, order, "buyer", section)
    if isinstance(outcome, tuple):
        return show_order(request, order, "buyer", TEMPLATE, refused=outcome)
    return outcome


def _order_action(request: HttpRequest, order_id: int, action, done_message: str) -> HttpResponse:
    try:
        action(request.user, order_id)
    except NotFound:
        raise
    except AnxinError as exc:
        order = _own_order(request, order_id)
        return show_order(request, order, "buyer", TEMPLATE, {"error": exc.message}, status=exc.status)
    messages.success(request, done_message)
    return redirect("web:order_detail", order_id=order_id)


@require_POST
@buyer_required
def order_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    return _order_action(request, order_id, services.cancel_order, _("订单已取消。"))


@require_POST
@buyer_required
def order_confirm(request: HttpRequest, order_id: int) -> HttpResponse:
    return _order_action(request, order_id, services.confirm_receipt, _("已确认收货，交易完成。"))
