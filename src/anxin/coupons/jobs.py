"""The coupon's deadline the worker applies at its end: an unused coupon expires."""

from anxin.core.deadlines import handler
from anxin.coupons import services

handler(services.EXPIRE)(services.expire)
