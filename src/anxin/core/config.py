"""The rules' numbers: defaults from RULES.md, overridable by ops in the `Setting` table (admin, ops console).

Reads are cached per process for a few seconds so hot paths do not query for every number; a change made
here is seen by this process at once and by the others within `CACHE_SECONDS`.
"""

import time
from typing import Any

from django.db import transaction

from anxin.core import events
from anxin.core.models import Setting

CACHE_SECONDS = 5.0

DEFAULTS: dict[str, Any] = {
    # RULES §3 orders and payment
    "orders.unpaid_expiry_minutes": 30,
    "orders.default_handling_hours": 48,
    "orders.auto_complete_days_after_delivery": 7,
    "orders.auto_complete_days_after_shipping": 15,
    # the fee of products without a shipping template: flat per merchant order, waived from a subtotal
    "orders.flat_shipping_fen": 600,
    "orders.free_shipping_over_fen": 9900,
    "orders.max_quantity_per_line": 999,
    "orders.max_lines_per_cart": 50,
    # RULES §4 remote regions through the transit hub: the platform's rate for leg 2 (hub -> buyer)
    "shipping.leg2_first_kg_fen": 600,
    "shipping.leg2_next_kg_fen": 200,
    # how many days before the promised latest date the promise's range starts
    "shipping.promise_spread_days": 2,
}

_cache: dict[str, Any] = {}
_loaded_at = 0.0


def _load() -> dict[str, Any]:
    global _cache, _loaded_at
    if time.monotonic() - _loaded_at > CACHE_SECONDS:
        _cache = dict(Setting.objects.values_list("key", "value"))
        _loaded_at = time.monotonic()
    return _cache


def get(key: str) -> Any:
    """The configured value of `key`, or its default; an unknown key is a programming error."""
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}")
    return _load().get(key, DEFAULTS[key])


def set_value(key: str, value: Any, *, actor: Any = None) -> None:
    """Ops change a number; the event keeps the old and the new value, since reports read history only there."""
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}")
    with transaction.atomic():
        row, created = Setting.objects.select_for_update().get_or_create(key=key, defaults={"value": value})
        before = DEFAULTS[key] if created else row.value
        if not created and before != value:
            row.value = value
            row.save(update_fields=["value"])
        if before != value:
            events.record("setting.changed", row, {"key": key, "before": before, "after": value}, actor=actor)
    invalidate()


def invalidate() -> None:
    global _loaded_at
    _loaded_at = 0.0
