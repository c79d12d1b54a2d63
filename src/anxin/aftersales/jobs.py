"""Deadline handlers of RULES §5: each waiting state's default, applied by the worker when its time passes."""

from anxin.aftersales import services
from anxin.core.deadlines import handler

handler(services.DUE)(services.apply_default)
