"""The ops console's 买贵必赔 review queue (role ops only): the claims waiting for a person by their 48-hour
deadline (overdue highlighted), each with the buyer's evidence, the feed's offer and capture and the matcher's
reasons side by side, its fraud signals, and the approve / reject forms."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from anxin.core import clock
from anxin.core.errors import AnxinError
from anxin.core.money import format_fen, parse_yuan
from anxin.core.pages import ops_required
from anxin.guarantee import rules
from anxin.guarantee.models import Claim
from anxin.guarantee.pages.claims import platform_name
from anxin.guarantee.pages.forms import ApproveClaimForm, RejectClaimForm
from anxin.guarantee.queries import claims as queries
from anxin.guarantee.services import claims as services

TEMPLATE = "guarantee/claims/ops_queue.html"
SIGNALS = {
    rules.URL_SIGNAL: gettext_lazy("24 小时内超过 3 位买家申请了同一链接"),
    rules.SCREENSHOT_SIGNAL: gettext_lazy("24 小时内超过 3 位买家提交了同一张截图"),
}


def _row(claim: Claim, now, bound: dict[str, forms.Form]) -> dict:
    mine = bound.get("claim_id") == claim.pk
    return {
        "claim": claim,
        "platform": platform_name(claim.platform),
        "signals": [SIGNALS.get(code, code) for code in claim.signals],
        "reasons": queries.match_reasons(claim),
        "overdue": queries.is_overdue(claim, now),
        "approve_form": bound["approve_form"] if mine and "approve_form" in bound else ApproveClaimForm(),
        "reject_form": bound["reject_form"] if mine and "reject_form" in bound else RejectClaimForm(),
    }


def _queue(request: HttpRequest, status: int = 200, error: str = "", **bound) -> HttpResponse:
    now = clock.now()
    rows = [_row(claim, now, bound) for claim in queries.review_queue()]
    return render(request, TEMPLATE, {"rows": rows, "error": error}, status=status)


@require_GET
@ops_required
def queue(request: HttpRequest) -> HttpResponse:
    return _queue(request)


@require_POST
@ops_required
def approve(request: HttpRequest, claim_id: int) -> HttpResponse:
    form = ApproveClaimForm(request.POST)
    amount = None
    if form.is_valid() and form.cleaned_data["amount"]:
        try:
            amount = parse_yuan(form.cleaned_data["amount"])
        except ValueError:
            form.add_error("amount", _("请填写金额，如 12.50。"))
    if not form.is_valid():
        return _queue(request, 400, claim_id=claim_id, approve_form=form)
    try:
        claim = services.approve(request.user, claim_id, amount)
    except AnxinError as exc:
        return _queue(request, exc.status, exc.message, claim_id=claim_id, approve_form=form)
    messages.success(request, _("已赔付 %(amount)s。") % {"amount": format_fen(claim.compensation_fen)})
    return redirect("web:ops_price_claims")


@require_POST
@ops_required
def reject(request: HttpRequest, claim_id: int) -> HttpResponse:
    form = RejectClaimForm(request.POST)
    if not form.is_valid():
        return _queue(request, 400, claim_id=claim_id, reject_form=form)
    try:
        services.reject(request.user, claim_id, form.cleaned_data["reason"])
    except AnxinError as exc:
        return _queue(request, exc.status, exc.message, claim_id=claim_id, reject_form=form)
    messages.success(request, _("已驳回申请。"))
    return redirect("web:ops_price_claims")
