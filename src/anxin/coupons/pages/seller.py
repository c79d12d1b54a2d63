"""The seller center's 发放优惠券 page: coupons for the shop's own goods, paid from what it is owed."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from anxin.core.pages import staff_required
from anxin.coupons import services
from anxin.coupons.pages.issue import issue_page


@staff_required
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest) -> HttpResponse:
    return issue_page(request, services.issue_by_merchant, "coupons/seller/issue.html")
