"""The ops console's figures of 买贵必赔 and 价保 (role ops only): tables and server-drawn SVG bars."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from anxin.core import clock
from anxin.core.money import format_fen
from anxin.core.pages import DaysForm, bar_chart, chosen_days, ops_required
from anxin.guarantee.queries import figures as queries

# Why claims were turned down, in a few words for the table (the buyer reads the whole sentence).
REASON_LABELS = {
    "claim_not_enrolled": gettext_lazy("未参加买贵必赔"),
    "claim_out_of_window": gettext_lazy("超过申请期限"),
    "claim_already_compensated": gettext_lazy("已赔付过"),
    "claim_refunded": gettext_lazy("已退款或未付款"),
    "claim_not_lower": gettext_lazy("买家所见价格不更低"),
    "claim_feed_not_lower": gettext_lazy("核实价格不更低"),
    "claim_not_comparable": gettext_lazy("非常规价"),
    "claim_mega_promotion": gettext_lazy("大促期间价格"),
    "claim_different_product": gettext_lazy("不是同一款商品"),
    "claim_cap_claims": gettext_lazy("超过 30 天赔付次数上限"),
    "claim_cap_money": gettext_lazy("超过 30 天赔付金额上限"),
    "claim_nothing_left": gettext_lazy("没有可赔付的金额"),
    "claim_rejected_by_ops": gettext_lazy("人工审核未通过"),
}


def _charts(found: queries.Figures) -> list[dict]:
    no_claims = _("这段时间没有买贵必赔申请。")
    return [
        bar_chart("claims-per-day", _("每日申请"), [(f"{d:%m-%d}", n, n) for d, n in found.claims_per_day], no_claims),
        bar_chart(
            "paid-by",
            _("赔付金额（按出资方）"),
            [(payer.label, payer.total_fen, format_fen(payer.total_fen)) for payer in found.payers],
            _("这段时间没有赔付。"),
        ),
        bar_chart(
            "top-skus", _("申请最多的商品"), [(row.title, row.claims, row.claims) for row in found.top_skus], no_claims
        ),
        bar_chart(
            "protection-per-day",
            _("每日价保赔付"),
            [(f"{d:%m-%d}", fen, format_fen(fen)) for d, fen in found.protection_per_day],
            _("这段时间没有价保赔付。"),
        ),
    ]


@require_GET
@ops_required
def figures(request: HttpRequest) -> HttpResponse:
    form = DaysForm(request.GET)
    now = clock.now()
    days = chosen_days(form, timezone.localdate(now))
    found = queries.figures(days.since, days.until, days.dates(), now)
    context = {
        "form": form,
        "start": days.first,
        "end": days.last,
        "figures": found,
        "charts": _charts(found),
        "reasons": [(REASON_LABELS.get(code, code), n) for code, n in found.rejected_by_reason],
        "median_decision_minutes": _minutes(found.median_decision_seconds),
        "median_manual_hours": None if found.median_manual_seconds is None else found.median_manual_seconds / 3600,
    }
    return render(request, "guarantee/ops/figures.html", context, status=200 if form.is_valid() else 400)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60
