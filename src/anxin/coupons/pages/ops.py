"""The ops console's 发放优惠券 page: platform coupons, charged to the platform's campaigns."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from anxin.core.pages import ops_required
from anxin.coupons import services
from anxin.coupons.pages.issue import issue_page


@ops_required
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest) -> HttpResponse:
    return issue_page(request, services.issue_by_ops, "coupons/ops/issue.html")
