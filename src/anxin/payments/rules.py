"""Refund arithmetic and retry timing as pure functions (no DB, no clock: time is passed in)."""

from datetime import datetime, timedelta

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


def refund_fits(payment_fen: int, refunded_fen: int, amount_fen: int) -> bool:
    """A payment gives back at most what it took, over all its refunds together."""
    return 0 < amount_fen <= payment_fen - refunded_fen


def next_refund_attempt(now: datetime, attempts: int) -> datetime:
    """When to ask the provider again after `attempts` tries: doubling from a minute, at most six hours apart.

    A refund is money owed to a buyer, so it is never given up; a person sees the attempts and the last error.
    """
    delay = FIRST_RETRY * (2 ** min(max(attempts - 1, 0), 16))
    return now + min(delay, LONGEST_RETRY)
