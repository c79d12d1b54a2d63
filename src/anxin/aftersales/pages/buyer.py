"""The buyer's after-sales pages: 申请售后 on an order line, the case page (timeline, who acts next and by
when, the buyer's actions allowed now), the 退款/售后 tab, and the after-sales section of the order page.

Each POST makes one service call; a refusal shows the same page again with the form as typed and the
service's message beside the field it names (or at the top), under the error's own 4xx status."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.aftersales import queries, rules, services
from anxin.aftersales.models import Case
from anxin.aftersales.pages import staff
from anxin.aftersales.pages.forms import EscalateForm, MessageForm, RequestForm, ReturnForm
from anxin.core import clock
from anxin.core.errors import AnxinError, translate
from anxin.core.pages import apply_error, buyer_required, page_of
from anxin.core.rules import MEGABYTE, PHOTO_POLICY
from anxin.fulfilment import queries as fulfilment_queries
from anxin.orders import services as orders
from anxin.orders.models import Order, OrderLine
from anxin.orders.pages import sections, tabs
from anxin.payments.models import Refund

CASES_PAGE_SIZE = 20
NEW_TEMPLATE = "aftersales/buyer/case_new.html"
CASE_TEMPLATE = "aftersales/buyer/case_detail.html"
IMAGE_LIMITS = {"count": rules.MAX_EVIDENCE, "mb": PHOTO_POLICY.max_bytes // MEGABYTE}
# The service's field names, as the request form calls them.
REQUEST_FIELDS = {"amount_fen": "amount", "lines": "quantity"}

ACTORS = {rules.BUYER: gettext_lazy("您"), rules.MERCHANT: gettext_lazy("商家"), rules.OPS: gettext_lazy("平台客服")}
# What the buyer reads under "who acts next": the step awaited, and what silence does (RULES §5).
STATE_HINTS = {
    rules.PENDING_MERCHANT: gettext_lazy("等待商家处理；商家超时未处理，将自动同意您的申请。"),
    rules.OFFERED: gettext_lazy("商家提出了部分退款方案，请确认；超时未确认，视为不接受。"),
    rules.AWAITING_RETURN: gettext_lazy("请寄回商品并填写退货运单号；超时未寄回，申请将关闭。"),
    rules.RETURN_SHIPPED: gettext_lazy("等待商家确认收货；商家超时未确认，将自动退款。"),
    rules.AWAITING_REPLACEMENT: gettext_lazy("等待商家发出换货/补寄商品；商家超时未发货，您可以改为退款。"),
    rules.REPLACEMENT_LATE: gettext_lazy("商家超时未发货，您可以改为退款；超时未处理，将自动退款。"),
    rules.REPLACEMENT_SHIPPED: gettext_lazy("换货/补寄商品已发出，收到后请确认；超时将自动确认收货。"),
    rules.REJECTED: gettext_lazy("商家拒绝了申请，您可以申请平台介入；超时未申请，售后将关闭。"),
    rules.ARBITRATION: gettext_lazy("平台客服正在处理，将在期限内作出最终裁决。"),
}


# --- the order page's section and the 退款/售后 tab -----------------------------------------------------------


def _after_shipping(kinds: list[rules.Offer]) -> list[rules.Offer]:
    """The types a line's 申请售后 offers: before shipping, the order's 取消订单 asks for a refund instead."""
    return [o for o in kinds if o.code != rules.REFUND_UNSHIPPED]


def _order_section(request: HttpRequest, order: Order) -> dict[str, Any]:
    """Each line's after-sales: the case open on it, 申请售后 when some type is allowed now, or why not."""
    offers = queries.offers_for_order(order, clock.now()) if order.state in rules.SHIPPED_STATES else {}
    open_cases = queries.open_cases_by_line(order)
    rows = []
    for line in order.lines.all():
        kinds = _after_shipping(offers.get(line.pk, ([], []))[0])
        refusal = next((o.why_not for o in kinds if o.why_not is not None), None)
        rows.append(
            {
                "line": line,
                "case": open_cases.get(line.pk),
                "allowed": any(o.allowed for o in kinds),
                "why_not": translate(refusal) if refusal is not None else "",
            }
        )
    cancel_waiting = next(
        (c for c in open_cases.values() if c.kind == rules.REFUND_UNSHIPPED and c.state == rules.PENDING_MERCHANT),
        None,
    )
    return {"aftersales_rows": rows if offers else [], "cancel_waiting": cancel_waiting}


def register_buyer_pages() -> None:
    """The buyer order page's after-sales section and the 退款/售后 tab of my orders."""
    sections.register(
        "buyer", sections.Section("aftersales", "details", "aftersales/buyer/_order_section.html", _order_section)
    )
    tabs.register(
        tabs.Tab("aftersales", gettext_lazy("退款/售后"), Q(cases__isnull=False), reverse_lazy("web:case_list"))
    )


@require_GET
@buyer_required
def case_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, queries.buyer_cases(request.user), CASES_PAGE_SIZE)
    rows = [(case, deadline_of(case)) for case in page.object_list]
    context = {"page": page, "rows": rows, "tab": "aftersales", "tabs": tabs.tab_links(request.user)}
    return render(request, "aftersales/buyer/case_list.html", context)


# --- 申请售后 ------------------------------------------------------------------------------------------------


def _own_line(request: HttpRequest, order_id: int, line_id: int) -> tuple[Order, OrderLine]:
    order = orders.own_order(request.user, order_id)
    line = order.lines.filter(pk=line_id).first()
    if line is None:
        raise Http404
    return order, line


def _request_form(order: Order, line: OrderLine, data: Any = None, files: Any = None) -> tuple[RequestForm, dict]:
    """The form offering only what is allowed now, and the page's list of what is not and why."""
    every_kind, reasons = queries.offers_for_order(order, clock.now())[line.pk]
    kinds = _after_shipping(every_kind)
    any_allowed = any(o.allowed for o in kinds)
    form = RequestForm(
        data,
        files,
        allowed_kinds={o.code for o in kinds if o.allowed},
        allowed_reasons={o.code for o in reasons if o.allowed},
        most=line.quantity,
        initial={"quantity": line.quantity},
    )
    offered = {
        "image_limits": IMAGE_LIMITS,
        "kinds_refused": _refused(kinds, dict(Case.Kind.choices)),
        "reasons_refused": _refused(reasons, dict(Case.Reason.choices)) if any_allowed else [],  # one cause
        "any_allowed": any_allowed,
    }
    return form, offered


def _refused(offers: list[rules.Offer], labels: dict[str, Any]) -> list[tuple[Any, str]]:
    return [(labels[o.code], translate(o.why_not)) for o in offers if o.why_not is not None]


@require_http_methods(["GET", "POST"])
@buyer_required
def case_new(request: HttpRequest, order_id: int, order_line_id: int) -> HttpResponse:
    order, line = _own_line(request, order_id, order_line_id)
    if request.method == "GET":
        form, offered = _request_form(order, line)
        return render(request, NEW_TEMPLATE, {"order": order, "line": line, "form": form, **offered})
    form, offered = _request_form(order, line, request.POST, request.FILES)
    context = {"order": order, "line": line, "form": form, **offered}
    if not form.is_valid():
        return render(request, NEW_TEMPLATE, context, status=400)
    data = form.cleaned_data
    try:
        case = services.open_case(
            request.user,
            order.pk,
            services.Request(
                kind=data["kind"],
                reason=data["reason"],
                lines={line.pk: data["quantity"]},
                amount_fen=data["amount"],
                description=data["description"],
            ),
            request.FILES.getlist("images"),
        )
    except AnxinError as exc:
        apply_error(form, exc, REQUEST_FIELDS)
        return render(request, NEW_TEMPLATE, context, status=exc.status)
    messages.success(request, _("售后申请已提交。"))
    return redirect("web:case_detail", case_id=case.pk)


# --- the case page -------------------------------------------------------------------------------------------


def deadline_of(case: Case) -> staff.Deadline | None:
    return staff.deadline_of(case, clock.now(), ACTORS) if case.due_at is not None else None


def _refund_label(case: Case) -> str:
    """退款中 until the provider confirms the refund, then 退款成功."""
    if case.refund is None:
        return ""
    return _("退款成功") if case.refund.state == Refund.State.SUCCEEDED else _("退款中")


def _buyer_actions(case: Case) -> set[str]:
    """The steps the buyer may take in the case's state now (the state machine's own table)."""
    return {a for a, (takers, starts) in rules.ACTIONS.items() if rules.BUYER in takers and case.state in starts}


def _show_case(
    request: HttpRequest, case: Case, forms: dict[str, Any] | None = None, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "deadline": deadline_of(case),
        "lines": queries.case_lines(case),
        "timeline": queries.case_timeline(case),
        "refund_label": _refund_label(case),
        "actions": _buyer_actions(case),
        "hint": STATE_HINTS.get(case.state, ""),
        "return_form": ReturnForm(companies=fulfilment_queries.companies()),
        "escalate_form": EscalateForm(),
        "message_form": MessageForm(),
        "patterns": fulfilment_queries.tracking_examples(),
        "image_limits": IMAGE_LIMITS,
        "error": error,
        **(forms or {}),
    }
    return render(request, CASE_TEMPLATE, context, status=status)


@require_GET
@buyer_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _show_case(request, services.visible_case(request.user, case_id))


def _done(request: HttpRequest, case_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("web:case_detail", case_id=case_id)


def _refused_step(
    request: HttpRequest, case_id: int, exc: AnxinError, name: str = "", form: Any = None
) -> HttpResponse:
    """The case page again, as it stands now: a refusal about a field beside it in the form as typed; any
    other (the case moved on meanwhile) at the top, since the form may no longer be offered."""
    case = services.visible_case(request.user, case_id)
    if form is not None and exc.fields:
        apply_error(form, exc)
        return _show_case(request, case, {name: form}, status=exc.status)
    return _show_case(request, case, error=exc.message, status=exc.status)


def _unread_form(request: HttpRequest, case_id: int, name: str, form: Any) -> HttpResponse:
    """A form the page could not read (a blank required field, too long a text): shown again, nothing done."""
    return _show_case(request, services.visible_case(request.user, case_id), {name: form}, status=400)


SIMPLE_STEPS: dict[str, tuple[Callable[[Any, int], Any], Any]] = {
    "withdraw": (services.withdraw, gettext_lazy("售后申请已撤销。")),
    "accept_offer": (services.accept_offer, gettext_lazy("已接受协商方案，退款已发起。")),
    "decline_offer": (services.decline_offer, gettext_lazy("已不接受协商方案，您可以申请平台介入。")),
    "convert_to_refund": (services.convert_to_refund, gettext_lazy("已改为退款，退款已发起。")),
    "confirm_replacement": (services.confirm_replacement, gettext_lazy("已确认收到商品，售后完成。")),
}


@require_POST
@buyer_required
def case_step(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    """A step without a form (withdraw, accept or decline the offer, convert to refund, confirm receipt)."""
    service, done = SIMPLE_STEPS[step]
    try:
        service(request.user, case_id)
    except AnxinError as exc:
        return _refused_step(request, case_id, exc)
    return _done(request, case_id, str(done))


@require_POST
@buyer_required
def case_ship_return(request: HttpRequest, case_id: int) -> HttpResponse:
    form = ReturnForm(request.POST, companies=fulfilment_queries.companies())
    if not form.is_valid():
        return _unread_form(request, case_id, "return_form", form)
    try:
        case = services.ship_return(
            request.user,
            case_id,
            carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"],
        )
    except AnxinError as exc:
        return _refused_step(request, case_id, exc, "return_form", form)
    if case.instant:
        return _done(request, case_id, _("已填写退货运单号。极速退款：退款已发起，无需等待商家收货。"))
    return _done(request, case_id, _("已填写退货运单号，等待商家收货。"))


@require_POST
@buyer_required
def case_escalate(request: HttpRequest, case_id: int) -> HttpResponse:
    form = EscalateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _unread_form(request, case_id, "escalate_form", form)
    try:
        services.escalate(request.user, case_id, form.cleaned_data["text"], request.FILES.getlist("images"))
    except AnxinError as exc:
        return _refused_step(request, case_id, exc, "escalate_form", form)
    return _done(request, case_id, _("已申请平台介入，平台客服将尽快裁决。"))


@require_POST
@buyer_required
def case_message(request: HttpRequest, case_id: int) -> HttpResponse:
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _unread_form(request, case_id, "message_form", form)
    try:
        services.add_message(request.user, case_id, form.cleaned_data["text"], request.FILES.getlist("images"))
    except AnxinError as exc:
        return _refused_step(request, case_id, exc, "message_form", form)
    return _done(request, case_id, _("留言已发送。"))
