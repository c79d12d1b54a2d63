"""The public page explaining 买贵必赔 and 价保 (RULES §6) in plain words, linked from the storefront's footer.
Its numbers are the settings the claims are decided by."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anxin.catalog.rules import PRICE_PROTECTION_DAYS
from anxin.core import config
from anxin.guarantee import rules_enrollment

# The page's numbers are the settings ops tune (`core.config`), so the page never promises other numbers than
# the claims are decided by.
NUMBERS = (
    "guarantee.claim_window_days",
    "guarantee.feed_fresh_hours",
    "guarantee.review_hours",
    "guarantee.max_paid_claims",
    "guarantee.max_paid_fen",
    "guarantee.fraud_buyers",
)


@require_GET
def guarantee_rules(request: HttpRequest) -> HttpResponse:
    numbers = {key.split(".", 1)[1]: config.get(key) for key in NUMBERS}
    context = {
        **numbers,
        "max_multiplier": max(rules_enrollment.MULTIPLIERS),
        "protection_days": [days for days in PRICE_PROTECTION_DAYS if days],
    }
    return render(request, "guarantee/rules.html", context)
