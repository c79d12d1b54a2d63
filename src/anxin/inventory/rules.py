"""Allocation as arithmetic: which SKUs lack stock for the quantities asked (pure, no DB)."""

from collections.abc import Mapping


def shortages(available: Mapping[int, int], wanted: Mapping[int, int]) -> dict[int, int]:
    """SKU id -> units available, for every SKU whose available stock is below the quantity wanted."""
    return {sku_id: available.get(sku_id, 0) for sku_id, qty in wanted.items() if available.get(sku_id, 0) < qty}
