"""The ops console's orders (role ops only): orders by state, recent payments, ledger balances and the last
audit the worker ran; lookup by order number, buyer or merchant; an order's page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from anxin.core import audit, ledger
from anxin.core.pages import ops_required
from anxin.orders import queries
from anxin.orders.pages import sections
from anxin.orders.pages.common import ORDER_STATES, show_order, state_filter

RECENT_ORDERS = 30
LOOKUP_LIMIT = 50


@require_GET
@ops_required
def dashboard(request: HttpRequest) -> HttpResponse:
    by_state = queries.counts_by_state()
    state = state_filter(request)
    recent = queries.ops_orders()
    if state:
        recent = recent.filter(state=state)
    context = {
        "states": [(code, label, by_state.get(code, 0)) for code, label in ORDER_STATES],
        "state": state,
        "orders": list(recent[:RECENT_ORDERS]),
        "payments": queries.recent_payments(),
        "balances": sorted(ledger.balances().items()),
        "audit_run": audit.last_run(),
    }
    return render(request, "orders/ops/dashboard.html", context)


@require_GET
@ops_required
def lookup(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:80]
    found = queries.lookup(text, LOOKUP_LIMIT) if text else {"orders": [], "buyers": [], "merchants": []}
    return render(request, "orders/ops/lookup.html", {"q": text, **found})


@require_http_methods(["GET", "POST"])
@ops_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    """A POST goes to the section it names (`section`): e.g. assigning the courier who hands it over."""
    order = queries.ops_orders().filter(pk=order_id).first()
    if order is None:
        raise Http404
    refused = None
    if request.method == "POST":
        outcome = sections.post_to(request, order, "ops", request.POST.get("section", ""))
        if not isinstance(outcome, tuple):
            return outcome
        refused = outcome
    context = {"payment": queries.payment_of(order)}
    return show_order(request, order, "ops", "orders/ops/order_detail.html", context, refused=refused)
