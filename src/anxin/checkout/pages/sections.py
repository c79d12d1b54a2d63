"""The checkout's part of the buyer's order page: the pay button of an unpaid order, and its POST, which
(re)opens the checkout's payment and sends the buyer to the provider (registered in `apps.py`)."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from anxin.checkout import services
from anxin.core.errors import AnxinError, NotFound
from anxin.orders.models import Order
from anxin.orders.pages.sections import Refused, Section, register
from anxin.payments import provider as payment_provider


def pay(request: HttpRequest, order: Order) -> HttpResponse | Refused:
    try:
        payment = services.start_payment(request.user, order.checkout_id)
    except NotFound:
        raise
    except AnxinError as exc:
        return Refused(exc.status, error=exc.message)
    return HttpResponseRedirect(payment_provider.pay_url(payment))


def register_sections() -> None:
    register("buyer", Section("pay", "actions", "checkout/sections/pay.html", post=pay))
