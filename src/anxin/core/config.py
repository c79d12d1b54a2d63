"""The rules' numbers: defaults from RULES.md, overridable by ops on the ops console's 规则参数 page (`Setting` table).

Reads are cached per process for a few seconds so hot paths do not query for every number; a change made
here is seen by this process at once and by the others within `CACHE_SECONDS`.
"""

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from anxin.core import events
from anxin.core.errors import AnxinError, translate
from anxin.core.models import Setting
from anxin.core.permissions import Person, require_role
from anxin.core.rules import whole_number_problem

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
    # RULES §6 买贵必赔 claims
    "guarantee.claim_window_days": 7,
    "guarantee.max_paid_claims": 5,
    "guarantee.max_paid_fen": 2000_00,
    "guarantee.feed_fresh_hours": 24,
    "guarantee.review_hours": 48,
    "guarantee.fraud_buyers": 3,
    # 1: a claim on a SKU its merchant enrolled is charged to the merchant; 0: the platform pays every claim
    "guarantee.charge_merchant_enrolled": 1,
}

# The values each number may take (inclusive): enough room for any shop, never a value that breaks the rules
# (a payment window of 0 minutes, a cart of no lines). Every key of DEFAULTS has its bounds here.
BOUNDS: dict[str, tuple[int, int]] = {
    "orders.unpaid_expiry_minutes": (1, 1440),
    "orders.default_handling_hours": (1, 720),
    "orders.auto_complete_days_after_delivery": (1, 60),
    "orders.auto_complete_days_after_shipping": (1, 90),
    "orders.flat_shipping_fen": (0, 100_000),
    "orders.free_shipping_over_fen": (0, 10_000_000),
    "orders.max_quantity_per_line": (1, 9999),
    "orders.max_lines_per_cart": (1, 200),
    "shipping.leg2_first_kg_fen": (0, 100_000),
    "shipping.leg2_next_kg_fen": (0, 100_000),
    "shipping.promise_spread_days": (0, 30),
    "guarantee.claim_window_days": (1, 90),
    "guarantee.max_paid_claims": (1, 100),
    "guarantee.max_paid_fen": (100, 10_000_000),
    "guarantee.feed_fresh_hours": (1, 168),
    "guarantee.review_hours": (1, 168),
    "guarantee.fraud_buyers": (1, 1000),
    "guarantee.charge_merchant_enrolled": (0, 1),
}


@dataclass(frozen=True)
class Row:
    """One number as the ops console shows it."""

    key: str
    default: Any
    current: Any
    low: int
    high: int


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


def rows() -> list[Row]:
    """Every number with its default and the value in force, in the order of DEFAULTS."""
    return [Row(key, default, get(key), *BOUNDS[key]) for key, default in DEFAULTS.items()]


def problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Each key of `values` that is not a known number, or whose value is out of its bounds, with the reason."""
    found: dict[str, str] = {}
    for key, value in values.items():
        if key not in DEFAULTS:
            found[key] = _("没有这个参数。")
        elif (problem := whole_number_problem(value, *BOUNDS[key])) is not None:
            found[key] = translate(problem)
    return found


def change(actor: Person, values: Mapping[str, Any]) -> list[str]:
    """Ops change some of the numbers at once: all of them or, if any is refused, none. Returns the keys whose
    value changed (each with its `setting.changed` event); a value equal to the one in force writes nothing."""
    require_role(actor, "ops")
    refused = problems(values)
    if refused:
        raise AnxinError(_("规则参数有误，未保存。"), code="invalid_setting", fields=refused)
    changed = [key for key, value in values.items() if value != get(key)]
    with transaction.atomic():
        for key in changed:
            set_value(key, values[key], actor=actor)
    return changed


def set_value(key: str, value: Any, *, actor: Any = None) -> None:
    """Ops change a number; the event keeps the old and the new value, since reports read history only there.
    A value outside the number's bounds is refused (400) whoever the caller, and nothing is written."""
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}")
    problem = whole_number_problem(value, *BOUNDS[key])
    if problem is not None:
        raise AnxinError(problem, code="invalid_setting", fields={key: problem})
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
