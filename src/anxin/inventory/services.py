"""Stock changes. Rows are locked in primary-key order before they are checked, so concurrent checkouts
queue on the same rows instead of deadlocking, and the database's CHECK constraints back the arithmetic.

Inside a caller's transaction no savepoint is made: a refusal here aborts the caller's whole operation."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import BigIntegerField, Case, F, Value, When
from django.utils.translation import gettext as _

from anxin.core import events
from anxin.core.errors import AnxinError, Conflict
from anxin.inventory.models import Stock
from anxin.inventory.rules import shortages


class OutOfStock(Conflict):
    code = "out_of_stock"


def _locked(sku_ids) -> dict[int, Stock]:
    rows = Stock.objects.select_for_update().filter(sku_id__in=sorted(sku_ids)).order_by("pk")
    return {row.sku_id: row for row in rows}


def _shift(quantities: Mapping[int, int], *, available: int, allocated: int) -> None:
    """One UPDATE for every SKU: available += available*q, allocated += allocated*q (signs from the caller)."""
    if not quantities:
        return
    ids = sorted(quantities)
    changes = {}
    for column, sign in (("available", available), ("allocated", allocated)):
        if sign:
            changes[column] = Case(
                *[
                    When(pk=pk, then=F(column) + Value(sign * quantities[pk], output_field=BigIntegerField()))
                    for pk in ids
                ],
                default=F(column),
                output_field=BigIntegerField(),
            )
    Stock.objects.filter(pk__in=ids).update(**changes)


def allocate(quantities: Mapping[int, int]) -> None:
    """Hold stock for an order being placed; refuses the whole set if any SKU lacks units."""
    with transaction.atomic(savepoint=False):
        rows = _locked(quantities)
        short = shortages({sku_id: row.available for sku_id, row in rows.items()}, quantities)
        if short:
            raise OutOfStock(
                _("库存不足，请减少数量后再试。"),
                fields={str(sku_id): _("仅剩 %(n)d 件") % {"n": left} for sku_id, left in short.items()},
            )
        _shift(quantities, available=-1, allocated=+1)


def release(quantities: Mapping[int, int]) -> None:
    """Give held stock back (cancelled or unpaid orders)."""
    with transaction.atomic(savepoint=False):
        _locked(quantities)
        _shift(quantities, available=+1, allocated=-1)


def consume(quantities: Mapping[int, int]) -> None:
    """Held stock leaves the warehouse when the order ships."""
    with transaction.atomic(savepoint=False):
        _locked(quantities)
        _shift(quantities, available=0, allocated=-1)


def set_available(sku, available: int, *, actor=None) -> Stock:
    """The merchant counts the shelf: set how many units can still be sold."""
    if not isinstance(available, int) or available < 0 or available > 10_000_000:
        raise AnxinError(
            _("库存须为 0 到 10,000,000 之间的整数。"), code="invalid_stock", fields={"available": _("无效")}
        )
    with transaction.atomic(savepoint=False):
        stock, _created = Stock.objects.select_for_update().get_or_create(sku=sku)
        before = stock.available
        stock.available = available
        stock.save(update_fields=["available"])
        events.record("stock.set", sku, {"before": before, "after": available}, actor=actor)
    return stock
