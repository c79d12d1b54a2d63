"""The ops console (role ops only): orders by state, payments, ledger balances, the audit, lookup, and the
remote-region program's settings and figures."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anxin.accounts.models import User
from anxin.catalog.models import Merchant
from anxin.core import audit, clock, ledger
from anxin.core.errors import AnxinError
from anxin.core.money import format_fen, parse_yuan
from anxin.fulfilment import queries as fulfilment
from anxin.geo import queries as geo
from anxin.geo.data import DEFAULT_HUB_CODE
from anxin.orders.models import Order, OrderLine
from anxin.payments.models import Payment
from anxin.shipping import queries as shipping_queries
from anxin.shipping import services as shipping
from anxin.web.templatetags.anxin_web import bar_height
from anxin.web.views import ORDER_STATES, role_required, timeline, tracking_context

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
    payment = Payment.objects.filter(checkout__pk=order.checkout_id).first()
    context = {
        "order": order,
        "payment": payment,
        "timeline": timeline(order),
        "show_flags": True,
        **tracking_context(order),
    }
    return render(request, "web/ops/order_detail.html", context)


# --- the remote-region program (偏远包邮) --------------------------------------------------------------------

FIGURE_WINDOWS = (7, 30, 90)


def _program_rows(data=None) -> list[dict]:
    """The 31 provinces with their remote flag and hub: as stored, or as typed when `data` is given."""
    rows = []
    for province in geo.children(None):
        if data is None:
            remote, hub = province.is_remote, province.hub_code or DEFAULT_HUB_CODE
        else:
            remote = bool(data.get(f"remote_{province.code}"))
            hub = str(data.get(f"hub_{province.code}", "")).strip()[:6]
        rows.append({"code": province.code, "name": province.name, "remote": remote, "hub": hub, "error": ""})
    return rows


def _yuan_or_error(text: str, errors: dict, key: str) -> int | None:
    text = (text or "").strip()
    try:
        fen = parse_yuan(text) if text and len(text) <= 20 else None
    except ValueError:
        fen = None
    if fen is None:
        errors[key] = _("请输入金额，例如 6.00。")
    return fen


@require_http_methods(["GET", "POST"])
@ops_required
def remote_program(request):
    program = shipping_queries.remote_program()
    values = {
        "leg2_first_kg": format_fen(program.leg2_first_kg_fen).lstrip("¥"),
        "leg2_next_kg": format_fen(program.leg2_next_kg_fen).lstrip("¥"),
    }
    errors: dict[str, str] = {}
    general = ""
    status = 200
    if request.method == "GET":
        rows = _program_rows()
    else:
        values = {key: str(request.POST.get(key, ""))[:20] for key in values}
        first = _yuan_or_error(values["leg2_first_kg"], errors, "leg2_first_kg_fen")
        following = _yuan_or_error(values["leg2_next_kg"], errors, "leg2_next_kg_fen")
        rows = _program_rows(request.POST)
        remote = {row["code"]: row["hub"] for row in rows if row["remote"]}
        if errors:
            general, status = _("偏远地区设置有误。"), 400
        else:
            try:
                shipping.update_remote_program(
                    request.user, remote=remote, leg2_first_kg_fen=first, leg2_next_kg_fen=following
                )
            except AnxinError as exc:
                errors, general, status = exc.fields, exc.message, exc.status
            else:
                messages.success(request, _("偏远地区设置已保存。"))
                return redirect("web:ops_remote")
        for row in rows:
            row["error"] = errors.get(f"remote.{row['code']}", "")
    context = {
        "rows": rows,
        "values": values,
        "errors": errors,
        "general": general,
        "default_hub": DEFAULT_HUB_CODE,
    }
    return render(request, "web/ops/remote_program.html", context, status=status)


@require_GET
@ops_required
def remote_figures(request):
    try:
        days = int(request.GET.get("days", "30"))
    except ValueError:
        days = 30
    if days not in FIGURE_WINDOWS:
        days = 30
    figures = fulfilment.remote_figures(days, timezone.localdate(clock.now()))
    peak = figures.peak
    regions = [
        {
            "figures": region,
            "bars": [(day, n, bar_height(n, peak)) for day, n in zip(figures.dates, region.per_day, strict=True)],
        }
        for region in figures.regions
    ]
    per_day = [
        {"day": day, "counts": [region.per_day[i] for region in figures.regions], "total": figures.remote.per_day[i]}
        for i, day in enumerate(figures.dates)
    ]
    context = {
        "figures": figures,
        "regions": regions,
        "per_day": list(reversed(per_day)),
        "windows": FIGURE_WINDOWS,
        "avg_subsidy_fen": figures.remote.subsidy_fen // figures.remote.leg2_count if figures.remote.leg2_count else 0,
    }
    return render(request, "web/ops/remote_figures.html", context)
