"""The simulated payment provider's page: shows the amount, and Pay / Decline send its signed notification.

It exists only while the simulated provider is the configured one: with any other, the page is not found.
The check is made per request rather than by leaving the route out, so that the one URLconf and API built at
start-up serve either setting and tests can switch it with `override_settings`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from anxin.checkout import queries, services
from anxin.core.errors import AnxinError
from anxin.payments import provider


@login_required
@require_http_methods(["GET", "POST"])
def sim_pay(request: HttpRequest, payment_id: int) -> HttpResponse:
    if not provider.is_simulated():
        raise Http404
    payment = queries.buyers_payment(request.user, payment_id)
    if payment is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.simulate_provider_approval(request.user, payment.pk, approve=request.POST.get("action") == "pay")
        except AnxinError as exc:
            error = exc.message
        else:
            return redirect("web:payment_result", payment_id=payment.pk)
    context = {"payment": payment, "error": error}
    return render(request, "checkout/buyer/sim_pay.html", context, status=400 if error else 200)
