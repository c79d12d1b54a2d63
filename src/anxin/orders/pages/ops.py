"""The ops console's orders (role ops only): orders by state, payments, ledger balances and the last audit the
worker ran; lookup by order number, buyer or merchant; an order's page, where ops cancel it, refund a line and
keep notes; the rules' numbers."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.core import audit, config, ledger
from anxin.core.errors import AnxinError
from anxin.core.money import format_fen
from anxin.core.pages import apply_error, int_or_raw, ops_required, page_of
from anxin.orders import queries
from anxin.orders import services as orders
from anxin.orders.models import Order
from anxin.orders.pages import sections
from anxin.orders.pages.common import ORDER_STATES, show_order, state_filter, timeline
from anxin.orders.pages.forms import OpsCancelForm, OpsRefundForm, OrderNoteForm, PaymentFilterForm

RECENT_ORDERS = 30
LOOKUP_LIMIT = 50
PAYMENTS_PER_PAGE = 50

# The platform's own accounts in words (a merchant's payable is named by its shop).
ACCOUNT_LABELS = {
    ledger.PROVIDER_CLEARING: gettext_lazy("支付渠道清算"),
    ledger.ESCROW: gettext_lazy("托管（买家已付、订单未结算）"),
    ledger.REFUNDS_PAYABLE: gettext_lazy("待退给买家（支付渠道未确认）"),
    ledger.PLATFORM_SUBSIDY: gettext_lazy("平台补贴（偏远地区第二段运费）"),
    ledger.CARRIERS_PAYABLE: gettext_lazy("应付快递公司"),
    ledger.PLATFORM_ADVANCES: gettext_lazy("平台垫付的极速退款（待向商家收回）"),
    ledger.PLATFORM_ADVANCE_LOSSES: gettext_lazy("平台承担的极速退款（裁定支持商家）"),
    ledger.PLATFORM_SHIPPING_INSURANCE: gettext_lazy("运费险（平台承担的退货运费）"),
    ledger.PLATFORM_COMPENSATION: gettext_lazy("平台赔付（买贵必赔、补偿优惠券）"),
    ledger.PLATFORM_CAMPAIGNS: gettext_lazy("平台营销（活动与关怀优惠券）"),
}


# The refund reasons the code gives (ops' own refunds keep what they typed).
REFUND_REASONS = {"buyer_cancelled_before_shipping": gettext_lazy("买家在发货前取消")}


def _ledger(rows: list[queries.LedgerRow]) -> list[dict[str, Any]]:
    return [
        {
            "name": _("应付商家：%(shop)s") % {"shop": row.merchant_name}
            if row.merchant_name
            else str(ACCOUNT_LABELS.get(row.code, row.code)),
            "code": row.code,
            "balance_fen": row.balance_fen,
        }
        for row in rows
    ]


def _audit_checks(run) -> list[tuple[str, list[str]]]:
    return [(audit.label(name), problems) for name, problems in run.problems.items()] if run else []


@require_GET
@ops_required
def dashboard(request: HttpRequest) -> HttpResponse:
    by_state = queries.counts_by_state()
    state = state_filter(request)
    recent = queries.ops_orders()
    if state:
        recent = recent.filter(state=state)
    audit_run = audit.last_run()
    context = {
        "states": [(code, label, by_state.get(code, 0)) for code, label in ORDER_STATES],
        "state": state,
        "orders": list(recent[:RECENT_ORDERS]),
        "payments": queries.recent_payments(),
        "accounts": _ledger(queries.ledger_rows()),
        "audit_run": audit_run,
        "audit_checks": _audit_checks(audit_run),
    }
    return render(request, "orders/ops/dashboard.html", context)


@require_GET
@ops_required
def ledger_page(request: HttpRequest) -> HttpResponse:
    return render(request, "orders/ops/ledger.html", {"accounts": _ledger(queries.ledger_rows())})


@require_GET
@ops_required
def payment_list(request: HttpRequest) -> HttpResponse:
    form = PaymentFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "orders/ops/payments.html", {"form": form, "page": None}, status=400)
    filters = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    page = page_of(request, queries.ops_payments(filters), PAYMENTS_PER_PAGE)
    paid = queries.orders_paid_by(list(page))
    for payment in page:
        payment.orders_paid = paid.get(payment.pk, [])
    return render(request, "orders/ops/payments.html", {"form": form, "page": page})


@require_GET
@ops_required
def lookup(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:80]
    found = queries.lookup(text, LOOKUP_LIMIT) if text else {"orders": [], "buyers": [], "merchants": []}
    return render(request, "orders/ops/lookup.html", {"q": text, **found})


def _ops_timeline(order: Order) -> list[dict[str, Any]]:
    """The order's timeline with what only ops see: their notes, why ops cancelled, each refund's amount."""
    items = timeline(order)
    for item in items:
        data = item["data"]
        if item["kind"] == "order.refunded":
            reason = str(REFUND_REASONS.get(data.get("reason", ""), data.get("reason", "")))
            item["note"] = " · ".join(filter(None, [format_fen(data.get("refunded_fen", 0)), reason]))
        elif data.get("note"):
            item["note"] = data["note"]
    notes = [
        {
            "label": _("运营备注"),
            "at": note.created_at,
            "kind": "note",
            "data": {},
            "note": f"{note.text} — {note.author}",
        }
        for note in queries.notes_of(order)
    ]
    return sorted(items + notes, key=lambda item: item["at"])


def _order_page(
    request: HttpRequest, order: Order, *, refused=None, forms_shown: dict[str, forms.Form] | None = None, status=200
) -> HttpResponse:
    lines = list(order.lines.all())
    shown = forms_shown or {}
    context = {
        "payment": queries.payment_of(order),
        "timeline": _ops_timeline(order),
        "cancel_form": OpsCancelForm(),
        "refund_form": OpsRefundForm(lines=lines, initial={"number": queries.next_ops_refund_number(order)}),
        "note_form": OrderNoteForm(),
        # A refused form is shown with its message even when the order's state no longer offers it.
        "can_cancel": "cancel_form" in shown or order.state in (Order.State.PENDING_PAYMENT, Order.State.PAID),
        "can_refund": "refund_form" in shown
        or (order.state != Order.State.PENDING_PAYMENT and order.refunded_fen < order.total_fen),
        **shown,
    }
    return show_order(request, order, "ops", "orders/ops/order_detail.html", context, status=status, refused=refused)


def _ops_order(order_id: int) -> Order:
    order = queries.ops_order(order_id)
    if order is None:
        raise Http404
    return order


@require_http_methods(["GET", "POST"])
@ops_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    """A POST goes to the section it names (`section`): e.g. assigning the courier who hands it over."""
    order = _ops_order(order_id)
    refused = None
    if request.method == "POST":
        outcome = sections.post_to(request, order, "ops", request.POST.get("section", ""))
        if not isinstance(outcome, tuple):
            return outcome
        refused = outcome
    return _order_page(request, order, refused=refused)


def _act(
    request: HttpRequest,
    order_id: int,
    name: str,
    form: forms.Form,
    act: Callable[[dict], str],
    *,
    error_field: str = "",
) -> HttpResponse:
    """One of the order page's actions: done, back to the order with what was done; refused, the page again
    with that form and the service's message beside the field it names (or beside `error_field`), the order
    read again as it is after the refusal."""
    status = 400
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except AnxinError as exc:
            if error_field:
                form.add_error(error_field, exc.message)
            else:
                apply_error(form, exc)
            status = exc.status
        else:
            messages.success(request, done)
            return redirect("web:ops_order", order_id)
    return _order_page(request, _ops_order(order_id), forms_shown={name: form}, status=status)


@require_POST
@ops_required
def order_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    def cancel(data: dict) -> str:
        order = orders.cancel_by_ops(request.user, order_id, note=data["note"])
        return _("订单 %(number)s 已取消。") % {"number": order.number}

    return _act(request, order_id, "cancel_form", OpsCancelForm(request.POST), cancel)


@require_POST
@ops_required
def order_refund(request: HttpRequest, order_id: int) -> HttpResponse:
    def refund(data: dict) -> str:
        done = orders.refund_by_ops(
            request.user,
            order_id,
            line_id=data["line"],
            amount_fen=data["amount_fen"],
            reason=data["reason"],
            key=data["number"],
        )
        return _("已退款 %(amount)s，款项原路退回买家。") % {"amount": format_fen(done.amount_fen)}

    lines = list(_ops_order(order_id).lines.all())
    form = OpsRefundForm(request.POST, lines=lines)
    return _act(request, order_id, "refund_form", form, refund, error_field="amount")


@require_POST
@ops_required
def order_note(request: HttpRequest, order_id: int) -> HttpResponse:
    def note(data: dict) -> str:
        orders.add_note(request.user, order_id, data["text"])
        return _("备注已保存。")

    return _act(request, order_id, "note_form", OrderNoteForm(request.POST), note)


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
    "guarantee.claim_window_days": gettext_lazy("买贵必赔：付款后可申请（天）"),
    "guarantee.max_paid_claims": gettext_lazy("买贵必赔：每位买家 30 天内最多获赔次数"),
    "guarantee.max_paid_fen": gettext_lazy("买贵必赔：每位买家 30 天内最多获赔金额（分）"),
    "guarantee.feed_fresh_hours": gettext_lazy("买贵必赔：比价数据有效时长（小时）"),
    "guarantee.review_hours": gettext_lazy("买贵必赔：人工审核时限（小时）"),
    "guarantee.fraud_buyers": gettext_lazy("买贵必赔：同一链接或截图超过几位买家即转人工"),
    "guarantee.charge_merchant_enrolled": gettext_lazy("买贵必赔：商家报名商品由商家赔付（1 是，0 否）"),
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
