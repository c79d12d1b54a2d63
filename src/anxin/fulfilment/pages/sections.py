"""Fulfilment's parts of the order pages: the carrier line in the order's card and the tracking timeline for
every audience, and the seller's ship form, whose POST ships the order here (registered in `apps.py`)."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from anxin.core.errors import AnxinError, Conflict
from anxin.core.pages import apply_error, shown_time
from anxin.fulfilment import queries, services
from anxin.fulfilment.pages.forms import CourierForm, ShipForm, TrackingCorrectionForm
from anxin.geo.queries import hub_name
from anxin.orders.models import Order
from anxin.orders.pages.sections import Refused, Section, register


def _shipment(order: Order):
    """The order's shipment with its legs and scans, read once for both sections of one page, their times
    made ready to show (`shown_time`: a stored bad time never breaks the order page)."""
    if not hasattr(order, "_page_shipment"):
        shipment = queries.shipment_of(order)
        for leg in shipment.outbound_legs if shipment else ():
            leg.shown_delivered_at = shown_time(leg.delivered_at)
            for scan in leg.scans.all():
                scan.shown_at = shown_time(scan.at)
        order._page_shipment = shipment
    return order._page_shipment


def _tracking(request: HttpRequest, order: Order) -> dict[str, Any]:
    return {
        "shipment": _shipment(order),
        "hub_name": hub_name(order.hub_code),
        "delivered_at": shown_time(order.delivered_at),
    }


def _seller_tracking(request: HttpRequest, order: Order) -> dict[str, Any]:
    """The seller sees flagged scans too, and the tracking only once the order is shipped."""
    return {**_tracking(request, order), "show_flags": True, "after_shipping_only": True}


def _ops_tracking(request: HttpRequest, order: Order) -> dict[str, Any]:
    return {**_tracking(request, order), "show_flags": True}


def _carrier_line(request: HttpRequest, order: Order) -> dict[str, Any]:
    return {"shipment": _shipment(order)}


def _ship_form(request: HttpRequest, order: Order) -> dict[str, Any]:
    return {"form": ShipForm(companies=queries.companies()), "patterns": queries.tracking_examples()}


def ship(request: HttpRequest, order: Order) -> HttpResponse | Refused:
    """The seller's ship form: one service call; a refusal shows the form again with its errors."""
    form = ShipForm(request.POST, companies=queries.companies())
    if not form.is_valid():
        return Refused(400, {"form": form})
    try:
        services.ship(
            request.user,
            order.pk,
            carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"],
        )
    except AnxinError as exc:
        apply_error(form, exc)
        return Refused(exc.status, {"form": form, "patterns": queries.tracking_examples()})
    messages.success(request, _("已发货。"))
    return redirect("web:seller_order", order_id=order.pk)


def _correction_form(request: HttpRequest, order: Order) -> dict[str, Any]:
    shipment = _shipment(order)
    leg = shipment.outbound_legs[0] if shipment is not None and shipment.outbound_legs else None
    return {"leg": leg, "correctable": queries.correctable(leg), "correction_form": TrackingCorrectionForm()}


def correct_tracking(request: HttpRequest, order: Order) -> HttpResponse | Refused:
    """The seller's one correction of leg 1's tracking number before the first scan."""
    form = TrackingCorrectionForm(request.POST)
    form.is_valid()
    try:
        services.correct_tracking(request.user, order.pk, form.cleaned_data.get("tracking_number", ""))
    except AnxinError as exc:
        apply_error(form, exc)
        context = {**_correction_form(request, order), "correction_form": form}
        return Refused(exc.status, context, error=exc.message if isinstance(exc, Conflict) else "")
    messages.success(request, _("运单号已更正。"))
    return redirect("web:seller_order", order_id=order.pk)


def _courier_form(request: HttpRequest, order: Order) -> dict[str, Any]:
    shipment = _shipment(order)
    initial = {"courier_id": shipment.courier_id} if shipment is not None and shipment.courier_id else {}
    return {"courier_form": CourierForm(initial=initial, couriers=queries.couriers()), "shipment": shipment}


def assign_courier(request: HttpRequest, order: Order) -> HttpResponse | Refused:
    """Ops, or the merchant delivering itself, chooses the courier who hands the parcel over."""
    form = CourierForm(request.POST, couriers=queries.couriers())
    if not form.is_valid():
        return Refused(400, {"courier_form": form, "shipment": _shipment(order)})
    try:
        services.assign_courier(request.user, order.pk, form.cleaned_data["courier_id"])
    except AnxinError as exc:
        apply_error(form, exc)
        return Refused(exc.status, {"courier_form": form, "shipment": _shipment(order)})
    messages.success(request, _("已指派配送员。"))
    return redirect("web:ops_order" if request.user.role == "ops" else "web:seller_order", order_id=order.pk)


def register_sections() -> None:
    carrier_line = Section("carrier", "summary", "fulfilment/sections/carrier_line.html", _carrier_line)
    for audience in ("buyer", "seller", "ops"):
        register(audience, carrier_line)
    register("seller", Section("ship", "details", "fulfilment/sections/ship.html", _ship_form, post=ship))
    correction = Section(
        "tracking_fix", "details", "fulfilment/sections/tracking_fix.html", _correction_form, post=correct_tracking
    )
    register("seller", correction)
    courier = Section("courier", "details", "fulfilment/sections/courier.html", _courier_form, post=assign_courier)
    register("seller", courier)
    register("ops", courier)
    register("buyer", Section("tracking", "details", "fulfilment/sections/tracking.html", _tracking))
    register("seller", Section("tracking", "details", "fulfilment/sections/tracking.html", _seller_tracking))
    register("ops", Section("tracking", "details", "fulfilment/sections/tracking.html", _ops_tracking))
