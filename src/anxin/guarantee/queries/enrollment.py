"""Which SKUs carry 买贵必赔, and with which multiplier, at a given moment; the shops' SKUs and ops' campaigns."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from anxin.catalog.models import SKU
from anxin.core.errors import NotFound
from anxin.guarantee.models import Campaign, Enrollment


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


def enrolled_products(product_ids: Collection[int], at: datetime) -> dict[int, int]:
    """Product id -> the highest multiplier in force at `at` among its SKUs, for the product cards' badge."""
    multipliers: dict[int, int] = {}
    rows = _in_force(at).filter(sku__product_id__in=product_ids).values_list("sku__product_id", "multiplier")
    for product_id, multiplier in rows:
        multipliers[product_id] = max(multiplier, multipliers.get(product_id, 0))
    return multipliers


@dataclass(frozen=True)
class SkuEnrollment:
    """One of a shop's SKUs on the seller page: whether the shop enrolled it, and what is in force now."""

    sku: SKU
    by_merchant: bool
    multiplier: int  # in force now, by the shop or a campaign; 0 when none


def merchant_sku_list(merchant_id: int) -> QuerySet[SKU]:
    """The shop's active SKUs, product by product, for a page of them (`sku_states`)."""
    return (
        SKU.objects.filter(product__merchant_id=merchant_id, is_active=True)
        .select_related("product")
        .order_by("product_id", "pk")
    )


def merchant_skus(merchant_id: int, at: datetime) -> list[SkuEnrollment]:
    """All the shop's active SKUs with their enrollment now (the API pages the list itself)."""
    return sku_states(list(merchant_sku_list(merchant_id)), at)


def sku_states(skus: list[SKU], at: datetime) -> list[SkuEnrollment]:
    """Each SKU's enrollment at `at`, in two queries whatever their number."""
    ids = [sku.pk for sku in skus]
    in_force_now = enrolled_skus(ids, at)
    own = set(_in_force(at).filter(sku_id__in=ids, source=Enrollment.Source.MERCHANT).values_list("sku_id", flat=True))
    return [SkuEnrollment(sku, sku.pk in own, in_force_now.get(sku.pk, 0)) for sku in skus]


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.annotate(sku_count=Count("enrollments")).order_by("-starts_at", "-pk")


def campaign(campaign_id: int) -> Campaign:
    found = campaigns().filter(pk=campaign_id).first()
    if found is None:
        raise NotFound(_("找不到这个活动。"))
    return found


def campaign_skus(campaign: Campaign) -> QuerySet[Enrollment]:
    return campaign.enrollments.select_related("sku__product").order_by("sku_id")
