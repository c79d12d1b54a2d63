"""The seller center's orders (merchant staff only): the dashboard, orders by state, an order's page (the ship
form is fulfilment's section), the packing slip and the production list of personalized lines.

Another merchant's order answers 404, as does the whole center for any other role.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from anxin.core import clock
from anxin.core.pages import page_of, staff_required
from anxin.geo.queries import hub_name
from anxin.orders import queries, services
from anxin.orders.models import Order
from anxin.orders.pages import sections
from anxin.orders.pages.common import ORDER_STATES, show_order, state_filter

ORDERS_PAGE_SIZE = 30
PRODUCTION_LIMIT = 500
TEMPLATE = "orders/seller/order_detail.html"


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    context = {
        "merchant": request.user.merchant,
        "now": now,
        **queries.merchant_dashboard(request.user.merchant_id, now),
    }
    return render(request, "orders/seller/dashboard.html", context)


@require_GET
@staff_required
def order_list(request: HttpRequest) -> HttpResponse:
    state = state_filter(request)
    page = page_of(request, queries.merchant_orders(request.user.merchant_id, state), ORDERS_PAGE_SIZE)
    context = {"page": page, "orders": page.object_list, "state": state, "states": ORDER_STATES, "now": clock.now()}
    return render(request, "orders/seller/order_list.html", context)


def _merchant_order(request: HttpRequest, order_id: int) -> Order:
    services.merchant_order(request.user, order_id)
    return queries.merchant_orders(request.user.merchant_id).get(pk=order_id)


@require_http_methods(["GET", "POST"])
@staff_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    """A POST goes to the section it names (`section`), or to the first that takes one: the ship form."""
    order = _merchant_order(request, order_id)
    refused = None
    if request.method == "POST":
        outcome = sections.post_to(request, order, "seller", request.POST.get("section", ""))
        if not isinstance(outcome, tuple):
            return outcome
        refused = outcome
    context = {"now": clock.now(), "hub_name": hub_name(order.hub_code)}
    return show_order(request, order, "seller", TEMPLATE, context, refused=refused)


@require_GET
@staff_required
def packing_slip(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _merchant_order(request, order_id)
    context = {"order": order, "now": clock.now(), "hub_name": hub_name(order.hub_code)}
    return render(request, "orders/seller/packing_slip.html", context)


@require_GET
@staff_required
def production(request: HttpRequest) -> HttpResponse:
    lines = list(queries.production_list(request.user.merchant_id)[:PRODUCTION_LIMIT])
    return render(request, "orders/seller/production.html", {"lines": lines, "now": clock.now()})
