"""The simulated payment provider's page: shows the amount, and Pay / Decline send its signed notification.

It exists only while the simulated provider is the configured one: with any other, the page is not found.
The check is made per request rather than by leaving the route out, so that the one URLconf and API built at
start-up serve either setting and tests can switch it with `override_settings`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from anxin.checkout import services
from anxin.core.errors import AnxinError
from anxin.payments import provider
from anxin.payments.models import Payment


@login_required
@require_http_methods(["GET", "POST"])
def sim_pay(request, payment_id: int):
    if not provider.is_simulated():
        raise Http404
    payment = Payment.objects.select_related("checkout").filter(pk=payment_id, checkout__buyer=request.user).first()
    if payment is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.simulate_provider_approval(request.user, payment.pk, approve=request.POST.get("action") == "pay")
        except AnxinError as exc:
            error = exc.message
        else:
            return redirect("web:order_list")
    return render(request, "checkout/sim_pay.html", {"payment": payment, "error": error}, status=400 if error else 200)
