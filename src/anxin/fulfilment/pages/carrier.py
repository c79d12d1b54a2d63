"""The scan desk (carriers' staff, couriers, ops): post one scan, import many from CSV, see recent scans with
their flags, and dispatch the second leg of remote orders waiting at the transit hub.

Each form calls the same fulfilment service as the API; errors are shown beside their field."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anxin.core.errors import AnxinError, NotFound
from anxin.core.money import format_fen
from anxin.core.pages import apply_error, role_required, shown_time
from anxin.fulfilment import queries as fulfilment_queries
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.pages.forms import DispatchForm, ScanCsvForm, ScanForm
from anxin.fulfilment.pages.labels import flag_label
from anxin.geo.queries import local_region_names

scanner_required = role_required(*fulfilment.SCANNERS)
RECENT_SCANS = 50


def _desk(
    request,
    *,
    scan_form=None,
    csv_form=None,
    dispatch_form=None,
    summary=None,
    error_lines=(),
    resolving=None,
    status=200,
):
    """The desk; `resolving` is a refused resolution to show again on its scan's row: (scan id, text, error)."""
    flagged_only = request.GET.get("flagged") == "1"
    queue = fulfilment_queries.hub_queue()
    hubs = {shipment.hub_code for shipment in queue if shipment.hub_code}
    names = local_region_names(hubs) if hubs else {}
    for shipment in queue:
        shipment.hub_name = names.get(shipment.hub_code, shipment.hub_code)
        legs = list(shipment.legs.all())
        shipment.leg1 = legs[0] if legs else None
        shipment.leg1_delivered_at = shown_time(shipment.leg1.delivered_at) if shipment.leg1 else None
    scans = fulfilment_queries.recent_scans(request.user, RECENT_SCANS, flagged_only=flagged_only)
    for scan in scans:
        scan.shown_at = shown_time(scan.at)
        scan.resolved_shown_at = shown_time(scan.resolved_at)
        if resolving and resolving[0] == scan.pk:
            scan.resolution_typed, scan.resolution_error = resolving[1:]
    context = {
        "scan_form": scan_form or ScanForm(),
        "csv_form": csv_form or ScanCsvForm(),
        "dispatch_form": dispatch_form or DispatchForm(initial={"order": request.GET.get("order", "")[:40]}),
        "summary": summary,
        "error_lines": error_lines,
        "queue": queue,
        "scans": scans,
        "flagged_only": flagged_only,
    }
    return render(request, "fulfilment/carrier/scans.html", context, status=status)


@require_GET
@scanner_required
def desk(request: HttpRequest) -> HttpResponse:
    return _desk(request)


@require_POST
@scanner_required
def post_scan(request: HttpRequest) -> HttpResponse:
    form = ScanForm(request.POST)
    if not form.is_valid():
        return _desk(request, scan_form=form, status=400)
    try:
        outcome = fulfilment.record_scan(request.user, form.cleaned_data, source="page")
    except AnxinError as exc:
        apply_error(form, exc)
        return _desk(request, scan_form=form, status=exc.status)
    scan = outcome.scan
    if scan.flag:
        messages.warning(
            request,
            _("扫描已记录，但被标记为“%(flag)s”：%(tracking)s 未改变包裹状态。")
            % {"flag": flag_label(scan.flag), "tracking": scan.tracking_number},
        )
    elif outcome.effect == "delivered":
        messages.success(
            request, _("扫描已记录：%(tracking)s 已签收，订单已送达。") % {"tracking": scan.tracking_number}
        )
    elif outcome.effect in fulfilment.AFTER_SALES_EFFECTS and scan.leg is not None:
        messages.success(
            request,
            _("扫描已记录：%(tracking)s（%(purpose)s）已签收。")
            % {"tracking": scan.tracking_number, "purpose": scan.leg.get_purpose_display()},
        )
    elif outcome.effect == "arrived_hub":
        messages.success(
            request, _("扫描已记录：%(tracking)s 已到达中转仓，可以发出第二段。") % {"tracking": scan.tracking_number}
        )
    else:
        messages.success(request, _("扫描已记录：%(tracking)s。") % {"tracking": scan.tracking_number})
    return redirect("web:scans")


@require_POST
@scanner_required
def import_scans(request: HttpRequest) -> HttpResponse:
    form = ScanCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _desk(request, csv_form=form, status=400)
    try:
        summary = fulfilment.import_scans_csv(request.user, form.cleaned_data["text"])
    except AnxinError as exc:
        form.add_error("csv_text", exc.message)
        return _desk(request, csv_form=form, status=exc.status)
    error_lines = [error.partition(": ")[::2] for error in summary.errors]  # "3: message" -> ("3", "message")
    return _desk(request, summary=summary, error_lines=error_lines, csv_form=ScanCsvForm())


@require_POST
@scanner_required
def dispatch(request: HttpRequest) -> HttpResponse:
    form = DispatchForm(request.POST)
    if not form.is_valid():
        return _desk(request, dispatch_form=form, status=400)
    order_id = fulfilment_queries.order_id_for(form.cleaned_data["order"])
    if order_id is None:
        form.add_error("order", _("找不到这个订单，请输入订单号或订单 ID。"))
        return _desk(request, dispatch_form=form, status=404)
    try:
        shipment = fulfilment.dispatch_from_hub(
            request.user,
            order_id,
            carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"],
        )
    except AnxinError as exc:
        if exc.fields:
            apply_error(form, exc)
        else:
            form.add_error("order", exc.message)
        return _desk(request, dispatch_form=form, status=exc.status)
    messages.success(
        request,
        _("订单 %(number)s 的第二段已发出，平台承担运费 %(fee)s。")
        % {"number": shipment.order.number, "fee": format_fen(shipment.leg2_cost_fen)},
    )
    return redirect("web:scans")


@require_POST
@scanner_required
def resolve(request: HttpRequest, scan_id: int) -> HttpResponse:
    """Close a flagged scan with what was found; refused (no reason, already done), its row shows why."""
    typed = request.POST.get("resolution", "")
    try:
        scan = fulfilment.resolve_scan(request.user, scan_id, typed)
    except NotFound:  # another company's scan, or none: the 404 page, as for any scan one may not see
        raise
    except AnxinError as exc:
        message = next(iter(exc.fields.values()), exc.message)
        return _desk(request, resolving=(scan_id, typed[:200], message), status=exc.status)
    messages.success(request, _("已处理 %(tracking)s 的标记扫描。") % {"tracking": scan.tracking_number})
    flagged = "?flagged=1" if request.GET.get("flagged") == "1" else ""
    return redirect(f"{reverse('web:scans')}{flagged}#recent")
