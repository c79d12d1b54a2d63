"""Where the buyer lands when the payment provider sends them back: what was paid, each order it paid and
when each will arrive, with links on.

The provider's notification, not the return, makes a payment succeed, so a payment not yet confirmed says
"支付确认中" and the page asks the browser to load it again (a `Refresh` header: no script needed)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anxin.checkout import queries
from anxin.core.pages import buyer_required
from anxin.geo.queries import hub_name
from anxin.orders import queries as orders
from anxin.payments.models import Payment

REFRESH_SECONDS = 3


@require_GET
@buyer_required
def payment_result(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = queries.buyers_payment(request.user, payment_id)
    if payment is None:
        raise Http404
    paid_orders = list(orders.checkout_orders(payment.checkout.pk))
    for order in paid_orders:
        order.hub_name = hub_name(order.hub_code) if order.hub_code else ""
    context = {"payment": payment, "checkout": payment.checkout, "orders": paid_orders}
    response = render(request, "checkout/buyer/paid.html", context)
    if payment.state == Payment.State.PENDING:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
