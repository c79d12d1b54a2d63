"""The ops console's orders (role ops only): orders by state, recent payments, ledger balances and the last
audit the worker ran; lookup by order number, buyer or merchant; an order's page; the rules' numbers."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from anxin.core import audit, config, ledger
from anxin.core.errors import AnxinError
from anxin.core.pages import int_or_raw, ops_required
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


# What each of the rules' numbers means, with its unit, for the 规则参数 page (keys of `core.config.DEFAULTS`).
SETTING_LABELS = {
    "orders.unpaid_expiry_minutes": gettext_lazy("未付款订单自动取消（分钟）"),
    "orders.default_handling_hours": gettext_lazy("默认发货时限（小时）"),
    "orders.auto_complete_days_after_delivery": gettext_lazy("送达后自动完成（天）"),
    "orders.auto_complete_days_after_shipping": gettext_lazy("发货后无送达扫描自动完成（天）"),
    "orders.flat_shipping_fen": gettext_lazy("无运费模板商品的统一运费（分）"),
    "orders.free_shipping_over_fen": gettext_lazy("统一运费的包邮门槛（分）"),
    "orders.max_quantity_per_line": gettext_lazy("购物车每行最多件数"),
    "orders.max_lines_per_cart": gettext_lazy("购物车最多行数"),
    "shipping.leg2_first_kg_fen": gettext_lazy("偏远地区第二段运费首重 1 千克（分）"),
    "shipping.leg2_next_kg_fen": gettext_lazy("偏远地区第二段运费每续 1 千克（分）"),
    "shipping.promise_spread_days": gettext_lazy("承诺送达区间的天数"),
}


def _setting_rows(typed: dict[str, str] | None, errors: dict[str, str]) -> list[dict]:
    return [
        {
            "row": row,
            "label": SETTING_LABELS.get(row.key, row.key),
            "value": row.current if typed is None else typed[row.key],
            "error": errors.get(row.key, ""),
        }
        for row in config.rows()
    ]


@require_http_methods(["GET", "POST"])
@ops_required
def rule_settings(request: HttpRequest) -> HttpResponse:
    """The rules' numbers with their defaults; ops change any of them in one save, refused whole if one is bad."""
    typed, errors, general, status = None, {}, "", 200
    if request.method == "POST":
        typed = {key: str(request.POST.get(key, ""))[:20] for key in config.DEFAULTS}
        try:
            changed = config.change(request.user, {key: int_or_raw(text) for key, text in typed.items()})
        except AnxinError as exc:
            errors, general, status = exc.fields, exc.message, exc.status
        else:
            messages.success(request, _("已保存 %(count)d 项规则参数。") % {"count": len(changed)})
            return redirect("web:ops_settings")
    context = {"rows": _setting_rows(typed, errors), "general": general}
    return render(request, "orders/ops/settings.html", context, status=status)
