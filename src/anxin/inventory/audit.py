"""Stock invariants: nothing negative (the database refuses it too; this catches a dropped constraint)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anxin.core.audit import check
from anxin.inventory.models import Stock


@check("inventory: no stock is negative", _("库存：没有负库存"))
def no_negative_stock() -> list[str]:
    rows = Stock.objects.filter(Q(available__lt=0) | Q(allocated__lt=0)).values_list("sku_id", "available", "allocated")
    return [f"SKU {sku}: available {available}, allocated {allocated}" for sku, available, allocated in rows]
