"""我的优惠券: the buyer's coupons by tab (available, used, expired)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from anxin.core.pages import buyer_required, page_of
from anxin.coupons import queries, rules

PAGE_SIZE = 20
TAB_LABELS = {rules.AVAILABLE: _("可使用"), rules.USED: _("已使用"), rules.EXPIRED: _("已过期")}


@buyer_required
@require_GET
def wallet(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", rules.AVAILABLE)
    if tab not in queries.TABS:
        tab = rules.AVAILABLE
    page = page_of(request, queries.wallet(request.user, tab), PAGE_SIZE)
    tabs = [(code, label, code == tab) for code, label in TAB_LABELS.items()]
    return render(request, "coupons/buyer/wallet.html", {"page": page, "tab": tab, "tabs": tabs})
