"""The ops console's after-sales (role ops only): the arbitration queue by its 48-hour deadline (overdue
highlighted; measured, never defaulted), an escalated case with both sides' evidence and words and the
ruling form, and the after-sales figures as tables and server-drawn SVG bars."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anxin.aftersales import queries, rules, services
from anxin.aftersales.pages.staff import MessageForm, RulingForm, case_context, run_action, uploads, with_deadlines
from anxin.core import clock
from anxin.core.money import format_fen
from anxin.core.pages import DaysForm, bar_chart, chosen_days, ops_required, page_of

QUEUE_PAGE_SIZE = 50
TEMPLATE = "aftersales/ops/case_detail.html"


@require_GET
@ops_required
def queue(request: HttpRequest) -> HttpResponse:
    page = page_of(request, queries.arbitration_queue(), QUEUE_PAGE_SIZE)
    context = {"page": page, "rows": with_deadlines(page.object_list, clock.now())}
    return render(request, "aftersales/ops/queue.html", context)


def _case_page(request: HttpRequest, case_id: int, status: int = 200, **bound: forms.Form) -> HttpResponse:
    case = services.visible_case(request.user, case_id)
    context = {
        **case_context(case, rules.OPS, bound),
        "ruling_form": RulingForm(),
        "message_form": MessageForm(),
        "payable_fen": queries.merchant_payable_fen(case.merchant_id),
        **bound,
    }
    return render(request, TEMPLATE, context, status=status)


@require_GET
@ops_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_page(request, case_id)


def _act(request: HttpRequest, case_id: int, name: str, form: forms.Form, act, **options) -> HttpResponse:
    return run_action(
        request,
        form,
        act,
        done_url=reverse("web:ops_case", args=[case_id]),
        show_again=lambda shown, status: _case_page(request, case_id, status, **{name: shown}),
        **options,
    )


def _blank_or(value: int | None) -> int | str:
    return "" if value is None else value


@require_POST
@ops_required
def rule(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(data: dict) -> str:
        case = services.rule(
            request.user,
            case_id,
            ruling=data["ruling"],
            note=data["note"],
            amount_fen=_blank_or(data["amount"]),
            charge_fen=_blank_or(data["charge"]),
        )
        if case.refunded_fen:
            return _("已裁决：退款 %(amount)s。") % {"amount": format_fen(case.refunded_fen)}
        return _("已裁决：%(ruling)s。") % {"ruling": case.get_ruling_display()}

    aliases = {"amount_fen": "amount", "charge_fen": "charge"}
    return _act(request, case_id, "ruling_form", RulingForm(request.POST), act, aliases=aliases)


@require_POST
@ops_required
def message(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(data: dict) -> str:
        services.add_message(request.user, case_id, data["text"], uploads(data))
        return _("留言已发送。")

    return _act(request, case_id, "message_form", MessageForm(request.POST, request.FILES), act)


# --- figures ------------------------------------------------------------------------------------------------


def _chart(key: str, title: str, rows: list[queries.FigureRow]) -> dict:
    return bar_chart(key, title, [(row.label, row.cases, row.cases) for row in rows], _("这段时间没有售后单。"))


@require_GET
@ops_required
def figures(request: HttpRequest) -> HttpResponse:
    form = DaysForm(request.GET)
    days = chosen_days(form, timezone.localdate(clock.now()))
    found = queries.figures(days.since, days.until)
    median = found.median_refund_seconds
    context = {
        "form": form,
        "start": days.first,
        "end": days.last,
        "figures": found,
        "median_hours": None if median is None else median / 3600,
        "charts": [
            _chart("by-type", _("按售后类型"), found.by_type),
            _chart("by-reason", _("按售后原因"), found.by_reason),
        ],
        "tables": [
            ("by-type", _("按售后类型"), found.by_type),
            ("by-reason", _("按售后原因"), found.by_reason),
            ("by-merchant", _("按商家"), found.by_merchant),
            ("by-category", _("按类目（首件商品）"), found.by_category),
        ],
    }
    return render(request, "aftersales/ops/figures.html", context, status=200 if form.is_valid() else 400)
