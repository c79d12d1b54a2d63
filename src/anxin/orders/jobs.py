"""Deadline handlers of RULES §3 that the worker applies when their time passes."""

from anxin.core.deadlines import handler
from anxin.orders import services

handler(services.SHIP_BY)(services.flag_overdue_shipment)
handler(services.AUTO_COMPLETE)(services.auto_complete)
