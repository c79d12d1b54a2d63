"""Issuing a coupon by hand, the same page for ops (platform coupons) and a shop's staff (its own)."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from anxin.core.errors import AnxinError
from anxin.core.money import format_fen
from anxin.core.pages import apply_error
from anxin.coupons.models import Coupon
from anxin.coupons.pages.forms import FIELDS, IssueForm


def issue_page(request: HttpRequest, issue: Callable[..., Coupon], template: str) -> HttpResponse:
    """Show the form; on POST, one call of `issue` (the ops' or the shop's service), then the empty form again
    with what was issued, or the form as typed with the service's message beside its field."""
    form = IssueForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            coupon = issue(
                request.user,
                data["buyer"],
                data["amount"],
                data["threshold"] or 0,
                data["valid_days"],
                data["reason"],
                key=data["key"],
            )
        except AnxinError as exc:
            apply_error(form, exc, FIELDS)
            status = exc.status
        else:
            messages.success(
                request,
                _("已向 %(buyer)s 发放 %(amount)s 优惠券。")
                % {"buyer": coupon.buyer.username, "amount": format_fen(coupon.amount_fen)},
            )
            return redirect(request.path)
    elif request.method == "POST":
        status = 400
    return render(request, template, {"form": form}, status=status)
