"""The payments deadline the worker applies: a granted refund is sent to the provider, and sent again until
the provider confirms it (see `services.send_refund`)."""

from anxin.core.deadlines import handler
from anxin.payments import services

handler(services.SEND_REFUND)(services.send_refund)
