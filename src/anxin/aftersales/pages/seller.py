"""The seller center's after-sales (merchant staff only): the shop's queue by deadline with live countdowns,
the overdue first, and a case's page with the merchant's actions allowed now (approve, reject with reason and
evidence, offer a partial refund, confirm the return arrived, ship the replacement, add a message).

Another shop's case answers 404, as does the whole section for any other role.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anxin.aftersales import queries, rules, services
from anxin.aftersales.models import Case
from anxin.aftersales.pages.staff import (
    MessageForm,
    OfferForm,
    RejectForm,
    ShipReplacementForm,
    case_context,
    run_action,
    uploads,
    with_deadlines,
)
from anxin.core import clock
from anxin.core.money import format_fen
from anxin.core.pages import page_of, staff_required
from anxin.fulfilment import queries as fulfilment

QUEUE_PAGE_SIZE = 30
TEMPLATE = "aftersales/seller/case_detail.html"


def _shop_of(request: HttpRequest) -> int:
    """The signed-in staff member's shop (`staff_required` let only merchant staff in)."""
    merchant_id = getattr(request.user, "merchant_id", None)
    assert isinstance(merchant_id, int)
    return merchant_id


@require_GET
@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in rules.STATES else ""
    merchant_id = _shop_of(request)
    page = page_of(request, queries.merchant_queue(merchant_id, state), QUEUE_PAGE_SIZE)
    context = {
        "page": page,
        "rows": with_deadlines(page.object_list, clock.now()),
        "states": Case.State.choices,
        "state": state,
        "payable_fen": queries.merchant_payable_fen(merchant_id),
    }
    return render(request, "aftersales/seller/case_list.html", context)


def _forms(**bound: forms.Form) -> dict[str, forms.Form]:
    shown: dict[str, forms.Form] = {
        "reject_form": RejectForm(),
        "offer_form": OfferForm(),
        "ship_form": ShipReplacementForm(companies=tuple(fulfilment.companies())),
        "message_form": MessageForm(),
    }
    return {**shown, **bound}


def _case_page(request: HttpRequest, case_id: int, status: int = 200, **bound: forms.Form) -> HttpResponse:
    case = services.visible_case(request.user, case_id)
    context = {**case_context(case, rules.MERCHANT, bound), **_forms(**bound)}
    context["payable_fen"] = queries.merchant_payable_fen(case.merchant_id)
    context["escalate_days"] = rules.ESCALATE_DAYS
    return render(request, TEMPLATE, context, status=status)


@require_GET
@staff_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_page(request, case_id)


def _act(request: HttpRequest, case_id: int, name: str, form: forms.Form, act, **options) -> HttpResponse:
    return run_action(
        request,
        form,
        act,
        done_url=reverse("web:seller_case", args=[case_id]),
        show_again=lambda shown, status: _case_page(request, case_id, status, **{name: shown}),
        **options,
    )


@require_POST
@staff_required
def approve(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(data: dict) -> str:
        services.approve(request.user, case_id)
        return _("已同意售后申请。")

    return _act(request, case_id, "approve_form", forms.Form(request.POST), act)


@require_POST
@staff_required
def reject(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(data: dict) -> str:
        services.reject(request.user, case_id, data["why"], uploads(data))
        return _("已拒绝，买家可在 %(days)d 天内申请平台介入。") % {"days": rules.ESCALATE_DAYS}

    return _act(request, case_id, "reject_form", RejectForm(request.POST, request.FILES), act)


@require_POST
@staff_required
def offer(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(data: dict) -> str:
        done = services.offer(request.user, case_id, data["offer"] if data["offer"] is not None else "")
        return _("已向买家提出部分退款 %(amount)s，等待买家确认。") % {"amount": format_fen(done.offer_fen or 0)}

    return _act(request, case_id, "offer_form", OfferForm(request.POST), act, aliases={"offer_fen": "offer"})


@require_POST
@staff_required
def receive(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(data: dict) -> str:
        services.receive(request.user, case_id)
        return _("已确认收到退货。")

    return _act(request, case_id, "receive_form", forms.Form(request.POST), act)


@require_POST
@staff_required
def ship_replacement(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(data: dict) -> str:
        services.ship_replacement(
            request.user, case_id, carrier=data["carrier"], tracking_number=data["tracking_number"]
        )
        return _("换货/补寄商品已发出。")

    form = ShipReplacementForm(request.POST, companies=tuple(fulfilment.companies()))
    return _act(request, case_id, "ship_form", form, act)


@require_POST
@staff_required
def message(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(data: dict) -> str:
        services.add_message(request.user, case_id, data["text"], uploads(data))
        return _("留言已发送。")

    return _act(request, case_id, "message_form", MessageForm(request.POST, request.FILES), act)
