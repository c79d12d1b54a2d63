"""Badges shown beside a price for promises kept by floors above the catalog (买贵必赔 by `guarantee`).

The catalog cannot import those floors, so they register a provider here (in their AppConfig.ready) and the
pages of the catalog, checkout and orders ask `sku_badges` / `product_badges` for all the SKUs or products of a
page at once: each provider answers with one query, however many items the page shows."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from anxin.core import clock
from anxin.core.errors import translate
from anxin.core.rules import Message


@dataclass(frozen=True)
class Badge:
    code: str  # a CSS modifier and a test's handle: "price_match", "price_match_double"
    label: Message

    @property
    def text(self) -> str:
        return translate(self.label)


Badges = dict[int, list[Badge]]


class BadgeProvider(Protocol):
    def for_skus(self, sku_ids: Collection[int], at: datetime) -> Badges: ...

    def for_products(self, product_ids: Collection[int], at: datetime) -> Badges: ...


_providers: list[BadgeProvider] = []


def register(provider: BadgeProvider) -> None:
    """Add a floor's badges to every price (once: registering the same provider again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def _merged(answers: list[Badges]) -> Badges:
    merged: Badges = {}
    for answer in answers:
        for key, badges in answer.items():
            merged.setdefault(key, []).extend(badges)
    return merged


def sku_badges(sku_ids: Collection[int], at: datetime | None = None) -> Badges:
    """SKU id -> its badges at `at` (now by default; an order page passes its payment time)."""
    ids = set(sku_ids)
    if not ids:
        return {}
    moment = at or clock.now()
    return _merged([provider.for_skus(ids, moment) for provider in _providers])


def product_badges(product_ids: Collection[int], at: datetime | None = None) -> Badges:
    """Product id -> the badges any of its SKUs carries at `at` (now by default), for product cards."""
    ids = set(product_ids)
    if not ids:
        return {}
    moment = at or clock.now()
    return _merged([provider.for_products(ids, moment) for provider in _providers])
