"""The platform's one clock. Code asks `now()`; tests and simulations freeze or advance it.

The offset lives in the process, so a frozen clock affects only the process that froze it (tests run the
worker's handlers in-process for that reason).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

_frozen_at: datetime | None = None
_offset = timedelta(0)


def now() -> datetime:
    """The current aware UTC datetime, as the platform sees it."""
    if _frozen_at is not None:
        return _frozen_at
    return timezone.now() + _offset


def local_midnight(day: date) -> datetime:
    """The first moment of `day` in the platform's time zone (Beijing): searches and figures count local days."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def freeze(at: datetime | None = None) -> datetime:
    """Stop the clock at `at` (default: the current platform time)."""
    global _frozen_at
    if at is not None and timezone.is_naive(at):
        raise ValueError("freeze() needs an aware datetime")
    _frozen_at = at or now()
    return _frozen_at


def advance(delta: timedelta) -> datetime:
    """Move the clock forward, frozen or running."""
    global _frozen_at, _offset
    if _frozen_at is not None:
        _frozen_at = _frozen_at + delta
    else:
        _offset += delta
    return now()


def reset() -> None:
    global _frozen_at, _offset
    _frozen_at = None
    _offset = timedelta(0)


@contextmanager
def frozen(at: datetime | None = None) -> Iterator[datetime]:
    freeze(at)
    try:
        yield now()
    finally:
        reset()
