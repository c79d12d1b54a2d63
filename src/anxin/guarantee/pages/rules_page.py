"""The public page explaining 买贵必赔 and 价保 (RULES §6) in plain words, linked from the storefront's footer.
Its numbers are the rules' own: read from the ops-tunable settings where one exists, else RULES §6."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anxin.catalog.rules import PRICE_PROTECTION_DAYS
from anxin.core import config
from anxin.guarantee import rules_enrollment

# RULES §6's numbers, by the settings key that tunes each one once the claims part defines it.
PROGRAMME_NUMBERS = {
    "guarantee.claim_window_days": 7,
    "guarantee.feed_fresh_hours": 24,
    "guarantee.review_hours": 48,
    "guarantee.max_paid_claims_30d": 5,
    "guarantee.max_paid_fen_30d": 200_000,
    "guarantee.same_listing_buyers_24h": 3,
}


def _number(key: str) -> int:
    return config.get(key) if key in config.DEFAULTS else PROGRAMME_NUMBERS[key]


@require_GET
def guarantee_rules(request: HttpRequest) -> HttpResponse:
    numbers = {key.split(".", 1)[1]: _number(key) for key in PROGRAMME_NUMBERS}
    context = {
        **numbers,
        "max_multiplier": max(rules_enrollment.MULTIPLIERS),
        "protection_days": [days for days in PRICE_PROTECTION_DAYS if days],
    }
    return render(request, "guarantee/rules.html", context)
