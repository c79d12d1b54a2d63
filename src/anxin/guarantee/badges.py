"""The 买贵必赔 badge beside a price, for the catalog's badge registry (`catalog.badges`)."""

from collections.abc import Collection
from datetime import datetime

from anxin.catalog.badges import Badge, Badges
from anxin.guarantee import rules_enrollment as rules
from anxin.guarantee.queries import enrollment as queries


def _badges_of(multipliers: dict[int, int]) -> Badges:
    badges: Badges = {}
    for key, multiplier in multipliers.items():
        label = rules.badge_label(multiplier)
        badges[key] = [Badge(label.code, label)]
    return badges


class PriceMatchBadges:
    """买贵必赔 (or 买贵双倍赔 under a doubling campaign) for the SKUs enrolled at the moment asked about."""

    def for_skus(self, sku_ids: Collection[int], at: datetime) -> Badges:
        return _badges_of(queries.enrolled_skus(sku_ids, at))

    def for_products(self, product_ids: Collection[int], at: datetime) -> Badges:
        return _badges_of(queries.enrolled_products(product_ids, at))


PROVIDER = PriceMatchBadges()
