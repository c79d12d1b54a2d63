"""The ops console's figures of the remote-region programme (偏远包邮): orders, on-time share and the
platform's subsidy per region and per day."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from anxin.core import clock
from anxin.core.pages import bar_height, ops_required
from anxin.fulfilment import queries

FIGURE_WINDOWS = (7, 30, 90)


@require_GET
@ops_required
def remote_figures(request: HttpRequest) -> HttpResponse:
    try:
        days = int(request.GET.get("days", "30"))
    except ValueError:
        days = 30
    if days not in FIGURE_WINDOWS:
        days = 30
    figures = queries.remote_figures(days, timezone.localdate(clock.now()))
    peak = figures.peak
    regions = [
        {
            "figures": region,
            "bars": [(day, n, bar_height(n, peak)) for day, n in zip(figures.dates, region.per_day, strict=True)],
        }
        for region in figures.regions
    ]
    per_day = [
        {"day": day, "counts": [region.per_day[i] for region in figures.regions], "total": figures.remote.per_day[i]}
        for i, day in enumerate(figures.dates)
    ]
    context = {
        "figures": figures,
        "regions": regions,
        "per_day": list(reversed(per_day)),
        "windows": FIGURE_WINDOWS,
        "avg_subsidy_fen": figures.remote.subsidy_fen // figures.remote.leg2_count if figures.remote.leg2_count else 0,
    }
    return render(request, "fulfilment/ops/remote_figures.html", context)
