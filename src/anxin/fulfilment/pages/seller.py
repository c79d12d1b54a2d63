"""The seller's bulk shipping: upload a CSV of order number, carrier, tracking number and read what became of
each line. Every line goes through the same ship service as the order page's form."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from anxin.core.errors import AnxinError
from anxin.core.pages import staff_required
from anxin.fulfilment import queries, services
from anxin.fulfilment.pages.forms import BulkShipForm

TEMPLATE = "fulfilment/seller/bulk_ship.html"


@require_http_methods(["GET", "POST"])
@staff_required
def bulk_ship(request: HttpRequest) -> HttpResponse:
    form = BulkShipForm(request.POST, request.FILES) if request.method == "POST" else BulkShipForm()
    report, error, status = None, "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.ship_from_csv(request.user, form.cleaned_data["csv_file"])
            except AnxinError as exc:
                error, status = exc.message, exc.status
        else:
            status = 400
    context = {
        "form": form,
        "report": report,
        "counts": _counts(report or []),
        "error": error,
        "patterns": queries.tracking_examples(),
        "max_lines": services.BULK_SHIP_MAX_LINES,
    }
    return render(request, TEMPLATE, context, status=status)


def _counts(report: list[services.BulkShipLine]) -> dict[str, int]:
    counts = {"shipped": 0, "already_shipped": 0, "refused": 0}
    for line in report:
        counts[line.outcome] += 1
    return counts
