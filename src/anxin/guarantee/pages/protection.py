"""价保 on the order pages: the buyer's section (each line's window, what was paid back, 申请价保 while it can
pay) and its POST, and the merchant's section (the payouts charged to the shop). Registered from apps.py."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from anxin.core import clock
from anxin.core.errors import AnxinError, NotFound
from anxin.core.money import format_fen
from anxin.guarantee.queries import protection as queries
from anxin.guarantee.services import protection as services
from anxin.orders.models import Order
from anxin.orders.pages.sections import Refused, Section, register

SECTION = "price_protection"


def _buyer_rows(request: HttpRequest, order: Order) -> dict[str, Any]:
    now = clock.now()
    rows = [
        {
            "line": row.line,
            "days": row.days,
            "ends_at": row.assessment.window.end if row.assessment.window else None,
            "protected_fen": row.protected_fen,
            "claimable": row.claimable(now),
        }
        for row in queries.order_protection(order, now)
    ]
    return {"protection_rows": rows}


def claim(request: HttpRequest, order: Order) -> HttpResponse | Refused:
    """申请价保 on the line the button names: paid, back to the order with the amount; refused, the order page
    again (409) with the reason at the top."""
    line_id = request.POST.get("line", "")
    if not line_id.isdigit():
        raise NotFound(_("找不到这件商品。"))
    try:
        payout = services.claim_protection(request.user, order.pk, int(line_id))
    except NotFound:
        raise
    except AnxinError as exc:
        return Refused(exc.status, error=exc.message)
    messages.success(request, _("已保价 %(amount)s，将原路退回。") % {"amount": format_fen(payout.amount_fen)})
    return HttpResponseRedirect(reverse("web:order_detail", args=[order.pk]))


def _merchant_payouts(request: HttpRequest, order: Order) -> dict[str, Any]:
    payouts = queries.payouts_of_order(order)
    return {"protection_payouts": payouts, "protection_total_fen": sum(p.amount_fen for p in payouts)}


def register_order_sections() -> None:
    register("buyer", Section(SECTION, "details", "guarantee/protection/buyer_section.html", _buyer_rows, post=claim))
    register("seller", Section(SECTION, "details", "guarantee/protection/seller_section.html", _merchant_payouts))
