"""Which SKUs carry 买贵必赔, and with which multiplier, at a given moment."""

from collections.abc import Collection
from datetime import datetime

from django.db.models import Q, QuerySet

from anxin.guarantee.models import Enrollment


def _in_force(at: datetime) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at)


def in_force(sku_id: int, at: datetime) -> Enrollment | None:
    """The enrollment a claim on `sku_id` bought at `at` is judged by: of several (the merchant's own and a
    campaign's), the highest multiplier, then the campaign, since that is what the badge promised."""
    return (
        _in_force(at)
        .filter(sku_id=sku_id)
        .select_related("campaign")
        .order_by("-multiplier", "source", "-starts_at", "-pk")  # "campaign" < "merchant"
        .first()
    )


def enrolled_skus(sku_ids: Collection[int], at: datetime) -> dict[int, int]:
    """SKU id -> the multiplier in force at `at`, for the SKUs of `sku_ids` that carry the badge."""
    multipliers: dict[int, int] = {}
    for sku_id, multiplier in _in_force(at).filter(sku_id__in=sku_ids).values_list("sku_id", "multiplier"):
        multipliers[sku_id] = max(multiplier, multipliers.get(sku_id, 0))
    return multipliers
