"""The courier's page: the parcels assigned to them to hand over, each with one button for "delivered"."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anxin.core.errors import AnxinError
from anxin.core.pages import role_required
from anxin.fulfilment import queries, services

deliverer_required = role_required(*services.HAND_DELIVERERS)


@require_GET
@deliverer_required
def deliveries(request: HttpRequest) -> HttpResponse:
    return render(request, "fulfilment/courier/deliveries.html", {"shipments": queries.open_deliveries(request.user)})


@require_POST
@deliverer_required
def delivered(request: HttpRequest, order_id: int) -> HttpResponse:
    """One service call; another courier's parcel is a 404 (the service says so), a handed-over one a notice."""
    try:
        shipment = services.deliver_by_hand(request.user, order_id)
    except AnxinError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认送达：订单 %(number)s。") % {"number": shipment.order.number})
    return redirect("web:deliveries")
