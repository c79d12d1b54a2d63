"""The buyer's orders: the list with its tabs, an order's page (with the sections other apps add), and the
confirmation steps of cancelling and confirming receipt."""

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.catalog import badges
from anxin.core import clock
from anxin.core.errors import AnxinError, NotFound
from anxin.core.pages import buyer_required, page_of
from anxin.orders import queries, rules, services
from anxin.orders.models import Order
from anxin.orders.pages import sections
from anxin.orders.pages.common import show_order
from anxin.orders.pages.tabs import chosen_tab, tab_links

ORDERS_PAGE_SIZE = 20
TEMPLATE = "orders/buyer/order_detail.html"
CONFIRM_TEMPLATE = "orders/buyer/confirm.html"


def _with_pay_countdown(orders: Iterable[Order]) -> None:
    """Each unpaid order's seconds left to pay, rendered by the server so the page is right without script."""
    now = clock.now()
    for order in orders:
        if order.state == Order.State.PENDING_PAYMENT:
            order.pay_seconds_left = rules.seconds_to_pay(order.checkout.pay_by, now)
            order.pay_countdown = rules.countdown_text(order.pay_seconds_left)


@require_GET
@buyer_required
def order_list(request: HttpRequest) -> HttpResponse:
    tab = chosen_tab(request)
    orders = queries.buyer_orders(request.user, where=tab.condition if tab else None)
    page = page_of(request, orders, ORDERS_PAGE_SIZE)
    _with_pay_countdown(page.object_list)
    context = {
        "page": page,
        "orders": page.object_list,
        "tab": tab.code if tab else "",
        "tabs": tab_links(request.user),
    }
    return render(request, "orders/buyer/order_list.html", context)


def _own_order(request: HttpRequest, order_id: int) -> Order:
    services.own_order(request.user, order_id)
    order = queries.buyer_orders(request.user).get(pk=order_id)
    _with_pay_countdown([order])
    return order


@require_GET
@buyer_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _own_order(request, order_id)
    return show_order(request, order, "buyer", TEMPLATE, _price_badges(order))


def _price_badges(order: Order) -> dict:
    """The badges beside each line's price as they were when the order was paid (买贵必赔 is judged then), and
    its 价保 days: two queries for all the lines."""
    lines = list(order.lines.values_list("pk", "sku_id", "product__price_protection_days"))
    return {
        "price_badges": badges.sku_badges([sku_id for _pk, sku_id, _days in lines], order.paid_at),
        "protection_days": {pk: days for pk, _sku_id, days in lines},
    }


@require_POST
@buyer_required
def order_section(request: HttpRequest, order_id: int, section: str) -> HttpResponse:
    """An action of a section another app registered (the pay button posts here as `pay`)."""
    order = _own_order(request, order_id)
    outcome = sections.post_to(request, order, "buyer", section)
    if isinstance(outcome, tuple):
        return show_order(request, order, "buyer", TEMPLATE, _price_badges(order), refused=outcome)
    return outcome


def _confirmed_action(
    request: HttpRequest, order_id: int, action: str, service: Callable[..., Order], done_message: str
) -> HttpResponse:
    """GET asks "are you sure?" (the page a dialog stands in for when script runs); POST does it once.

    An order whose state no longer allows the action gets the same 409 and message either way."""
    order = _own_order(request, order_id)
    target = Order.State.CANCELLED if action == "cancel" else Order.State.COMPLETED
    if request.method == "GET":
        allowed = rules.can_move(order.state, target)
        context = {"order": order, "action": action, "allowed": allowed}
        return render(request, CONFIRM_TEMPLATE, context, status=200 if allowed else 409)
    try:
        service(request.user, order_id)
    except NotFound:
        raise
    except AnxinError as exc:
        order = _own_order(request, order_id)
        return show_order(request, order, "buyer", TEMPLATE, {"error": exc.message}, status=exc.status)
    messages.success(request, done_message)
    return redirect("web:order_detail", order_id=order_id)


@require_http_methods(["GET", "POST"])
@buyer_required
def order_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    return _confirmed_action(request, order_id, "cancel", services.cancel_order, _("订单已取消。"))


@require_http_methods(["GET", "POST"])
@buyer_required
def order_confirm(request: HttpRequest, order_id: int) -> HttpResponse:
    return _confirmed_action(request, order_id, "confirm", services.confirm_receipt, _("已确认收货，交易完成。"))
