"""The ops console (role ops only): orders by state, payments, ledger balances, the audit, and lookup."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anxin.accounts.models import User
from anxin.catalog.models import Merchant
from anxin.core import audit, ledger
from anxin.orders.models import Order, OrderLine, Payment
from anxin.web.views import ORDER_STATES, role_required, timeline

ops_required = role_required("ops")
LOOKUP_LIMIT = 50


def _orders():
    from django.db.models import Prefetch

    return Order.objects.select_related("buyer", "merchant").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )


@require_GET
@ops_required
def dashboard(request):
    by_state = dict(Order.objects.values("state").annotate(n=Count("pk")).values_list("state", "n"))
    states = [(code, label, by_state.get(code, 0)) for code, label in ORDER_STATES]
    state = request.GET.get("state", "")
    recent = _orders().order_by("-created_at", "-id")
    if state in dict(ORDER_STATES):
        recent = recent.filter(state=state)
    else:
        state = ""
    payments = list(Payment.objects.select_related("checkout", "checkout__buyer").order_by("-created_at", "-id")[:20])
    results = audit.run_all()
    context = {
        "states": states,
        "state": state,
        "orders": list(recent[:30]),
        "payments": payments,
        "balances": sorted(ledger.balances().items()),
        "audit": sorted(results.items()),
        "breaches": sum(len(problems) for problems in results.values()),
    }
    return render(request, "web/ops/dashboard.html", context)


@require_GET
@ops_required
def lookup(request):
    q = request.GET.get("q", "").strip()[:80]
    found_orders, buyers, merchants = [], [], []
    if q:
        buyers = list(
            User.objects.filter(role=User.Role.BUYER)
            .filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(phone=q))
            .order_by("pk")[:LOOKUP_LIMIT]
        )
        merchants = list(Merchant.objects.filter(Q(name__icontains=q) | Q(slug__icontains=q)).order_by("pk")[:20])
        found_orders = list(
            _orders()
            .filter(Q(number__icontains=q) | Q(buyer__in=buyers) | Q(merchant__in=merchants))
            .order_by("-created_at", "-id")[:LOOKUP_LIMIT]
        )
    context = {"q": q, "orders": found_orders, "buyers": buyers, "merchants": merchants}
    return render(request, "web/ops/lookup.html", context)


@require_GET
@ops_required
def order_detail(request, order_id: int):
    order = _orders().filter(pk=order_id).first()
    if order is None:
        raise Http404
    payment = Payment.objects.filter(checkout_id=order.checkout_id).first()
    context = {"order": order, "payment": payment, "timeline": timeline(order)}
    return render(request, "web/ops/order_detail.html", context)
