"""买贵必赔 pages for buyers: the order page's section (申请 on each eligible line, or the line's claim), the
claim form, the claim's page with its decision and reasons at once, and 我的买贵必赔. Each POST makes one
service call; a refusal shows the form again as typed, the message beside its field, under its 4xx."""

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anxin.core import clock
from anxin.core.errors import AnxinError, translate
from anxin.core.money import format_fen
from anxin.core.pages import apply_error, buyer_required, page_of
from anxin.core.rules import MEGABYTE, PHOTO_POLICY
from anxin.guarantee import platforms, rules
from anxin.guarantee.models import Claim
from anxin.guarantee.pages.forms import ClaimForm
from anxin.guarantee.queries import claims as queries
from anxin.guarantee.services import claims as services
from anxin.orders import services as orders
from anxin.orders.models import Order, OrderLine
from anxin.orders.pages.sections import Section, register

SECTION = "price_claims"
NEW_TEMPLATE = "guarantee/claims/claim_new.html"
LIST_PAGE_SIZE = 20
IMAGE_LIMITS = {"count": rules.SCREENSHOTS_MAX, "mb": PHOTO_POLICY.max_bytes // MEGABYTE}
FIELDS = {"screenshots": "screenshots", "image": "screenshots", "key": "__all__"}


def _order_rows(request: HttpRequest, order: Order) -> dict[str, Any]:
    return {
        "claim_rows": queries.order_lines_claims(order, clock.now()),
        "claim_window_days": queries.limits().window_days,
    }


def register_order_sections() -> None:
    register("buyer", Section(SECTION, "details", "guarantee/claims/buyer_section.html", _order_rows))


def _own_line(request: HttpRequest, order_id: int, line_id: int) -> tuple[Order, OrderLine]:
    order = orders.own_order(request.user, order_id)
    line = order.lines.filter(pk=line_id).first()
    if line is None:
        raise Http404
    return order, line


def platform_name(code: str) -> str:
    known = platforms.PLATFORMS.get(code)
    return translate(known.name) if known else code


@require_http_methods(["GET", "POST"])
@buyer_required
def claim_new(request: HttpRequest, order_id: int, order_line_id: int) -> HttpResponse:
    """申请买贵必赔 on one line; the form carries its own key, so sending it twice files one claim."""
    order, line = _own_line(request, order_id, order_line_id)
    context: dict[str, Any] = {"order": order, "line": line, "image_limits": IMAGE_LIMITS}
    if request.method == "GET":
        return render(request, NEW_TEMPLATE, {**context, "form": ClaimForm(), "key": secrets.token_hex(12)})
    form = ClaimForm(request.POST, request.FILES)
    key = request.POST.get("key", "")
    context.update(form=form, key=key)
    if not form.is_valid():
        return render(request, NEW_TEMPLATE, context, status=400)
    data = form.cleaned_data
    evidence = services.Evidence(
        data["platform"], data["url"], data["title"], data["price_seen"], data["spec_text"], data["pay_to"]
    )
    try:
        claim = services.open_claim(
            request.user, order.pk, line.pk, evidence, request.FILES.getlist("screenshots"), key
        )
    except AnxinError as exc:
        apply_error(form, exc, FIELDS)
        return render(request, NEW_TEMPLATE, context, status=exc.status)
    if claim.state == Claim.State.APPROVED:
        messages.success(request, _("已赔付 %(amount)s。") % {"amount": format_fen(claim.compensation_fen)})
    return redirect("web:price_claim", claim_id=claim.pk)


@require_GET
@buyer_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The claim with its decision and reasons (another buyer's is 404)."""
    claim = queries.buyer_claim(request.user, claim_id)
    context = {
        "claim": claim,
        "reason": queries.reason_text(claim),
        "differing": queries.differing_reasons(claim),
        "overdue": queries.is_overdue(claim, clock.now()),
        "platform_name": platform_name(claim.platform),
    }
    return render(request, "guarantee/claims/claim_detail.html", context)


@require_GET
@buyer_required
def claim_list(request: HttpRequest) -> HttpResponse:
    """我的买贵必赔."""
    page = page_of(request, queries.buyer_claims(request.user), LIST_PAGE_SIZE)
    rows = [(claim, queries.reason_text(claim)) for claim in page.object_list]
    return render(request, "guarantee/claims/claim_list.html", {"page": page, "rows": rows})
