"""Deadline handlers of the price guarantee."""

from anxin.core.deadlines import handler
from anxin.guarantee.services import protection

handler(protection.PRICE_DROPPED)(protection.protect_after_drop)  # 价保: a SKU's list price dropped
