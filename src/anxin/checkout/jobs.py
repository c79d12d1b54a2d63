"""The checkout's deadline that the worker applies when its time passes: an unpaid checkout expires."""

from anxin.checkout import services
from anxin.core.deadlines import handler
from anxin.orders.services import EXPIRE_UNPAID

handler(EXPIRE_UNPAID)(services.expire_unpaid)
