"""The ops console's after-sales (role ops only): the arbitration queue by its 48-hour deadline (overdue
highlighted; measured, never defaulted), an escalated case with both sides' evidence and words and the
ruling form, and the after-sales figures as tables and server-drawn SVG bars."""

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from anxin.aftersales import queries, rules, services
from anxin.aftersales.pages.staff import MessageForm, RulingForm, case_context, run_action, uploads, with_deadlines
from anxin.core import clock
from anxin.core.money import format_fen
from anxin.core.pages import bar_height, ops_required, page_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

QUEUE_PAGE_SIZE = 50
FIGURES_DEFAULT_DAYS = 30
FIGURES_MAX_DAYS = 366
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


def _date_field(label: "StrOrPromise") -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class RangeForm(forms.Form):
    start = _date_field(gettext_lazy("开始日期"))
    end = _date_field(gettext_lazy("结束日期"))

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", gettext_lazy("结束日期不能早于开始日期。"))
        elif start and end and (end - start).days >= FIGURES_MAX_DAYS:
            self.add_error("end", gettext_lazy("日期范围最长 %(n)d 天。") % {"n": FIGURES_MAX_DAYS})
        return data


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _range(data: dict, today: date) -> tuple[date, date]:
    """The days asked for (both included); by default the last 30 days up to today."""
    end = data.get("end") or today
    return data.get("start") or end - timedelta(days=FIGURES_DEFAULT_DAYS - 1), end


BAR_ROW_PX = 28


def _chart(key: str, title: str, rows: list[queries.FigureRow]) -> dict:
    """A horizontal bar per row, its length in percent of the largest: what the SVG partial draws."""
    peak = max((row.cases for row in rows), default=0)
    return {
        "id": key,
        "title": title,
        "bars": [(row, bar_height(row.cases, peak)) for row in rows],
        "height": max(len(rows), 1) * BAR_ROW_PX + 8,
        "row_px": BAR_ROW_PX,
    }


@require_GET
@ops_required
def figures(request: HttpRequest) -> HttpResponse:
    form = RangeForm(request.GET)
    valid = form.is_valid()
    start, end = _range(form.cleaned_data if valid else {}, timezone.localdate(clock.now()))
    found = queries.figures(_local_midnight(start), _local_midnight(end + timedelta(days=1)))
    median = found.median_refund_seconds
    context = {
        "form": form,
        "start": start,
        "end": end,
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
    return render(request, "aftersales/ops/figures.html", context, status=200 if valid else 400)
